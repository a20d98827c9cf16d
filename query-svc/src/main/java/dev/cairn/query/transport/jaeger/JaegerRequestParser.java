package dev.cairn.query.transport.jaeger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.model.SpanKind;
import dev.cairn.model.TraceId;
import dev.cairn.query.InvalidParameterException;
import dev.cairn.query.metrics.MetricsRequestParser;
import dev.cairn.query.search.DurationParser;
import dev.cairn.query.search.Names;
import dev.cairn.query.search.ParameterLimits;
import dev.cairn.query.search.QueryParameters;
import dev.cairn.query.search.SearchRequestParser;
import dev.cairn.query.search.TraceIdParser;
import dev.cairn.store.TraceQuery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The parameters of Jaeger's query API ({@code cmd/query/app/query_parser.go}) in Jaeger's units,
 * turned into Cairn's queries by translating them into {@code /api/v1}'s parameters, so that the
 * same bounds and name rules apply to both APIs: {@code start}/{@code end} are unix microseconds,
 * {@code minDuration}/{@code maxDuration} Go durations ({@code 1.2s}), {@code tags} a JSON object
 * of strings, {@code tag} {@code key:value}; dependencies take {@code endTs} in unix milliseconds
 * and {@code lookback} in milliseconds. A search tag {@code error:true} (or {@code
 * otel.status_code:ERROR}) asks for failed spans, which Jaeger derives from the span status as
 * Cairn's {@code error} filter does. Unknown parameters are refused, as everywhere in Cairn.
 */
public final class JaegerRequestParser {

  static final String SERVICE = "service";
  static final String OPERATION = "operation";
  static final String TAG = "tag";
  static final String TAGS = "tags";
  static final String MIN_DURATION = "minDuration";
  static final String MAX_DURATION = "maxDuration";
  static final String START = "start";
  static final String END = "end";
  static final String LIMIT = "limit";
  static final String LOOKBACK = "lookback";
  static final String TRACE_ID = "traceID";
  static final String RAW = "raw";
  static final String PRETTY_PRINT = "prettyPrint";
  static final String SPAN_KIND = "spanKind";
  static final String END_TS = "endTs";

  /** Jaeger's default window of the dependencies view (default_params.go). */
  static final Duration DEFAULT_DEPENDENCY_LOOKBACK = Duration.ofHours(24);

  /** Trace ids one search by id may name. */
  static final int MAX_TRACE_IDS = 100;

  /** Longer than any {@code tags} object within the tag count and length limits. */
  static final int MAX_TAGS_JSON_LENGTH =
      ParameterLimits.MAX_TAGS
          * (ParameterLimits.MAX_TAG_KEY_LENGTH + ParameterLimits.MAX_TAG_VALUE_LENGTH + 8);

  private static final Set<String> SEARCH =
      Set.of(
          SERVICE,
          OPERATION,
          TAG,
          TAGS,
          MIN_DURATION,
          MAX_DURATION,
          START,
          END,
          LIMIT,
          LOOKBACK,
          TRACE_ID,
          RAW,
          PRETTY_PRINT);
  private static final Set<String> TRACE = Set.of(START, END, RAW, PRETTY_PRINT);
  private static final Set<String> OPERATIONS = Set.of(SERVICE, SPAN_KIND, PRETTY_PRINT);
  private static final Set<String> DEPENDENCIES = Set.of(END_TS, LOOKBACK, SERVICE, PRETTY_PRINT);
  private static final Set<String> CATALOG = Set.of(PRETTY_PRINT);

  private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{1,32}");
  private static final Pattern DIGITS = Pattern.compile("\\d{1,19}");

  /** The UI's lookback choices beyond Go's units: days and weeks (2d, 7d, 2w). */
  private static final Pattern DAYS_OR_WEEKS = Pattern.compile("(\\d{1,4})([dw])");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Clock clock;
  private final SearchRequestParser searchParser;
  private final MetricsRequestParser metricsParser;

