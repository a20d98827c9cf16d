package dev.cairn.e2e;

import dev.cairn.model.Attribute;
import dev.cairn.model.AttributeValue;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the OpenTelemetry SDK exported, kept to compare with what Cairn gives back. */
final class SdkSpans implements SpanExporter {

  private final List<SpanData> exported = new CopyOnWriteArrayList<>();

  List<SpanData> exported() {
    return List.copyOf(exported);
  }

  /**
   * A tracer provider of one service that records every span it ends here, exporting nothing: tests
   * make spans with it, then export {@link #exported()} the way they test.
   */
  SdkTracerProvider recordingProvider(String service) {
    return SdkTracerProvider.builder()
        .setResource(serviceResource(service))
        .addSpanProcessor(SimpleSpanProcessor.create(this))
        .build();
  }

  /** The SDK's default resource with this {@code service.name}. */
  static Resource serviceResource(String service) {
    return Resource.getDefault()
        .merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), service)));
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    exported.addAll(spans);
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    return CompletableResultCode.ofSuccess();
  }

  /** The SDK's typed attributes as Cairn's model holds them (OTLP's AnyValue). */
  static List<Attribute> toModel(Attributes attributes) {
    List<Attribute> result = new ArrayList<>();
    attributes.forEach(
        (key, value) -> result.add(new Attribute(key.getKey(), toModel(key, value))));
    return result;
  }

  private static AttributeValue toModel(AttributeKey<?> key, Object value) {
    return switch (key.getType()) {
      case STRING -> new AttributeValue.StringValue((String) value);
      case BOOLEAN -> new AttributeValue.BoolValue((Boolean) value);
      case LONG -> new AttributeValue.IntValue((Long) value);
      case DOUBLE -> new AttributeValue.DoubleValue((Double) value);
      case STRING_ARRAY, BOOLEAN_ARRAY, LONG_ARRAY, DOUBLE_ARRAY ->
          new AttributeValue.ArrayValue(((List<?>) value).stream().map(SdkSpans::scalar).toList());
      default -> throw new IllegalArgumentException("attribute type " + key.getType());
    };
  }

  private static AttributeValue scalar(Object value) {
    if (value instanceof String text) {
      return new AttributeValue.StringValue(text);
    }
    if (value instanceof Boolean flag) {
      return new AttributeValue.BoolValue(flag);
    }
    if (value instanceof Long number) {
      return new AttributeValue.IntValue(number);
    }
    return new AttributeValue.DoubleValue((Double) value);
  }
}
