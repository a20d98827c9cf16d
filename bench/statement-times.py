#!/usr/bin/env python3
"""Per-request statement times of the index-driven search, from PostgreSQL's log.

Usage: bench/statement-times.py LOG  (the lines PostgreSQL logged while
`ALTER DATABASE <db> SET log_min_duration_statement = 0` was in force, with infra.sh's
log_line_prefix '%m [%p] %q%u@%d '). A request starts at the bind of its term-day catalog
statement (search_term_days) and runs to the next one; the first 5 requests (warm-up) and the
last (cut off) are left out. Prints the median wall time from a request's first statement to its
last, and per kind of statement (bind and execute apart) the median time and count a request.
"""
import collections
import re
import statistics
import sys
from datetime import datetime

LINE = re.compile(r'^(\S+ \S+) UTC \[(\d+)\] \S+ LOG:  duration: ([\d.]+) ms  (bind|execute|statement|parse)[^:]*: (.*)')


def kind(step, sql):
    if 'search_term_days' in sql:
        return 'term days'
    if sql.startswith(('BEGIN', 'COMMIT', 'SET LOCAL')):
        return 'transaction'
    if 'FROM trace_segments s WHERE' in sql:
        return 'slice ' + step
    if sql.startswith('SELECT t.trace_id'):
        return 'summaries ' + step
    if sql.startswith('SELECT trace_id, start_time, payload'):
        return 'candidate segments ' + step
    return 'other ' + step


requests = []
current = None
for line in open(sys.argv[1]):
    m = LINE.match(line)
    if not m:
        continue
    at = datetime.strptime(m.group(1), '%Y-%m-%d %H:%M:%S.%f').timestamp() * 1000
    ms = float(m.group(3))
    k = kind(m.group(4), m.group(5))
    if k == 'term days' and m.group(4) == 'bind':
        current = {'from': at - ms, 'to': at, 'ms': collections.Counter(), 'n': collections.Counter()}
        requests.append(current)
    if current is None:
        continue
    current['to'] = at
    current['ms'][k] += ms
    current['n'][k] += 1
requests = requests[5:-1]
if not requests:
    sys.exit('no complete request in the log')
print('requests %d, first to last statement: median %.1f ms' %
      (len(requests), statistics.median(r['to'] - r['from'] for r in requests)))
for k in sorted({k for r in requests for k in r['ms']}):
    print('%-26s median %.2f ms, %d a request' %
          (k, statistics.median(r['ms'][k] for r in requests), statistics.median(r['n'][k] for r in requests)))
print('in PostgreSQL: median %.1f ms' % statistics.median(sum(r['ms'].values()) for r in requests))