  public JaegerRequestParser(
      Clock clock, SearchRequestParser searchParser, MetricsRequestParser metricsParser) {
    this.clock = clock;
    this.searchParser = searchParser;
    this.metricsParser = metricsParser;
  }

  /** {@code GET /traces/{traceID}}; {@code start} and {@code end} are checked, then unused. */
  public TraceRequest trace(String traceId, Map<String, List<String>> parameters) {
    QueryParameters.rejectUnknown(parameters.keySet(), TRACE);
    single(parameters, START).ifPresent(v -> micros(START, v));
    single(parameters, END).ifPresent(v -> micros(END, v));
    return new TraceRequest(traceId(TRACE_ID, traceId), raw(parameters));
  }

  /** {@code GET /traces}: by {@code traceID} when given (other filters are then unused). */
  public SearchRequest search(Map<String, List<String>> parameters) {
    QueryParameters.rejectUnknown(parameters.keySet(), SEARCH);
    boolean raw = raw(parameters);
    List<String> ids = nonEmpty(parameters, TRACE_ID);
    if (!ids.isEmpty()) {
      if (ids.size() > MAX_TRACE_IDS) {
        throw new InvalidParameterException(
            TRACE_ID, "at most " + MAX_TRACE_IDS + " trace ids, got " + ids.size());
      }
      List<TraceId> traceIds = ids.stream().map(id -> traceId(TRACE_ID, id)).distinct().toList();
      return new SearchRequest(Optional.empty(), traceIds, raw);
    }
    return new SearchRequest(
        Optional.of(searchParser.parse(cairnSearch(parameters))), List.of(), raw);
  }

  /** {@code GET /operations?service=&spanKind=}: {@code service} is required. */
  public OperationsRequest operations(Map<String, List<String>> parameters) {
    QueryParameters.rejectUnknown(parameters.keySet(), OPERATIONS);
    String service =
        single(parameters, SERVICE)
            .map(v -> Names.service(SERVICE, v))
            .orElseThrow(() -> new InvalidParameterException(SERVICE, "parameter is required"));
    Optional<SpanKind> kind =
        single(parameters, SPAN_KIND).filter(v -> !v.isEmpty()).map(JaegerRequestParser::spanKind);
    return new OperationsRequest(service, kind);
  }

  /** {@code GET /dependencies?endTs=&lookback=&service=}, both times in milliseconds. */
  public DependenciesRequest dependencies(Map<String, List<String>> parameters) {
    QueryParameters.rejectUnknown(parameters.keySet(), DEPENDENCIES);
    Instant end = single(parameters, END_TS).map(v -> millis(END_TS, v)).orElseGet(clock::instant);
    Duration lookback =
        single(parameters, LOOKBACK)
            .map(v -> Duration.ofMillis(millisCount(LOOKBACK, v)))
            .orElse(DEFAULT_DEPENDENCY_LOOKBACK);
    if (lookback.isZero()) {
      throw new InvalidParameterException(LOOKBACK, "must be more than 0 milliseconds");
    }
    Instant start = end.minus(lookback);
    if (start.isBefore(Instant.EPOCH)) {
      start = Instant.EPOCH;
    }
    Map<String, List<String>> window = new HashMap<>();
    window.put(QueryParameters.START, List.of(Long.toString(nanos(start))));
    window.put(QueryParameters.END, List.of(Long.toString(nanos(end))));
    QueryParameters.Window minutes;
    try {
      minutes = metricsParser.dependencies(window);
    } catch (InvalidParameterException e) {
      throw new InvalidParameterException(LOOKBACK, e.reason());
    }
    Optional<String> service = single(parameters, SERVICE).map(v -> Names.service(SERVICE, v));
    return new DependenciesRequest(minutes, service);
  }

  /** {@code /services} and {@code /services/{service}/operations} take no filter. */
  public void catalog(Map<String, List<String>> parameters) {
    QueryParameters.rejectUnknown(parameters.keySet(), CATALOG);
  }

