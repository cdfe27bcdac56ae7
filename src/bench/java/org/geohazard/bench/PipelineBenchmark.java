package org.geohazard.bench;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.multipart.MultipartForm;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.geohazard.bus.Addresses;
import org.geohazard.bus.Envelope;
import org.geohazard.bus.ResultSaved;
import org.geohazard.config.AppConfig;
import org.geohazard.config.ConfigLoader;
import org.geohazard.metrics.NodeMetrics.Stage;
import org.geohazard.node.GeohazardNode;

/**
 * The whole path, measured from outside: a node with every role started in this process against the
 * local stack, images uploaded over HTTP ({@code POST /api/v1/analyze/single}) and each one timed until
 * its result is durable and readable (MariaDB row completed, Redis {@code result:{id}} written,
 * {@code ml.results} sent), which the node announces on {@code results.saved}.
 *
 * <p>Completion is observed by subscribing to {@code results.saved} on the node's event bus rather than
 * by polling {@code GET /results/{id}}: polling every k ms would add k/2 ms on average plus one request,
 * and the poll traffic would itself load the two cores being measured. The event is published after
 * the last write, so the figure is never earlier than a client could read the result.
 *
 * <p>All client state lives on one Vert.x context, so it needs no locks.
 */
final class PipelineBenchmark implements AutoCloseable {

  /** Upload start to result saved, per image, for one round, plus the round's throughput. */
  record Round(double imagesPerSecond, List<Double> latenciesMs) {}

  /** Mean milliseconds per image in each stage, and the mean batch size, over a measured interval. */
  record StageBreakdown(Map<Stage, Double> meanMs, double meanBatchSize, double uploadMeanMs) {}

  private static final long IMAGE_TIMEOUT_MS = 120_000;
  private static final int MAX_UPLOAD_ATTEMPTS = 4;

  private final GeohazardNode node;
  /** The client's own Vert.x, one event loop named bench-client, so its CPU is not counted as the node's. */
  private final Vertx clientVertx;
  private final Context context;
  private final WebClient client;
  private final MessageConsumer<Envelope> savedConsumer;
  private final Map<String, Promise<Long>> awaitingResult = new HashMap<>();
  private final Map<String, Long> savedBeforeAccepted = new HashMap<>();
  private double uploadNanosTotal;
  private long uploads;
  private long retriedUploads;

  private PipelineBenchmark(GeohazardNode node) {
    this.node = node;
    this.clientVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    this.context = clientVertx.getOrCreateContext();
    // Linux names a thread after the JVM's name for it only when the thread renames itself.
    onContext(() -> {
      Thread.currentThread().setName("bench-client");
      return Future.succeededFuture();
    });
    this.client = WebClient.create(clientVertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(node.httpPort()), new PoolOptions().setHttp1MaxSize(256));
    // The node announces saved results on its own event bus; the client's state lives on its context.
    CompletableFuture<MessageConsumer<Envelope>> registered = new CompletableFuture<>();
    node.vertx().runOnContext(v -> registered.complete(
        node.vertx().eventBus().<Envelope>localConsumer(Addresses.RESULTS_SAVED.name(), message -> {
          long savedAt = System.nanoTime();
          String imageId = message.body().<ResultSaved>read(ResultSaved.class).imageId();
          context.runOnContext(ignored -> onSaved(imageId, savedAt));
        })));
    this.savedConsumer = join(registered);
  }

  private void onSaved(String imageId, long savedAt) {
    Promise<Long> waiting = awaitingResult.remove(imageId);
    if (waiting != null) {
      waiting.complete(savedAt);
    } else {
      savedBeforeAccepted.put(imageId, savedAt);
    }
  }

  /** Starts a node from the stack's settings plus {@code overrides} (GEOHAZARD_* names, as in the environment). */
  static PipelineBenchmark start(Map<String, String> stackEnv, Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>(stackEnv);
    env.put("GEOHAZARD_HTTP_PORT", "0");
    // The benchmark uploads far more than a client would; the limiter is not what is measured.
    env.put("GEOHAZARD_RATE_LIMIT_REQUESTS_PER_WINDOW", "100000000");
    env.putAll(overrides);
    AppConfig config = AppConfig.fromJson(ConfigLoader.load(null, env, new Properties()));
    return new PipelineBenchmark(join(GeohazardNode.start(config)));
  }

  static AppConfig configOf(Map<String, String> stackEnv, Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>(stackEnv);
    env.putAll(overrides);
    return AppConfig.fromJson(ConfigLoader.load(null, env, new Properties()));
  }

  /**
   * Uploads {@code payloads} keeping {@code concurrency} images between upload and saved result (a
   * closed loop: a new upload starts when a result arrives), and times each of them.
   */
  Round round(List<BenchImages.BenchImage> payloads, int concurrency) {
    return onContext(() -> {
      Promise<Round> done = Promise.promise();
      List<Double> latencies = new ArrayList<>(payloads.size());
      long start = System.nanoTime();
      int[] issued = {0};
      int[] finished = {0};
      Runnable[] launch = new Runnable[1];
      launch[0] = () -> {
        while (issued[0] - finished[0] < concurrency && issued[0] < payloads.size()) {
          BenchImages.BenchImage payload = payloads.get(issued[0]++);
          oneImage(payload).onComplete(result -> {
            if (done.future().isComplete()) {
              return;
            }
            if (result.failed()) {
              done.fail(result.cause());
              return;
            }
            latencies.add(result.result() / 1e6);
            if (++finished[0] == payloads.size()) {
              double seconds = (System.nanoTime() - start) / 1e9;
              done.complete(new Round(payloads.size() / seconds, latencies));
            } else {
              launch[0].run();
            }
          });
        }
      };
      launch[0].run();
      return done.future();
    });
  }

