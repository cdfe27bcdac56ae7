package org.geohazard.inference;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.geohazard.analysis.Analysis;
import org.geohazard.analysis.AnalysisBuilder;
import org.geohazard.bus.Addresses;
import org.geohazard.bus.Failure;
import org.geohazard.bus.ImageClaim;
import org.geohazard.cache.CacheKeys;
import org.geohazard.config.AppConfig;
import org.geohazard.geo.ApproximatePlacement;
import org.geohazard.geo.PixelGeolocation;
import org.geohazard.geo.SceneTiler;
import org.geohazard.geo.SceneWindow;
import org.geohazard.geo.SeamMerger;
import org.geohazard.ingest.ImageDecoder;
import org.geohazard.ingest.ImageLimits;
import org.geohazard.ingest.InvalidImageException;
import org.geohazard.ingest.RgbImage;
import org.geohazard.node.NodeMetrics;
import org.geohazard.node.NodeMetrics.Stage;
import org.geohazard.node.NodeServices;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the node's one ONNX Runtime session. Each request on {@code inference.detect} becomes a scene:
 * one window for an ordinary image, model-sized tiles plus a full view for a large one. Windows are read
 * and letterboxed on a preprocessing pool, a bounded number at a time across all scenes, and wait in a
 * {@link DynamicBatcher}; one batch at a time runs on a single ORT thread while the next windows are
 * prepared. When a scene's last window is done its detections are merged across seams, placed on the
 * ground where the image's geography is known, and the request is answered with the analysis. Batcher
 * and scene state live on this verticle's event loop only.
 */
