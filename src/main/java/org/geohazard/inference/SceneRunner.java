package org.geohazard.inference;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.geohazard.analysis.Analysis;
import org.geohazard.bus.Failure;
import org.geohazard.bus.ImageClaim;
import org.geohazard.bus.ServiceBus;
import org.geohazard.bus.ShadowSave;
import org.geohazard.bus.ShadowService;
import org.geohazard.change.CoRegistration;
import org.geohazard.change.OtherSensor;
import org.geohazard.change.PairPlan;
import org.geohazard.cache.CacheKeys;
import org.geohazard.cache.RedisCache;
import org.geohazard.config.AppConfig;
import org.geohazard.detection.Detection;
import org.geohazard.detection.ModelProfile;
import org.geohazard.detection.Sensor;
import org.geohazard.detection.ViewPlanner;
import org.geohazard.geo.GeoReference;
import org.geohazard.image.GeoTiffRaster;
import org.geohazard.image.ImageDecoder;
import org.geohazard.image.ImageLimits;
import org.geohazard.image.InvalidImageException;
import org.geohazard.image.RgbArrayPool;
import org.geohazard.image.RgbImage;
import org.geohazard.inference.scene.Scene;
import org.geohazard.inference.scene.SceneAssembler;
import org.geohazard.inference.scene.ScenePair;
import org.geohazard.inference.scene.SceneExtent;
import org.geohazard.inference.scene.ScenePlanner;
import org.geohazard.inference.scene.SceneSource;
import org.geohazard.metrics.NodeMetrics;
import org.geohazard.metrics.NodeMetrics.Stage;
import org.geohazard.reference.ReferenceSources;
import org.geohazard.reference.SceneSpec;
import org.geohazard.storage.ObjectStore;
import org.geohazard.storage.S3ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Analyses images as scenes: fetches and opens each one, plans the models' looks ({@link ScenePlanner}), reads and
 * letterboxes windows on the preprocessing pool (a bounded number at a time across all scenes, round-robin), hands
 * them to the {@link BatchScheduler}, and when a scene's last window is done, has {@link SceneAssembler} make the
 * analysis, stores each shadow candidate's comparison, and closes the scene. A request for an image already being
 * analysed (a retry after a timeout, a redelivery) gets the same answer instead of starting again.
 *
 * <p>Scene state lives on the worker's event loop only; windows are read and scenes planned and assembled on
 * the preprocessing pool.
 */
final class SceneRunner {

  private static final Logger LOG = LoggerFactory.getLogger(SceneRunner.class);
  /** How long a scene's progress stays readable after its last update. */
  private static final int PROGRESS_TTL_SECONDS = 3600;
  /**
   * What the kept pixel arrays of decoded pictures may take together (see {@link #decodedArrays}): 48 MB, a few
   * pictures of each size a mixed stream brings, or a sixteenth of a small heap.
   */
  static final long DECODED_ARRAYS_BYTES = Math.min(48L << 20, Runtime.getRuntime().maxMemory() / 16);

  /** One window's detections (or a mask model's probabilities, else null), and its share of the model's run time. */
  record WindowResult(List<Detection> detections, long modelNanos, float[] mask) {}

  private final Vertx vertx;
  private final AppConfig config;
  private final ObjectStore objectStore;
  private final RedisCache cache;
  private final NodeMetrics metrics;
  private final WorkerExecutor preprocessPool;
  private final ModelRepository models;
  private final BatchScheduler<ServedModel, Tile, WindowResult> scheduler;
  private final ImageLimits limits;
  private final ScenePlanner planner;
  private final SceneAssembler assembler = new SceneAssembler();
  private final Path scratch;
  private final int maxTilesInFlight;
  /** Opens scenes analysed by reference; null when the store is not one they can be read from. */
  private final ReferenceScenes references;
  /**
   * The pixel arrays of closed scenes' pictures, for the next pictures of the same size (RgbArrayPool: each is a
   * humongous object the collector would otherwise free and the decoder allocate again, per image). The bound is
   * what a steady stream of mixed sizes needs to find its sizes again; the pictures in flight are held anyway.
   */
  private final RgbArrayPool decodedArrays = new RgbArrayPool(DECODED_ARRAYS_BYTES);
  private final ArrayDeque<Scene<ServedModel>> scenesWanting = new ArrayDeque<>();
  /** Images being opened or analysed, by image id; a request for one of them waits for the same answer. */
  private final Map<String, Future<Analysis>> active = new HashMap<>();
  /** Whoever waits for each scene's analysis; the entry goes when the scene is answered. */
  private final Map<Scene<ServedModel>, Promise<Analysis>> answers = new IdentityHashMap<>();
  /** Scenes looked at for another claim (another sensor's scene): their analysis draws no flood extent. */
  private final Set<Scene<ServedModel>> lookingForAnother = Collections.newSetFromMap(new IdentityHashMap<>());
  private int tilesInFlight;
  /** Set when the worker stops: no more windows are read. */
  private boolean stopping;

