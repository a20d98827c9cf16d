package dev.cairn.selftracing;

import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The one setting that makes a Cairn service trace itself: {@code CAIRN_SELF_TRACING_ENDPOINT} (or
 * {@code -Dcairn.self-tracing.endpoint}), the OTLP/gRPC endpoint that receives Cairn's own spans,
 * e.g. another Cairn's collector, or this one's. Unset, the OpenTelemetry SDK stays disabled. Set,
 * this source turns it on, points the trace exporter there and marks every span's resource with
 * {@code cairn.self=true}, which {@link SelfTelemetry} uses to keep Cairn's own spans from being
 * traced again while Cairn processes them.
 *
 * <p>Ordinal {@value #ORDINAL}, below a service's application.properties (250): a service may
 * refine these there, and environment variables and system properties of {@code quarkus.otel.*}
 * override them as usual.
 */
public final class SelfTracingConfigSource implements ConfigSource {

  public static final String ENDPOINT_PROPERTY = "cairn.self-tracing.endpoint";
  public static final String ENDPOINT_ENV = "CAIRN_SELF_TRACING_ENDPOINT";
  static final int ORDINAL = 200;

  private final Map<String, String> properties;

  public SelfTracingConfigSource() {
    this(System.getProperty(ENDPOINT_PROPERTY), System.getenv(ENDPOINT_ENV));
  }

  SelfTracingConfigSource(String systemProperty, String environment) {
    this.properties = derive(firstSet(systemProperty, environment));
  }

  private static Map<String, String> derive(String endpoint) {
    if (endpoint == null) {
      return Map.of("quarkus.otel.sdk.disabled", "true");
    }
    return Map.of(
        "quarkus.otel.sdk.disabled",
        "false",
        "quarkus.otel.exporter.otlp.traces.endpoint",
        endpoint,
        "quarkus.otel.resource.attributes",
        SelfTelemetry.RESOURCE_ATTRIBUTE + "=true");
  }

  private static String firstSet(String... values) {
    for (String value : values) {
      if (value != null && !value.isBlank()) {
        return value.trim();
      }
    }
    return null;
  }

  @Override
  public Set<String> getPropertyNames() {
    return properties.keySet();
  }

  @Override
  public String getValue(String propertyName) {
    return properties.get(propertyName);
  }

  @Override
  public String getName() {
    return "cairn-self-tracing";
  }

  @Override
  public int getOrdinal() {
    return ORDINAL;
  }
}
