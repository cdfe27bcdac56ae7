package org.geohazard.inference;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.geohazard.bus.Priority;

/**
 * Decides when waiting images become one model run. A batch is released as soon as {@code maxBatch}
 * items wait, or once the oldest waiting item has waited {@code maxDelayMs}, never later: a lone
 * request pays at most {@code maxDelayMs} of extra latency, and a busy queue runs full batches.
 *
 * <p>Items wait in two lanes. A batch takes the high-priority lane first, then the normal lane, each in
 * arrival order. Under sustained high-priority load that fills every batch, normal items wait until it
 * eases: that is what the priority is for, and the pipeline upstream bounds how much can wait.
 *
 * <p>The policy only: it holds no threads or timers and is not thread-safe. Its owner (the inference
 * worker) calls {@link #offer}, then {@link #pollReady} until it returns an empty list, and arms one
 * timer for {@link #millisUntilNextDeadline()}. Time comes from an injected monotonic clock in
 * nanoseconds ({@code System::nanoTime} in production): a wall clock can step back under NTP and hold a
 * batch past its deadline. Tests move the clock instead of sleeping.
 *
 * @param <T> what is batched (a decoded image and its reply handle, for example)
 */
public final class DynamicBatcher<T> {

  /** Which lane an item waits in. */
  public enum Priority {
    HIGH, NORMAL
  }

  private record Waiting<T>(T item, long enqueuedNanos) {
  }

  /** Waiting a minute for companions is a misconfiguration, and the bound keeps deadlines from overflowing. */
  private static final long MAX_DELAY_LIMIT_MS = 60_000;

  private final int maxBatch;
  private final long maxDelayMs;
  private final long maxDelayNanos;
  private final LongSupplier nanoClock;
  private final ArrayDeque<Waiting<T>> high = new ArrayDeque<>();
  private final ArrayDeque<Waiting<T>> normal = new ArrayDeque<>();

  /**
   * @param maxBatch most items per model run. Larger batches use the accelerator better (more images
   *     per launch) but need a bigger input buffer and make the first image of a burst wait for the
   *     rest; keep it at or below what the model's batch dimension and the device memory allow.
   * @param maxDelayMs longest time, in milliseconds, the oldest waiting item may wait for companions.
   *     0 runs whatever is waiting at every poll (lowest latency, smallest batches); larger values fill
   *     batches under moderate load at the cost of that much added latency at low load.
   * @param nanoClock monotonic time in nanoseconds, e.g. {@code System::nanoTime}
   */
  public DynamicBatcher(int maxBatch, long maxDelayMs, LongSupplier nanoClock) {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be at least 1, got " + maxBatch);
    }
    if (maxDelayMs < 0 || maxDelayMs > MAX_DELAY_LIMIT_MS) {
      throw new IllegalArgumentException(
          "maxDelayMs must be within 0.." + MAX_DELAY_LIMIT_MS + ", got " + maxDelayMs);
    }
    if (nanoClock == null) {
      throw new IllegalArgumentException("nanoClock must not be null");
    }
    this.maxBatch = maxBatch;
    this.maxDelayMs = maxDelayMs;
    this.maxDelayNanos = TimeUnit.MILLISECONDS.toNanos(maxDelayMs);
    this.nanoClock = nanoClock;
  }

  public int maxBatch() {
    return maxBatch;
  }

  public long maxDelayMs() {
    return maxDelayMs;
  }

  /** Queues an item, stamped with the current time. */
  public void offer(T item, Priority priority) {
    if (priority == null) {
      throw new IllegalArgumentException("priority must not be null");
    }
    Waiting<T> waiting = new Waiting<>(item, nanoClock.getAsLong());
    (priority == Priority.HIGH ? high : normal).addLast(waiting);
  }

  /** Items waiting in both lanes. */
  public int size() {
    return high.size() + normal.size();
  }

  public boolean isEmpty() {
    return high.isEmpty() && normal.isEmpty();
  }

  /**
   * The next batch if one is due now: {@code maxBatch} items are waiting, or the oldest has waited
   * {@code maxDelayMs}. Otherwise an empty list. Call again until empty: several batches may be due.
   */
  public List<T> pollReady() {
    if (isEmpty()) {
      return List.of();
    }
    long now = nanoClock.getAsLong();
    if (size() < maxBatch && now - oldestEnqueuedNanos() < maxDelayNanos) {
      return List.of();
    }
    return take();
  }

  /** Up to {@code maxBatch} items, high lane first, each lane in arrival order. */
  private List<T> take() {
    List<T> batch = new ArrayList<>(Math.min(size(), maxBatch));
    while (batch.size() < maxBatch && !high.isEmpty()) {
      batch.add(high.pollFirst().item());
    }
    while (batch.size() < maxBatch && !normal.isEmpty()) {
      batch.add(normal.pollFirst().item());
    }
    return batch;
  }

  /**
   * A batch of exactly {@code maxBatch} items if that many are waiting (high lane first), else an empty
   * list, whatever their age. For queueing a batch behind the one that is running, so that the model
   * starts it the moment the other ends: only a full batch, since a partial one could still gain
   * companions while it waits.
   */
  public List<T> pollFull() {
    if (size() < maxBatch) {
      return List.of();
    }
    return take();
  }

  /**
   * When {@link #pollReady} will next return a batch if nothing else arrives, on the clock's timebase:
   * the oldest item's deadline, or now when a full batch is already waiting. Empty when nothing waits.
   */
  public OptionalLong nextDeadlineNanos() {
    if (isEmpty()) {
      return OptionalLong.empty();
    }
    long deadline = oldestEnqueuedNanos() + maxDelayNanos;
    if (size() >= maxBatch) {
      long now = nanoClock.getAsLong();
      return OptionalLong.of(now - deadline < 0 ? now : deadline);
    }
    return OptionalLong.of(deadline);
  }

  /**
   * Milliseconds to wait before the next batch is due, rounded up so that a timer armed with it never
   * fires early; 0 when a batch is due now, empty when nothing waits.
   */
  public OptionalLong millisUntilNextDeadline() {
    OptionalLong deadline = nextDeadlineNanos();
    if (deadline.isEmpty()) {
      return OptionalLong.empty();
    }
    long remaining = deadline.getAsLong() - nanoClock.getAsLong();
    if (remaining <= 0) {
      return OptionalLong.of(0);
    }
    long perMilli = TimeUnit.MILLISECONDS.toNanos(1);
    return OptionalLong.of((remaining + perMilli - 1) / perMilli);
  }

  /** Removes and returns everything waiting, high lane first, for a worker that is stopping. */
  public List<T> drainAll() {
    List<T> all = new ArrayList<>(size());
    high.forEach(waiting -> all.add(waiting.item()));
    normal.forEach(waiting -> all.add(waiting.item()));
    high.clear();
    normal.clear();
    return all;
  }

  private long oldestEnqueuedNanos() {
    if (high.isEmpty()) {
      return normal.peekFirst().enqueuedNanos();
    }
    if (normal.isEmpty()) {
      return high.peekFirst().enqueuedNanos();
    }
    long a = high.peekFirst().enqueuedNanos();
    long b = normal.peekFirst().enqueuedNanos();
    // Compare by difference: nanoTime values may wrap.
    return a - b <= 0 ? a : b;
  }
}
