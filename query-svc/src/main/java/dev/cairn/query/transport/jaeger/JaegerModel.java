package dev.cairn.query.transport.jaeger;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The JSON shapes of Jaeger's query API, field for field as Jaeger writes them: its UI model
 * ({@code internal/uimodel/model.go}) and the envelope of its HTTP handler ({@code
 * structuredResponse}, {@code structuredError}). Records serialise their components in declaration
 * order, which is Jaeger's order; {@code null} lists are written as {@code null}, as Go writes a
 * nil slice (Jaeger UI and Grafana read both).
 */
public final class JaegerModel {

  private JaegerModel() {}

  /** Every answer: {@code data} plus counters Jaeger fills only for services and operations. */
  public record Response<T>(T data, int total, int limit, int offset, List<Error> errors) {

    public static <T> Response<T> of(T data) {
      return new Response<>(data, 0, 0, 0, null);
    }

    public static <T> Response<List<T>> counted(List<T> data) {
      return new Response<>(data, data.size(), 0, 0, null);
    }

    /** A list with what stopped it from being whole ({@code errors} null when nothing did). */
    public static <T> Response<List<T>> counted(List<T> data, List<Error> errors) {
      return new Response<>(data, data.size(), 0, 0, errors);
    }

    public static Response<Void> failure(int status, String message) {
      return new Response<>(null, 0, 0, 0, List.of(new Error(status, message, null)));
    }
  }

  /** {@code code} and {@code traceID} are left out when absent, as Go's omitempty does. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Error(Integer code, String msg, String traceID) {}

  public record Trace(
      String traceID, List<Span> spans, Map<String, Process> processes, List<String> warnings) {}

  public record Span(
      String traceID,
      String spanID,
      String operationName,
      List<Reference> references,
      long startTime,
      long duration,
      List<KeyValue> tags,
      List<Log> logs,
      String processID,
      List<String> warnings) {}

  public record Reference(String refType, String traceID, String spanID) {}

  public record Process(String serviceName, List<KeyValue> tags) {}

  public record Log(long timestamp, List<KeyValue> fields) {}

  /** {@code value} is a String, Boolean, Long or Double, matching {@code type}. */
  public record KeyValue(String key, String type, Object value) {}

  public record Operation(String name, String spanKind) {}

  public record DependencyLink(String parent, String child, long callCount) {}
}
