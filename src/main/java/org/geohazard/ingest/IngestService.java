package org.geohazard.ingest;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.geohazard.bus.Addresses;
import org.geohazard.bus.ImageClaim;
import org.geohazard.cache.CacheKeys;
import org.geohazard.config.AppConfig;
import org.geohazard.node.NodeServices;
import org.geohazard.storage.ObjectStore;

/**
 * The path of one uploaded file into the pipeline: probe the header and hash the content off the
 * event loop, answer at once from the cache when the content was already analysed, otherwise store
 * the bytes (content-addressed), register the image and queue a claim on Kafka.
 */
public final class IngestService {

  /** One uploaded file as spooled to disk, with the caller's hints. */
  public record Upload(Path file, String filename, Double latitude, Double longitude, Double gsdM, String bands,
                       String sensor, String priority, Long apiKeyId) {}

  /** What the client is told: the image that stands for this content, and its analysis if done. */
  public record Outcome(String imageId, String status, String sha256, boolean cached, String filename,
                        JsonObject analysis) {
    public boolean completed() {
      return analysis != null;
    }
  }

  private record Probed(ImageInfo info, String sha256, long size) {}

  private final Vertx vertx;
  private final NodeServices services;
  private final ImageProbe probe;
  private final WorkerExecutor workers;

  public IngestService(Vertx vertx, NodeServices services) {
    this.vertx = vertx;
    this.services = services;
    this.probe = new ImageProbe(ImageLimits.of(services.config().limits()));
    this.workers = vertx.createSharedWorkerExecutor("geohazard-ingest", 4);
  }

  public Future<Outcome> ingest(Upload upload) {
    return workers.executeBlocking(() -> probe(upload.file()), false)
        .compose(probed -> services.cache().getJson(CacheKeys.analysis(probed.sha256())).compose(hit -> {
          if (hit.isPresent() && hit.get().getJsonObject("analysis") != null) {
            JsonObject cached = hit.get();
            return Future.succeededFuture(new Outcome(cached.getString("image_id"), "completed", probed.sha256(),
                true, upload.filename(), cached.getJsonObject("analysis")));
          }
          return storeAndQueue(upload, probed);
        }));
  }

  private Probed probe(Path file) throws IOException, InvalidImageException {
    // Scene budget for TIFFs the window reader takes (inference reads them tile by tile), the
    // in-memory budget for everything else.
    ImageInfo info = probe.probeScene(file);
    return new Probed(info, ContentHash.sha256(file), Files.size(file));
  }

  private Future<Outcome> storeAndQueue(Upload upload, Probed probed) {
    String key = ObjectStore.imageKey(probed.sha256());
    String imageId = UUID.randomUUID().toString();
    String contentType = probed.info().format().mimeType();
    JsonObject image = new JsonObject()
        .put("image_id", imageId).put("sha256", probed.sha256()).put("object_key", key)
        .put("filename", upload.filename()).put("content_type", contentType).put("size_bytes", probed.size())
        .put("width", probed.info().width()).put("height", probed.info().height())
        .put("bands", probed.info().bands()).put("bits_per_sample", probed.info().bitsPerSample())
        .put("latitude", upload.latitude()).put("longitude", upload.longitude()).put("gsd_m", upload.gsdM())
        .put("priority", upload.priority()).put("api_key_id", upload.apiKeyId());
    // The bytes first, then the row: a row is never without its bytes. (Side by side would save one
    // round trip, but a node dying during a long upload would leave a 'pending' row that no claim
    // will ever reach and that a re-upload would keep following.)
    return services.objectStore().put(key, upload.file(), contentType)
        .recover(error -> Future.failedFuture(new UnavailableException("object store unavailable: " + error.getMessage())))
        .compose(v -> vertx.eventBus().<JsonObject>request(Addresses.PERSISTENCE_IMAGES_REGISTER, image))
        .compose(reply -> {
          JsonObject registered = reply.body();
          String id = registered.getString("image_id");
          JsonObject analysis = registered.getJsonObject("analysis");
          if (analysis != null) {
            return Future.succeededFuture(new Outcome(id, "completed", probed.sha256(), true, upload.filename(), analysis));
          }
          if (!registered.getBoolean("created") && !registered.getBoolean("requeue")) {
            // Same content already queued or in inference: the client follows the existing image.
            return Future.succeededFuture(new Outcome(id, registered.getString("status"), probed.sha256(), false,
                upload.filename(), null));
          }
          ImageClaim claim = new ImageClaim(id, probed.sha256(), key, contentType, upload.priority(),
              upload.latitude(), upload.longitude(), upload.gsdM(), upload.bands(), upload.sensor(),
              System.currentTimeMillis());
          AppConfig.Kafka kafka = services.config().kafka();
          String topic = claim.highPriority() ? kafka.topicProcessHigh() : kafka.topicProcess();
          return services.publisher().send(topic, id, claim.toJson())
              .map(v -> new Outcome(id, "pending", probed.sha256(), false, upload.filename(), null))
              .recover(error -> markUnqueued(id, error));
        });
  }

  /** The claim could not be queued: the image is marked failed (a re-upload retries it) and the client gets 503. */
  private Future<Outcome> markUnqueued(String imageId, Throwable error) {
    String reason = "could not queue the image: " + error.getMessage();
    return vertx.eventBus().request(Addresses.PERSISTENCE_IMAGES_STATUS, new JsonObject()
            .put("image_id", imageId).put("status", "failed").put("reason", reason))
        .transform(ignored -> Future.failedFuture(new UnavailableException("queue unavailable: " + error.getMessage())));
  }

  /** Infrastructure needed for the upload is away: the client should retry later (503). */
  public static final class UnavailableException extends RuntimeException {
    public UnavailableException(String message) {
      super(message, null, false, false);
    }
  }
}
