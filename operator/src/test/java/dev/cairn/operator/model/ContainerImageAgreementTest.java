package dev.cairn.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.operator.api.Defaults;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The images the services' builds name ({@code quarkus.container-image.*}) are the ones the
 * operator deploys by default ({@link Defaults}, {@link Component#imageName()}), and the operator's
 * own is the one {@code k8s/base} deploys.
 */
class ContainerImageAgreementTest {

  @ParameterizedTest
  @EnumSource(Component.class)
  void everyServiceBuildsTheImageTheOperatorDeploysByDefault(Component component)
      throws IOException {
    Properties properties = ServicePortsAgreementTest.properties(component);
    assertThat(image(properties))
        .isEqualTo(
            Defaults.IMAGE_REPOSITORY + "/" + component.imageName() + ":" + Defaults.IMAGE_TAG);
  }

  @Test
  void theOperatorBuildsTheImageItsKustomizeBaseDeploys() throws IOException {
    Properties properties = new Properties();
    try (Reader in =
        Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
      properties.load(in);
    }
    String kustomization = Files.readString(Path.of("..", "k8s/base/kustomization.yaml"));
    assertThat(kustomization)
        .containsPattern(
            "- name: "
                + properties.getProperty("quarkus.container-image.group")
                + "/"
                + properties.getProperty("quarkus.container-image.name")
                + "\\s+newTag: "
                + properties.getProperty("quarkus.container-image.tag").replace(".", "\\.")
                + "\\s");
  }

  private static String image(Properties properties) {
    return properties.getProperty("quarkus.container-image.group")
        + "/"
        + properties.getProperty("quarkus.container-image.name")
        + ":"
        + properties.getProperty("quarkus.container-image.tag");
  }
}
