package dev.cairn.loadgen.run;

import dev.cairn.loadgen.generate.SampledTrace;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Tab-separated log of sampled traces and when their request was sent and acknowledged, so a
 * benchmark script can later time how long each took to become queryable. Only traces of requests
 * the receiver answered with success are logged; {@code request_rejected} says how many spans of
 * that request were refused.
 */
public final class TraceIdLog implements AutoCloseable {

  static final String HEADER =
      "trace_id\tspans\troot_service\troot_operation\terror\tsent_unix_micros\tacked_unix_micros\trequest_rejected";

  private final BufferedWriter out;
  private long lines;

  public TraceIdLog(Path file) {
    try {
      this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
      out.write(HEADER);
      out.newLine();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write trace ids to " + file, e);
    }
  }

  synchronized void record(
      List<SampledTrace> traces, long sentMicros, long ackedMicros, ExportResult result) {
    if (!result.ok() || traces.isEmpty()) {
      return;
    }
    try {
      for (SampledTrace trace : traces) {
        out.write(
            trace.traceIdHex()
                + '\t'
                + trace.spanCount()
                + '\t'
                + trace.rootService()
                + '\t'
                + trace.rootOperation()
                + '\t'
                + trace.hasError()
                + '\t'
                + sentMicros
                + '\t'
                + ackedMicros
                + '\t'
                + result.rejectedSpans());
        out.newLine();
        lines++;
      }
      // flushed per request, so that a follower (cairn-loadgen queryable) sees traces as they
      // are acknowledged; the log is sampled, so this is a few writes per second
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  synchronized long lines() {
    return lines;
  }

  @Override
  public synchronized void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
