package org.geohazard.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.geohazard.analysis.Analysis;
import org.geohazard.bus.Addresses;
import org.geohazard.bus.Failure;
import org.geohazard.bus.ImageClaim;
import org.geohazard.bus.ImageRegistration;
import org.geohazard.bus.ImageService;
import org.geohazard.bus.ImageStatus;
import org.geohazard.bus.Priority;
import org.geohazard.bus.ServiceBus;
import org.geohazard.cache.CacheKeys;
import org.geohazard.cache.RedisCache;
import org.geohazard.config.AppConfig;
import org.geohazard.image.ContentHash;
import org.geohazard.image.ImageInfo;
import org.geohazard.image.ImageLimits;
import org.geohazard.image.ImageProbe;
import org.geohazard.image.InvalidImageException;
import org.geohazard.messaging.KafkaPublisher;
import org.geohazard.metrics.NodeMetrics;
import org.geohazard.storage.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The path of one uploaded file into the pipeline: probe the header and hash the content off the
 * event loop, answer at once from the cache when the content was already analysed by the models served
 * now, otherwise store the bytes (content-addressed), register the image and queue a claim on Kafka. Also queues
 * a stored image again on request (re-analysis), without its bytes travelling again.
 *
 * <p>Each upload is charged to its client's cost quota ({@link CostQuota}) once probed, before anything is stored.
 *
 * <p>The cache entry of some content ({@code analysis:{sha256}}) and the stored analysis name the models that
 * made them; either answers an upload only while every one of those models is still served in the cluster
 * ({@link ClusterView#servedModels}). Which models will look at an upload depends on its bands, which only the
 * worker decides, so the lookup is by content and the entry's models are checked, rather than one key per model.
 */
public final class IngestService {

  private static final Logger LOG = LoggerFactory.getLogger(IngestService.class);

  /** One uploaded file as spooled to disk, with the caller's hints, its key and the tenant it belongs to. */
  public record Upload(Path file, String filename, Double latitude, Double longitude, Double gsdM, String bands,
                       String sensor, String priority, Long apiKeyId, Long ownerId, String quotaClient) {}

  /**
   * What the client is told: its upload's id ({@code imageId}: the caller's own, never another tenant's), the
   * status of the content, and its analysis if done.
   */
  public record Outcome(String imageId, ImageStatus status, String sha256, boolean cached, String filename,
                        JsonObject analysis) {
    public boolean completed() {
      return analysis != null;
    }

    /** The outcome of work on some content, told as one upload of it (its id and file name). */
    Outcome asUpload(String uploadId, String uploadFilename) {
      return new Outcome(uploadId, status, sha256, cached, uploadFilename, analysis);
    }
  }

  private record Probed(ImageInfo info, String sha256, long size) {}

  /** How long a claim's "queued" mark waits for others', and the most marked by one statement. */
  private static final long QUEUED_MARK_WINDOW_MS = 5;
  private static final int QUEUED_MARK_MAX_IDS = 200;

  private final Vertx vertx;
  private final ImageService images;
  private final AppConfig config;
  private final RedisCache cache;
  private final ObjectStore objectStore;
  private final KafkaPublisher publisher;
  private final ImageProbe probe;
  private final WorkerExecutor workers;
  private final ClusterView cluster;
  private final NodeMetrics metrics;
  private final QueuedMarks queuedMarks;
  private final CostQuota quota;

  IngestService(Vertx vertx, AppConfig config, RedisCache cache, ObjectStore objectStore, KafkaPublisher publisher,
                ClusterView cluster, NodeMetrics metrics) {
    this.vertx = vertx;
    this.images = ServiceBus.client(vertx.eventBus(), ImageService.class);
    this.metrics = metrics;
    this.cluster = cluster;
    this.config = config;
    this.cache = cache;
    this.objectStore = objectStore;
    this.publisher = publisher;
    this.probe = new ImageProbe(ImageLimits.of(config.limits()));
    this.workers = vertx.createSharedWorkerExecutor("geohazard-ingest", 4);
    this.quota = new CostQuota(cache, config.rateLimit().bytesPerWindow(), config.rateLimit().pixelsPerWindow(),
        config.rateLimit().windowSeconds(), Clock.systemUTC());
    this.queuedMarks = new QueuedMarks(vertx, QUEUED_MARK_WINDOW_MS, QUEUED_MARK_MAX_IDS, ids ->
        images.markQueued(ids)
            .onFailure(error -> LOG.debug("could not mark {} claims queued: {}", ids.size(), error.getMessage())));
  }

  public Future<Outcome> ingest(Upload upload) {
    List<String> served = List.copyOf(cluster.servedModels());
    return workers.executeBlocking(() -> probe(upload.file()), false)
        .compose(probed -> !quota.enabled() ? Future.succeededFuture(probed)
            : quota.charge(upload.quotaClient(), probed.size(),
                (long) probed.info().width() * probed.info().height()).map(probed))
        .compose(probed -> cache.getJson(CacheKeys.analysis(probed.sha256())).compose(hit -> {
          boolean current = hit.isPresent() && hit.get().getJsonObject("analysis") != null
              && Analysis.madeBy(hit.get().getJsonObject("analysis"), served);
          metrics.cacheLookup("analysis", current);
          // Analysed already: the bytes are stored, only the caller's upload is recorded (its own id, never the
          // id another tenant was given for the same bytes).
          return storeAndQueue(upload, probed, served, !current);
        }));
  }

  private Probed probe(Path file) throws IOException, InvalidImageException {
    // Scene budget for TIFFs the window reader takes (inference reads them tile by tile), the
    // in-memory budget for everything else.
    ImageInfo info = probe.probeScene(file);
    return new Probed(info, ContentHash.sha256(file), Files.size(file));
  }

  private Future<Outcome> storeAndQueue(Upload upload, Probed probed, List<String> served, boolean storeBytes) {
    String key = ObjectStore.imageKey(probed.sha256());
    String imageId = UUID.randomUUID().toString();
    String contentType = probed.info().format().mimeType();
    ImageRegistration image = new ImageRegistration(imageId, probed.sha256(), key, upload.filename(), contentType,
        probed.size(), probed.info().width(), probed.info().height(), probed.info().bands(),
        probed.info().bitsPerSample(), upload.latitude(), upload.longitude(), upload.gsdM(),
        Priority.fromWire(upload.priority()), upload.apiKeyId(), upload.bands(), upload.sensor(), served,
        upload.ownerId());
    // The bytes first, then the row: a row is never without its bytes. (Side by side would save one
    // round trip, but a node dying during a long upload would leave a 'pending' row that no claim
    // will ever reach and that a re-upload would keep following.)
    Future<Void> stored = storeBytes ? objectStore.put(key, upload.file(), contentType) : Future.succeededFuture();
    return stored
        .recover(error -> {
          LOG.warn("storing {} failed: {}", key, error.toString());
          return Future.failedFuture(unavailable("object store unavailable; retry later"));
        })
        .compose(v -> images.register(image))
        .compose(registered -> {
          String id = registered.imageId();
          String uploadId = registered.uploadId();
          if (registered.analysis() != null) {
            return Future.succeededFuture(new Outcome(uploadId, ImageStatus.COMPLETED, probed.sha256(), true,
                upload.filename(), registered.analysis().toJson()));
          }
          if (!registered.created() && !registered.requeue()) {
            // Same content already queued or in inference: the client's upload follows the existing image.
            return Future.succeededFuture(new Outcome(uploadId, registered.status(), probed.sha256(), false,
                upload.filename(), null));
          }
          ImageClaim claim = new ImageClaim(id, probed.sha256(), key, contentType, Priority.fromWire(upload.priority()),
              upload.latitude(), upload.longitude(), upload.gsdM(), upload.bands(), upload.sensor(),
              System.currentTimeMillis());
          Future<Void> forgotten = registered.created() ? Future.succeededFuture() : forgetAnswers(claim);
          // New content whose bytes were not stored because Redis still held an answer for them: the content was
          // deleted meanwhile (its cached answer left to expire), so the bytes are stored now, before the claim.
          Future<Void> bytes = registered.created() && !storeBytes
              ? objectStore.put(key, upload.file(), contentType) : Future.succeededFuture();
          return bytes.compose(v -> forgotten).compose(v -> queue(claim))
              .map(v -> new Outcome(uploadId, ImageStatus.PENDING, probed.sha256(), false, upload.filename(), null));
        });
  }

  /**
   * Queues a stored image again (by the models served, or the one named): its row goes back to pending, its
   * cached answers are dropped, and its claim goes to Kafka. 404 for an unknown image; 409 while it is being
   * analysed, or when the models that made its analysis would only make it again; 422 for a model no node serves.
   */
  public Future<Outcome> reanalyse(String imageId, String model) {
    Set<String> served = cluster.servedModels();
    if (model != null && !served.contains(model)) {
      return Future.failedFuture(new Failure(Failure.Code.UNKNOWN_MODEL, "model " + model + " is not served in the cluster"
          + " (served: " + served + "; see GET /api/v1/models)"));
    }
    return images.requeue(imageId, model, List.copyOf(served))
        .compose(claim -> forgetAnswers(claim).compose(v -> queue(claim))
            .map(v -> new Outcome(imageId, ImageStatus.PENDING, claim.sha256(), false, null, null)));
  }

  /**
   * A stored image queued again: the cached answers of the analysis it had must not answer reads or uploads
   * meanwhile (a failure here fails the request, and the image is then queued by the lost-claim sweep).
   */
  private Future<Void> forgetAnswers(ImageClaim claim) {
    // Every node's near cache is told only once Redis has dropped the document, so that a read between the two
    // cannot put the old document back into a near cache.
    return Future.all(cache.delete(CacheKeys.analysis(claim.sha256())), cache.delete(CacheKeys.result(claim.imageId())))
        .onComplete(done -> Addresses.RESULTS_INVALIDATED.publish(vertx.eventBus(), claim.imageId()))
        .mapEmpty();
  }

  private Future<Void> queue(ImageClaim claim) {
    AppConfig.Kafka kafka = config.kafka();
    String topic = claim.highPriority() ? kafka.topicProcessHigh() : kafka.topicProcess();
    return publisher.send(topic, claim.imageId(), claim.toJson())
        .onSuccess(v -> markQueued(claim.imageId()))
        .recover(error -> markUnqueued(claim.imageId(), error).mapEmpty());
  }

  /**
   * The claim is on Kafka: the image must not count as a lost claim. Nothing waits for this; if it does not
   * arrive, a sweep queues the claim once more, which the idempotent writes absorb.
   */
  private void markQueued(String imageId) {
    queuedMarks.add(imageId);
  }

  /** Marks what is waiting in the current group now (the verticle is stopping). */
  void flushQueuedMarks() {
    queuedMarks.flush();
  }

  /** The claim could not be queued: the image is marked failed (a re-upload retries it) and the client gets 503. */
  private Future<Outcome> markUnqueued(String imageId, Throwable error) {
    String reason = "could not queue the image: " + error.getMessage();
    return images.fail(imageId, 0, reason)
        .transform(ignored -> {
          LOG.warn("queueing the claim of {} failed: {}", imageId, error.toString());
          return Future.failedFuture(unavailable("queue unavailable; retry later"));
        });
  }

  /** Infrastructure needed for the upload is away: the client should retry later (503). */
  private static Failure unavailable(String message) {
    return new Failure(Failure.Code.UNAVAILABLE, message);
  }

}
