package dev.cairn.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The CRD checked in under {@code k8s/} is the one the build generates from the Java types
 * (crd-generator-maven-plugin, at process-classes): a change to a spec type without the CRD, or the
 * other way round, fails here.
 */
class CrdDriftTest {
  static final String FILE = "tracingclusters.cairn.dev-v1.yml";
  static final Path GENERATED = Path.of("target/classes/META-INF/fabric8", FILE);
  static final Path CHECKED_IN = Path.of("../k8s/base/crd", FILE);

  @Test
  void checkedInCrdIsTheGeneratedOne() throws IOException {
    assertThat(GENERATED).as("the build generates the CRD").exists();
    assertThat(Files.readString(CHECKED_IN))
        .as(
            "k8s/base/crd/%s differs from the CRD generated from the Java types; after changing them,"
                + " run: mvn -pl operator -am process-classes && cp operator/%s k8s/base/crd/",
            FILE, GENERATED)
        .isEqualTo(Files.readString(GENERATED));
  }
}
