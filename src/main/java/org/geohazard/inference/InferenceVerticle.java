package org.geohazard.inference;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.MessageConsumer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.geohazard.bus.Addresses;
import org.geohazard.bus.Failure;
import org.geohazard.cache.RedisCache;
import org.geohazard.config.AppConfig;
import org.geohazard.detection.Detection;
import org.geohazard.geo.LandMask;
import org.geohazard.metrics.NodeMetrics;
import org.geohazard.storage.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inference worker of one device, as a model server is cut: a {@link ModelRepository} (the models loaded,
 * serving, in shadow or retiring, closed by reference count), a {@link BatchScheduler} (windows become batches on
 * one ORT thread, and each window's future completes with its detections), and a {@link SceneRunner} (each
 * request on {@code inference.detect} becomes a scene whose windows are read on a preprocessing pool, batched,
 * and assembled into the analysis that answers it). This verticle wires them and answers the bus: detection,
 * health and model changes, each on the typed path of its {@link Addresses} entry.
 */
public final class InferenceVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(InferenceVerticle.class);

  private final AppConfig config;
  private final ObjectStore objectStore;
  private final RedisCache cache;
  private final NodeMetrics metrics;
  /** The GPU this verticle's sessions run on (with a GPU provider); names its worker pools too. */
  private final int deviceId;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private WorkerExecutor preprocessPool;
  private WorkerExecutor ortThread;
  private ModelRepository models;
  private SceneRunner scenes;

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
    AppConfig.Batcher batching = config.batcher();
    preprocessPool = vertx.createSharedWorkerExecutor("geohazard-preprocess-" + deviceId, batching.preprocessThreads());
    // One thread for all sessions: it runs one batch at a time and ORT parallelises inside the run.
    ortThread = vertx.createSharedWorkerExecutor("geohazard-ort-" + deviceId, 1);
    BatchScheduler<ServedModel, Tile, SceneRunner.WindowResult> scheduler = new BatchScheduler<>(vertx, ortThread,
        this::run, ServedModel::batchLimit, batching.maxDelayMs());
    models = new ModelRepository(vertx, context, ortThread, config, deviceId, scheduler::forget);
    return preprocessPool.executeBlocking(() -> Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"),
        "geohazard-scenes")), false).compose(scratch -> {
      scenes = new SceneRunner(vertx, config, objectStore, cache, metrics, preprocessPool, models, scheduler, scratch);
      return models.loadConfigured();
    }).map(loaded -> {
      consumers.add(Addresses.INFERENCE_DETECT.consume(vertx.eventBus(), scenes::analyse, Failure.Code.INTERNAL_ERROR));
      consumers.add(Addresses.INFERENCE_HEALTH.consume(vertx.eventBus(),
          query -> Future.succeededFuture(models.status()), Failure.Code.INTERNAL_ERROR));
      consumers.add(Addresses.INFERENCE_MODELS_INSTALL.at(String.valueOf(deviceId)).consume(vertx.eventBus(),
          models::install, Failure.Code.INTERNAL_ERROR));
      LOG.info("serving {} model(s); batch <= {}, delay <= {} ms", loaded.size(), batching.maxBatch(),
          batching.maxDelayMs());
      // The permanent-water layer (seconds to read) in the background now, not under the first placed flood box.
      preprocessPool.executeBlocking(LandMask::naturalEarth, false)
          .onSuccess(mask -> LOG.info("land layer read: {} polygons (Natural Earth 1:10m)", mask.polygons()))
          .onFailure(error -> LOG.warn("land layer not read: {}", error.toString()));
      return null;
    });
  }

  /**
   * On the ORT thread: one batch of one model, each window's detections (or, for a mask model, its flood
   * probabilities) with its share of the run time.
   */
  private List<SceneRunner.WindowResult> run(ServedModel model, List<Tile> batch) throws Exception {
    long start = System.nanoTime();
    if (model.masks()) {
      List<float[]> masks = model.runMasks(batch, metrics);
      long share = (System.nanoTime() - start) / batch.size();
      return masks.stream().map(mask -> new SceneRunner.WindowResult(List.of(), share, mask)).toList();
    }
    List<List<Detection>> found = model.run(batch, metrics);
    long share = (System.nanoTime() - start) / batch.size();
    return found.stream().map(detections -> new SceneRunner.WindowResult(detections, share, null)).toList();
  }

  @Override
  public Future<?> stop() {
    List<Future<?>> closing = new ArrayList<>();
    consumers.forEach(consumer -> closing.add(consumer.unregister()));
    if (scenes != null) {
      scenes.stop();
    }
    // The sessions are closed on the ORT thread itself, after any run still in flight there.
    return Future.join(closing).compose(v -> models == null ? Future.succeededFuture() : models.closeAll())
        .onComplete(v -> {
          ortThread.close();
          preprocessPool.close();
        });
  }
}