  SceneRunner(Vertx vertx, AppConfig config, ObjectStore objectStore, RedisCache cache, NodeMetrics metrics,
              WorkerExecutor preprocessPool, ModelRepository models,
              BatchScheduler<ServedModel, Tile, WindowResult> scheduler, Path scratch) {
    this.vertx = vertx;
    this.config = config;
    this.objectStore = objectStore;
    this.cache = cache;
    this.metrics = metrics;
    this.preprocessPool = preprocessPool;
    this.models = models;
    this.scheduler = scheduler;
    this.scratch = scratch;
    this.limits = ImageLimits.of(config.limits());
    this.planner = new ScenePlanner(config.scenes());
    this.maxTilesInFlight = windowsAhead(config);
    this.references = objectStore instanceof S3ObjectStore s3
        ? new ReferenceScenes(ReferenceSources.of(vertx, s3, config.references()), limits) : null;
  }

  /**
   * Windows read ahead of the model: enough for a running batch, a full one queued behind it and the next being
   * prepared meanwhile, and never fewer than configured.
   */
  static int windowsAhead(AppConfig config) {
    return Math.max(config.scenes().tilesInFlight(), 3 * config.batcher().maxBatch());
  }

  /** The analysis of the claimed image; fails with a {@link Failure} saying why. Event loop. */
  Future<Analysis> analyse(ImageClaim claim) {
    Future<Analysis> running = active.get(claim.imageId());
    if (running != null) {
      return running;
    }
    Future<Scene<ServedModel>> opened = claim.otherSensor() == null ? open(claim, null, false)
        : seenByOtherSensor(claim).compose(other -> open(claim, other, false));
    Future<Analysis> analysis = opened.compose(this::run).recover(error -> Future.failedFuture(failureOf(error)));
    active.put(claim.imageId(), analysis);
    analysis.onComplete(done -> active.remove(claim.imageId(), analysis));
    return analysis;
  }

  /** Queues an opened scene's windows; completes with its analysis when the serving passes are done. */
  private Future<Analysis> run(Scene<ServedModel> scene) {
    Promise<Analysis> answer = Promise.promise();
    answers.put(scene, answer);
    scenesWanting.add(scene);
    pump();
    return answer.future();
  }

  /**
   * The other sensor's scene as the serving models saw it, with the facts of its header and its content
   * ({@code sha256}: the claim's, or the file's offline).
   */
  record OtherScene(String sha256, PairPlan.SceneFacts facts, Analysis analysis) {}

  /**
   * The other sensor's scene of {@code claim}, looked at first as its own upload was (alone, or as a pair), so that
   * its boxes can corroborate the scene's ({@link OtherSensor}). It is analysed again rather than read from its
   * stored result: the same models make the same boxes, and nothing waits on its upload's state. It is a look for
   * this claim, not that upload's analysis: at this claim's priority, its progress shown as this claim's, no shadow
   * candidates, no flood extent drawn or stored. A failure says it was the other scene's.
   */
  private Future<OtherScene> seenByOtherSensor(ImageClaim claim) {
    ImageClaim other = claim.otherSensor();
    ImageClaim look = new ImageClaim(claim.imageId(), other.sha256(), other.objectKey(), other.contentType(),
        claim.priority(), other.latitude(), other.longitude(), other.gsdM(), other.bands(), other.sensor(),
        claim.enqueuedAtMs(), null, other.beforeObjectKey());
    return open(look, null, true).compose(scene -> {
      PairPlan.SceneFacts facts = factsOf(look, scene.source());
      lookingForAnother.add(scene);
      return run(scene).map(analysis -> new OtherScene(other.sha256(), facts, analysis));
    }).recover(error -> {
      Failure failure = failureOf(error);
      return Future.failedFuture(new Failure(failure.code(), "other sensor's scene: " + failure.getMessage()));
    });
  }

