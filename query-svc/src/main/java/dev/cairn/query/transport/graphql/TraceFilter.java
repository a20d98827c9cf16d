package dev.cairn.query.transport.graphql;

import java.util.List;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Input;

/**
 * The criteria of a trace search, with the meaning, syntax and bounds of REST's query parameters of
 * the same names ({@code GET /api/v1/traces}).
 */
@Input("TraceFilter")
public class TraceFilter {

  @Description("Service name (letters, digits, space and . _ - / : @ +; at most 256)")
  public String service;

  @Description("Span name (no control characters; at most 512)")
  public String operation;

  @Description("Span attribute filters key:value, compared as text; at most 16, ANDed")
  public List<String> tags;

  @Description("Minimum span duration, Go duration syntax (150ms, 1.5s, 1m30s)")
  public String minDuration;

  @Description("Maximum span duration, same syntax as minDuration")
  public String maxDuration;

  @Description("true: only traces with at least one span with status ERROR")
  public Boolean error;

  @Description("Earliest trace start (inclusive): RFC 3339 or unix nanoseconds; default end - 1h")
  public String start;

  @Description("Latest trace start (exclusive), same formats as start; default now")
  public String end;
}
