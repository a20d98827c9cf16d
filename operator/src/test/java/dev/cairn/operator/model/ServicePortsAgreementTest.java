package dev.cairn.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.wire.ServicePorts;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The ports the operator deploys with ({@link ServicePorts}, through {@link Component}) are the
 * services' own defaults: a properties file cannot name a Java constant, so the agreement is
 * checked here, where both are read.
 */
class ServicePortsAgreementTest {

  @ParameterizedTest
  @EnumSource(Component.class)
  void everyServiceListensOnItsSharedHttpPort(Component component) throws IOException {
    assertThat(properties(component).getProperty("quarkus.http.port"))
        .isEqualTo(Integer.toString(component.httpPort()));
  }

  @Test
  void theCollectorServesOtlpGrpcOnItsSharedPort() throws IOException {
    assertThat(properties(Component.COLLECTOR).getProperty("quarkus.grpc.server.port"))
        .isEqualTo(Integer.toString(ServicePorts.OTLP_GRPC));
  }

  static Properties properties(Component component) throws IOException {
    Path file = Path.of("..", component.imageName(), "src/main/resources/application.properties");
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      properties.load(in);
    }
    return properties;
  }
}
