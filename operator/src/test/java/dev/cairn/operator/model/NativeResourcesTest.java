package dev.cairn.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every resource the operator reads from its classpath is registered for the native image ({@code
 * quarkus.native.resources.includes}): the points-to analysis does not see a resource missing, the
 * native operator would fail on its first reconcile.
 */
class NativeResourcesTest {
  private static final Path RESOURCES = Path.of("src/main/resources");

  @Test
  void everyClasspathResourceIsInTheNativeImage() throws IOException {
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(RESOURCES.resolve("application.properties"))) {
      properties.load(in);
    }
    String includes = properties.getProperty("quarkus.native.resources.includes", "");
    List<PathMatcher> globs =
        Arrays.stream(includes.split(","))
            .map(String::strip)
            .filter(glob -> !glob.isEmpty())
            .map(glob -> FileSystems.getDefault().getPathMatcher("glob:" + glob))
            .toList();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(RESOURCES)) {
      // application.properties is Quarkus's own, built into the image as configuration
      files =
          walk.filter(Files::isRegularFile)
              .map(RESOURCES::relativize)
              .filter(file -> !file.toString().equals("application.properties"))
              .toList();
    }

    assertThat(files).isNotEmpty();
    assertThat(files)
        .allSatisfy(
            file -> assertThat(globs).as(file.toString()).anyMatch(glob -> glob.matches(file)));
  }
}
