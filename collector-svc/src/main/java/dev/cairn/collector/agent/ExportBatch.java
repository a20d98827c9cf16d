package dev.cairn.collector.agent;

import java.util.List;

/**
 * Queued requests sent to a gateway as one export. Serialized {@code ExportTraceServiceRequest}s
 * concatenated are one valid {@code ExportTraceServiceRequest} holding all their resource spans
 * (protobuf merges repeated fields), so a batch is sent without decoding or copying its requests.
 *
 * @param requests in queue order
 * @param bytes total serialized size
 * @param spans total spans
 */
public record ExportBatch(List<QueuedRequest> requests, long bytes, int spans) {

  public ExportBatch {
    if (requests.isEmpty()) {
      throw new IllegalArgumentException("a batch holds at least one request");
    }
    requests = List.copyOf(requests);
  }

  /** When the oldest request of the batch was queued: the batch's age counts from there. */
  public long oldestEnqueuedNanos() {
    return requests.get(0).enqueuedNanos();
  }
}
