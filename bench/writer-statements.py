#!/usr/bin/env python3
"""PostgreSQL's time per span in each of the writer's statements, and in the raw COPY's, from
PostgreSQL's log of one WriterBench run (bench/storage-layout/WriterBench.java).

Usage: bench/writer-statements.py LOG SPANS
  LOG:   the lines PostgreSQL logged during the run, with `ALTER DATABASE <db> SET
         log_min_duration_statement = 0` in force (infra.sh's log_line_prefix '%m [%p] %q%u@%d ')
  SPANS: the spans of the bench's input; the writer writes them twice (a warm-up pass, then the
         measured one: run WriterBench with -Dmaxwarmups=1, its warm-up otherwise goes on while
         the JIT is busy), the raw COPY once.
Durations are the server's, wall time in PostgreSQL (CPU and waits, such as a commit's WAL flush).
"""
import collections
import re
import sys

LINE = re.compile(r'^\S+ \S+ UTC \[\d+\] \S+ LOG:  duration: ([\d.]+) ms  (bind|execute|statement)[^:]*: (.*)')
WRITER = [
    ('SELECT t.retention', 'summaries of the batch\'s traces (probe)'),
    ('SELECT trace_id, payload', 'stored segments of traces seen before'),
    ('COPY trace_segments', 'segments COPY'),
    ('COPY trace_summaries', 'new traces\' summaries COPY'),
    ('INSERT INTO trace_segments', 'segments insert (a racing writer\'s)'),
    ('INSERT INTO trace_summaries', 'summaries upsert'),
    ('INSERT INTO search_term_days', 'term-day catalog'),
    ('INSERT INTO operations', 'operation catalog'),
    ('SAVEPOINT', 'savepoint before the COPYs'),
    ('RELEASE', 'savepoint release'),
    ('COMMIT', 'commit'),
]


def main(log, spans):
    writer = collections.Counter()
    copy = collections.Counter()
    for line in open(log, errors='replace'):
        m = LINE.match(line)
        if not m:
            continue
        ms, sql = float(m.group(1)), m.group(3)
        for prefix, name in WRITER:
            if sql.startswith(prefix):
                writer[name] += ms
                break
        else:
            c = re.match(r'COPY ([\w.]+)\.(\w+) ', sql)
            if c and c.group(1).startswith('layout_bench_copy'):
                copy[c.group(2)] += ms
    print(f'writer, per span written ({2 * spans} in two passes):')
    for name, ms in writer.most_common():
        print(f'  {ms * 1000 / (2 * spans):6.2f} us  {name}')
    print(f'  {sum(writer.values()) * 1000 / (2 * spans):6.2f} us  in all')
    print(f'raw COPY, per span copied ({spans}):')
    for table, ms in copy.most_common():
        print(f'  {ms * 1000 / spans:6.2f} us  {table}')
    print(f'  {sum(copy.values()) * 1000 / spans:6.2f} us  in all')


if __name__ == '__main__':
    main(sys.argv[1], int(sys.argv[2]))
