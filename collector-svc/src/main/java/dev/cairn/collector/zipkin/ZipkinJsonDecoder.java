package dev.cairn.collector.zipkin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.cairn.collector.zipkin.ZipkinSpan.Annotation;
import dev.cairn.collector.zipkin.ZipkinSpan.Endpoint;
import dev.cairn.collector.zipkin.ZipkinSpan.Kind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads Zipkin v2 JSON ({@code [ {span}, ... ]}, the zipkin-api OpenAPI model) in one streaming
 * pass. Structure and value types are checked strictly (a wrong type refuses the request, as Zipkin
 * does); ids are not, so that one span with a bad id is rejected alone later on. Names and service
 * names keep their case: Zipkin's own Java model lowercases them, which would lose what other
 * clients sent. Unknown fields are skipped and {@code null} counts as absent.
 */
final class ZipkinJsonDecoder {

  private static final JsonFactory JSON = JsonFactory.builder().build();

  private ZipkinJsonDecoder() {}

  static List<ZipkinSpan> decode(byte[] body) throws IOException, ZipkinFormatException {
    try (JsonParser parser = JSON.createParser(body)) {
      return decode(parser);
    }
  }

  static List<ZipkinSpan> decode(String body) throws IOException, ZipkinFormatException {
    try (JsonParser parser = JSON.createParser(body)) {
      return decode(parser);
    }
  }

  private static List<ZipkinSpan> decode(JsonParser parser)
      throws IOException, ZipkinFormatException {
    if (parser.nextToken() != JsonToken.START_ARRAY) {
      throw error(parser, "expected a JSON array of spans");
    }
    List<ZipkinSpan> spans = new ArrayList<>();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      expect(parser, JsonToken.START_OBJECT, "a span object");
      spans.add(span(parser));
    }
    if (parser.nextToken() != null) {
      throw error(parser, "unexpected content after the array of spans");
    }
    return spans;
  }

  private static ZipkinSpan span(JsonParser parser) throws IOException, ZipkinFormatException {
    String traceId = "";
    String parentId = "";
    String id = "";
    Kind kind = Kind.ABSENT;
    String name = "";
    long timestamp = 0;
    long duration = 0;
    Endpoint local = Endpoint.ABSENT;
    Endpoint remote = Endpoint.ABSENT;
    List<Annotation> annotations = List.of();
    Map<String, String> tags = Map.of();
    boolean debug = false;
    boolean shared = false;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      if (value == JsonToken.VALUE_NULL) {
        continue;
      }
      switch (field) {
        case "traceId" -> traceId = text(parser, field);
        case "parentId" -> parentId = text(parser, field);
        case "id" -> id = text(parser, field);
        case "kind" -> kind = kind(text(parser, field));
        case "name" -> name = text(parser, field);
        case "timestamp" -> timestamp = Math.max(0, number(parser, field));
        case "duration" -> duration = Math.max(0, number(parser, field));
        case "localEndpoint" -> local = endpoint(parser, field);
        case "remoteEndpoint" -> remote = endpoint(parser, field);
        case "annotations" -> annotations = annotations(parser);
        case "tags" -> tags = tags(parser);
        case "debug" -> debug = bool(parser, field);
        case "shared" -> shared = bool(parser, field);
        default -> parser.skipChildren();
      }
    }
    return new ZipkinSpan(
        ZipkinIds.traceIdFromHex(traceId),
        ZipkinIds.parentIdFromHex(parentId),
        ZipkinIds.spanIdFromHex(id),
        kind,
        name,
        timestamp,
        duration,
        local,
        remote,
        annotations,
        tags,
        debug,
        shared);
  }

  private static Kind kind(String text) {
    return switch (text) {
      case "CLIENT" -> Kind.CLIENT;
      case "SERVER" -> Kind.SERVER;
      case "PRODUCER" -> Kind.PRODUCER;
      case "CONSUMER" -> Kind.CONSUMER;
      default -> Kind.UNKNOWN;
    };
  }

  private static Endpoint endpoint(JsonParser parser, String owner)
      throws IOException, ZipkinFormatException {
    expect(parser, JsonToken.START_OBJECT, owner + " object");
    String serviceName = "";
    String ipv4 = "";
    String ipv6 = "";
    long port = 0;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      if (parser.nextToken() == JsonToken.VALUE_NULL) {
        continue;
      }
      switch (field) {
        case "serviceName" -> serviceName = text(parser, owner + ".serviceName");
        case "ipv4" -> ipv4 = text(parser, owner + ".ipv4");
        case "ipv6" -> ipv6 = text(parser, owner + ".ipv6");
        case "port" -> port = number(parser, owner + ".port");
        default -> parser.skipChildren();
      }
    }
    // Zipkin ignores ports outside 1..65535 too.
    int validPort = port > 0 && port <= 0xffff ? (int) port : 0;
    return new Endpoint(serviceName, ipv4, ipv6, validPort);
  }

  private static List<Annotation> annotations(JsonParser parser)
      throws IOException, ZipkinFormatException {
    expect(parser, JsonToken.START_ARRAY, "annotations array");
    List<Annotation> annotations = new ArrayList<>();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      expect(parser, JsonToken.START_OBJECT, "annotation object");
      long timestamp = 0;
      String value = "";
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        if (parser.nextToken() == JsonToken.VALUE_NULL) {
          continue;
        }
        switch (field) {
          case "timestamp" -> timestamp = Math.max(0, number(parser, "annotation.timestamp"));
          case "value" -> value = text(parser, "annotation.value");
          default -> parser.skipChildren();
        }
      }
      annotations.add(new Annotation(timestamp, value));
    }
    return annotations;
  }

  /** Tag values are strings in Zipkin; numbers and booleans are taken as their text. */
  private static Map<String, String> tags(JsonParser parser)
      throws IOException, ZipkinFormatException {
    expect(parser, JsonToken.START_OBJECT, "tags object");
    Map<String, String> tags = new LinkedHashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      JsonToken value = parser.nextToken();
      if (value == JsonToken.VALUE_NULL) {
        continue;
      }
      if (!value.isScalarValue()) {
        throw error(parser, "tag " + key + ": expected a string");
      }
      tags.put(key, parser.getText());
    }
    return tags;
  }

  private static String text(JsonParser parser, String field)
      throws IOException, ZipkinFormatException {
    if (parser.currentToken() != JsonToken.VALUE_STRING) {
      throw error(parser, field + ": expected a string");
    }
    return parser.getText();
  }

  private static long number(JsonParser parser, String field)
      throws IOException, ZipkinFormatException {
    if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT
        || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      throw error(parser, field + ": expected an integer of at most 64 bits");
    }
    return parser.getLongValue();
  }

  private static boolean bool(JsonParser parser, String field)
      throws IOException, ZipkinFormatException {
    JsonToken token = parser.currentToken();
    if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
      throw error(parser, field + ": expected true or false");
    }
    return token == JsonToken.VALUE_TRUE;
  }

  private static void expect(JsonParser parser, JsonToken token, String what)
      throws ZipkinFormatException {
    if (parser.currentToken() != token) {
      throw error(parser, "expected " + what);
    }
  }

  private static ZipkinFormatException error(JsonParser parser, String message) {
    JsonLocation at = parser.currentTokenLocation();
    return new ZipkinFormatException(
        message + " at line " + at.getLineNr() + ", column " + at.getColumnNr());
  }
}