  /**
   * What {@link PairPlan} and {@link OtherSensor} read of an opened scene. A sensor name the node does not know
   * (checked at upload, so only a changed row) counts as none: the layout decides, as for an unnamed scene.
   */
  static PairPlan.SceneFacts factsOf(ImageClaim claim, SceneSource source) {
    Optional<Sensor> named;
    try {
      named = claim.sensor() == null ? Optional.empty() : Optional.of(Sensor.fromWire(claim.sensor()));
    } catch (IllegalArgumentException unknown) {
      named = Optional.empty();
    }
    return new PairPlan.SceneFacts(source.width(), source.height(), source.bandCount(), source.floatingPoint(), named,
        source.georeference().filter(GeoReference.class::isInstance).map(GeoReference.class::cast));
  }

  /**
   * What the other sensor's scene gives this one (preprocessing thread): checked again on the real headers (the
   * API checked them before storing; a refusal here is a file changed in between), its boxes placed on this grid.
   */
  static OtherSensor.Look lookWith(ImageClaim claim, SceneSource source, OtherScene other) {
    PairPlan.SceneFacts facts = factsOf(claim, source);
    try {
      double overlap = OtherSensor.check(facts, other.facts());
      String family = OtherSensor.familyOf(other.facts()).orElseThrow();
      return OtherSensor.look(other.analysis(), other.sha256(), family, overlap,
          facts.georeference().orElseThrow(), source.width(), source.height());
    } catch (CoRegistration.Refused refused) {
      throw new IllegalArgumentException("other sensor's scene: " + refused.getMessage(), refused);
    }
  }

  /**
   * Fetches the image and opens it as a scene. TIFFs go to a scratch file so that large scenes are read
   * window by window from disk; other images are decoded from memory. {@code other}: the other sensor's scene
   * already looked at, or null; {@code forAnother}: this is that other scene, looked at for another claim (no
   * shadow candidates).
   */
  private Future<Scene<ServedModel>> open(ImageClaim claim, OtherScene other, boolean forAnother) {
    long start = System.nanoTime();
    if (SceneSpec.isReference(claim.objectKey())) {
      return openReference(claim, start);
    }
    if (!"image/tiff".equals(claim.contentType())) {
      return fetch(objectStore.getBytes(claim.objectKey()), claim)
          .compose(bytes -> preprocessPool.executeBlocking(() -> {
            RgbImage image = new ImageDecoder(limits, decodedArrays).decode(bytes);
            SceneSource.DecodedScene source = new SceneSource.DecodedScene(image, decodedArrays);
            try {
              return plan(claim, source, null, start, null, null, forAnother);
            } catch (Exception e) {
              source.close();
              throw e;
            }
          }, false));
    }
    return preprocessPool.executeBlocking(() -> Files.createTempFile(scratch, "scene-", ".tif"), false)
        .compose(file -> fetch(objectStore.download(claim.objectKey(), file), claim)
            .compose(v -> claim.beforeObjectKey() == null ? Future.succeededFuture((Path) null) : fetchBefore(claim))
            .compose(before -> preprocessPool.executeBlocking(() -> {
              SceneSource source = SceneSource.open(file, limits);
              try {
                return plan(claim, source, file, start, before == null ? null : pair(claim, source, before, start),
                    other == null ? null : lookWith(claim, source, other), forAnother);
              } catch (Exception e) {
                source.close();
                throw e;
              } finally {
                if (before != null) {
                  deleteQuietly(before);
                }
              }
            }, false))
            .onFailure(error -> deleteQuietly(file)));
  }

