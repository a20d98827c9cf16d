package dev.cairn.query.search;

import dev.cairn.model.TraceId;
import dev.cairn.query.InvalidParameterException;
import java.util.regex.Pattern;

/** Trace ids in URLs are 32 hex digits (either case), as in OTLP JSON and W3C traceparent. */
public final class TraceIdParser {

  private static final Pattern HEX32 = Pattern.compile("[0-9a-fA-F]{32}");

  private TraceIdParser() {}

  public static TraceId parse(String parameter, String text) {
    if (!HEX32.matcher(text).matches()) {
      throw new InvalidParameterException(parameter, "a trace id is 32 hex digits");
    }
    TraceId id = TraceId.fromHex(text);
    if (!id.isValid()) {
      throw new InvalidParameterException(parameter, "the all-zero trace id is invalid");
    }
    return id;
  }
}
