package dev.cairn.collector.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * In agent role the receivers listen on 127.0.0.1 only: a sidecar serves the application in its own
 * pod, and nothing else should be able to write spans as that application. Ordinal {@value
 * #ORDINAL}, below application.properties (250), environment variables and system properties, so
 * {@code quarkus.http.host}, {@code quarkus.grpc.server.host} and {@code
 * cairn.collector.zipkin.host} set anywhere win.
 */
public final class AgentRoleConfigSourceFactory implements ConfigSourceFactory {

  static final int ORDINAL = 200;
  static final String LOOPBACK = "127.0.0.1";

  @Override
  public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
    ConfigValue role = context.getValue("cairn.collector.role");
    if (role == null
        || role.getValue() == null
        || !role.getValue().strip().equalsIgnoreCase("agent")) {
      return List.of();
    }
    return List.of(
        new PropertiesConfigSource(
            Map.of(
                "quarkus.http.host", LOOPBACK,
                "quarkus.grpc.server.host", LOOPBACK,
                "cairn.collector.zipkin.host", LOOPBACK),
            "cairn-agent-role-defaults",
            ORDINAL));
  }

  @Override
  public OptionalInt getPriority() {
    return OptionalInt.of(ORDINAL);
  }
}
