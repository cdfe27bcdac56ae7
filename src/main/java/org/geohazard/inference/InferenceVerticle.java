package org.geohazard.inference;

import io.vertx.core.Context;
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
import java.util.OptionalLong;
import org.geohazard.analysis.Analysis;
import org.geohazard.bus.Addresses;
import org.geohazard.bus.Failure;
import org.geohazard.bus.HealthQuery;
import org.geohazard.bus.ImageClaim;
import org.geohazard.bus.InferenceStatus;
import org.geohazard.bus.ModelInstall;
import org.geohazard.bus.ModelSummary;
import org.geohazard.bus.ServiceBus;
import org.geohazard.bus.ShadowSave;
import org.geohazard.bus.ShadowService;
import org.geohazard.cache.CacheKeys;
import org.geohazard.cache.RedisCache;
import org.geohazard.config.AppConfig;
import org.geohazard.detection.Detection;
import org.geohazard.detection.ViewPlanner;
import org.geohazard.geo.PixelGeolocation;
import org.geohazard.image.ImageDecoder;
import org.geohazard.image.ImageLimits;
import org.geohazard.image.InvalidImageException;
import org.geohazard.image.RgbImage;
import org.geohazard.inference.scene.SceneJob;
import org.geohazard.inference.scene.SceneSource;
import org.geohazard.metrics.NodeMetrics.Stage;
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
  /**
   * The models whose looks make results. Replaced whole (never changed in place) on the event loop; read by
   * scene planning on preprocessing threads.
   */
  private volatile List<ServedModel> models = List.of();
  /** Candidate models in shadow mode: they look at a share of the images, and their analyses are only compared. */
  private volatile List<ServedModel> shadows = List.of();
  /** Replaced or withdrawn models still used by scenes in flight; closed when the last one is done. */
  private final List<ServedModel> retiring = new ArrayList<>();
  /** Every model with a batcher to drain: serving, shadows and retiring. Event loop only. */
  private List<ServedModel> batching = List.of();
  /** Model changes one at a time. */
  private Future<?> installs = Future.succeededFuture();
  private MessageConsumer<ModelInstall> installConsumer;
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
  private Context context;

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
    context = vertx.getOrCreateContext();
    preprocessPool = vertx.createSharedWorkerExecutor("geohazard-preprocess-" + deviceId, batching.preprocessThreads());
    // One thread for all sessions: it runs one batch at a time and ORT parallelises inside the run.
    ortThread = vertx.createSharedWorkerExecutor("geohazard-ort-" + deviceId, 1);
    limits = ImageLimits.of(config.limits());
    slicing = Scene.slicing(config.scenes());
    maxTilesInFlight = Scene.windowsAhead(config);
    return ortThread.executeBlocking(() -> {
      scratch = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "geohazard-scenes"));
      return ServedModel.loadAll(model, model.paths(), deviceId, batching);
    }, false).map(loaded -> {
      models = List.copyOf(loaded);
      refreshBatching();
      detectConsumer = vertx.eventBus().localConsumer(Addresses.INFERENCE_DETECT.name(), this::onDetect);
      healthConsumer = Addresses.INFERENCE_HEALTH.consume(vertx.eventBus(), query -> Future.succeededFuture(status()),
          Failure.Code.INTERNAL_ERROR);
      installConsumer = Addresses.INFERENCE_MODELS_INSTALL.at(String.valueOf(deviceId)).consume(vertx.eventBus(),
          this::install, Failure.Code.INTERNAL_ERROR);
      LOG.info("serving {} model(s); batch <= {}, delay <= {} ms", models.size(), batching.maxBatch(),
          batching.maxDelayMs());
      // The permanent-water layer (seconds to read) in the background now, not under the first placed flood box.
      preprocessPool.executeBlocking(org.geohazard.geo.LandMask::naturalEarth, false)
          .onSuccess(mask -> LOG.info("land layer read: {} polygons (Natural Earth 1:10m)", mask.polygons()))
          .onFailure(error -> LOG.warn("land layer not read: {}", error.toString()));
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
        .recover(error -> Future.failedFuture(error instanceof ObjectStore.MissingObjectException
            // Not an outage: a few attempts (it may yet appear: a put racing this claim), then dead-lettered.
            ? new Failure(Failure.Code.INTERNAL_ERROR, "the stored image is missing: " + claim.objectKey())
            : new Failure(Failure.Code.UNAVAILABLE, "cannot fetch " + claim.objectKey() + ": "
                + error.getMessage())));
  }

  /** On a preprocessing thread: which models look at the image and how, and the windows of each look. */
  private Scene newScene(ImageClaim claim, SceneSource source, Path file, long startNanos) throws Exception {
    Optional<PixelGeolocation> georeference = source.georeference();
    ViewPlanner.ImageFacts facts = Scene.factsOf(claim, source);
    String defaultBands = claim.bands() != null ? claim.bands() : config.scenes().defaultBands();
    // A model swapped meanwhile is retired and refuses new scenes: plan again with the models served then.
    while (true) {
      List<ServedModel> serving = servingFor(claim);
      List<Scene.Pass> passes = new ArrayList<>(Scene.servingPasses(serving, facts, source, defaultBands, slicing,
          startNanos));
      if (claim.model() == null) {
        for (ServedModel candidate : shadows) {
          if (ShadowSampling.selects(claim.imageId(), candidate.shadowShare())) {
            passes.addAll(shadowPasses(candidate, serving, facts, source, defaultBands, startNanos));
          }
        }
      }
      Scene scene = new Scene(claim, source, file, georeference, passes, startNanos);
      List<ServedModel> acquired = new ArrayList<>();
      for (ServedModel model : scene.models()) {
        if (!model.acquire()) {
          break;
        }
        acquired.add(model);
      }
      if (acquired.size() == scene.models().size()) {
        return scene;
      }
      // Give back what was taken; a model retired meanwhile and used by nothing else is closed on the event loop.
      for (ServedModel model : acquired) {
        if (model.release()) {
          context.runOnContext(v -> close(model));
        }
      }
    }
  }

  /** The models a claim is analysed by: those served, or the one a re-analysis named. */
  private List<ServedModel> servingFor(ImageClaim claim) {
    List<ServedModel> serving = models;
    if (claim.model() == null) {
      return serving;
    }
    List<ServedModel> named = serving.stream().filter(m -> m.profile().version().equals(claim.model())).toList();
    if (named.isEmpty()) {
      throw new Failure(Failure.Code.INVALID_IMAGE, "model " + claim.model() + " is not served by this worker ("
          + serving.stream().map(m -> m.profile().version()).toList() + ")");
    }
    return named;
  }

  /**
   * A candidate's look at the scene: planned as if it served in place of the serving model of its view (or
   * beside the others when none has its view), keeping only its own passes.
   */
  private List<Scene.Pass> shadowPasses(ServedModel candidate, List<ServedModel> serving, ViewPlanner.ImageFacts facts,
                                        SceneSource source, String defaultBands, long startNanos) throws Exception {
    List<ServedModel> lineup = new ArrayList<>(serving);
    ServedModel replaced = null;
    int slot = -1;
    for (int i = 0; i < lineup.size(); i++) {
      if (lineup.get(i).profile().view() == candidate.profile().view()) {
        replaced = lineup.get(i);
        slot = i;
        break;
      }
    }
    if (slot >= 0) {
      lineup.set(slot, candidate);
    } else {
      lineup.add(candidate);
      slot = lineup.size() - 1;
    }
    List<Scene.Pass> passes = new ArrayList<>();
    for (ViewPlanner.Pass plan : ViewPlanner.plan(lineup.stream().map(ServedModel::profile).toList(), facts)) {
      if (plan.model() == slot) {
        passes.add(Scene.pass(candidate, plan, source, defaultBands, slicing, startNanos, true, replaced));
      }
    }
    return passes;
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
            if (work.pass().shadow()) {
              LOG.warn("shadow model {} could not read a window of image {}: {}",
                  work.pass().model().profile().version(), scene.claim.imageId(), error.getMessage());
              windowFinished(scene);
            } else {
              failScene(scene, error);
            }
            pump();
          });
    }
  }

  /** On a preprocessing thread: the window's pixels, letterboxed into a reusable input buffer of its model. */
  private Tile prepare(Scene scene, Scene.Work work) throws IOException, InvalidImageException {
    // Not serialised per scene: the windows of one large scene are decoded on every preprocessing thread at once.
    RgbImage image = work.pass().reader().read(work.window());
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
      for (int i = 0; i < batching.size() && batch.isEmpty(); i++) {
        from = batching.get((nextModel + i) % batching.size());
        batch = batchesSubmitted == 0 ? from.batcher().pollReady() : from.batcher().pollFull();
        if (!batch.isEmpty()) {
          nextModel = (nextModel + i + 1) % batching.size();
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
    for (ServedModel model : batching) {
      OptionalLong due = model.batcher().millisUntilNextDeadline();
      if (due.isPresent() && (nearest.isEmpty() || due.getAsLong() < nearest.getAsLong())) {
        nearest = due;
      }
    }
    return nearest;
  }

  private void submit(ServedModel model, List<Tile> batch) {
    batchesSubmitted++;
    ortThread.executeBlocking(() -> {
      long start = System.nanoTime();
      List<List<Detection>> found = model.run(batch, metrics);
      return new Ran(found, System.nanoTime() - start);
    }, false).onComplete(result -> {
      batchesSubmitted--;
      for (int i = 0; i < batch.size(); i++) {
        Tile tile = batch.get(i);
        tilesInFlight--;
        if (result.succeeded()) {
          tile.pass().job().addModelNanos(result.result().nanos() / batch.size());
          tile.pass().job().windowDone(tile.window(), result.result().detections().get(i));
          windowFinished(tile.scene());
        } else if (tile.pass().shadow()) {
          tile.scene().windowFailed(tile.pass());
          windowFinished(tile.scene());
        } else {
          tile.scene().windowFailed(tile.pass());
          failScene(tile.scene(), new Failure(Failure.Code.INTERNAL_ERROR, "inference failed: " + result.cause().getMessage()));
        }
      }
      if (result.failed()) {
        LOG.warn("inference batch of {} failed: {}", batch.size(), result.cause().toString());
      }
      pump();
      drain();
    });
  }

  /** One batch's detections per window, and how long the model ran. */
  private record Ran(List<List<Detection>> detections, long nanos) {}

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
          .onSuccess(analysis -> compareCandidates(scene, analysis))
          .onFailure(error -> scene.requests.forEach(request ->
              request.reply(new Failure(Failure.Code.INTERNAL_ERROR, "analysis failed: " + error.getMessage()))))
          .onComplete(done -> {
            activeScenes.remove(scene.claim.imageId());
            closeIfSettled(scene);
          });
    } else {
      closeIfSettled(scene);
    }
  }

  /**
   * Each candidate that finished its look: its analysis (with it in place of the model it would replace) goes to
   * the shadow table beside the result, with both models' run times. Nothing waits for it, and nothing of it is
   * published: it never becomes a result or an alert.
   */
  private void compareCandidates(Scene scene, Analysis serving) {
    for (ServedModel candidate : scene.completedCandidates()) {
      preprocessPool.executeBlocking(() -> {
        Analysis candidates = assembler.assembleWith(scene, candidate, scene.source.width(), scene.source.height());
        ServedModel replaced = null;
        long candidateNanos = 0;
        for (Scene.Pass pass : scene.passes) {
          if (pass.shadow() && pass.model() == candidate) {
            candidateNanos += pass.job().modelNanos();
            replaced = pass.replaces();
          }
        }
        Double servingMs = null;
        if (replaced != null) {
          long nanos = 0;
          for (Scene.Pass pass : scene.servingPasses()) {
            nanos += pass.model() == replaced ? pass.job().modelNanos() : 0;
          }
          servingMs = nanos / 1e6;
        }
        return new ShadowSave(scene.claim.imageId(), candidate.profile().version(), candidate.sha256(),
            replaced == null ? null : replaced.profile().version(), servingMs, candidateNanos / 1e6, serving,
            candidates);
      }, false)
          .compose(save -> ServiceBus.client(vertx.eventBus(), ShadowService.class).save(save))
          .onFailure(error -> LOG.warn("shadow analysis of image {} by {} not stored: {}", scene.claim.imageId(),
              candidate.profile().version(), error.getMessage()));
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
    scene.models().forEach(this::release);
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
      request.reply(new Failure(Failure.Code.INVALID_IMAGE, invalid.code() + ": " + invalid.getMessage()));
    } else if (error instanceof Failure stage) {
      request.reply(stage);
    } else if (error instanceof IllegalArgumentException bad) {
      // A request the image cannot satisfy (a band it does not have, an unknown sensor): retrying won't help.
      request.reply(new Failure(Failure.Code.INVALID_IMAGE, "invalid_request: " + bad.getMessage()));
    } else {
      request.reply(new Failure(Failure.Code.INTERNAL_ERROR, String.valueOf(error.getMessage())));
    }
  }

  // ---- models changed without a restart ------------------------------------------------------------

  private InferenceStatus status() {
    List<ModelSummary> all = new ArrayList<>();
    models.forEach(m -> all.add(m.describe()));
    shadows.forEach(m -> all.add(m.describe()));
    return new InferenceStatus(all);
  }

  private void refreshBatching() {
    List<ServedModel> all = new ArrayList<>(models);
    all.addAll(shadows);
    all.addAll(retiring);
    batching = List.copyOf(all);
  }

  /** Changes run one after another, each on this event loop except the blocking load. */
  private Future<InferenceStatus> install(ModelInstall change) {
    Future<InferenceStatus> done = installs.transform(ignored -> applyInstall(change));
    installs = done;
    return done;
  }

  private Future<InferenceStatus> applyInstall(ModelInstall change) {
    Path path;
    try {
      path = ModelFiles.resolve(change.path(), config.model().paths());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new Failure(Failure.Code.INVALID_REQUEST, e.getMessage()));
    }
    if (ModelInstall.WITHDRAW.equals(change.mode())) {
      ServedModel shadow = find(shadows, path);
      if (shadow == null) {
        return Future.failedFuture(new Failure(find(models, path) != null ? Failure.Code.CONFLICT
            : Failure.Code.NOT_FOUND, "no shadow model " + path + " to withdraw (a serving model is replaced by serving"
            + " another of its view)"));
      }
      shadows = without(shadows, shadow);
      retire(shadow);
      return Future.succeededFuture(status());
    }
    ServedModel shadow = find(shadows, path);
    if (ModelInstall.SERVE.equals(change.mode()) && shadow != null) {
      // The candidate proved itself: promoted without loading it again.
      shadows = without(shadows, shadow);
      shadow.shadowShare(null);
      serve(shadow);
      return Future.succeededFuture(status());
    }
    if (ModelInstall.SHADOW.equals(change.mode()) && shadow != null) {
      shadow.shadowShare(change.shadowShare());
      return Future.succeededFuture(status());
    }
    return vertx.executeBlocking(() -> ServedModel.load(config.model(), path, deviceId, config.batcher()), false)
        .recover(error -> Future.failedFuture(new Failure(Failure.Code.INVALID_REQUEST,
            "cannot load model " + path + ": " + error.getMessage())))
        .map(loaded -> {
          if (ModelInstall.SHADOW.equals(change.mode())) {
            loaded.shadowShare(change.shadowShare());
            // One candidate per view: a new one replaces the old.
            List<ServedModel> kept = new ArrayList<>();
            List<ServedModel> replaced = new ArrayList<>();
            for (ServedModel other : shadows) {
              (other.profile().view() == loaded.profile().view() ? replaced : kept).add(other);
            }
            kept.add(loaded);
            // Out of the list before retired, so that a scene being planned never finds it again.
            shadows = List.copyOf(kept);
            replaced.forEach(this::retire);
            refreshBatching();
            LOG.info("model {} ({}) runs in shadow on {} of images", loaded.profile().version(), path,
                change.shadowShare());
          } else {
            serve(loaded);
          }
          return status();
        });
  }

  /**
   * {@code model} serves from now on in place of the serving model of its view (added when none has it). New
   * scenes plan with it at once; the replaced model finishes the scenes that use it and is closed after them.
   */
  private void serve(ServedModel model) {
    List<ServedModel> next = new ArrayList<>();
    ServedModel replaced = null;
    for (ServedModel current : models) {
      if (replaced == null && current.profile().view() == model.profile().view()) {
        replaced = current;
        next.add(model);
      } else {
        next.add(current);
      }
    }
    if (replaced == null) {
      next.add(model);
    }
    models = List.copyOf(next);
    int inFlight = replaced == null ? 0 : replaced.scenesUsing();
    if (replaced != null) {
      retire(replaced);
    }
    refreshBatching();
    LOG.info("model {} ({}) serves now{}", model.profile().version(), model.path(), replaced == null ? ""
        : " in place of " + replaced.profile().version() + ", which finishes the " + inFlight
            + " image(s) it has begun before it is closed");
  }

  private void retire(ServedModel model) {
    if (model.retire()) {
      close(model);
    } else {
      retiring.add(model);
      refreshBatching();
    }
  }

  private void release(ServedModel model) {
    if (model.release()) {
      close(model);
    }
  }

  /**
   * Closes a model no scene uses any more, on the ORT thread: after any batch queued there (none of them is this
   * model's, as every scene that used it is closed). Closing a session while it runs would crash the JVM.
   */
  private void close(ServedModel model) {
    retiring.remove(model);
    refreshBatching();
    ortThread.executeBlocking(() -> {
      model.close();
      return null;
    }, false).onSuccess(v -> LOG.info("model {} ({}) closed", model.profile().version(), model.path()))
        .onFailure(error -> LOG.warn("closing model {} failed: {}", model.path(), error.getMessage()));
  }

  private static ServedModel find(List<ServedModel> list, Path path) {
    return list.stream().filter(m -> m.path().toAbsolutePath().normalize().equals(path)).findFirst().orElse(null);
  }

  private static List<ServedModel> without(List<ServedModel> list, ServedModel model) {
    return list.stream().filter(m -> m != model).toList();
  }

  @Override
  public Future<?> stop() {
    List<Future<?>> closing = new ArrayList<>();
    if (detectConsumer != null) {
      closing.add(detectConsumer.unregister());
      closing.add(healthConsumer.unregister());
      closing.add(installConsumer.unregister());
    }
    for (ServedModel model : batching) {
      for (Tile tile : model.batcher().drainAll()) {
        failScene(tile.scene(), new Failure(Failure.Code.UNAVAILABLE, "inference is stopping"));
      }
    }
    // The sessions are closed on the ORT thread itself, after any run still in flight there.
    List<ServedModel> open = batching;
    return Future.join(closing).compose(v -> ortThread.executeBlocking(() -> {
      for (ServedModel model : open) {
        model.close();
      }
      return null;
    }, false)).onComplete(v -> {
      ortThread.close();
      preprocessPool.close();
    });
  }
}
