package dev.cairn.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.operator.api.Defaults;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The images the services' builds name ({@code quarkus.container-image.*}, set by the {@code
 * container-image} profile of each pom) are the ones the operator deploys by default ({@link
 * Defaults}, {@link Component#imageName()}), and the operator's own is the one {@code k8s/base}
 * deploys.
 */
class ContainerImageAgreementTest {

  @ParameterizedTest
  @EnumSource(Component.class)
  void everyServiceBuildsTheImageTheOperatorDeploysByDefault(Component component) throws Exception {
    assertThat(image(Path.of("..", component.imageName())))
        .isEqualTo(
            Defaults.IMAGE_REPOSITORY + "/" + component.imageName() + ":" + Defaults.IMAGE_TAG);
  }

  @Test
  void theOperatorBuildsTheImageItsKustomizeBaseDeploys() throws Exception {
    Map<String, String> keys = containerImageProfile(Path.of("."));
    String kustomization = Files.readString(Path.of("..", "k8s/base/kustomization.yaml"));
    assertThat(kustomization)
        .containsPattern(
            "- name: "
                + keys.get("quarkus.container-image.group")
                + "/"
                + keys.get("quarkus.container-image.name")
                + "\\s+newTag: "
                + keys.get("quarkus.container-image.tag").replace(".", "\\.")
                + "\\s");
  }

  /**
   * The keys stay out of application.properties: without the container-image extension (every build
   * but {@code -Pcontainer-image}) Quarkus warns at start-up about each unrecognised key.
   */
  @ParameterizedTest
  @EnumSource(Component.class)
  void noServiceConfiguresItsImageWhereTheExtensionIsAbsent(Component component)
      throws IOException {
    Properties properties = ServicePortsAgreementTest.properties(component);
    assertThat(properties.stringPropertyNames())
        .noneMatch(key -> key.contains("quarkus.container-image."));
  }

  private static String image(Path module) throws Exception {
    Map<String, String> keys = containerImageProfile(module);
    return keys.get("quarkus.container-image.group")
        + "/"
        + keys.get("quarkus.container-image.name")
        + ":"
        + keys.get("quarkus.container-image.tag");
  }

  /** The properties of the module pom's {@code container-image} profile. */
  private static Map<String, String> containerImageProfile(Path module) throws Exception {
    Element project =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(module.resolve("pom.xml").toFile())
            .getDocumentElement();
    NodeList profiles = project.getElementsByTagName("profile");
    for (int i = 0; i < profiles.getLength(); i++) {
      Element profile = (Element) profiles.item(i);
      if (!"container-image".equals(child(profile, "id").getTextContent().trim())) {
        continue;
      }
      Map<String, String> keys = new HashMap<>();
      NodeList properties = child(profile, "properties").getChildNodes();
      for (int j = 0; j < properties.getLength(); j++) {
        Node property = properties.item(j);
        if (property instanceof Element) {
          keys.put(property.getNodeName(), property.getTextContent().trim());
        }
      }
      assertThat(keys).containsEntry("quarkus.container-image.build", "true");
      return keys;
    }
    throw new AssertionError(module + "/pom.xml has no container-image profile");
  }

  private static Element child(Element parent, String name) {
    for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element element && element.getNodeName().equals(name)) {
        return element;
      }
    }
    throw new AssertionError("no <" + name + "> in <" + parent.getNodeName() + ">");
  }
}
