package dev.cairn.query.transport.graphql;

/**
 * A query selected links into more traces than one request may fetch ({@code
 * cairn.query.graphql.max-linked-traces}): each is a trace read, which depth and complexity limits
 * do not bound, since they do not count list elements.
 */
public final class TooManyLinkedTracesException extends RuntimeException {

  TooManyLinkedTracesException(int linked, int max) {
    super(
        "the query follows links into "
            + linked
            + " traces; at most "
            + max
            + " per request (cairn.query.graphql.max-linked-traces): select links of fewer spans");
  }
}
