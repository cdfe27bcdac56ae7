package org.geohazard.inference;

import org.geohazard.inference.scene.SceneJob;
import org.geohazard.inference.scene.SceneSource;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.geohazard.analysis.Analysis;
import org.geohazard.bus.Addresses;
import org.geohazard.bus.Failure;
import org.geohazard.bus.FailureException;
import org.geohazard.bus.HealthQuery;
import org.geohazard.bus.ImageClaim;
import org.geohazard.bus.InferenceStatus;
import org.geohazard.cache.CacheKeys;
import org.geohazard.config.AppConfig;
import org.geohazard.detection.Detection;
import org.geohazard.detection.Sensor;
import org.geohazard.detection.ViewPlanner;
import org.geohazard.geo.PixelGeolocation;
import org.geohazard.inference.scene.SceneWindow;
import org.geohazard.image.ImageDecoder;
import org.geohazard.image.ImageLimits;
import org.geohazard.image.InvalidImageException;
import org.geohazard.image.RgbImage;
import org.geohazard.metrics.NodeMetrics.Stage;
import org.geohazard.cache.RedisCache;
import org.geohazard.metrics.NodeMetrics;
import org.geohazard.storage.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the node's ONNX Runtime sessions: one per served model ({@code model.paths}), all run one batch at
 * a time on this worker's single ORT thread. Each request on {@code inference.detect} becomes a
 * {@link Scene}: {@link ViewPlanner} decides which models look at the image, through which bands and at
 * what ground scale, and {@link SceneJob#plan} cuts each look into windows (one for an ordinary image;
 * tiles plus a full view for a large one). Windows are read and letterboxed on a preprocessing pool, a
 * bounded number at a time across all scenes, and wait in their model's {@link DynamicBatcher}; one batch
 * runs while the next windows are prepared. When a scene's last window is done, {@link SceneAssembler}
 * turns it into the analysis that answers the request. Batcher and scene state live on this verticle's
 * event loop only.
 */
