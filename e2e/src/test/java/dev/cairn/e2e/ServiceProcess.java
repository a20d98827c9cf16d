package dev.cairn.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Cairn service running as its own JVM from its packaged Quarkus app, as {@code ./cairn up}
 * runs it, so that a test can kill and restart it like an operator would.
 */
final class ServiceProcess implements AutoCloseable {

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String module;
  private final int httpPort;
  private final Map<String, String> properties;
  private final Path log;
  private Process process;

  private ServiceProcess(String module, int httpPort, Map<String, String> properties, Path log) {
    this.module = module;
    this.httpPort = httpPort;
    this.properties = Map.copyOf(properties);
    this.log = log;
  }

  /** Starts the module's app with the given config properties and waits until it is ready. */
  static ServiceProcess start(String module, int httpPort, Map<String, String> properties)
      throws IOException, InterruptedException {
    return start(module, module, httpPort, properties);
  }

  /** Likewise, logging to {@code <logName>.log} (e.g. a second replica of a module). */
  static ServiceProcess start(
      String module, String logName, int httpPort, Map<String, String> properties)
      throws IOException, InterruptedException {
    Path logDir = repositoryRoot().resolve("e2e/target/service-logs");
    Files.createDirectories(logDir);
    ServiceProcess service =
        new ServiceProcess(module, httpPort, properties, logDir.resolve(logName + ".log"));
    service.launch();
    return service;
  }

  static Path repositoryRoot() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    return Files.exists(dir.resolve("e2e")) ? dir : dir.getParent();
  }

  int httpPort() {
    return httpPort;
  }

  /**
   * Sends the JVM a signal ({@code STOP} freezes it: connections are still accepted, nothing is
   * answered, as a hung host; {@code CONT} lets it run on).
   */
  void signal(String name) throws IOException, InterruptedException {
    if (!process.isAlive()) {
      return;
    }
    Process kill =
        // The shell's builtin kill: no procps needed on a minimal machine.
        new ProcessBuilder("sh", "-c", "kill -" + name + " " + process.pid())
            .redirectErrorStream(true)
            .start();
    if (kill.waitFor() != 0) {
      throw new IllegalStateException(
          "kill -"
              + name
              + " "
              + process.pid()
              + ": "
              + new String(kill.getInputStream().readAllBytes()));
    }
  }

  /** Kills the JVM without letting it shut down cleanly, as a crash or an OOM kill would. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  void restart() throws IOException, InterruptedException {
    if (process.isAlive()) {
      kill();
    }
    launch();
  }

  private void launch() throws IOException, InterruptedException {
    Path jar = repositoryRoot().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: package the module first");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-Dquarkus.http.port=" + httpPort);
    properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.add("-jar");
    command.add(jar.toString());
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    awaitReady();
  }

  /** Waits until the service answers ready, as after a start; fails if it exits meanwhile. */
  void awaitReady() throws InterruptedException, IOException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    URI ready = URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready");
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(module + " exited at start; log: " + tail());
      }
      try {
        HttpResponse<Void> response =
            HTTP.send(
                HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException notYetListening) {
        // keep polling until the deadline
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(module + " not ready in " + READY_TIMEOUT + "; log: " + tail());
  }

  private String tail() throws IOException {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }
}
