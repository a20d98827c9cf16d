package dev.cairn.query.search;

import dev.cairn.model.SpanId;
import dev.cairn.query.InvalidParameterException;
import java.util.regex.Pattern;

/** Span ids in requests are 16 hex digits (either case), as in OTLP JSON. */
public final class SpanIdParser {

  private static final Pattern HEX16 = Pattern.compile("[0-9a-fA-F]{16}");

  private SpanIdParser() {}

  public static SpanId parse(String parameter, String text) {
    if (text == null || !HEX16.matcher(text).matches()) {
      throw new InvalidParameterException(parameter, "a span id is 16 hex digits");
    }
    SpanId id = SpanId.fromHex(text);
    if (!id.isValid()) {
      throw new InvalidParameterException(parameter, "the all-zero span id is invalid");
    }
    return id;
  }
}