public final class InferenceVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(InferenceVerticle.class);
  /** How long a scene's progress stays readable after its last update. */
  private static final int PROGRESS_TTL_SECONDS = 3600;

  private final AppConfig config;
  private final ObjectStore objectStore;
  private final RedisCache cache;
  private final NodeMetrics metrics;
  /** The GPU this verticle's sessions run on (with a GPU provider); names its worker pools too. */
  private final int deviceId;
  private final ArrayDeque<Scene> scenesWanting = new ArrayDeque<>();
  /** Scenes being opened or analysed, by image id; a request for one of them waits for its answer. */
  private final Map<String, Future<Scene>> activeScenes = new HashMap<>();
  private final SceneAssembler assembler = new SceneAssembler();
  private List<ServedModel> models = List.of();
  private ImageLimits limits;
  private SceneJob.Slicing slicing;
  private WorkerExecutor preprocessPool;
  private WorkerExecutor ortThread;
  private MessageConsumer<ImageClaim> detectConsumer;
  private MessageConsumer<HealthQuery> healthConsumer;
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
  /** The model whose batcher is asked first next time: models take turns when several have work. */
  private int nextModel;
  private long timerId = -1;

  /**
   * @param config the model, batcher, scenes and limits sections are read
   * @param objectStore where the images to analyse are fetched from
   * @param cache where a sliced scene's progress is published
   * @param deviceId the GPU this verticle's sessions are pinned to (ignored on the CPU)
   */
  public InferenceVerticle(AppConfig config, ObjectStore objectStore, RedisCache cache, NodeMetrics metrics,
                           int deviceId) {
    this.config = config;
    this.objectStore = objectStore;
    this.cache = cache;
    this.metrics = metrics;
    this.deviceId = deviceId;
  }

  @Override
  public Future<?> start() {
    AppConfig.Model model = config.model();
    AppConfig.Batcher batching = config.batcher();
    AppConfig.Scenes scenes = config.scenes();
    preprocessPool = vertx.createSharedWorkerExecutor("geohazard-preprocess-" + deviceId, batching.preprocessThreads());
    // One thread for all sessions: it runs one batch at a time and ORT parallelises inside the run.
    ortThread = vertx.createSharedWorkerExecutor("geohazard-ort-" + deviceId, 1);
    limits = ImageLimits.of(config.limits());
    slicing = new SceneJob.Slicing(scenes.tileAboveSide(), scenes.tileOverlap(), scenes.maxTilesPerSideUnknownScale());
    // Enough windows in flight for a running batch, a full one queued behind it and the next being
    // prepared meanwhile, and never fewer than configured.
    maxTilesInFlight = Math.max(scenes.tilesInFlight(), 3 * batching.maxBatch());
    return ortThread.executeBlocking(() -> {
      scratch = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "geohazard-scenes"));
      List<ServedModel> loaded = new ArrayList<>();
      try {
        for (Path path : model.paths()) {
          loaded.add(ServedModel.load(model, path, deviceId, batching));
        }
      } catch (Exception e) {
        for (ServedModel opened : loaded) {
          try {
            opened.close();
          } catch (Exception closing) {
            e.addSuppressed(closing);
          }
        }
        throw e;
      }
      return loaded;
    }, false).map(loaded -> {
      models = List.copyOf(loaded);
      detectConsumer = vertx.eventBus().localConsumer(Addresses.INFERENCE_DETECT.name(), this::onDetect);
      healthConsumer = Addresses.INFERENCE_HEALTH.consume(vertx.eventBus(), query -> Future.succeededFuture(
          new InferenceStatus(models.stream().map(ServedModel::describe).toList())), Failure.INTERNAL);
      LOG.info("serving {} model(s); batch <= {}, delay <= {} ms", models.size(), batching.maxBatch(),
          batching.maxDelayMs());
      return null;
    });
  }

  // ---- a request becomes a scene --------------------------------------------------------------------

  private void onDetect(Message<ImageClaim> request) {
    ImageClaim claim = request.body();
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
    if (!"image/tiff".equals(claim.contentType())) {
      return fetch(objectStore.get(claim.objectKey()), claim)
          .compose(bytes -> preprocessPool.executeBlocking(() -> {
            RgbImage image = new ImageDecoder(limits).decode(bytes.getBytes());
            return newScene(claim, new SceneSource.DecodedScene(image), null, start);
          }, false));
    }
    return preprocessPool.executeBlocking(() -> Files.createTempFile(scratch, "scene-", ".tif"), false)
        .compose(file -> fetch(objectStore.download(claim.objectKey(), file), claim)
            .compose(v -> preprocessPool.executeBlocking(() -> {
              SceneSource source = SceneSource.open(file, limits);
              try {
                return newScene(claim, source, file, start);
              } catch (Exception e) {
                source.close();
                throw e;
              }
            }, false))
            .onFailure(error -> deleteQuietly(file)));
  }

  /** Times the fetch alone (decoding is preprocessing) and turns a store failure into a retryable one. */
  private <T> Future<T> fetch(Future<T> download, ImageClaim claim) {
    long start = System.nanoTime();
    return download
        .onSuccess(v -> metrics.record(Stage.FETCH, System.nanoTime() - start))
        .recover(error -> Future.failedFuture(new FailureException(Failure.UNAVAILABLE,
            "cannot fetch " + claim.objectKey() + ": " + error.getMessage())));
  }

  /** On a preprocessing thread: which models look at the image and how, and the windows of each look. */
  private Scene newScene(ImageClaim claim, SceneSource source, Path file, long startNanos) throws Exception {
    Optional<PixelGeolocation> georeference = source.georeference();
    OptionalDouble gsd = georeference.map(g -> OptionalDouble.of(g.groundSampleDistanceM(source.width(), source.height())))
        .orElse(claim.gsdM() != null && claim.gsdM() > 0 ? OptionalDouble.of(claim.gsdM()) : OptionalDouble.empty());
    Optional<Sensor> sensor = claim.sensor() == null ? Optional.empty() : Optional.of(Sensor.fromWire(claim.sensor()));
    ViewPlanner.ImageFacts facts = new ViewPlanner.ImageFacts(source.bandCount(), source.raster(), sensor,
        claim.bands(), gsd);
    String defaultBands = claim.bands() != null ? claim.bands() : config.scenes().defaultBands();
    List<Scene.Pass> passes = new ArrayList<>();
    for (ViewPlanner.Pass plan : ViewPlanner.plan(models.stream().map(ServedModel::profile).toList(), facts)) {
      ServedModel model = models.get(plan.model());
      List<SceneWindow> windows = SceneJob.plan(source.width(), source.height(), plan.scale(),
          model.profile().inputSide(), slicing, source.readsDownsampled());
      passes.add(new Scene.Pass(model, plan, source.reader(plan.bands(), defaultBands),
          new SceneJob(source.width(), source.height(), windows, startNanos)));
    }
    return new Scene(claim, source, file, georeference, passes, startNanos);
  }

  // ---- windows to the batchers, batches to the models -------------------------------------------------

  /** Hands out windows, round-robin across scenes, while fewer than the limit are in flight. */
  private void pump() {
    while (tilesInFlight < maxTilesInFlight && !scenesWanting.isEmpty()) {
      Scene scene = scenesWanting.poll();
      if (!scene.hasNextWindow()) {
        continue;
      }
      Scene.Work work = scene.takeNextWindow();
      tilesInFlight++;
      if (scene.hasNextWindow()) {
        scenesWanting.add(scene);
      }
      long start = System.nanoTime();
      preprocessPool.executeBlocking(() -> prepare(scene, work), false)
          .onSuccess(tile -> {
            metrics.record(Stage.PREPROCESS, System.nanoTime() - start);
            tile.pass().model().batcher().offer(tile, scene.claim.highPriority() ? DynamicBatcher.Priority.HIGH
                : DynamicBatcher.Priority.NORMAL);
            drain();
          })
          .onFailure(error -> {
            tilesInFlight--;
            scene.windowFailed(work.pass());
            failScene(scene, error);
            pump();
          });
    }
  }

  /** On a preprocessing thread: the window's pixels, letterboxed into a reusable input buffer of its model. */
  private Tile prepare(Scene scene, Scene.Work work) throws IOException, InvalidImageException {
    RgbImage image;
    synchronized (scene.source) {
      image = work.pass().reader().read(work.window());
    }
    ServedModel model = work.pass().model();
    // Direct, like the batch buffer: the copy into it is a plain memory copy, and a batch of one is handed
    // to ONNX Runtime as is. Each model's pool holds at most maxTilesInFlight of them.
    var input = model.takeInput();
    Letterbox.Placement placement = model.detector().letterbox().apply(image.rgb(), image.width(), image.height(),
        input, 0);
    return new Tile(scene, work.pass(), work.window(), input, placement, System.nanoTime());
  }

  /**
   * Hands batches to the ORT thread: a due batch of any model when it is free, and a full one to queue
   * behind a running batch; otherwise arms a timer for the nearest deadline. Models take turns.
   */
  private void drain() {
    while (batchesSubmitted < 2) {
      List<Tile> batch = List.of();
      ServedModel from = null;
      for (int i = 0; i < models.size() && batch.isEmpty(); i++) {
        from = models.get((nextModel + i) % models.size());
        batch = batchesSubmitted == 0 ? from.batcher().pollReady() : from.batcher().pollFull();
        if (!batch.isEmpty()) {
          nextModel = (nextModel + i + 1) % models.size();
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

  private OptionalLong nextDeadline() {
    OptionalLong nearest = OptionalLong.empty();
    for (ServedModel model : models) {
      OptionalLong due = model.batcher().millisUntilNextDeadline();
      if (due.isPresent() && (nearest.isEmpty() || due.getAsLong() < nearest.getAsLong())) {
        nearest = due;
      }
    }
    return nearest;
  }

  private void submit(ServedModel model, List<Tile> batch) {
    batchesSubmitted++;
    ortThread.executeBlocking(() -> model.run(batch, metrics), false).onComplete(result -> {
      batchesSubmitted--;
      for (int i = 0; i < batch.size(); i++) {
        Tile tile = batch.get(i);
        tilesInFlight--;
        if (result.succeeded()) {
          List<Detection> found = result.result().get(i);
          tile.pass().job().windowDone(tile.window(), found);
          windowFinished(tile.scene());
        } else {
          tile.scene().windowFailed(tile.pass());
          failScene(tile.scene(), new FailureException(Failure.INTERNAL, "inference failed: " + result.cause().getMessage()));
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

  // ---- a scene's end ------------------------------------------------------------------------------

  private void windowFinished(Scene scene) {
    if (scene.windowCount() > 1) {
      long now = System.currentTimeMillis();
      if (scene.complete() || now - scene.lastProgressMs >= config.scenes().progressIntervalMs()) {
        scene.lastProgressMs = now;
        cache.setJson(CacheKeys.progress(scene.claim.imageId()), new JsonObject()
            .put("tiles_done", scene.windowsDone()).put("tiles_total", scene.windowCount()), PROGRESS_TTL_SECONDS);
      }
    }
    if (scene.complete() && !scene.answered) {
      scene.answered = true;
      preprocessPool.executeBlocking(() -> assembler.assemble(scene, scene.source.width(), scene.source.height()), false)
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

  private void failScene(Scene scene, Throwable error) {
    if (!scene.answered) {
      scene.answered = true;
      activeScenes.remove(scene.claim.imageId());
      scene.requests.forEach(request -> answerFailure(request, error));
    }
    closeIfSettled(scene);
  }

  private void closeIfSettled(Scene scene) {
    if (scene.closed || !scene.settled() || !scene.answered) {
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

  private void answerFailure(Message<ImageClaim> request, Throwable error) {
    if (error instanceof InvalidImageException invalid) {
      request.fail(Failure.INVALID_IMAGE.code(), invalid.code() + ": " + invalid.getMessage());
    } else if (error instanceof FailureException stage) {
      request.fail(stage.failure().code(), stage.getMessage());
    } else if (error instanceof IllegalArgumentException bad) {
      // A request the image cannot satisfy (a band it does not have, an unknown sensor): retrying won't help.
      request.fail(Failure.INVALID_IMAGE.code(), "invalid_request: " + bad.getMessage());
    } else {
      request.fail(Failure.INTERNAL.code(), String.valueOf(error.getMessage()));
    }
  }

  @Override
  public Future<?> stop() {
    List<Future<?>> closing = new ArrayList<>();
    if (detectConsumer != null) {
      closing.add(detectConsumer.unregister());
      closing.add(healthConsumer.unregister());
    }
    for (ServedModel model : models) {
      for (Tile tile : model.batcher().drainAll()) {
        failScene(tile.scene(), new FailureException(Failure.UNAVAILABLE, "inference is stopping"));
      }
    }
    // The sessions are closed on the ORT thread itself, after any run still in flight there.
    return Future.join(closing).compose(v -> ortThread.executeBlocking(() -> {
      for (ServedModel model : models) {
        model.close();
      }
      return null;
    }, false)).onComplete(v -> {
      ortThread.close();
      preprocessPool.close();
    });
  }
}
