package dev.cairn.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Kafka broker and PostgreSQL cluster that {@code scripts/infra.sh} runs from this checkout's
 * {@code .cairn/}, found the way that script finds them, so that a test can crash them and bring
 * them back with {@code scripts/infra.sh up}. A broker or cluster that is not the one the pipeline
 * uses (another port, an external host, not started from this checkout) is never touched: {@link
 * #kafkaUnmanagedReason()} and {@link #postgresUnmanagedReason()} say why.
 */
final class LocalInfrastructure {

  private static final Duration UP_TIMEOUT = Duration.ofSeconds(180);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private final Path root;
  private final Path state;
  private final String kafkaBootstrap;
  private final String dbHost;
  private final String dbPort;

  LocalInfrastructure(Path root, String kafkaBootstrap, String dbHost, String dbPort) {
    this.root = root;
    this.state = root.resolve(".cairn");
    this.kafkaBootstrap = kafkaBootstrap;
    this.dbHost = dbHost;
    this.dbPort = dbPort;
  }

  /** Why the pipeline's Kafka is not ours to kill, or empty when it is. */
  Optional<String> kafkaUnmanagedReason() throws IOException {
    if (!isRoot()) {
      return Optional.of("scripts/infra.sh up needs root to bring Kafka back");
    }
    Path config = state.resolve("kafka/server.properties");
    if (!Files.exists(config)) {
      return Optional.of("no " + config + ": Kafka is not run by scripts/infra.sh here");
    }
    Matcher listener =
        Pattern.compile("(?m)^listeners=PLAINTEXT://([^:,]+):(\\d+)")
            .matcher(Files.readString(config));
    if (!listener.find() || !kafkaBootstrap.equals(listener.group(1) + ":" + listener.group(2))) {
      return Optional.of(
          "the pipeline uses Kafka at "
              + kafkaBootstrap
              + ", not the broker of "
              + config
              + " (set CAIRN_KAFKA_BOOTSTRAP to it)");
    }
    if (kafkaProcess().isEmpty()) {
      return Optional.of("no running broker in " + state.resolve("run/kafka.pid"));
    }
    return Optional.empty();
  }

  /** Why the pipeline's PostgreSQL is not ours to stop, or empty when it is. */
  Optional<String> postgresUnmanagedReason() throws IOException {
    if (!List.of("127.0.0.1", "localhost", "::1").contains(dbHost)) {
      return Optional.of("CAIRN_DB_HOST=" + dbHost + " is not local");
    }
    if (!isRoot()) {
      return Optional.of("pg_ctl runs as the postgres user and infra.sh up needs root");
    }
    Path config = pgData().resolve("cairn.conf");
    if (!Files.exists(pgData().resolve("PG_VERSION")) || !Files.exists(config)) {
      return Optional.of("no cluster of scripts/infra.sh in " + pgData());
    }
    Matcher port = Pattern.compile("(?m)^port = (\\d+)").matcher(Files.readString(config));
    if (!port.find() || !port.group(1).equals(dbPort)) {
      return Optional.of(
          "the pipeline uses PostgreSQL on port "
              + dbPort
              + ", not the cluster in "
              + pgData()
              + " (set CAIRN_DB_PORT to its port)");
    }
    return Optional.empty();
  }

  /** {@code kill -9} of the broker, as a crash or an OOM kill would end it. */
  void killKafka() throws IOException, InterruptedException {
    ProcessHandle broker =
        kafkaProcess().orElseThrow(() -> new IllegalStateException("Kafka is not running"));
    broker.destroyForcibly();
    waitForExit(broker);
  }

  /** {@code pg_ctl stop -m immediate}: every backend quits without a checkpoint, like a crash. */
  void stopPostgresImmediately() throws IOException, InterruptedException {
    String version = Files.readString(pgData().resolve("PG_VERSION")).trim();
    run(
        List.of(
            "runuser",
            "-u",
            "postgres",
            "--",
            "/usr/lib/postgresql/" + version + "/bin/pg_ctl",
            "-D",
            pgData().toString(),
            "-m",
            "immediate",
            "-w",
            "stop"),
        Map.of(),
        STOP_TIMEOUT);
  }

  /**
   * {@code scripts/infra.sh up}: starts whatever of Kafka and PostgreSQL is down (idempotent), on
   * the ports they had, whatever this JVM's environment says (infra.sh rewrites their configs).
   */
  void up() throws IOException, InterruptedException {
    Map<String, String> ports = new HashMap<>();
    ports.put("CAIRN_DB_PORT", dbPort);
    Path kafkaConfig = state.resolve("kafka/server.properties");
    if (Files.exists(kafkaConfig)) {
      Matcher listeners =
          Pattern.compile("(?m)^listeners=PLAINTEXT://[^:,]+:(\\d+),CONTROLLER://[^:,]+:(\\d+)")
              .matcher(Files.readString(kafkaConfig));
      if (listeners.find()) {
        ports.put("CAIRN_KAFKA_PORT", listeners.group(1));
        ports.put("CAIRN_KAFKA_CONTROLLER_PORT", listeners.group(2));
      }
    }
    run(List.of(root.resolve("scripts/infra.sh").toString(), "up"), ports, UP_TIMEOUT);
  }

  private Optional<ProcessHandle> kafkaProcess() throws IOException {
    Path pidFile = state.resolve("run/kafka.pid");
    if (!Files.exists(pidFile)) {
      return Optional.empty();
    }
    String pid = Files.readString(pidFile).trim();
    if (pid.isEmpty()) {
      return Optional.empty();
    }
    // the same check as infra.sh: a stale pid file may name an unrelated process by now (read
    // from /proc: ProcessHandle.Info leaves out the arguments of a command line this long)
    Path cmdline = Path.of("/proc", pid, "cmdline");
    if (!Files.isReadable(cmdline)) {
      return Optional.empty();
    }
    List<String> arguments =
        List.of(new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).split("\0"));
    if (!arguments.contains("kafka.Kafka")) {
      return Optional.empty();
    }
    return ProcessHandle.of(Long.parseLong(pid)).filter(ProcessHandle::isAlive);
  }

  private Path pgData() {
    return state.resolve("pgdata");
  }

  private void run(List<String> command, Map<String, String> environment, Duration timeout)
      throws IOException, InterruptedException {
    Path log = root.resolve("e2e/target/service-logs/infra.log");
    Files.createDirectories(log.getParent());
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(environment);
    Process process =
        builder
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(command + " did not finish in " + timeout + "; log: " + log);
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          command + " exited with " + process.exitValue() + "; log: " + log);
    }
  }

  private static void waitForExit(ProcessHandle process) throws InterruptedException {
    long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
    while (process.isAlive()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("process " + process.pid() + " still alive after kill");
      }
      Thread.sleep(50);
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }
}
