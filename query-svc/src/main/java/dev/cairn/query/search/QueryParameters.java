package dev.cairn.query.search;

import dev.cairn.query.InvalidParameterException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rules every query endpoint applies to its parameters: unknown names and a single-valued
 * parameter given twice are refused (a misspelt filter must not silently widen a result), and a
 * time window from {@code start} to {@code end} has defaults and a longest allowed length.
 */
public final class QueryParameters {

  public static final String START = "start";
  public static final String END = "end";

  private QueryParameters() {}

  /** A time window: {@code start} inclusive, {@code end} exclusive. */
  public record Window(Instant start, Instant end) {
    public Duration length() {
      return Duration.between(start, end);
    }
  }

  public static void rejectUnknown(Set<String> names, Set<String> known) {
    Set<String> unknown = new TreeSet<>(names);
    unknown.removeAll(known);
    if (!unknown.isEmpty()) {
      throw new InvalidParameterException(
          printable(unknown.iterator().next()),
          "unknown parameter; known are " + new TreeSet<>(known));
    }
  }

  public static Optional<String> single(Map<String, List<String>> parameters, String name) {
    List<String> values = parameters.get(name);
    if (values == null || values.isEmpty()) {
      return Optional.empty();
    }
    if (values.size() > 1) {
      throw new InvalidParameterException(name, "given " + values.size() + " times; give it once");
    }
    return Optional.of(values.get(0));
  }

  /**
   * {@code start} and {@code end} (RFC 3339 or unix nanoseconds, {@link TimestampParser}); {@code
   * end} defaults to now, {@code start} to {@code defaultLookback} before {@code end}; at most
   * {@code maxWindow} long, else refused with the reason {@code why}.
   */
  public static Window window(
      Map<String, List<String>> parameters,
      Clock clock,
      Duration defaultLookback,
      Duration maxWindow,
      String why) {
    Optional<Instant> requestedStart =
        single(parameters, START).map(v -> TimestampParser.parse(START, v));
    Instant end =
        single(parameters, END).map(v -> TimestampParser.parse(END, v)).orElseGet(clock::instant);
    Instant start =
        requestedStart.orElseGet(() -> latestOf(Instant.EPOCH, end.minus(defaultLookback)));
    String blamed = requestedStart.isPresent() ? START : END;
    if (!start.isBefore(end)) {
      throw new InvalidParameterException(blamed, "start must be before end");
    }
    if (Duration.between(start, end).compareTo(maxWindow) > 0) {
      throw new InvalidParameterException(
          blamed,
          "the window from start to end may be at most "
              + describe(maxWindow)
              + " ("
              + why
              + "); narrow it");
    }
    return new Window(start, end);
  }

  /** "30 days", "12 hours", "90 minutes", else ISO-8601. */
  public static String describe(Duration duration) {
    if (duration.toSecondsPart() == 0 && duration.toNanosPart() == 0) {
      if (duration.toMinutes() % (24 * 60) == 0) {
        return plural(duration.toDays(), "day");
      }
      if (duration.toMinutes() % 60 == 0) {
        return plural(duration.toHours(), "hour");
      }
      return plural(duration.toMinutes(), "minute");
    }
    return duration.toString();
  }

  /** Echoes a caller-chosen name back safely: short, without control characters. */
  static String printable(String name) {
    String shortened = name.length() > 64 ? name.substring(0, 64) + "..." : name;
    return shortened.replaceAll("\\p{Cc}", "?");
  }

  private static String plural(long count, String unit) {
    return count + " " + unit + (count == 1 ? "" : "s");
  }

  private static Instant latestOf(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
