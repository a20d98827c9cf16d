package dev.cairn.query.search;

import dev.cairn.query.InvalidParameterException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * Parses a point in time given either as an RFC 3339 timestamp with an offset ({@code
 * 2026-11-25T18:00:00Z}, {@code 2026-11-25T19:00:00.5+01:00}) or as an integer count of nanoseconds
 * since the Unix epoch, the unit OTLP and this API's responses use ({@code startTimeUnixNano}), so
 * that a value read from a response can be sent back unchanged.
 */
public final class TimestampParser {

  private static final Pattern UNIX_NANOS = Pattern.compile("\\d{1,19}");

  /** The last instant a signed 64-bit count of unix nanoseconds can hold. */
  static final Instant LATEST = Instant.ofEpochSecond(0, Long.MAX_VALUE);

  private TimestampParser() {}

  /**
   * @param parameter the parameter name, for the error message
   * @throws InvalidParameterException when {@code text} is neither form
   */
  public static Instant parse(String parameter, String text) {
    if (text.length() > ParameterLimits.MAX_SCALAR_LENGTH) {
      throw new InvalidParameterException(parameter, "timestamp is too long");
    }
    if (UNIX_NANOS.matcher(text).matches()) {
      long nanos;
      try {
        nanos = Long.parseLong(text);
      } catch (NumberFormatException e) {
        throw new InvalidParameterException(
            parameter, "unix nanoseconds must fit in a signed 64-bit integer");
      }
      return Instant.ofEpochSecond(0, nanos);
    }
    Instant instant;
    try {
      instant = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw new InvalidParameterException(
          parameter,
          "'"
              + text
              + "' is neither an RFC 3339 timestamp with offset (2026-11-25T18:00:00Z)"
              + " nor unix nanoseconds");
    }
    // Span times are unsigned 64-bit nanoseconds in OTLP and signed ones in the store.
    if (instant.isBefore(Instant.EPOCH) || instant.isAfter(LATEST)) {
      throw new InvalidParameterException(
          parameter, "timestamp must lie between 1970-01-01T00:00:00Z and " + LATEST);
    }
    return instant;
  }
}
