package dev.cairn.loadgen.bench;

import dev.cairn.loadgen.cli.DurationConverter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Option;

/**
 * The timing of a closed-loop query benchmark (a picocli mixin): client threads run from the start,
 * their requests count only while {@link #measuring()} is set, after {@code --warmup}, for {@code
 * --duration}; then they are told to {@link #stopped()} and joined.
 */
public final class ClosedLoop {

  /** How long one request may take; a client is joined for at most this and a little more. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  @Option(
      names = "--duration",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description = "Measured time. Default: ${DEFAULT-VALUE}.")
  Duration duration;

  @Option(
      names = "--warmup",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description = "Unmeasured time before it (JIT, pools, caches). Default: ${DEFAULT-VALUE}.")
  Duration warmup;

  @Option(
      names = "--label",
      defaultValue = "",
      description = "Name of this measurement in the RESULT line.")
  String label;

  private final AtomicBoolean measuring = new AtomicBoolean(false);
  private final AtomicBoolean stop = new AtomicBoolean(false);

  /** Whether a request starting now counts. */
  boolean measuring() {
    return measuring.get();
  }

  /** Whether clients should end their loop. */
  boolean stopped() {
    return stop.get();
  }

  /**
   * Runs the clients through warm-up and the measured window, then stops and joins them.
   *
   * @return the measured seconds
   */
  double run(List<? extends Runnable> clients, String threadName) throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    for (Runnable client : clients) {
      Thread thread = new Thread(client, threadName);
      thread.setDaemon(true);
      thread.start();
      threads.add(thread);
    }
    Thread.sleep(warmup.toMillis());
    long start = System.nanoTime();
    measuring.set(true);
    Thread.sleep(duration.toMillis());
    measuring.set(false);
    double seconds = (System.nanoTime() - start) / 1e9;
    stop.set(true);
    for (Thread thread : threads) {
      thread.join(REQUEST_TIMEOUT.plusSeconds(5).toMillis());
    }
    return seconds;
  }
}
