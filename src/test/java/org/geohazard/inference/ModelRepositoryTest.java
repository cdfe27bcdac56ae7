package org.geohazard.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.geohazard.bus.Failure;
import org.geohazard.bus.InferenceStatus;
import org.geohazard.bus.ModelInstall;
import org.geohazard.bus.ModelSummary;
import org.geohazard.config.AppConfig;
import org.geohazard.config.ConfigLoader;
import org.geohazard.inference.runtime.OnnxDetector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The model repository with real ONNX Runtime sessions (the stand-in model, for speed) on a real event loop and
 * ORT thread: a model swapped out while scenes hold it keeps running their batches and is closed only when the
 * last one lets go, after any batch already on the ORT thread; an idle one is closed at once; shadows come and go;
 * bad changes are refused with the failure a caller can act on, and change nothing.
 */
class ModelRepositoryTest {

  private static final String STANDIN = "models/geohazard-standin.onnx";
  private static final AppConfig CONFIG = AppConfig.fromJson(ConfigLoader.load(null,
      Map.of("GEOHAZARD_MODEL_PATHS", STANDIN, "GEOHAZARD_BATCHER_MAX_BATCH", "2"), new Properties()));

  private Vertx vertx;
  private Context loop;
  private WorkerExecutor ortThread;
  private ModelRepository repository;
  private final List<ServedModel> closed = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    loop = vertx.getOrCreateContext();
    ortThread = vertx.createSharedWorkerExecutor("model-repository-test-ort", 1);
    repository = new ModelRepository(vertx, loop, ortThread, CONFIG, 0, closed::add);
    onLoop(() -> repository.loadConfigured());
  }

  @AfterEach
  void stop() throws Exception {
    onLoop(() -> repository.closeAll());
    ortThread.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Runs {@code step} on the event loop, where the repository changes, and waits for its future. */
  private <T> T onLoop(Supplier<Future<T>> step) throws Exception {
    CompletableFuture<T> done = new CompletableFuture<>();
    loop.runOnContext(v -> step.get().onComplete(result -> {
      if (result.succeeded()) {
        done.complete(result.result());
      } else {
        done.completeExceptionally(result.cause());
      }
    }));
    try {
      return done.get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /** Waits until everything queued on the ORT thread before now has run (a close, for one). */
  private void ortThreadCaughtUp() throws Exception {
    onLoop(() -> ortThread.executeBlocking(() -> null, false));
  }

  /** A scene that held {@code model} lets go of it, on the event loop; then whatever that queued on the ORT thread. */
  private void release(ServedModel model) throws Exception {
    onLoop(() -> {
      repository.release(model);
      return Future.succeededFuture();
    });
    ortThreadCaughtUp();
  }

  private InferenceStatus install(String path, String mode, Double share) throws Exception {
    return onLoop(() -> repository.install(new ModelInstall(path, mode, share)));
  }

  /** The serving model, held by a scene, then swapped out for a fresh load of the same file: the held one. */
  private ServedModel heldThenSwappedOut() throws Exception {
    ServedModel held = repository.serving().get(0);
    assertThat(repository.acquire(List.of(held))).isTrue();
    install(STANDIN, ModelInstall.SERVE, null);
    assertThat(repository.serving()).hasSize(1).doesNotContain(held);
    return held;
  }

  /** One run of the model's session at batch 1, as a batch of a scene would make. */
  private static OnnxDetector.RawOutput runOnce(ServedModel model) throws Exception {
    return model.detector().run(model.takeInput(), 1);
  }

  @Test
  void aModelSwappedOutWhileASceneHoldsItRunsOnAndClosesWhenTheLastSceneLetsGo() throws Exception {
    ServedModel first = heldThenSwappedOut();
    ServedModel second = repository.serving().get(0);
    // Retired: no new scene takes it, but the scene that holds it still runs its batches on it.
    assertThat(first.acquire()).isFalse();
    ortThreadCaughtUp();
    assertThat(first.isClosed()).isFalse();
    assertThat(runOnce(first).data()).isNotEmpty();
    assertThat(closed).isEmpty();

    release(first);

    assertThat(first.isClosed()).isTrue();
    assertThat(closed).containsExactly(first);
    assertThatThrownBy(() -> runOnce(first)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThat(second.isClosed()).isFalse();
  }

  @Test
  void aModelNoSceneHoldsIsClosedAsSoonAsItIsSwappedOut() throws Exception {
    ServedModel first = repository.serving().get(0);

    install(STANDIN, ModelInstall.SERVE, null);
    ortThreadCaughtUp();

    assertThat(first.isClosed()).isTrue();
    assertThat(closed).containsExactly(first);
  }

  @Test
  void aCloseWaitsForTheBatchAlreadyOnTheOrtThread() throws Exception {
    ServedModel first = heldThenSwappedOut();
    CountDownLatch batchMayRun = new CountDownLatch(1);
    // A batch of the scene's, handed to the ORT thread but held there until the model is released.
    CompletableFuture<OnnxDetector.RawOutput> batch = new CompletableFuture<>();
    loop.runOnContext(v -> ortThread.executeBlocking(() -> {
      batchMayRun.await(30, TimeUnit.SECONDS);
      return runOnce(first);
    }, false).onSuccess(batch::complete).onFailure(batch::completeExceptionally));

    onLoop(() -> {
      repository.release(first);
      return Future.succeededFuture();
    });
    // The close is queued behind the batch, so it has not happened yet.
    assertThat(first.isClosed()).isFalse();
    batchMayRun.countDown();

    assertThat(batch.get(30, TimeUnit.SECONDS).data()).isNotEmpty();
    ortThreadCaughtUp();
    assertThat(first.isClosed()).isTrue();
  }

  @Test
  void aLineupWithARetiredModelIsRefusedWholeAndWhatWasTakenIsGivenBack() throws Exception {
    ServedModel retired = heldThenSwappedOut();
    ServedModel current = repository.serving().get(0);

    // A scene planned with the old lineup: the new model is taken, the retired one refuses, so both are given back.
    assertThat(repository.acquire(List.of(current, retired))).isFalse();
    assertThat(current.scenesUsing()).isZero();
    assertThat(retired.scenesUsing()).isEqualTo(1);
    ortThreadCaughtUp();
    assertThat(retired.isClosed()).isFalse();

    release(retired);
    assertThat(retired.isClosed()).isTrue();
    assertThat(current.isClosed()).isFalse();
  }

  @Test
  void shadowsAreAddedResharedPromotedAndWithdrawn() throws Exception {
    InferenceStatus status = install(STANDIN, ModelInstall.SHADOW, 0.5);
    assertThat(status.models()).extracting(ModelSummary::role)
        .containsExactly(ModelSummary.SERVING, ModelSummary.SHADOW);
    ServedModel candidate = repository.shadows().get(0);

    install(STANDIN, ModelInstall.SHADOW, 0.2);
    assertThat(repository.shadows()).containsExactly(candidate);
    assertThat(candidate.shadowShare()).isEqualTo(0.2);

    ServedModel serving = repository.serving().get(0);
    status = install(STANDIN, ModelInstall.SERVE, null);
    assertThat(repository.serving()).containsExactly(candidate);
    assertThat(repository.shadows()).isEmpty();
    assertThat(status.models()).extracting(ModelSummary::role).containsExactly(ModelSummary.SERVING);
    ortThreadCaughtUp();
    assertThat(serving.isClosed()).isTrue();
    assertThat(candidate.isClosed()).isFalse();

    install(STANDIN, ModelInstall.SHADOW, 1.0);
    ServedModel withdrawn = repository.shadows().get(0);
    install(STANDIN, ModelInstall.WITHDRAW, null);
    ortThreadCaughtUp();
    assertThat(repository.shadows()).isEmpty();
    assertThat(withdrawn.isClosed()).isTrue();
  }

  @Test
  void refusedChangesSayWhyAndChangeNothing() throws Exception {
    List<ServedModel> serving = repository.serving();

    assertFailure(() -> install(STANDIN, ModelInstall.WITHDRAW, null), Failure.Code.CONFLICT, "no shadow model");
    assertFailure(() -> install("models/geohazard-rgb.onnx", ModelInstall.WITHDRAW, null), Failure.Code.NOT_FOUND,
        "no shadow model");
    assertFailure(() -> install("/etc/passwd.onnx", ModelInstall.SERVE, null), Failure.Code.INVALID_REQUEST,
        "model files are loaded only from");
    assertFailure(() -> install("models/README.md", ModelInstall.SERVE, null), Failure.Code.INVALID_REQUEST, ".onnx");
    assertFailure(() -> repository.servingFor("no-such-version"), Failure.Code.INVALID_IMAGE, "is not served");

    assertThat(repository.serving()).isEqualTo(serving);
    assertThat(repository.shadows()).isEmpty();
    assertThat(serving.get(0).isClosed()).isFalse();
    assertThat(repository.servingFor(serving.get(0).profile().version())).containsExactly(serving.get(0));
  }

  private static void assertFailure(ThrowingCall call, Failure.Code code, String message) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(Failure.class, e -> {
      assertThat(e.code()).isEqualTo(code);
      assertThat(e.getMessage()).contains(message);
    });
  }

  @FunctionalInterface
  private interface ThrowingCall {
    Object run() throws Exception;
  }
}
