package dev.cairn.query.search;

import dev.cairn.query.InvalidParameterException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations written as Go's {@code time.ParseDuration} writes them (the format Jaeger's
 * {@code minDuration} uses): one or more decimal numbers each followed by a unit, {@code ns},
 * {@code us} (or {@code µs}), {@code ms}, {@code s}, {@code m}, {@code h}; e.g. {@code 150ms},
 * {@code 1.5s}, {@code 1m30s}, {@code 20us}. A bare {@code 0} is accepted, as in Go. Plain numbers
 * are refused because nothing tells micro- from milliseconds; negative values are refused because a
 * span duration is never negative.
 */
public final class DurationParser {

  private static final Pattern WHOLE =
      Pattern.compile("(?:\\d+(?:\\.\\d+)?(?:ns|us|µs|ms|s|m|h))+");
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");
  private static final Map<String, Long> NANOS_PER_UNIT =
      Map.of(
          "ns", 1L,
          "us", 1_000L,
          "µs", 1_000L,
          "ms", 1_000_000L,
          "s", 1_000_000_000L,
          "m", 60_000_000_000L,
          "h", 3_600_000_000_000L);
  private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);

  private DurationParser() {}

  /**
   * @param parameter the parameter name, for the error message
   * @throws InvalidParameterException when {@code text} is not such a duration or does not fit in a
   *     signed 64-bit count of nanoseconds
   */
  public static Duration parse(String parameter, String text) {
    if (text.length() > ParameterLimits.MAX_SCALAR_LENGTH) {
      throw new InvalidParameterException(parameter, "duration is too long");
    }
    if (text.equals("0")) {
      return Duration.ZERO;
    }
    if (!WHOLE.matcher(text).matches()) {
      throw new InvalidParameterException(
          parameter,
          "'"
              + text
              + "' is not a duration; write a number with a unit (ns, us, ms, s, m, h),"
              + " e.g. 150ms, 1.5s or 1m30s");
    }
    BigDecimal nanos = BigDecimal.ZERO;
    Matcher part = PART.matcher(text);
    while (part.find()) {
      nanos =
          nanos.add(
              new BigDecimal(part.group(1))
                  .multiply(BigDecimal.valueOf(NANOS_PER_UNIT.get(part.group(2)))));
    }
    if (nanos.compareTo(MAX_NANOS) > 0) {
      throw new InvalidParameterException(parameter, "duration is too large");
    }
    // Fractions of a nanosecond cannot be stored; they are dropped as Go drops them.
    return Duration.ofNanos(nanos.longValue());
  }
}