  /** Jaeger's span kind names, plus an empty one for every kind. */
  static SpanKind spanKind(String text) {
    try {
      return MetricsRequestParser.spanKind(text);
    } catch (InvalidParameterException e) {
      throw new InvalidParameterException(SPAN_KIND, e.reason());
    }
  }

  /**
   * Jaeger's trace ids: 1 to 32 hex digits, left-padded with zeros (a 64-bit id is written with
   * 16).
   */
  static TraceId traceId(String parameter, String text) {
    if (!HEX.matcher(text).matches()) {
      throw new InvalidParameterException(parameter, "a trace id is 1 to 32 hex digits");
    }
    return TraceIdParser.parse(parameter, "0".repeat(32 - text.length()) + text);
  }

  /**
   * The UI's lookback: a Go duration ({@code 1h}, {@code 90m}), days or weeks ({@code 2d}, {@code
   * 1w}), or {@code custom} when start and end say the window (empty then).
   */
  static Optional<Duration> lookback(String text) {
    if (text.equals("custom")) {
      return Optional.empty();
    }
    var daysOrWeeks = DAYS_OR_WEEKS.matcher(text);
    if (daysOrWeeks.matches()) {
      long count = Long.parseLong(daysOrWeeks.group(1));
      return Optional.of(Duration.ofDays(daysOrWeeks.group(2).equals("w") ? count * 7 : count));
    }
    Duration lookback = DurationParser.parse(LOOKBACK, text);
    if (lookback.isZero()) {
      throw new InvalidParameterException(LOOKBACK, "must be longer than 0");
    }
    return Optional.of(lookback);
  }

  /** Unix microseconds, as Jaeger's search takes {@code start} and {@code end}. */
  static Instant micros(String parameter, String text) {
    long micros = count(parameter, text, "unix microseconds");
    if (micros > Long.MAX_VALUE / 1_000) {
      throw new InvalidParameterException(parameter, "unix microseconds too large");
    }
    return Instant.ofEpochSecond(0, micros * 1_000);
  }

  /** Unix milliseconds, as Jaeger's dependencies take {@code endTs}. */
  static Instant millis(String parameter, String text) {
    long millis = millisCount(parameter, text);
    if (millis > Long.MAX_VALUE / 1_000_000) {
      throw new InvalidParameterException(parameter, "unix milliseconds too large");
    }
    return Instant.ofEpochMilli(millis);
  }

  /** Go's strconv.ParseBool, which Jaeger's {@code raw} goes through; absent means false. */
  static boolean bool(String parameter, String text) {
    return switch (text) {
      case "", "0", "f", "F", "false", "FALSE", "False" -> false;
      case "1", "t", "T", "true", "TRUE", "True" -> true;
      default -> throw new InvalidParameterException(parameter, "must be true or false");
    };
  }

