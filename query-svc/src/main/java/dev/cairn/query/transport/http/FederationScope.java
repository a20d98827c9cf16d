package dev.cairn.query.transport.http;

import dev.cairn.query.InvalidParameterException;
import dev.cairn.query.trace.TraceQueries;

/**
 * The request header by which a peer region asks for this region's own data only: {@value #HEADER}:
 * {@value #LOCAL}. Without it, reads are federated (when peers are configured).
 */
final class FederationScope {

  static final String HEADER = "cairn-federation";

  static final String LOCAL = "local";

  static final String DESCRIPTION =
      "local: answer from this region's store only, without asking peer regions (what a peer"
          + " region's query-svc sends)";

  private FederationScope() {}

  /** The queries the request is answered with. */
  static TraceQueries of(TraceQueries queries, String header) {
    if (header == null) {
      return queries;
    }
    if (LOCAL.equals(header)) {
      return queries.localOnly();
    }
    throw new InvalidParameterException(HEADER, "must be " + LOCAL + " when given");
  }
}
