package org.geohazard.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The batch scheduler on a real Vert.x event loop and worker thread: each item's future completes with its own
 * share of its batch's result, a failed batch fails exactly its own items, batches hold one model's items and
 * respect its limit, a partial batch waits for its deadline, and a stopping worker fails what waits.
 */
class BatchSchedulerTest {

  private record Ran(String model, List<Integer> items) {}

  private Vertx vertx;
  private Context loop;
  private WorkerExecutor worker;
  private final List<Ran> ran = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    loop = vertx.getOrCreateContext();
    worker = vertx.createSharedWorkerExecutor("batch-scheduler-test", 1);
  }

  @AfterEach
  void stop() throws Exception {
    worker.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Doubles each item; a batch holding a negative item fails whole, as a model run does. */
  private List<Integer> doubling(String model, List<Integer> batch) {
    ran.add(new Ran(model, List.copyOf(batch)));
    if (batch.stream().anyMatch(item -> item < 0)) {
      throw new IllegalStateException("the run failed on " + batch);
    }
    return batch.stream().map(item -> item * 2).toList();
  }

  private BatchScheduler<String, Integer, Integer> scheduler(int limitA, int limitB, long maxDelayMs) {
    return new BatchScheduler<>(vertx, worker, this::doubling, model -> model.equals("a") ? limitA : limitB,
        maxDelayMs);
  }

  /** Runs {@code step} on the event loop, as the scheduler requires, and waits for the futures it returns. */
  private <T> List<T> onLoop(Supplier<List<Future<T>>> step) throws Exception {
    CompletableFuture<List<Future<T>>> offered = new CompletableFuture<>();
    loop.runOnContext(v -> offered.complete(step.get()));
    List<Future<T>> futures = offered.get(10, TimeUnit.SECONDS);
    Future.join(futures).toCompletionStage().toCompletableFuture().handle((r, e) -> null).get(10, TimeUnit.SECONDS);
    return futures.stream().map(f -> f.succeeded() ? f.result() : null).toList();
  }

  @Test
  void completesEachItemsFutureWithItsOwnResultFromOneFullBatch() throws Exception {
    BatchScheduler<String, Integer, Integer> scheduler = scheduler(4, 4, 10_000);

    List<Integer> results = onLoop(() -> List.of(1, 2, 3, 4).stream()
        .map(i -> scheduler.offer("a", i, DynamicBatcher.Priority.NORMAL)).toList());

    assertThat(results).containsExactly(2, 4, 6, 8);
    // A full batch does not wait for the 10 s deadline.
    assertThat(ran).containsExactly(new Ran("a", List.of(1, 2, 3, 4)));
  }

  @Test
  void aPartialBatchRunsAtItsDeadline() throws Exception {
    BatchScheduler<String, Integer, Integer> scheduler = scheduler(8, 8, 30);
    long start = System.nanoTime();

    List<Integer> results = onLoop(() -> List.of(scheduler.offer("a", 5, DynamicBatcher.Priority.NORMAL),
        scheduler.offer("a", 6, DynamicBatcher.Priority.HIGH)));

    assertThat(results).containsExactly(10, 12);
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(30));
    // The high lane first.
    assertThat(ran).containsExactly(new Ran("a", List.of(6, 5)));
  }

  @Test
  void aFailedBatchFailsEachOfItsItemsAndNoOtherBatch() throws Exception {
    BatchScheduler<String, Integer, Integer> scheduler = scheduler(2, 2, 10_000);
    List<Future<Integer>> futures = new ArrayList<>();

    onLoop(() -> {
      for (int item : new int[] {1, -2, 3, 4}) {
        futures.add(scheduler.offer("a", item, DynamicBatcher.Priority.NORMAL));
      }
      return futures;
    });

    assertThat(futures.get(0).failed()).isTrue();
    assertThat(futures.get(1).cause()).isSameAs(futures.get(0).cause())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("the run failed on [1, -2]");
    assertThat(futures.get(2).result()).isEqualTo(6);
    assertThat(futures.get(3).result()).isEqualTo(8);
    assertThat(ran).containsExactly(new Ran("a", List.of(1, -2)), new Ran("a", List.of(3, 4)));
  }

  @Test
  void aBatchHoldsOneModelsItemsWithinThatModelsLimitAndModelsTakeTurns() throws Exception {
    BatchScheduler<String, Integer, Integer> scheduler = scheduler(3, 1, 5);

    List<Integer> results = onLoop(() -> List.of(
        scheduler.offer("a", 1, DynamicBatcher.Priority.NORMAL),
        scheduler.offer("b", 100, DynamicBatcher.Priority.NORMAL),
        scheduler.offer("a", 2, DynamicBatcher.Priority.NORMAL),
        scheduler.offer("b", 200, DynamicBatcher.Priority.NORMAL),
        scheduler.offer("a", 3, DynamicBatcher.Priority.NORMAL)));

    assertThat(results).containsExactly(2, 200, 4, 400, 6);
    for (Ran batch : ran) {
      assertThat(batch.items()).allMatch(item -> batch.model().equals("a") ? item < 100 : item >= 100);
      assertThat(batch.items().size()).isLessThanOrEqualTo(batch.model().equals("a") ? 3 : 1);
    }
    assertThat(ran.stream().filter(batch -> batch.model().equals("b"))).hasSize(2);
  }

  @Test
  void aStoppingWorkerFailsWhatWaits() throws Exception {
    BatchScheduler<String, Integer, Integer> scheduler = scheduler(4, 4, 10_000);
    IllegalStateException stopping = new IllegalStateException("inference is stopping");

    List<Future<Integer>> futures = new ArrayList<>();
    onLoop(() -> {
      futures.add(scheduler.offer("a", 1, DynamicBatcher.Priority.NORMAL));
      futures.add(scheduler.offer("b", 2, DynamicBatcher.Priority.HIGH));
      assertThat(scheduler.waiting()).isEqualTo(2);
      scheduler.failAll(stopping);
      return futures;
    });

    assertThat(futures).allMatch(f -> f.cause() == stopping);
    assertThat(ran).isEmpty();
  }

  @Test
  void aRunGivingTheWrongNumberOfResultsFailsItsBatch() throws Exception {
    BatchScheduler<String, Integer, Integer> scheduler = new BatchScheduler<>(vertx, worker,
        (model, batch) -> List.of(0), model -> 2, 10_000);

    CompletableFuture<List<Future<Integer>>> offered = new CompletableFuture<>();
    loop.runOnContext(v -> offered.complete(List.of(scheduler.offer("a", 1, DynamicBatcher.Priority.NORMAL),
        scheduler.offer("a", 2, DynamicBatcher.Priority.NORMAL))));

    for (Future<Integer> future : offered.get(10, TimeUnit.SECONDS)) {
      assertThatThrownBy(() -> future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class).hasMessageContaining("a batch of 2 gave 1 results");
    }
  }
}
