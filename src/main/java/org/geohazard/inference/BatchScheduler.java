package org.geohazard.inference;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns items waiting for models into batches run on one worker thread, and completes each item's own future
 * with its share of the batch's result (or with the batch's failure). Each model has a {@link DynamicBatcher}:
 * a batch holds one model's items only, and models take turns when several have work.
 *
 * <p>At most two batches are handed to the worker at a time: the running one and one full batch queued behind
 * it, which the thread starts as soon as the first ends instead of waiting for this event loop to hear of the
 * end and send the next (on a busy machine that hop left the model idle for a quarter of the time). A partial
 * batch goes only to an idle worker, when it is due; otherwise one timer is armed for the nearest deadline.
 *
 * <p>Confined to the event loop it was made on: {@link #offer}, {@link #forget} and {@link #failAll} are called
 * there, and the futures complete there.
 *
 * @param <M> the model a batch runs on (its batcher's key, by identity)
 * @param <T> what is batched
 * @param <R> each item's result
 */
final class BatchScheduler<M, T, R> {

  private static final Logger LOG = LoggerFactory.getLogger(BatchScheduler.class);

  /** Runs one batch of one model on the worker thread: one result per item, in batch order. */
  @FunctionalInterface
  interface Runner<M, T, R> {
    List<R> run(M model, List<T> batch) throws Exception;
  }

  private record Pending<T, R>(T item, Promise<R> result) {}

  private final Vertx vertx;
  private final WorkerExecutor worker;
  private final Runner<M, T, R> runner;
  private final ToIntFunction<M> batchLimit;
  private final long maxDelayMs;
  /** In the order models first had work; iterated from {@link #nextModel} so that models take turns. */
  private final Map<M, DynamicBatcher<Pending<T, R>>> batchers = new LinkedHashMap<>();
  private List<M> lanes = List.of();
  private int batchesSubmitted;
  /** The model whose batcher is asked first next time. */
  private int nextModel;
  private long timerId = -1;

  /**
   * @param worker the one thread batches run on (a pool of one)
   * @param batchLimit the largest batch a model takes (its export may fix the batch at 1)
   * @param maxDelayMs longest wait of an item for companions, as {@link DynamicBatcher} takes it
   */
  BatchScheduler(Vertx vertx, WorkerExecutor worker, Runner<M, T, R> runner, ToIntFunction<M> batchLimit,
                 long maxDelayMs) {
    this.vertx = vertx;
    this.worker = worker;
    this.runner = runner;
    this.batchLimit = batchLimit;
    this.maxDelayMs = maxDelayMs;
  }

  /** Queues {@code item} for {@code model}: its future completes when the batch it joins has run. */
  Future<R> offer(M model, T item, DynamicBatcher.Priority priority) {
    Promise<R> result = Promise.promise();
    DynamicBatcher<Pending<T, R>> batcher = batchers.get(model);
    if (batcher == null) {
      batcher = new DynamicBatcher<>(batchLimit.applyAsInt(model), maxDelayMs, System::nanoTime);
      batchers.put(model, batcher);
      lanes = List.copyOf(batchers.keySet());
    }
    batcher.offer(new Pending<>(item, result), priority);
    drain();
    return result.future();
  }

  /** Drops a model with nothing waiting (one being closed): it takes no turn any more. */
  void forget(M model) {
    DynamicBatcher<Pending<T, R>> batcher = batchers.get(model);
    if (batcher != null && batcher.isEmpty()) {
      batchers.remove(model);
      lanes = List.copyOf(batchers.keySet());
    }
  }

  /** Fails everything waiting (not what runs now) with {@code error}, for a worker that is stopping. */
  void failAll(Throwable error) {
    for (DynamicBatcher<Pending<T, R>> batcher : batchers.values()) {
      batcher.drainAll().forEach(pending -> pending.result().fail(error));
    }
  }

  /** Items waiting in every batcher, not yet handed to the worker. */
  int waiting() {
    return batchers.values().stream().mapToInt(DynamicBatcher::size).sum();
  }

  /**
   * Hands batches to the worker: a due batch of any model when it is free, and a full one to queue behind a
   * running batch; otherwise arms a timer for the nearest deadline.
   */
  private void drain() {
    while (batchesSubmitted < 2) {
      List<Pending<T, R>> batch = List.of();
      M from = null;
      for (int i = 0; i < lanes.size() && batch.isEmpty(); i++) {
        from = lanes.get((nextModel + i) % lanes.size());
        DynamicBatcher<Pending<T, R>> batcher = batchers.get(from);
        batch = batchesSubmitted == 0 ? batcher.pollReady() : batcher.pollFull();
        if (!batch.isEmpty()) {
          nextModel = (nextModel + i + 1) % lanes.size();
        }
      }
      if (batch.isEmpty()) {
        if (batchesSubmitted == 0) {
          nextDeadline().ifPresent(this::armTimer);
        }
        // With a batch running, the next drain comes when it ends.
        return;
      }
      submit(from, batch);
    }
  }

  private void submit(M model, List<Pending<T, R>> batch) {
    batchesSubmitted++;
    List<T> items = new ArrayList<>(batch.size());
    batch.forEach(pending -> items.add(pending.item()));
    worker.executeBlocking(() -> runner.run(model, items), false).onComplete(ran -> {
      batchesSubmitted--;
      if (ran.succeeded() && ran.result().size() != batch.size()) {
        IllegalStateException wrong = new IllegalStateException("a batch of " + batch.size() + " gave "
            + ran.result().size() + " results");
        batch.forEach(pending -> pending.result().fail(wrong));
      } else if (ran.succeeded()) {
        for (int i = 0; i < batch.size(); i++) {
          batch.get(i).result().complete(ran.result().get(i));
        }
      } else {
        LOG.warn("inference batch of {} failed: {}", batch.size(), ran.cause().toString());
        batch.forEach(pending -> pending.result().fail(ran.cause()));
      }
      drain();
    });
  }

  private OptionalLong nextDeadline() {
    OptionalLong nearest = OptionalLong.empty();
    for (DynamicBatcher<Pending<T, R>> batcher : batchers.values()) {
      OptionalLong due = batcher.millisUntilNextDeadline();
      if (due.isPresent() && (nearest.isEmpty() || due.getAsLong() < nearest.getAsLong())) {
        nearest = due;
      }
    }
    return nearest;
  }

  private void armTimer(long delayMs) {
    if (timerId != -1) {
      return;
    }
    timerId = vertx.setTimer(Math.max(1, delayMs), id -> {
      timerId = -1;
      drain();
    });
  }
}
