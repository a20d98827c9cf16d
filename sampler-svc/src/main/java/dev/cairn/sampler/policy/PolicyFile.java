package dev.cairn.sampler.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cairn.model.wire.RetentionClass;
import dev.cairn.sampler.Ticker;
import java.io.IOException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a policy file, YAML ({@code .yaml}, {@code .yml}) or JSON (any other name), into a {@link
 * PolicyChain}. Strict: an unknown field, a missing one, a value of the wrong type or a duration
 * without a unit is an error naming where it is, so that a typo never silently changes what is
 * kept. The format (docs/architecture.md has an example):
 *
 * <pre>
 * base-rate: 0.01             # optional; else cairn.sampler.base-rate
 * policies:                   # in order, the first that matches decides
 *   - type: error             # name: defaults to the type; it is the recorded reason
 *   - type: latency           # threshold / services / operations (at least one)
 *     threshold: 2s
 *     services: {checkout: 500ms}
 *     operations: [{service: checkout, operation: POST /api/orders, threshold: 300ms}]
 *   - type: attribute         # key, and one of equals / regex / min+max / bool
 *     name: vip
 *     key: user.tier
 *     equals: [gold, platinum]
 *     retention: extended     # standard (default) or extended
 *   - type: debug             # attributes: default [cairn.debug]
 *   - type: probabilistic     # services / operations: rates of the traces they start
 *     services: {frontend: 0.1}
 *   - type: rate-limit        # services: traces per second
 *     services: {batch-jobs: 5}
 * </pre>
 */
public final class PolicyFile {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final Ticker ticker;
  private final Set<String> names = new HashSet<>();

  private PolicyFile(Ticker ticker) {
    this.ticker = ticker;
  }