  /** A scene analysed where it lies (issue 25): read by ranged requests, nothing downloaded. */
  private Future<Scene<ServedModel>> openReference(ImageClaim claim, long start) {
    if (references == null) {
      return Future.failedFuture(new Failure(Failure.Code.INVALID_IMAGE,
          "reference_refused: this node's object store does not read references"));
    }
    return preprocessPool.executeBlocking(() -> {
      List<ModelProfile> serving = models.servingFor(claim.model()).stream().map(ServedModel::profile).toList();
      ReferenceScenes.Opened opened = references.open(claim, serving);
      try {
        return plan(opened.claim(), opened.source(), null, start, null, null, false);
      } catch (Exception e) {
        opened.source().close();
        throw e;
      }
    }, false);
  }

  /** The before scene of a pair, fetched to a scratch file of its own (read once, then deleted). */
  private Future<Path> fetchBefore(ImageClaim claim) {
    return preprocessPool.executeBlocking(() -> Files.createTempFile(scratch, "before-", ".tif"), false)
        .compose(file -> fetch(objectStore.download(claim.beforeObjectKey(), file), claim).map(file)
            .onFailure(error -> deleteQuietly(file)));
  }

  /**
   * Reads a pair's bands and finds its change (preprocessing thread). A pair the node cannot compare is an image it
   * cannot analyse (the API refuses such pairs before they are stored, so this is a file changed in between).
   */
  private static ScenePair pair(ImageClaim claim, SceneSource source, Path before, long start) throws Exception {
    try (GeoTiffRaster raster = GeoTiffRaster.open(before)) {
      String key = claim.beforeObjectKey();
      return ScenePair.read(claim, source, raster, key.substring(key.lastIndexOf('/') + 1), start);
    } catch (CoRegistration.Refused refused) {
      throw new IllegalArgumentException("before/after pair: " + refused.getMessage(), refused);
    }
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

  /**
   * On a preprocessing thread: which models look at the image and how, and the windows of each look; the models
   * are held for the scene. A model swapped meanwhile is retired and refuses new scenes: plan again with the
   * models served then.
   */
  private Scene<ServedModel> plan(ImageClaim claim, SceneSource source, Path file, long startNanos, ScenePair pair,
                                  OtherSensor.Look otherSensor, boolean forAnother) throws Exception {
    ViewPlanner.ImageFacts facts = ScenePlanner.factsOf(claim, source);
    String defaultBands = claim.bands() != null ? claim.bands() : config.scenes().defaultBands();
    while (true) {
      List<ServedModel> serving = models.servingFor(claim.model());
      List<Scene.Pass<ServedModel>> planned = planner.servingPasses(serving, facts, source, defaultBands, startNanos,
          pair);
      List<Scene.Pass<ServedModel>> passes = new ArrayList<>(forAnother ? ScenePlanner.detectorsWherePossible(planned)
          : planned);
      if (claim.model() == null && !forAnother) {
        for (ServedModel candidate : models.shadows()) {
          if (ShadowSampling.selects(claim.imageId(), candidate.shadowShare())) {
            passes.addAll(planner.shadowPasses(candidate, serving, facts, source, defaultBands, startNanos));
          }
        }
      }
      Scene<ServedModel> scene = new Scene<>(claim, source, file, source.georeference(), passes, startNanos, pair,
          otherSensor);
      if (models.acquire(scene.models())) {
        return scene;
      }
    }
  }

  /** Hands out windows, round-robin across scenes, while fewer than the limit are in flight. */
  private void pump() {
    while (!stopping && tilesInFlight < maxTilesInFlight && !scenesWanting.isEmpty()) {
      Scene<ServedModel> scene = scenesWanting.poll();
      if (!scene.hasNextWindow()) {
        continue;
      }
      Scene.Work<ServedModel> work = scene.takeNextWindow();
      tilesInFlight++;
      if (scene.hasNextWindow()) {
        scenesWanting.add(scene);
      }
      long start = System.nanoTime();
      preprocessPool.executeBlocking(() -> Tile.prepare(scene, work), false)
          .onSuccess(tile -> {
            metrics.record(Stage.PREPROCESS, System.nanoTime() - start);
            scheduler.offer(tile.pass().model(), tile, scene.claim().highPriority() ? DynamicBatcher.Priority.HIGH
                : DynamicBatcher.Priority.NORMAL).onComplete(ran -> windowRan(tile, ran));
          })
          .onFailure(error -> {
            tilesInFlight--;
            scene.windowFailed(work.pass());
            if (work.pass().shadow()) {
              LOG.warn("shadow model {} could not read a window of image {}: {}",
                  work.pass().model().profile().version(), scene.claim().imageId(), error.getMessage());
              windowFinished(scene);
            } else {
              failScene(scene, error);
            }
            pump();
          });
    }
  }

  /** A window's batch has run (or failed): the window is done, or its pass (a serving one: the scene) failed. */
  private void windowRan(Tile tile, AsyncResult<WindowResult> ran) {
    tilesInFlight--;
    Scene<ServedModel> scene = tile.scene();
    if (ran.succeeded()) {
      tile.pass().job().addModelNanos(ran.result().modelNanos());
      if (tile.pass().mask() != null) {
        // On the event loop, in window order: a 256² window blends in well under a millisecond.
        tile.pass().mask().add(tile.window(), tile.placement().srcWidth(), tile.placement().srcHeight(),
            ran.result().mask());
      }
      tile.pass().job().windowDone(tile.window(), ran.result().detections());
      windowFinished(scene);
    } else {
      scene.windowFailed(tile.pass());
      if (tile.pass().shadow()) {
        windowFinished(scene);
      } else {
        failScene(scene, ran.cause() instanceof Failure failure ? failure
            : new Failure(Failure.Code.INTERNAL_ERROR, "inference failed: " + ran.cause().getMessage()));
      }
    }
    pump();
  }

  private void windowFinished(Scene<ServedModel> scene) {
    long now = System.currentTimeMillis();
    if (scene.progressDue(now, config.scenes().progressIntervalMs())) {
      cache.setJson(CacheKeys.progress(scene.claim().imageId()), new JsonObject()
          .put("tiles_done", scene.windowsDone()).put("tiles_total", scene.windowCount()), PROGRESS_TTL_SECONDS);
    }
    if (!scene.answerNow()) {
      closeIfSettled(scene);
      return;
    }
    Promise<Analysis> answer = answers.remove(scene);
    preprocessPool.executeBlocking(() -> assembler.assemble(scene), false)
        .compose(analysis -> lookingForAnother.contains(scene) ? Future.succeededFuture(analysis)
            : withExtent(scene, analysis))
        .onSuccess(analysis -> {
          answer.complete(analysis);
          compareCandidates(scene, analysis);
        })
        .onFailure(error -> answer.fail(error instanceof Failure failure ? failure
            : new Failure(Failure.Code.INTERNAL_ERROR, "analysis failed: " + error.getMessage())))
        .onComplete(done -> closeIfSettled(scene));
  }

  /**
   * The analysis with its flood extent, when a mask model looked: the mask stitched, traced and clipped to land on a
   * preprocessing thread, its GeoTIFF stored before the answer (a result never names a mask that is not there). A
   * store that cannot take it fails the scene as an outage, to be retried.
   */
  private Future<Analysis> withExtent(Scene<ServedModel> scene, Analysis analysis) {
    Scene.Pass<ServedModel> pass = scene.servingPasses().stream().filter(p -> p.mask() != null).findFirst()
        .orElse(null);
    if (pass == null) {
      return Future.succeededFuture(analysis);
    }
    long start = System.nanoTime();
    String version = pass.model().profile().version();
    return preprocessPool.executeBlocking(() -> SceneExtent.make(pass.mask(), version, scene.claim().sha256(), scratch,
            SceneExtent.landLayer(), SceneExtent.waterBefore(scene.pair(), scene.source().width(),
                scene.source().height(), pass.mask().grid())), false)
        .compose(made -> objectStore.put(made.extent().maskKey(), made.maskFile(), "image/tiff")
            .recover(error -> Future.failedFuture(new Failure(Failure.Code.UNAVAILABLE, "cannot store the flood mask: "
                + error.getMessage())))
            .onComplete(stored -> deleteQuietly(made.maskFile()))
            .map(stored -> {
              LOG.info("image {}: flood extent {} by {} ({} ms after the last window, {} windows waited at most)",
                  scene.claim().imageId(), SceneExtent.describe(made.extent()), version,
                  (System.nanoTime() - start) / 1_000_000, pass.mask().mostWaiting());
              return analysis.withExtent(made.extent());
            }));
  }

  /**
   * Each candidate that finished its look: its analysis (with it in place of the model it would replace) goes to
   * the shadow table beside the result, with both models' run times. Nothing waits for it, and nothing of it is
   * published: it never becomes a result or an alert.
   */
  private void compareCandidates(Scene<ServedModel> scene, Analysis serving) {
    for (ServedModel candidate : scene.completedCandidates()) {
      preprocessPool.executeBlocking(() -> shadowSave(scene, candidate, serving), false)
          .compose(save -> ServiceBus.client(vertx.eventBus(), ShadowService.class).save(save))
          .onFailure(error -> LOG.warn("shadow analysis of image {} by {} not stored: {}", scene.claim().imageId(),
              candidate.profile().version(), error.getMessage()));
    }
  }

  private ShadowSave shadowSave(Scene<ServedModel> scene, ServedModel candidate, Analysis serving) {
    Analysis candidates = assembler.assembleWith(scene, candidate);
    ServedModel replaced = null;
    long candidateNanos = 0;
    for (Scene.Pass<ServedModel> pass : scene.passes()) {
      if (pass.shadow() && pass.model() == candidate) {
        candidateNanos += pass.job().modelNanos();
        replaced = pass.replaces();
      }
    }
    Double servingMs = null;
    if (replaced != null) {
      long nanos = 0;
      for (Scene.Pass<ServedModel> pass : scene.servingPasses()) {
        nanos += pass.model() == replaced ? pass.job().modelNanos() : 0;
      }
      servingMs = nanos / 1e6;
    }
    return new ShadowSave(scene.claim().imageId(), candidate.profile().version(), candidate.sha256(),
        replaced == null ? null : replaced.profile().version(), servingMs, candidateNanos / 1e6, serving, candidates);
  }

  private void failScene(Scene<ServedModel> scene, Throwable error) {
    if (scene.failNow()) {
      answers.remove(scene).fail(error);
    }
    closeIfSettled(scene);
  }

  /** Once a scene is answered and nothing of it is in flight: its models let go, its source and file closed. */
  private void closeIfSettled(Scene<ServedModel> scene) {
    if (!scene.closeNow()) {
      return;
    }
    lookingForAnother.remove(scene);
    scene.models().forEach(models::release);
    preprocessPool.executeBlocking(() -> {
      scene.source().close();
      scene.file().ifPresent(SceneRunner::deleteQuietly);
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

  /** What a failure means to whoever asked: an image it cannot analyse, a retryable outage, or an internal error. */
  private static Failure failureOf(Throwable error) {
    if (error instanceof InvalidImageException invalid) {
      return new Failure(Failure.Code.INVALID_IMAGE, invalid.code() + ": " + invalid.getMessage());
    } else if (error instanceof Failure failure) {
      return failure;
    } else if (error instanceof IllegalArgumentException bad) {
      // A request the image cannot satisfy (a band it does not have, an unknown sensor): retrying won't help.
      return new Failure(Failure.Code.INVALID_IMAGE, "invalid_request: " + bad.getMessage());
    }
    return new Failure(Failure.Code.INTERNAL_ERROR, String.valueOf(error.getMessage()));
  }

  /** The worker stops: windows still waiting fail their scenes as a retryable outage. */
  void stop() {
    stopping = true;
    scheduler.failAll(new Failure(Failure.Code.UNAVAILABLE, "inference is stopping"));
  }
}