  /** Uploads answered 503 and sent again, as a client is told to; printed with the results. */
  long retriedUploads() {
    return onContext(() -> Future.succeededFuture(retriedUploads));
  }

  /** Nanoseconds from the start of the upload to the result being saved (retries included). */
  private Future<Long> oneImage(BenchImages.BenchImage payload) {
    long start = System.nanoTime();
    return upload(payload, MAX_UPLOAD_ATTEMPTS).compose(response -> {
      uploadNanosTotal += System.nanoTime() - start;
      uploads++;
      if (response.statusCode() != 202) {
        return Future.failedFuture("upload of " + payload.name() + " answered " + response.statusCode() + ": "
            + response.bodyAsString());
      }
      JsonObject body = response.bodyAsJsonObject();
      if (body.getBoolean("cached", false)) {
        return Future.failedFuture("upload of " + payload.name() + " hit the result cache: payloads must be distinct");
      }
      String imageId = body.getString("image_id");
      Long savedAt = savedBeforeAccepted.remove(imageId);
      if (savedAt != null) {
        return Future.succeededFuture(savedAt - start);
      }
      Promise<Long> saved = Promise.promise();
      awaitingResult.put(imageId, saved);
      long timer = clientVertx.setTimer(IMAGE_TIMEOUT_MS, id -> {
        if (awaitingResult.remove(imageId) != null) {
          saved.fail("no result for image " + imageId + " (" + payload.name() + ") within " + IMAGE_TIMEOUT_MS
              + " ms; is it failed? see its status");
        }
      });
      return saved.future().map(at -> {
        clientVertx.cancelTimer(timer);
        return at - start;
      });
    });
  }

  /**
   * One POST, sent again after 100 ms when the node answers 503 (a dependency briefly unavailable):
   * seen here as "object store unavailable ... Error writing request body to server" on the first
   * uploads of a freshly started node, which one benchmark round should not turn into a failed run.
   */
  private Future<HttpResponse<Buffer>> upload(BenchImages.BenchImage payload, int attemptsLeft) {
    MultipartForm form = MultipartForm.create();
    form.binaryFileUpload("file", payload.name(), Buffer.buffer(payload.bytes()), "application/octet-stream");
    return client.post("/api/v1/analyze/single").sendMultipartForm(form).compose(response -> {
      if (response.statusCode() != 503 || attemptsLeft <= 1) {
        return Future.succeededFuture(response);
      }
      retriedUploads++;
      Promise<HttpResponse<Buffer>> retried = Promise.promise();
      clientVertx.setTimer(100, id -> upload(payload, attemptsLeft - 1).onComplete(retried));
      return retried.future();
    });
  }

  /** Running totals of the node's stage timers, batch sizes and this client's upload times. */
  record MeterSnapshot(Map<Stage, Double> totalMs, Map<Stage, Long> counts, double batchedImages, long batches,
                       double uploadMs, long uploads) {}

  /** The node's meter registry (its Vert.x clients' meters among them). */
  MeterRegistry registry() {
    return node.metrics().registry();
  }

  MeterSnapshot meters() {
    MeterRegistry registry = node.metrics().registry();
    Map<Stage, Double> totals = new EnumMap<>(Stage.class);
    Map<Stage, Long> counts = new EnumMap<>(Stage.class);
    for (Stage stage : Stage.values()) {
      Timer timer = registry.find("geohazard.stage").tag("stage", stage.name().toLowerCase()).timer();
      totals.put(stage, timer == null ? 0 : timer.totalTime(TimeUnit.MILLISECONDS));
      counts.put(stage, timer == null ? 0 : timer.count());
    }
    DistributionSummary batchSizes = registry.find("geohazard.inference.batch.size").summary();
    double[] upload = onContext(() -> Future.succeededFuture(new double[] {uploadNanosTotal / 1e6, uploads}));
    return new MeterSnapshot(totals, counts, batchSizes == null ? 0 : batchSizes.totalAmount(),
        batchSizes == null ? 0 : batchSizes.count(), upload[0], (long) upload[1]);
  }

  /** Means per image (per stage) and the mean batch size between two snapshots. */
  static StageBreakdown between(MeterSnapshot before, MeterSnapshot after) {
    Map<Stage, Double> means = new EnumMap<>(Stage.class);
    for (Stage stage : Stage.values()) {
      long count = after.counts().get(stage) - before.counts().get(stage);
      means.put(stage, count == 0 ? Double.NaN : (after.totalMs().get(stage) - before.totalMs().get(stage)) / count);
    }
    long batches = after.batches() - before.batches();
    long uploadCount = after.uploads() - before.uploads();
    return new StageBreakdown(means,
        batches == 0 ? Double.NaN : (after.batchedImages() - before.batchedImages()) / batches,
        uploadCount == 0 ? Double.NaN : (after.uploadMs() - before.uploadMs()) / uploadCount);
  }

  /** Closes the node (verticles, then the session) and the client. */
  @Override
  public void close() {
    join(savedConsumer.unregister());
    client.close();
    join(clientVertx.close());
    join(node.close());
  }

  private <T> T onContext(Supplier<Future<T>> action) {
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        action.get().onComplete(done -> {
          if (done.succeeded()) {
            result.complete(done.result());
          } else {
            result.completeExceptionally(done.cause());
          }
        });
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    });
    return join(result);
  }

  private static <T> T join(Future<T> future) {
    return join(future.toCompletionStage().toCompletableFuture());
  }

  private static <T> T join(CompletableFuture<T> future) {
    try {
      return future.get(10, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
