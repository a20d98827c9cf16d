package dev.cairn.kafka;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The one supervision policy of every consumer loop: the loop runs on a thread of its own; when it
 * fails, whatever the exception, it is started again after a {@link Backoff}, the failure is logged
 * once per streak with its cause (later restarts of the same streak at debug level), every restart
 * is counted, and the loop counts as down until it reports progress again. A loop never dies for
 * good while the service runs.
 *
 * <p>A body runs until the service stops; it reports {@link Progress#healthy()} after each step
 * that worked (e.g. a poll), which ends a failure streak and resets the backoff. A body that
 * returns while the service still runs is restarted too.
 */
public final class SupervisedLoop {

  private static final System.Logger LOG = System.getLogger(SupervisedLoop.class.getName());

  /** The loop itself: started again from the beginning after any failure. */
  @FunctionalInterface
  public interface Body {
    void run(Progress progress) throws Exception;
  }

  /** What a running body tells its supervisor. */
  @FunctionalInterface
  public interface Progress {
    /** The last step worked: the loop is up. Cheap; call it as often as you like. */
    void healthy();
  }

  private final String name;
  private final Body body;
  private final Backoff backoff;
  private final Consumer<Throwable> onRestart;
  private final AtomicLong restarts = new AtomicLong();
  private volatile boolean running;
  private volatile boolean up;
  private volatile String lastFailure = "not started";
  private int streak;
  private Thread thread;

  /**
   * @param name the thread's name, and the loop's name in logs
   * @param onRestart called on the loop's thread with the cause of each restart (count it there)
   */
  public SupervisedLoop(String name, Body body, Backoff backoff, Consumer<Throwable> onRestart) {
    this.name = name;
    this.body = body;
    this.backoff = backoff;
    this.onRestart = onRestart;
  }

  public synchronized void start() {
    if (thread != null) {
      throw new IllegalStateException(name + " already started");
    }
    running = true;
    thread = new Thread(this::supervise, name);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Stops the loop: {@code wakeUp} must make a blocked body return (e.g. {@code
   * KafkaConsumer.wakeup()}); waits at most {@code wait} for the thread to end.
   */
  public void stop(Runnable wakeUp, Duration wait) throws InterruptedException {
    running = false;
    wakeUp.run();
    Thread started;
    synchronized (this) {
      started = thread;
    }
    if (started != null) {
      started.join(wait.toMillis());
    }
  }

  /** True while the service runs (not stopped); the loop may be between restarts. */
  public boolean isRunning() {
    return running;
  }

  /** True while the loop runs and reported progress since its last failure. */
  public boolean isUp() {
    return running && up;
  }

  /** Why the loop is down, null while it is up. */
  public String lastFailure() {
    return up ? null : lastFailure;
  }

  /** Restarts since the service started. */
  public long restarts() {
    return restarts.get();
  }

  private void supervise() {
    Progress progress = this::progressed;
    while (running) {
      Throwable failure;
      try {
        body.run(progress);
        failure = running ? new IllegalStateException(name + " returned while running") : null;
      } catch (VirtualMachineError e) {
        // Out of memory and the like: nothing sound is left to restart.
        up = false;
        lastFailure = String.valueOf(e);
        throw e;
      } catch (Exception | Error e) {
        failure = e;
      }
      up = false;
      if (failure == null || !running) {
        break;
      }
      restarted(failure);
      backoff.sleep(() -> running);
    }
    up = false;
    lastFailure = "stopped";
  }

  private void restarted(Throwable failure) {
    restarts.incrementAndGet();
    lastFailure = failure.getClass().getSimpleName() + ": " + failure.getMessage();
    if (streak == 0) {
      LOG.log(
          Level.ERROR,
          name + " failed; restarting it with backoff (further failures logged at debug level)",
          failure);
    } else {
      LOG.log(Level.DEBUG, name + " failed again (" + streak + " in a row): " + lastFailure);
    }
    streak++;
    onRestart.accept(failure);
  }

  private void progressed() {
    if (up) {
      return;
    }
    if (streak > 0) {
      LOG.log(Level.INFO, name + " is running again after " + streak + " failed attempts");
    }
    streak = 0;
    backoff.reset();
    lastFailure = null;
    up = true;
  }
}