  /**
   * @param fileName decides the format by its extension
   * @param defaultBaseRate used when the file sets no {@code base-rate}
   * @throws PolicyFileException when the content is not a valid policy file
   */
  public static PolicyChain parse(
      String fileName, byte[] content, double defaultBaseRate, Ticker ticker) {
    String lower = fileName.toLowerCase(Locale.ROOT);
    ObjectMapper mapper = lower.endsWith(".yaml") || lower.endsWith(".yml") ? YAML : JSON;
    JsonNode root;
    try {
      root = mapper.readTree(content);
    } catch (JsonProcessingException e) {
      throw new PolicyFileException(
          fileName
              + ": not valid "
              + (mapper == YAML ? "YAML" : "JSON")
              + ": "
              + e.getOriginalMessage(),
          e);
    } catch (IOException e) {
      throw new PolicyFileException(fileName + ": unreadable: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new PolicyFileException(fileName + ": must be an object with a 'policies' list");
    }
    return new PolicyFile(ticker).chain(new Node(fileName, root), defaultBaseRate);
  }

  private PolicyChain chain(Node root, double defaultBaseRate) {
    root.allowOnly("base-rate", "policies");
    double baseRate = root.has("base-rate") ? root.field("base-rate").rate() : defaultBaseRate;
    List<TracePolicy> policies = new ArrayList<>();
    for (Node policy : root.field("policies").list()) {
      policies.add(policy(policy));
    }
    return new PolicyChain(policies, new BaseRatePolicy(baseRate));
  }

  private TracePolicy policy(Node node) {
    String type = node.field("type").text();
    String name = node.has("name") ? node.field("name").text() : type.replace('-', '_');
    if (!NAME.matcher(name).matches()) {
      throw node.field(node.has("name") ? "name" : "type")
          .invalid("a name of 1 to 64 letters, digits, '_', '.' or '-'");
    }
    if (name.equals(BaseRatePolicy.REASON) || !names.add(name)) {
      throw node.invalid("a unique name ('" + name + "' is taken)");
    }
    switch (type) {
      case "error" -> {
        node.allowOnly("type", "name");
        return new ErrorPolicy(name);
      }
      case "latency" -> {
        node.allowOnly("type", "name", "threshold", "services", "operations");
        Duration global = node.has("threshold") ? node.field("threshold").duration() : null;
        Map<String, Duration> services =
            node.has("services") ? node.field("services").map(Node::duration) : Map.of();
        Map<OperationKey, Duration> operations =
            node.has("operations")
                ? operations(node.field("operations"), "threshold", Node::duration)
                : Map.of();
        if (global == null && services.isEmpty() && operations.isEmpty()) {
          throw node.invalid("a threshold, services or operations");
        }
        return new LatencyPolicy(name, global, services, operations);
      }
      case "attribute" -> {
        node.allowOnly("type", "name", "key", "equals", "regex", "min", "max", "bool", "retention");
        String key = node.field("key").text();
        RetentionClass retention =
            node.has("retention") ? node.field("retention").retention() : RetentionClass.STANDARD;
        return new AttributePolicy(name, key, condition(node), retention);
      }
      case "debug" -> {
        node.allowOnly("type", "name", "attributes");
        Set<String> keys = new HashSet<>();
        if (node.has("attributes")) {
          for (Node attribute : node.field("attributes").list()) {
            keys.add(attribute.text());
          }
        } else {
          keys.add(DebugPolicy.DEFAULT_ATTRIBUTE);
        }
        return new DebugPolicy(name, keys);
      }
      case "probabilistic" -> {
        node.allowOnly("type", "name", "services", "operations");
        Map<String, Double> services =
            node.has("services") ? node.field("services").map(Node::rate) : Map.of();
        Map<OperationKey, Double> operations =
            node.has("operations")
                ? operations(node.field("operations"), "rate", Node::rate)
                : Map.of();
        if (services.isEmpty() && operations.isEmpty()) {
          throw node.invalid("services or operations with their rates");
        }
        return new RatePolicy(name, services, operations);
      }
      case "rate-limit" -> {
        node.allowOnly("type", "name", "services");
        Map<String, Double> limits = node.field("services").map(Node::perSecond);
        if (limits.isEmpty()) {
          throw node.field("services").invalid("at least one service with its traces per second");
        }
        return new RateLimitPolicy(name, limits, ticker);
      }
      default ->
          throw node.field("type")
              .invalid("one of error, latency, attribute, debug, probabilistic, rate-limit");
    }
  }

  private static AttributeCondition condition(Node node) {
    List<String> given = new ArrayList<>();
    for (String field : List.of("equals", "regex", "bool")) {
      if (node.has(field)) {
        given.add(field);
      }
    }
    if (node.has("min") || node.has("max")) {
      given.add("min/max");
    }
    if (given.size() != 1) {
      throw node.invalid("exactly one of equals, regex, min/max, bool (got " + given + ")");
    }
    return switch (given.get(0)) {
      case "equals" -> {
        Node equals = node.field("equals");
        Set<String> values = new HashSet<>();
        if (equals.json.isArray()) {
          equals.list().forEach(value -> values.add(value.text()));
        } else {
          values.add(equals.text());
        }
        yield new AttributeCondition.OneOf(values);
      }
      case "regex" -> {
        Node regex = node.field("regex");
        try {
          yield new AttributeCondition.Regex(Pattern.compile(regex.text()));
        } catch (PatternSyntaxException e) {
          throw regex.invalid("a regular expression (" + e.getDescription() + ")");
        }
      }
      case "bool" -> {
        Node bool = node.field("bool");
        if (!bool.json.isBoolean()) {
          throw bool.invalid("true or false");
        }
        yield new AttributeCondition.Bool(bool.json.booleanValue());
      }
      default -> {
        double min = node.has("min") ? node.field("min").number() : Double.NEGATIVE_INFINITY;
        double max = node.has("max") ? node.field("max").number() : Double.POSITIVE_INFINITY;
        if (min > max) {
          throw node.invalid("min <= max");
        }
        yield new AttributeCondition.Range(min, max);
      }
    };
  }

  private static <V> Map<OperationKey, V> operations(
      Node list, String valueField, Function<Node, V> value) {
    Map<OperationKey, V> out = new LinkedHashMap<>();
    for (Node operation : list.list()) {
      operation.allowOnly("service", "operation", valueField);
      out.put(
          new OperationKey(operation.field("service").text(), operation.field("operation").text()),
          value.apply(operation.field(valueField)));
    }
    return out;
  }

  /** A JSON node with its path in the file, for messages. */
  private record Node(String path, JsonNode json) {

    boolean has(String field) {
      return json.has(field) && !json.get(field).isNull();
    }

    Node field(String field) {
      if (!has(field)) {
        throw new PolicyFileException(path + ": missing '" + field + "'");
      }
      return new Node(path + "." + field, json.get(field));
    }

    void allowOnly(String... fields) {
      Set<String> allowed = Set.of(fields);
      for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
        String field = it.next();
        if (!allowed.contains(field)) {
          throw new PolicyFileException(
              path
                  + ": unknown field '"
                  + field
                  + "' (allowed: "
                  + String.join(", ", fields)
                  + ")");
        }
      }
    }

    List<Node> list() {
      if (!json.isArray()) {
        throw invalid("a list");
      }
      List<Node> out = new ArrayList<>();
      for (int i = 0; i < json.size(); i++) {
        out.add(new Node(path + "[" + i + "]", json.get(i)));
      }
      return out;
    }

    <V> Map<String, V> map(Function<Node, V> value) {
      if (!json.isObject()) {
        throw invalid("an object of service names to values");
      }
      Map<String, V> out = new LinkedHashMap<>();
      json.fieldNames()
          .forEachRemaining(
              key -> out.put(key, value.apply(new Node(path + "." + key, json.get(key)))));
      return out;
    }

    String text() {
      if (!json.isTextual() || json.textValue().isEmpty()) {
        throw invalid("a non-empty string");
      }
      return json.textValue();
    }

    double number() {
      if (!json.isNumber()) {
        throw invalid("a number");
      }
      return json.doubleValue();
    }

    double rate() {
      double rate = number();
      if (!(rate >= 0 && rate <= 1)) {
        throw invalid("a rate in [0, 1]");
      }
      return rate;
    }

    double perSecond() {
      double rate = number();
      if (!(rate > 0) || Double.isInfinite(rate)) {
        throw invalid("a positive number of traces per second");
      }
      return rate;
    }

    Duration duration() {
      String text = json.isTextual() ? json.textValue().trim() : "";
      Matcher matcher = DURATION.matcher(text);
      if (matcher.matches()) {
        double amount = Double.parseDouble(matcher.group(1));
        long unitNanos =
            switch (matcher.group(2)) {
              case "ms" -> 1_000_000L;
              case "s" -> 1_000_000_000L;
              case "m" -> 60_000_000_000L;
              default -> 3_600_000_000_000L;
            };
        return Duration.ofNanos(Math.round(amount * unitNanos));
      }
      try {
        return Duration.parse(text);
      } catch (DateTimeParseException e) {
        throw invalid("a duration with a unit, e.g. 500ms, 2s, 1m or PT2S");
      }
    }

    RetentionClass retention() {
      return switch (text()) {
        case "standard" -> RetentionClass.STANDARD;
        case "extended" -> RetentionClass.EXTENDED;
        default -> throw invalid("standard or extended");
      };
    }

    PolicyFileException invalid(String expected) {
      return new PolicyFileException(path + ": expected " + expected + ", got " + json);
    }
  }
}
