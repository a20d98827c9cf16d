package dev.cairn.loadgen.testing;

import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The decisions of a test OTLP receiver, whatever its transport: every {@code failEvery}-th request
 * fails as a whole; otherwise spans whose span id starts with a byte below 0x40 (about a quarter)
 * are rejected through partial success. It counts what it decided so tests can compare with what
 * the load generator reports.
 */
public final class ScriptedReceiver {

  private final int failEvery;
  private final AtomicLong requests = new AtomicLong();
  public final AtomicLong failedRequests = new AtomicLong();
  public final AtomicLong spansInFailedRequests = new AtomicLong();
  public final AtomicLong accepted = new AtomicLong();
  public final AtomicLong rejected = new AtomicLong();
  public final Set<String> acceptedTraceIds = ConcurrentHashMap.newKeySet();

  /**
   * @param failEvery fail every n-th request; 0 = never
   */
  public ScriptedReceiver(int failEvery) {
    this.failEvery = failEvery;
  }

  /** The answer to {@code request}, or {@code null} when this request is to fail. */
  public ExportTraceServiceResponse answer(ExportTraceServiceRequest request) {
    long n = requests.incrementAndGet();
    long spans = 0;
    long refused = 0;
    for (var resourceSpans : request.getResourceSpansList()) {
      for (var scopeSpans : resourceSpans.getScopeSpansList()) {
        for (Span span : scopeSpans.getSpansList()) {
          spans++;
          if ((span.getSpanId().byteAt(0) & 0xFF) < 0x40) {
            refused++;
          } else {
            acceptedTraceIds.add(hex(span.getTraceId().toByteArray()));
          }
        }
      }
    }
    if (failEvery > 0 && n % failEvery == 0) {
      failedRequests.incrementAndGet();
      spansInFailedRequests.addAndGet(spans);
      return null;
    }
    accepted.addAndGet(spans - refused);
    rejected.addAndGet(refused);
    ExportTraceServiceResponse.Builder response = ExportTraceServiceResponse.newBuilder();
    if (refused > 0) {
      response.setPartialSuccess(
          ExportTracePartialSuccess.newBuilder()
              .setRejectedSpans(refused)
              .setErrorMessage(refused + " spans rejected: span id below 0x40"));
    }
    return response.build();
  }

  private static String hex(byte[] bytes) {
    StringBuilder out = new StringBuilder();
    for (byte b : bytes) {
      out.append(String.format("%02x", b));
    }
    return out.toString();
  }
}
