package dev.cairn.collector.agent;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The agent's buffer between the application and its gateways: a FIFO of serialized requests,
 * bounded in bytes. A request counts against the bound from {@link #offer} until its batch is
 * {@link #release}d, sent or dropped, so what is being retried is held within the bound too.
 *
 * <p>When full, the newest request is refused ({@link #offer} returns false) and the caller drops
 * it: what is queued already has waited longest and goes first when a gateway comes back, and
 * refusing costs nothing, where dropping the oldest would turn over the whole queue during a long
 * outage. {@link #offer} never blocks beyond the lock, which senders hold only to move references.
 * Thread-safe.
 */
public final class ForwardQueue {

  private final long maxBytes;
  private final LongSupplier nanoClock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition drained = lock.newCondition();
  private final ArrayDeque<QueuedRequest> queued = new ArrayDeque<>();
  private long heldBytes;
  private long heldSpans;

  /**
   * @param maxBytes most serialized bytes held, queued and in flight together
   * @param nanoClock the time requests are stamped with ({@link System#nanoTime} in production)
   */
  public ForwardQueue(long maxBytes, LongSupplier nanoClock) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("queue bound must be positive: " + maxBytes);
    }
    this.maxBytes = maxBytes;
    this.nanoClock = nanoClock;
  }

  public long maxBytes() {
    return maxBytes;
  }

  /**
   * Queues the request if it fits in what is left of the bound; false (and nothing kept) if not.
   */
  public boolean offer(byte[] request, int spans) {
    lock.lock();
    try {
      if (request.length > maxBytes - heldBytes) {
        return false;
      }
      queued.addLast(new QueuedRequest(request, spans, nanoClock.getAsLong()));
      heldBytes += request.length;
      heldSpans += spans;
      notEmpty.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes the oldest requests, as many as fit in {@code maxBatchBytes} together (the first always,
   * however large), waiting up to {@code wait} for one to arrive. They stay counted until {@link
   * #release}.
   *
   * @return null when nothing arrived within {@code wait}
   */
  public ExportBatch take(long maxBatchBytes, Duration wait) throws InterruptedException {
    long waitNanos = wait.toNanos();
    lock.lock();
    try {
      while (queued.isEmpty()) {
        if (waitNanos <= 0) {
          return null;
        }
        waitNanos = notEmpty.awaitNanos(waitNanos);
      }
      List<QueuedRequest> taken = new ArrayList<>();
      long bytes = 0;
      int spans = 0;
      while (!queued.isEmpty()
          && (taken.isEmpty() || bytes + queued.peekFirst().bytes().length <= maxBatchBytes)) {
        QueuedRequest request = queued.pollFirst();
        taken.add(request);
        bytes += request.bytes().length;
        spans += request.spans();
      }
      return new ExportBatch(taken, bytes, spans);
    } finally {
      lock.unlock();
    }
  }

  /** The batch is done with (sent or dropped): its bytes leave the bound. */
  public void release(ExportBatch batch) {
    lock.lock();
    try {
      heldBytes -= batch.bytes();
      heldSpans -= batch.spans();
      if (heldBytes == 0) {
        drained.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Takes every request still queued (not in flight), for a final count at shutdown. */
  public List<QueuedRequest> drainQueued() {
    lock.lock();
    try {
      List<QueuedRequest> all = new ArrayList<>(queued);
      for (QueuedRequest request : all) {
        heldBytes -= request.bytes().length;
        heldSpans -= request.spans();
      }
      queued.clear();
      if (heldBytes == 0) {
        drained.signalAll();
      }
      return all;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until nothing is held (queued or in flight); false if that took longer than {@code wait}.
   */
  public boolean awaitEmpty(Duration wait) throws InterruptedException {
    long waitNanos = wait.toNanos();
    lock.lock();
    try {
      while (heldBytes > 0) {
        if (waitNanos <= 0) {
          return false;
        }
        waitNanos = drained.awaitNanos(waitNanos);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Serialized bytes held, queued and in flight. */
  public long bytes() {
    lock.lock();
    try {
      return heldBytes;
    } finally {
      lock.unlock();
    }
  }

  /** Spans held, queued and in flight. */
  public long spans() {
    lock.lock();
    try {
      return heldSpans;
    } finally {
      lock.unlock();
    }
  }
}
