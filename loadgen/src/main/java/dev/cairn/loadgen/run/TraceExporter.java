package dev.cairn.loadgen.run;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.util.concurrent.CompletableFuture;

/**
 * One connection to an OTLP receiver. Implementations send asynchronously and may be called from
 * one thread while earlier requests are still in flight.
 */
public interface TraceExporter extends AutoCloseable {

  /**
   * Sends one request. The future completes when the receiver answered or the request failed; it
   * never completes exceptionally: failures are {@link ExportResult#failed} results.
   */
  CompletableFuture<ExportResult> export(ExportTraceServiceRequest request);

  /** Releases the connection; requests still in flight may fail. */
  @Override
  void close();
}