  /** {@code tags={"k":"v",...}}: each member a {@code key:value} tag filter. */
  static List<String> tagsJson(String text) {
    if (text.length() > MAX_TAGS_JSON_LENGTH) {
      throw new InvalidParameterException(
          TAGS, "longer than " + MAX_TAGS_JSON_LENGTH + " characters");
    }
    JsonNode object;
    try {
      object = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new InvalidParameterException(
          TAGS, "not JSON; expected an object such as {\"k\":\"v\"}");
    }
    if (object == null || !object.isObject()) {
      throw new InvalidParameterException(TAGS, "expected a JSON object such as {\"k\":\"v\"}");
    }
    List<String> tags = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> member = it.next();
      if (!member.getValue().isTextual()) {
        throw new InvalidParameterException(
            TAGS, "the value of '" + member.getKey() + "' must be a string, as in Jaeger");
      }
      tags.add(member.getKey() + ":" + member.getValue().textValue());
    }
    return tags;
  }

  /** The same search in {@code /api/v1}'s parameters, so SearchRequestParser checks it. */
  private Map<String, List<String>> cairnSearch(Map<String, List<String>> parameters) {
    Map<String, List<String>> cairn = new HashMap<>();
    copy(parameters, SERVICE, cairn, SearchRequestParser.SERVICE);
    copy(parameters, OPERATION, cairn, SearchRequestParser.OPERATION);
    copy(parameters, MIN_DURATION, cairn, SearchRequestParser.MIN_DURATION);
    copy(parameters, MAX_DURATION, cairn, SearchRequestParser.MAX_DURATION);
    copy(parameters, LIMIT, cairn, SearchRequestParser.LIMIT);
    List<String> tags = new ArrayList<>(nonEmpty(parameters, TAG));
    for (String json : nonEmpty(parameters, TAGS)) {
      tags.addAll(tagsJson(json));
    }
    List<String> filters = new ArrayList<>();
    for (String tag : tags) {
      if (tag.equals("error:true") || tag.equals("otel.status_code:ERROR")) {
        cairn.put(SearchRequestParser.ERROR, List.of("true"));
      } else {
        filters.add(tag);
      }
    }
    if (!filters.isEmpty()) {
      cairn.put(SearchRequestParser.TAG, filters);
    }
    Optional<Instant> end = single(parameters, END).map(v -> micros(END, v));
    Optional<Instant> start = single(parameters, START).map(v -> micros(START, v));
    Optional<Duration> lookback =
        single(parameters, LOOKBACK).flatMap(JaegerRequestParser::lookback);
    if (start.isEmpty() && lookback.isPresent()) {
      Instant until = end.orElseGet(clock::instant);
      Instant from = until.minus(lookback.get());
      start = Optional.of(from.isBefore(Instant.EPOCH) ? Instant.EPOCH : from);
      end = Optional.of(until);
    }
    start.ifPresent(s -> cairn.put(SearchRequestParser.START, List.of(Long.toString(nanos(s)))));
    end.ifPresent(e -> cairn.put(SearchRequestParser.END, List.of(Long.toString(nanos(e)))));
    return cairn;
  }

  private static List<String> nonEmpty(Map<String, List<String>> parameters, String name) {
    return parameters.getOrDefault(name, List.of()).stream().filter(v -> !v.isEmpty()).toList();
  }

  private static void copy(
      Map<String, List<String>> from, String name, Map<String, List<String>> to, String as) {
    List<String> values = nonEmpty(from, name);
    if (!values.isEmpty()) {
      to.put(as, values);
    }
  }

  private static boolean raw(Map<String, List<String>> parameters) {
    return single(parameters, RAW).map(v -> bool(RAW, v)).orElse(false);
  }

  /** Jaeger reads an empty value as an absent one (the UI sends {@code minDuration=}). */
  private static Optional<String> single(Map<String, List<String>> parameters, String name) {
    return QueryParameters.single(parameters, name).filter(v -> !v.isEmpty());
  }

  private static long millisCount(String parameter, String text) {
    return count(parameter, text, "a count of milliseconds");
  }

  private static long count(String parameter, String text, String unit) {
    if (!DIGITS.matcher(text).matches()) {
      throw new InvalidParameterException(parameter, "must be " + unit + " (digits only)");
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new InvalidParameterException(parameter, unit + " must fit in a signed 64-bit integer");
    }
  }

  private static long nanos(Instant instant) {
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
  }

  /** A trace by id; {@code raw} skips read-time adjustments. */
  public record TraceRequest(TraceId traceId, boolean raw) {}

  /** A search by filters, or by trace ids when {@code traceIds} is not empty. */
  public record SearchRequest(Optional<TraceQuery> query, List<TraceId> traceIds, boolean raw) {}

  public record OperationsRequest(String service, Optional<SpanKind> kind) {}

  /** The window rounded out to whole minutes, as span metrics are kept. */
  public record DependenciesRequest(QueryParameters.Window window, Optional<String> service) {}
}
