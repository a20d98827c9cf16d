package dev.cairn.query.search;

import dev.cairn.query.InvalidParameterException;
import dev.cairn.store.SearchCursor;
import dev.cairn.store.TraceQuery;
import dev.cairn.store.TraceQuery.TagFilter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns the query parameters of {@code GET /api/v1/traces} into a {@link TraceQuery}, or refuses
 * them with an {@link InvalidParameterException} naming the parameter and the reason. Unknown
 * parameters and repeated single-valued ones are refused too: a misspelt filter silently ignored
 * would return a wider result than the caller asked for. A window from {@code start} to {@code end}
 * longer than the configured maximum is refused too: no span is kept longer than the longest
 * retention, so a wider window only costs the database work.
 */
public final class SearchRequestParser {

  public static final String SERVICE = "service";
  public static final String OPERATION = "operation";
  public static final String TAG = TagFilterParser.PARAMETER;
  public static final String MIN_DURATION = "minDuration";
  public static final String MAX_DURATION = "maxDuration";
  public static final String ERROR = "error";
  public static final String START = QueryParameters.START;
  public static final String END = QueryParameters.END;
  public static final String LIMIT = "limit";
  public static final String CURSOR = "cursor";

  private static final Set<String> KNOWN =
      Set.of(SERVICE, OPERATION, TAG, MIN_DURATION, MAX_DURATION, ERROR, START, END, LIMIT, CURSOR);
  private static final Pattern DIGITS = Pattern.compile("\\d{1,9}");

  private final Clock clock;
  private final Duration defaultLookback;
  private final int defaultLimit;
  private final Duration maxWindow;

  /**
   * @param defaultLookback how far before {@code end} the search starts when {@code start} is
   *     absent
   * @param maxWindow the longest {@code end - start} a search may cover
   */
  public SearchRequestParser(
      Clock clock, Duration defaultLookback, int defaultLimit, Duration maxWindow) {
    if (defaultLookback.isNegative() || defaultLookback.isZero()) {
      throw new IllegalArgumentException("default lookback must be positive");
    }
    if (defaultLookback.compareTo(maxWindow) > 0) {
      throw new IllegalArgumentException(
          "default lookback " + defaultLookback + " exceeds the maximum window " + maxWindow);
    }
    if (defaultLimit < 1 || defaultLimit > TraceQuery.MAX_LIMIT) {
      throw new IllegalArgumentException(
          "default limit must be between 1 and " + TraceQuery.MAX_LIMIT);
    }
    this.clock = clock;
    this.defaultLookback = defaultLookback;
    this.defaultLimit = defaultLimit;
    this.maxWindow = maxWindow;
  }

  /**
   * @param parameters every query parameter of the request, with all of its values in order
   */
  public TraceQuery parse(Map<String, List<String>> parameters) {
    QueryParameters.rejectUnknown(parameters.keySet(), KNOWN);
    Optional<String> service =
        QueryParameters.single(parameters, SERVICE).map(v -> Names.service(SERVICE, v));
    Optional<String> operation =
        QueryParameters.single(parameters, OPERATION).map(v -> Names.operation(OPERATION, v));
    List<TagFilter> tags = tags(parameters.getOrDefault(TAG, List.of()));
    Optional<Duration> minDuration =
        QueryParameters.single(parameters, MIN_DURATION)
            .map(v -> DurationParser.parse(MIN_DURATION, v));
    Optional<Duration> maxDuration =
        QueryParameters.single(parameters, MAX_DURATION)
            .map(v -> DurationParser.parse(MAX_DURATION, v));
    if (minDuration.isPresent()
        && maxDuration.isPresent()
        && minDuration.get().compareTo(maxDuration.get()) > 0) {
      throw new InvalidParameterException(MAX_DURATION, "must not be less than minDuration");
    }
    boolean errorsOnly =
        QueryParameters.single(parameters, ERROR).map(SearchRequestParser::bool).orElse(false);
    QueryParameters.Window window =
        QueryParameters.window(
            parameters, clock, defaultLookback, maxWindow, "the longest span retention");
    int limit =
        QueryParameters.single(parameters, LIMIT)
            .map(SearchRequestParser::limit)
            .orElse(defaultLimit);
    Optional<SearchCursor> cursor =
        QueryParameters.single(parameters, CURSOR).map(SearchRequestParser::cursor);
    return new TraceQuery(
        service,
        operation,
        tags,
        minDuration,
        maxDuration,
        errorsOnly,
        window.start(),
        window.end(),
        limit,
        cursor);
  }

  private static List<TagFilter> tags(List<String> values) {
    if (values.size() > ParameterLimits.MAX_TAGS) {
      throw new InvalidParameterException(
          TAG, "at most " + ParameterLimits.MAX_TAGS + " tag filters, got " + values.size());
    }
    List<TagFilter> tags = new ArrayList<>(values.size());
    for (String value : values) {
      tags.add(TagFilterParser.parse(value));
    }
    return tags;
  }

  private static boolean bool(String text) {
    return switch (text) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new InvalidParameterException(ERROR, "must be true or false");
    };
  }

  private static int limit(String text) {
    int limit = DIGITS.matcher(text).matches() ? Integer.parseInt(text) : -1;
    if (limit < 1 || limit > TraceQuery.MAX_LIMIT) {
      throw new InvalidParameterException(
          LIMIT, "must be an integer between 1 and " + TraceQuery.MAX_LIMIT);
    }
    return limit;
  }

  private static SearchCursor cursor(String text) {
    if (text.length() > ParameterLimits.MAX_SCALAR_LENGTH) {
      throw new InvalidParameterException(CURSOR, "not a cursor this API issued");
    }
    try {
      return SearchCursor.decode(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidParameterException(CURSOR, "not a cursor this API issued");
    }
  }
}