public final class InferenceVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(InferenceVerticle.class);
  /** How long a scene's progress stays readable after its last update. */
  private static final int PROGRESS_TTL_SECONDS = 3600;

  /**
   * One image being analysed: the requests waiting for it (a retry of a request that timed out joins
   * the work in progress instead of starting it again), where its pixels come from, and its windows.
   */
  private static final class Scene {
    final List<Message<JsonObject>> requests = new ArrayList<>(1);
    final SceneJob job;
    final ImageClaim claim;
    final SceneSource source;
    final Path file;
    long lastProgressMs;
    boolean answered;
    boolean closed;

    Scene(SceneJob job, ImageClaim claim, SceneSource source, Path file) {
      this.job = job;
      this.claim = claim;
      this.source = source;
      this.file = file;
    }
  }

  /** One window ready for the model: its letterboxed input and where it goes back to. */
  private record Tile(Scene scene, SceneWindow window, FloatBuffer input, Letterbox.Placement placement,
                      long enqueuedNanos) {}

  private final NodeServices services;
  private final AppConfig config;
  /** The GPU this verticle's session runs on (with the CUDA provider); names its worker pools too. */
  private final int deviceId;
  private final ConcurrentLinkedQueue<FloatBuffer> spareInputs = new ConcurrentLinkedQueue<>();
  private final ArrayDeque<Scene> scenesWanting = new ArrayDeque<>();
  /** Scenes being opened or analysed, by image id; a request for one of them waits for its answer. */
  private final Map<String, Future<Scene>> activeScenes = new HashMap<>();
  private OnnxDetector detector;
  private AnalysisBuilder analyses;
  private String modelVersion;
  private ImageLimits limits;
  private SceneTiler tiler;
  private final SeamMerger merger = new SeamMerger();
  private DynamicBatcher<Tile> batcher;
  private WorkerExecutor preprocessPool;
  private WorkerExecutor ortThread;
  private FloatBuffer batchInput;
  private MessageConsumer<JsonObject> detectConsumer;
  private MessageConsumer<JsonObject> healthConsumer;
  private Path scratch;
  private int tilesInFlight;
  private int maxTilesInFlight;
  /**
   * Batches handed to the ORT thread and not finished: the running one and at most one full batch queued
   * behind it, which the thread starts as soon as the first ends instead of waiting for this event loop
   * to hear of the end and send the next (on a busy machine that hop left the model idle for a
   * quarter of the time).
   */
  private int batchesSubmitted;
  private long timerId = -1;

  public InferenceVerticle(NodeServices services, int deviceId) {
    this.services = services;
    this.config = services.config();
    this.deviceId = deviceId;
  }

  @Override
  public Future<?> start() {
    AppConfig.Model model = config.model();
    AppConfig.Batcher batching = config.batcher();
    preprocessPool = vertx.createSharedWorkerExecutor("geohazard-preprocess-" + deviceId, batching.preprocessThreads());
    // One thread per session: it runs one batch at a time and ORT parallelises inside the run.
    ortThread = vertx.createSharedWorkerExecutor("geohazard-ort-" + deviceId, 1);
    limits = ImageLimits.of(config.limits());
    batcher = new DynamicBatcher<>(batching.maxBatch(), batching.maxDelayMs(), System::nanoTime);
    // Enough windows in flight for a running batch, a full one queued behind it and the next being
    // prepared meanwhile, and never fewer than configured.
    maxTilesInFlight = Math.max(config.scenes().tilesInFlight(), 3 * batching.maxBatch());
    return ortThread.executeBlocking(() -> {
      scratch = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "geohazard-scenes"));
      ModelLoader.Loaded opened = ModelLoader.open(model, deviceId);
      try {
        warmUp(opened.detector(), Math.min(batching.maxBatch(), opened.detector().maxBatchSize()));
      } catch (Exception e) {
        try {
          opened.detector().close();
        } catch (Exception closing) {
          e.addSuppressed(closing);
        }
        throw e;
      }
      return opened;
    }, false).map(loaded -> {
      detector = loaded.detector();
      modelVersion = loaded.modelVersion();
      analyses = new AnalysisBuilder(detector.metadata().classNames(), modelVersion);
      tiler = new SceneTiler(Math.min(detector.inputWidth(), detector.inputHeight()), config.scenes().tileOverlap());
      batchInput = detector.newInputBuffer(Math.min(batching.maxBatch(), detector.maxBatchSize()));
      detectConsumer = vertx.eventBus().localConsumer(Addresses.INFERENCE_DETECT, this::onDetect);
      healthConsumer = vertx.eventBus().localConsumer(Addresses.INFERENCE_HEALTH, message -> message.reply(
          new JsonObject().put("model_version", modelVersion)
              .put("classes", new JsonArray(detector.metadata().classNames()))
              .put("input_width", detector.inputWidth()).put("input_height", detector.inputHeight())
              .put("execution_provider", detector.executionProvider().name().toLowerCase(Locale.ROOT))));
      LOG.info("model {} loaded from {} ({}; input {}x{}; classes {}; batch <= {}, delay <= {} ms)", modelVersion,
          model.path(), detector.executionProvider(), detector.inputWidth(), detector.inputHeight(),
          detector.metadata().classNames(), batching.maxBatch(), batching.maxDelayMs());
      return null;
    });
  }

  /**
   * One run at batch 1 and one at the largest batch before the first request: ONNX Runtime plans memory,
   * and a GPU provider builds kernels or engines, on the first run of each input shape, which would
   * otherwise land on the first images a user sends (tens of ms on CPU, much more on a GPU).
   */
  private static void warmUp(OnnxDetector detector, int largestBatch) throws Exception {
    FloatBuffer input = detector.newInputBuffer(largestBatch);
    for (int batch : largestBatch > 1 ? new int[] {1, largestBatch} : new int[] {1}) {
      long start = System.nanoTime();
      detector.run(input, batch);
      LOG.debug("warm-up run at batch {} took {} ms", batch, (System.nanoTime() - start) / 1_000_000);
    }
  }

  // ---- a request becomes a scene --------------------------------------------------------------------

  private void onDetect(Message<JsonObject> request) {
    ImageClaim claim;
    try {
      claim = ImageClaim.fromJson(request.body());
    } catch (RuntimeException e) {
      request.fail(Failure.BAD_REQUEST.code(), "unreadable claim: " + e.getMessage());
      return;
    }
    Future<Scene> active = activeScenes.get(claim.imageId());
    if (active != null) {
      // A retry after a timeout (or a redelivery) while the first attempt is still running: join it.
      active.onSuccess(scene -> scene.requests.add(request)).onFailure(error -> answerFailure(request, error));
      return;
    }
    Future<Scene> opening = open(claim)
        .onSuccess(scene -> {
          scene.requests.add(request);
          scenesWanting.add(scene);
          pump();
        })
        .onFailure(error -> {
          activeScenes.remove(claim.imageId());
          answerFailure(request, error);
        });
    activeScenes.put(claim.imageId(), opening);
  }

  /**
   * Fetches the image and opens it as a scene. TIFFs go to a scratch file so that large scenes are read
   * window by window from disk; other images are decoded from memory.
   */
  private Future<Scene> open(ImageClaim claim) {
    long start = System.nanoTime();
    String scenesBands = claim.bands() != null ? claim.bands() : config.scenes().defaultBands();
    if (!"image/tiff".equals(claim.contentType())) {
      return fetch(services.objectStore().get(claim.objectKey()), claim)
          .compose(bytes -> preprocessPool.executeBlocking(() -> {
            RgbImage image = new ImageDecoder(limits).decode(bytes.getBytes());
            return newScene(claim, new SceneSource.DecodedScene(image), null, start);
          }, false));
    }
    return preprocessPool.executeBlocking(() -> Files.createTempFile(scratch, "scene-", ".tif"), false)
        .compose(file -> fetch(services.objectStore().download(claim.objectKey(), file), claim)
            .compose(v -> preprocessPool.executeBlocking(() -> {
              SceneSource source = SceneSource.open(file, limits, scenesBands);
              return newScene(claim, source, file, start);
            }, false))
            .onFailure(error -> deleteQuietly(file)));
  }

  /** Times the fetch alone (decoding is preprocessing) and turns a store failure into a retryable one. */
  private <T> Future<T> fetch(Future<T> download, ImageClaim claim) {
    long start = System.nanoTime();
    return download
        .onSuccess(v -> services.metrics().record(Stage.FETCH, System.nanoTime() - start))
        .recover(error -> Future.failedFuture(new StageFailure(Failure.UNAVAILABLE,
            "cannot fetch " + claim.objectKey() + ": " + error.getMessage())));
  }

  private Scene newScene(ImageClaim claim, SceneSource source, Path file, long startNanos) {
    List<SceneWindow> windows = SceneJob.plan(source.width(), source.height(), config.scenes().tileAboveSide(), tiler,
        source.readsDownsampled());
    return new Scene(new SceneJob(source.width(), source.height(), windows, startNanos), claim, source, file);
  }

  // ---- windows to the batcher, batches to the model ---------------------------------------------------

  /** Hands out windows, round-robin across scenes, while fewer than the limit are in flight. */
  private void pump() {
    while (tilesInFlight < maxTilesInFlight && !scenesWanting.isEmpty()) {
      Scene scene = scenesWanting.poll();
      if (!scene.job.hasNextWindow()) {
        continue;
      }
      SceneWindow window = scene.job.takeNextWindow();
      tilesInFlight++;
      if (scene.job.hasNextWindow()) {
        scenesWanting.add(scene);
      }
      long start = System.nanoTime();
      preprocessPool.executeBlocking(() -> prepare(scene, window), false)
          .onSuccess(tile -> {
            services.metrics().record(Stage.PREPROCESS, System.nanoTime() - start);
            batcher.offer(tile, scene.claim.highPriority() ? DynamicBatcher.Priority.HIGH
                : DynamicBatcher.Priority.NORMAL);
            drain();
          })
          .onFailure(error -> {
            tilesInFlight--;
            scene.job.windowFailed();
            failScene(scene, error);
            pump();
          });
    }
  }

  /** On a preprocessing thread: the window's pixels, letterboxed into a reusable input buffer. */
  private Tile prepare(Scene scene, SceneWindow window) throws IOException, InvalidImageException {
    RgbImage image;
    synchronized (scene.source) {
      image = scene.source.read(window);
    }
    FloatBuffer input = spareInputs.poll();
    if (input == null) {
      // Direct, like the batch buffer: the copy into it is a plain memory copy, and a batch of one is
      // handed to ONNX Runtime as is (see runBatch). The pool holds at most maxTilesInFlight of them.
      input = detector.newInputBuffer(1);
    }
    Letterbox.Placement placement = detector.letterbox().apply(image.rgb(), image.width(), image.height(), input, 0);
    return new Tile(scene, window, input, placement, System.nanoTime());
  }

  /**
   * Hands batches to the ORT thread: a due batch when it is free, and a full one to queue behind a
   * running batch; otherwise arms a timer for the next deadline.
   */
  private void drain() {
    while (batchesSubmitted < 2) {
      List<Tile> batch = batchesSubmitted == 0 ? batcher.pollReady() : batcher.pollFull();
      if (batch.isEmpty()) {
        if (batchesSubmitted == 0) {
          batcher.millisUntilNextDeadline().ifPresent(this::armTimer);
        }
        // With a batch running, the next drain comes when it ends.
        return;
      }
      submit(batch);
    }
  }

  private void submit(List<Tile> batch) {
    batchesSubmitted++;
    ortThread.executeBlocking(() -> runBatch(batch), false).onComplete(result -> {
      batchesSubmitted--;
      for (int i = 0; i < batch.size(); i++) {
        Tile tile = batch.get(i);
        tilesInFlight--;
        if (result.succeeded()) {
          tile.scene().job.windowDone(tile.window(), result.result().get(i));
          windowFinished(tile.scene());
        } else {
          tile.scene().job.windowFailed();
          failScene(tile.scene(), new StageFailure(Failure.INTERNAL, "inference failed: " + result.cause().getMessage()));
        }
      }
      if (result.failed()) {
        LOG.warn("inference batch of {} failed: {}", batch.size(), result.cause().toString());
      }
      pump();
      drain();
    });
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

  /** On the ORT thread: copy the batch in (unless it is one window), run once, decode each window's detections. */
  private List<List<Detection>> runBatch(List<Tile> batch) throws Exception {
    NodeMetrics metrics = services.metrics();
    // Waited from ready (letterboxed) to this run's start: for companions, for the batch ahead, for this thread.
    long started = System.nanoTime();
    for (Tile tile : batch) {
      metrics.record(Stage.BATCH_WAIT, started - tile.enqueuedNanos());
    }
    int perImage = detector.floatsPerImage();
    List<Letterbox.Placement> placements = new ArrayList<>(batch.size());
    batch.forEach(tile -> placements.add(tile.placement()));
    FloatBuffer runInput;
    if (batch.size() == 1) {
      // A lone window (low load, or maxBatch 1) runs on its own direct buffer: no 4.9 MB copy first.
      runInput = batch.get(0).input();
    } else {
      for (int i = 0; i < batch.size(); i++) {
        batchInput.put(i * perImage, batch.get(i).input(), 0, perImage);
      }
      runInput = batchInput;
    }
    long inferenceStart = System.nanoTime();
    OnnxDetector.RawOutput output;
    try {
      output = detector.run(runInput, batch.size());
    } finally {
      // Only now: a lone window's buffer was the run's input.
      batch.forEach(tile -> spareInputs.offer(tile.input()));
    }
    long inferenceEnd = System.nanoTime();
    List<List<Detection>> detections = detector.postprocess(output, placements);
    long postprocessEnd = System.nanoTime();
    metrics.batchRun(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      metrics.record(Stage.INFERENCE, (inferenceEnd - inferenceStart) / batch.size());
      metrics.record(Stage.POSTPROCESS, (postprocessEnd - inferenceEnd) / batch.size());
    }
    return detections;
  }

  // ---- a scene's end ------------------------------------------------------------------------------

  private void windowFinished(Scene scene) {
    SceneJob job = scene.job;
    if (job.windowCount() > 1) {
      long now = System.currentTimeMillis();
      if (job.complete() || now - scene.lastProgressMs >= config.scenes().progressIntervalMs()) {
        scene.lastProgressMs = now;
        services.cache().setJson(CacheKeys.progress(scene.claim.imageId()), new JsonObject()
            .put("tiles_done", job.windowsDone()).put("tiles_total", job.windowCount()), PROGRESS_TTL_SECONDS);
      }
    }
    if (job.complete() && !scene.answered) {
      scene.answered = true;
      preprocessPool.executeBlocking(() -> analyse(scene), false)
          .onSuccess(analysis -> scene.requests.forEach(request -> request.reply(analysis)))
          .onFailure(error -> scene.requests.forEach(request ->
              request.fail(Failure.INTERNAL.code(), "analysis failed: " + error.getMessage())))
          .onComplete(done -> {
            activeScenes.remove(scene.claim.imageId());
            closeIfSettled(scene);
          });
    } else {
      closeIfSettled(scene);
    }
  }

  /** On a preprocessing thread: merged detections, placed on the ground where possible, as analysis JSON. */
  private JsonObject analyse(Scene scene) {
    List<Detection> detections = scene.job.detections(merger);
    Optional<PixelGeolocation> placement = scene.source.georeference().or(() -> approximatePlacement(scene));
    double processingMs = (System.nanoTime() - scene.job.startNanos()) / 1e6;
    Analysis analysis = analyses.build(detections, scene.job.width(), scene.job.height(), placement,
        scene.job.windowCount(), processingMs, Instant.now());
    return analysis.toJson();
  }

  /** The caller's point and ground sample distance place a plain image approximately, north up. */
  private static Optional<PixelGeolocation> approximatePlacement(Scene scene) {
    ImageClaim claim = scene.claim;
    if (claim.latitude() == null || claim.longitude() == null || claim.gsdM() == null
        || Math.abs(claim.latitude()) > 89) {
      return Optional.empty();
    }
    return Optional.of(ApproximatePlacement.centredAt(claim.latitude(), claim.longitude(), scene.job.width(),
        scene.job.height(), claim.gsdM()));
  }

  private void failScene(Scene scene, Throwable error) {
    if (!scene.answered) {
      scene.answered = true;
      activeScenes.remove(scene.claim.imageId());
      scene.requests.forEach(request -> answerFailure(request, error));
    }
    closeIfSettled(scene);
  }

  private void closeIfSettled(Scene scene) {
    if (scene.closed || !scene.job.settled() || !scene.answered) {
      return;
    }
    scene.closed = true;
    preprocessPool.executeBlocking(() -> {
      scene.source.close();
      if (scene.file != null) {
        deleteQuietly(scene.file);
      }
      return null;
    }, false);
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("could not delete scratch file {}: {}", file, e.getMessage());
    }
  }

  private void answerFailure(Message<JsonObject> request, Throwable error) {
    if (error instanceof InvalidImageException invalid) {
      request.fail(Failure.INVALID_IMAGE.code(), invalid.code() + ": " + invalid.getMessage());
    } else if (error instanceof StageFailure stage) {
      request.fail(stage.failure.code(), stage.getMessage());
    } else {
      request.fail(Failure.INTERNAL.code(), String.valueOf(error.getMessage()));
    }
  }

  private static final class StageFailure extends RuntimeException {
    private final Failure failure;

    StageFailure(Failure failure, String message) {
      super(message, null, false, false);
      this.failure = failure;
    }
  }

  @Override
  public Future<?> stop() {
    List<Future<?>> closing = new ArrayList<>();
    if (detectConsumer != null) {
      closing.add(detectConsumer.unregister());
      closing.add(healthConsumer.unregister());
    }
    for (Tile tile : batcher == null ? List.<Tile>of() : batcher.drainAll()) {
      failScene(tile.scene(), new StageFailure(Failure.UNAVAILABLE, "inference is stopping"));
    }
    // The session is closed on the ORT thread itself, after any run still in flight there.
    return Future.join(closing).compose(v -> ortThread.executeBlocking(() -> {
      if (detector != null) {
        detector.close();
      }
      return null;
    }, false)).onComplete(v -> {
      ortThread.close();
      preprocessPool.close();
    });
  }
}
