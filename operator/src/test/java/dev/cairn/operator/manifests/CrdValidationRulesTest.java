package dev.cairn.operator.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The CRD's CEL rules ({@code x-kubernetes-validations}), compiled and evaluated as an API server
 * would: at the schema node that carries them, with {@code self} the value there. Every rule
 * compiles, the example passes them all, and each broken copy of it fails the rule meant for it.
 */
class CrdValidationRulesTest {
  static final YAMLMapper YAML = new YAMLMapper();
  static final CelCompiler COMPILER =
      CelCompilerFactory.standardCelCompilerBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("self", SimpleType.DYN)
          .build();
  static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

  static JsonNode schema;

  @BeforeAll
  static void readCrd() throws IOException {
    JsonNode crd =
        YAML.readTree(
            Files.readString(
                ManifestsTest.K8S.resolve("base/crd/tracingclusters.cairn.dev-v1.yml")));
    schema = crd.at("/spec/versions/0/schema/openAPIV3Schema");
  }

  @Test
  void everyRuleCompilesAndTheExamplePassesThemAll() throws Exception {
    List<String> rules = new ArrayList<>();
    collectRules(schema, rules);
    assertThat(rules).hasSizeGreaterThanOrEqualTo(8);
    for (String rule : rules) {
      COMPILER.compile(rule).getAst();
    }

    assertThat(violations(example())).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "/spec/regions/1/name | \"eu-west\" | region names must be unique",
        "/spec/regions/0/collector/autoscaling/minReplicas | 12 | minReplicas must not exceed maxReplicas",
        "/spec/kafka/minInSyncReplicas | 4 | minInSyncReplicas must not exceed replicationFactor",
        "/spec/retention/extendedDays | 3 | extendedDays must be at least standardDays",
        "/spec/sampling/policies/1 | {\"name\":\"slow\",\"type\":\"latency\"} | a latency policy needs thresholdMs",
        "/spec/sampling/policies/2 | {\"name\":\"p\",\"type\":\"probabilistic\"} | a probabilistic policy needs rate",
        "/spec/sampling/policies/0 | {\"name\":\"r\",\"type\":\"rateLimit\"} | a rateLimit policy needs tracesPerSecond",
        "/spec/sampling/policies/0 | {\"name\":\"a\",\"type\":\"attribute\"} | an attribute policy needs attribute",
        "/spec/sampling/policies/0 | {\"name\":\"a\",\"type\":\"attribute\",\"attribute\":{\"key\":\"k\",\"value\":\"v\",\"regex\":\"v.*\"}} | give exactly one of value, regex, min/max or bool",
      })
  void aBrokenExampleFailsItsRule(String pointer, String json, String message) throws Exception {
    JsonNode example = example();
    String parent = pointer.substring(0, pointer.lastIndexOf('/'));
    String field = pointer.substring(pointer.lastIndexOf('/') + 1);
    JsonNode container = example.at(parent);
    JsonNode value = YAML.readTree(json);
    if (container instanceof ArrayNode array) {
      array.set(Integer.parseInt(field), value);
    } else {
      ((ObjectNode) container).set(field, value);
    }

    assertThat(violations(example)).containsExactly(message);
  }

  private static JsonNode example() throws IOException {
    return YAML.readTree(Files.readString(ManifestsTest.K8S.resolve("examples/two-regions.yaml")));
  }

  /** The messages of the rules the document breaks. */
  private static List<String> violations(JsonNode document) throws Exception {
    List<String> broken = new ArrayList<>();
    check(schema, document, broken);
    return broken;
  }

  private static void check(JsonNode schemaNode, JsonNode value, List<String> broken)
      throws CelValidationException, CelEvaluationException {
    if (value == null || value.isMissingNode() || value.isNull()) {
      return;
    }
    for (JsonNode rule : schemaNode.path("x-kubernetes-validations")) {
      var program = RUNTIME.createProgram(COMPILER.compile(rule.path("rule").asText()).getAst());
      if (!Boolean.TRUE.equals(program.eval(Map.of("self", toCel(value))))) {
        broken.add(rule.path("message").asText());
      }
    }
    if (value.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> properties = schemaNode.path("properties").fields();
      while (properties.hasNext()) {
        Map.Entry<String, JsonNode> property = properties.next();
        check(property.getValue(), value.get(property.getKey()), broken);
      }
    } else if (value.isArray() && schemaNode.has("items")) {
      for (JsonNode item : value) {
        check(schemaNode.get("items"), item, broken);
      }
    }
  }

  private static void collectRules(JsonNode schemaNode, List<String> rules) {
    schemaNode.path("x-kubernetes-validations").forEach(r -> rules.add(r.path("rule").asText()));
    schemaNode.path("properties").forEach(p -> collectRules(p, rules));
    if (schemaNode.has("items")) {
      collectRules(schemaNode.get("items"), rules);
    }
  }

  /** JSON as CEL sees it: maps, lists, int64, double, string, bool. */
  private static Object toCel(JsonNode node) {
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      node.fields().forEachRemaining(e -> map.put(e.getKey(), toCel(e.getValue())));
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(item -> list.add(toCel(item)));
      return list;
    }
    if (node.isIntegralNumber()) {
      return node.asLong();
    }
    if (node.isNumber()) {
      return node.asDouble();
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    return node.asText();
  }
}
