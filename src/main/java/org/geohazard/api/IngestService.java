package org.geohazard.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
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
import org.geohazard.bus.UploadPairing;
import org.geohazard.cache.CacheKeys;
import org.geohazard.cache.RedisCache;
import org.geohazard.change.AutoPairing;
import org.geohazard.change.CoRegistration;
import org.geohazard.change.OtherSensor;
import org.geohazard.change.PairCandidate;
import org.geohazard.change.PairPlan;
import org.geohazard.change.SceneFootprint;
import org.geohazard.config.AppConfig;
import org.geohazard.detection.Sensor;
import org.geohazard.image.ContentHash;
import org.geohazard.image.GeoTiffRaster;
import org.geohazard.image.ImageFormat;
import org.geohazard.image.ImageInfo;
import org.geohazard.image.ImageLimits;
import org.geohazard.image.ImageProbe;
import org.geohazard.image.InvalidImageException;
import org.geohazard.messaging.KafkaPublisher;
import org.geohazard.metrics.NodeMetrics;
import org.geohazard.reference.SceneSpec;
import org.geohazard.storage.ObjectStore;
import org.geohazard.storage.RangeReader;
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

  /**
   * One uploaded file as spooled to disk, with the caller's hints, its key, the tenant it belongs to, how its
   * before scene was chosen (null: none asked for) and the content of the caller's scene of the same place by the
   * other sensor family to look at with it ({@code other_sensor_image_id}; null: none).
   */
  public record Upload(Path file, String filename, Double latitude, Double longitude, Double gsdM, String bands,
                       String sensor, String priority, Long apiKeyId, Long ownerId, String quotaClient,
                       UploadPairing pairing, ImageClaim otherSensor) {

    public Upload(Path file, String filename, Double latitude, Double longitude, Double gsdM, String bands,
                  String sensor, String priority, Long apiKeyId, Long ownerId, String quotaClient) {
      this(file, filename, latitude, longitude, gsdM, bands, sensor, priority, apiKeyId, ownerId, quotaClient, null,
          null);
    }

    Upload withPairing(UploadPairing chosen) {
      return new Upload(file, filename, latitude, longitude, gsdM, bands, sensor, priority, apiKeyId, ownerId,
          quotaClient, chosen, otherSensor);
    }

    Upload withOtherSensor(ImageClaim other) {
      return new Upload(file, filename, latitude, longitude, gsdM, bands, sensor, priority, apiKeyId, ownerId,
          quotaClient, pairing, other);
    }
  }

  /**
   * What the client is told: its upload's id ({@code imageId}: the caller's own, never another tenant's), the
   * status of the content, and its analysis if done.
   */
  public record Outcome(String imageId, ImageStatus status, String sha256, boolean cached, String filename,
                        JsonObject analysis, UploadPairing pairing) {

    public Outcome(String imageId, ImageStatus status, String sha256, boolean cached, String filename,
                   JsonObject analysis) {
      this(imageId, status, sha256, cached, filename, analysis, null);
    }

    public boolean completed() {
      return analysis != null;
    }

    /** The outcome of work on some content, told as one upload of it (its id and file name). */
    Outcome asUpload(String uploadId, String uploadFilename) {
      return new Outcome(uploadId, status, sha256, cached, uploadFilename, analysis, pairing);
    }

    Outcome withPairing(UploadPairing chosen) {
      return new Outcome(imageId, status, sha256, cached, filename, analysis, chosen);
    }
  }

  /**
   * An upload as read: its header's facts, content hash and size, and (a georeferenced GeoTIFF of a family the node
   * pairs) its footprint, kept with the upload for automatic pairing; null otherwise.
   */
  private record Probed(ImageInfo info, String sha256, long size, SceneFootprint footprint) {
    Probed(ImageInfo info, String sha256, long size) {
      this(info, sha256, size, null);
    }
  }

  /**
   * The part of a registration that makes an upload content of its own beyond its bytes: a before scene (where its
   * bytes are; null: none) and a scene of the other sensor family (its claim; null: none). {@code sha256}, the
   * content's identity, is SHA-256 of "pair:" + the after content's SHA-256 + ":" + the before content's for a pair,
   * and of "other-sensor:" + that (or the bytes' SHA-256) + ":" + the other scene's content for a look with another
   * sensor's scene.
   */
  private record DerivedContent(String sha256, String beforeObjectKey, ImageClaim otherSensor) {}

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
  /** Limits a stored scene's header is read under (the upload's own). */
  private final ImageLimits headerLimits;
  /** Block cache for reading a stored header: its directories, not its pixels. */
  private static final long HEADER_CACHE_BYTES = 1L << 20;

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
    this.headerLimits = ImageLimits.of(config.limits());
    this.probe = new ImageProbe(headerLimits);
    this.workers = vertx.createSharedWorkerExecutor("geohazard-ingest", 4);
    this.quota = new CostQuota(cache, config.rateLimit().bytesPerWindow(), config.rateLimit().pixelsPerWindow(),
        config.rateLimit().windowSeconds(), Clock.systemUTC());
    this.queuedMarks = new QueuedMarks(vertx, QUEUED_MARK_WINDOW_MS, QUEUED_MARK_MAX_IDS, ids ->
        images.markQueued(ids)
            .onFailure(error -> LOG.debug("could not mark {} claims queued: {}", ids.size(), error.toString())));
  }

  public Future<Outcome> ingest(Upload upload) {
    return workers.executeBlocking(() -> probe(upload), false)
        .compose(probed -> otherSensorChecked(upload, probed))
        .compose(probed -> alone(upload, probed));
  }

  /** A probed and charged upload analysed alone (with the other sensor's scene, when it names one). */
  private Future<Outcome> alone(Upload upload, Probed probed) {
    if (upload.otherSensor() != null) {
      return combined(upload, probed, null);
    }
    List<String> served = List.copyOf(cluster.servedModels());
    return cache.getJson(CacheKeys.analysis(probed.sha256())).compose(hit -> {
      boolean current = hit.isPresent() && hit.get().getJsonObject("analysis") != null
          && Analysis.madeBy(hit.get().getJsonObject("analysis"), served);
      metrics.cacheLookup("analysis", current);
      // Analysed already: the bytes are stored, only the caller's upload is recorded (its own id, never the
      // id another tenant was given for the same bytes).
      return storeAndQueue(upload, probed, ObjectStore.imageKey(probed.sha256()), served, !current, null);
    });
  }

  /**
   * A scene analysed where it lies ({@code ReferenceHandlers}, already checked): registered and queued as an upload
   * is, with its reference recorded as the object key in place of stored bytes.
   *
   * @param spec the recorded reference ({@code reference.SceneSpec#text})
   * @param identity what stands for the content hash ({@code reference.SceneSpec#identity})
   * @param size the bytes of the objects it names
   */
  public Future<Outcome> ingestReference(Upload upload, String spec, String identity, ImageInfo info, long size) {
    // Charged like an upload of the objects it names: the pixels are what the analysis costs, wherever they lie.
    return charged(upload, new Probed(info, identity, size), 0)
        .compose(probed -> storeAndQueue(upload, probed, spec, List.copyOf(cluster.servedModels()), false, null));
  }

  /**
   * The upload charged to its client's cost quota (bytes and pixels); 429 with nothing stored when over it.
   *
   * @param lookedAtPixels pixels of another stored scene the upload has the node analyse again (another sensor's,
   *     whose detectors run over the whole of it for this upload): charged as the upload's own
   */
  private Future<Probed> charged(Upload upload, Probed probed, long lookedAtPixels) {
    return !quota.enabled() ? Future.succeededFuture(probed)
        : quota.charge(upload.quotaClient(), probed.size(),
            (long) probed.info().width() * probed.info().height() + lookedAtPixels).map(probed);
  }

  /**
   * An upload analysed against a before scene: {@code before} is the before content as stored (the caller's own
   * upload, checked by the API). The pair is checked ({@link PairPlan}: both georeferenced rasters of one sensor
   * family and CRS, overlapping) before anything is stored; a refusal is {@link Failure.Code#INVALID_IMAGE} (422).
   * The pair is content of its own (its analysis differs from the scene's alone), so the same two scenes sent
   * again share one analysis, as single scenes do.
   */
  public Future<Outcome> ingestPair(Upload upload, ImageClaim before) {
    if (SceneSpec.isReference(before.objectKey())) {
      // Its bytes were never stored here: the pair path reads a stored before scene, not one read by reference.
      return Future.failedFuture(pairRefused("the before scene was analysed by reference; upload it to pair it"));
    }
    return workers.executeBlocking(() -> probe(upload), false)
        .compose(probed -> otherSensorChecked(upload, probed))
        .compose(probed -> combined(upload, probed, before));
  }

  /**
   * An upload asking the node to choose its before scene ({@code before=auto}): the most recent of the caller's own
   * earlier scenes of the same family and CRS covering at least half of it ({@link AutoPairing}), then analysed as
   * if the upload had named it; with none, or when the chosen one cannot be compared after all ({@link PairPlan} on
   * the real grids), analysed alone. Either way the upload records why ({@link UploadPairing}); nothing is refused
   * for want of a before scene.
   */
  public Future<Outcome> ingestAuto(Upload upload) {
    return workers.executeBlocking(() -> probe(upload), false)
        // The other sensor's scene first: a refusal of it is the upload's, not a reason to go without a before scene.
        .compose(probed -> otherSensorChecked(upload, probed))
        .compose(probed -> chooseBefore(upload, probed).compose(choice -> {
          if (choice.chosen().isEmpty()) {
            return alone(upload.withPairing(new UploadPairing(UploadPairing.Mode.AUTO, null, choice.reason())),
                probed);
          }
          PairCandidate chosen = choice.chosen().get();
          return images.content(chosen.imageId())
              .compose(before -> SceneSpec.isReference(before.objectKey())
                  ? Future.failedFuture(pairRefused("the before scene was analysed by reference"))
                  : combined(upload.withPairing(new UploadPairing(UploadPairing.Mode.AUTO, chosen.uploadId(),
                      choice.reason())), probed, before))
              .recover(error -> {
                boolean cannotPair = error instanceof Failure failure && (failure.code() == Failure.Code.INVALID_IMAGE
                    || failure.code() == Failure.Code.NOT_FOUND);
                if (!cannotPair) {
                  return Future.failedFuture(error);
                }
                // Deleted since it was found, or not comparable on the real grids (a rotated scene's envelope
                // overstates what it covers): alone, saying so.
                return alone(upload.withPairing(new UploadPairing(UploadPairing.Mode.AUTO, null,
                    "none found: the best candidate, upload " + chosen.uploadId() + ", could not be paired ("
                        + error.getMessage() + "); analysed alone")), probed);
              });
        }));
  }

  /** Which of the caller's earlier scenes an upload is paired with ({@link AutoPairing}). */
  private Future<AutoPairing.Choice> chooseBefore(Upload upload, Probed probed) {
    if (probed.footprint() == null) {
      return Future.succeededFuture(AutoPairing.noFootprint());
    }
    if (upload.ownerId() == null) {
      return Future.succeededFuture(AutoPairing.anonymous());
    }
    return images.pairCandidates(upload.ownerId(), probed.footprint(), AutoPairing.CANDIDATE_LIMIT)
        .map(candidates -> AutoPairing.choose(probed.footprint(), probed.sha256(), candidates));
  }

  /**
   * The upload's other sensor's scene, when it names one, checked against it on both headers (the other's read from
   * the store by ranged reads): refused with the reason, before anything is stored, when the two cannot be looked at
   * together ({@link OtherSensor#check}). Then charged to the cost quota, the other scene's pixels with the upload's:
   * the node analyses the whole other scene again for this upload, whatever the upload's own size.
   */
  private Future<Probed> otherSensorChecked(Upload upload, Probed probed) {
    ImageClaim other = upload.otherSensor();
    if (other == null) {
      return charged(upload, probed, 0);
    }
    if (probed.info().format() != ImageFormat.TIFF) {
      return Future.failedFuture(otherSensorRefused("this scene is " + probed.info().format().name()
          + "; it needs to be a georeferenced GeoTIFF"));
    }
    return checkedStored(other, stored -> checkOtherSensor(upload, other, stored))
        .compose(otherPixels -> charged(upload, probed, otherPixels));
  }

  /**
   * A probed, charged and checked upload analysed against {@code before} (null: none) and with the other sensor's
   * scene it names (none: null), once the pair is checked on the real headers (the before scene's read from the
   * store by ranged reads). Either makes the upload content of its own ({@link DerivedContent}).
   */
  private Future<Outcome> combined(Upload upload, Probed probed, ImageClaim before) {
    if (before != null && probed.info().format() != ImageFormat.TIFF) {
      return Future.failedFuture(pairRefused("this scene is " + probed.info().format().name()
          + "; a pair needs two georeferenced GeoTIFFs"));
    }
    List<String> served = List.copyOf(cluster.servedModels());
    ImageClaim other = upload.otherSensor();
    Future<Void> beforeChecked = before == null ? Future.succeededFuture()
        : checkedStored(before, stored -> {
          checkPair(upload, before, stored);
          return null;
        });
    return beforeChecked.compose(checked -> {
      String identity = probed.sha256();
      if (before != null) {
        String beforeSha = before.objectKey().substring(before.objectKey().lastIndexOf('/') + 1);
        identity = ContentHash.sha256(("pair:" + identity + ":" + beforeSha).getBytes(StandardCharsets.US_ASCII));
      }
      if (other != null) {
        identity = ContentHash.sha256(("other-sensor:" + identity + ":" + other.sha256())
            .getBytes(StandardCharsets.US_ASCII));
      }
      DerivedContent content = new DerivedContent(identity, before == null ? null : before.objectKey(), other);
      return cache.getJson(CacheKeys.analysis(content.sha256())).compose(hit -> {
        boolean current = hit.isPresent() && hit.get().getJsonObject("analysis") != null
            && Analysis.madeBy(hit.get().getJsonObject("analysis"), served);
        metrics.cacheLookup("analysis", current);
        return storeAndQueue(upload, probed, ObjectStore.imageKey(probed.sha256()), served, true, content);
      });
    });
  }

  /** What a header check does with a stored scene (worker thread). */
  private interface HeaderCheck<T> {
    T check(StoredHeader stored) throws IOException, InvalidImageException;
  }

  /** Opens a stored scene's header by ranged reads of the store: the scene's pixels are not fetched. */
  private interface StoredHeader {
    GeoTiffRaster open() throws IOException, InvalidImageException;
  }

  /**
   * {@code scene}'s stored header checked (worker thread): a header and its directories are a few ranged reads,
   * where a whole Sentinel-1 or Sentinel-2 scene would be hundreds of megabytes. A store that cannot answer is an
   * outage (503, retry later), not a refusal.
   */
  private <T> Future<T> checkedStored(ImageClaim scene, HeaderCheck<T> check) {
    return workers.executeBlocking(() -> {
      try {
        return check.check(() -> {
          RangeReader source = objectStore.openRange(scene.objectKey());
          try {
            return GeoTiffRaster.open(source, headerLimits, HEADER_CACHE_BYTES);
          } catch (IOException | InvalidImageException | RuntimeException e) {
            source.close();
            throw e;
          }
        });
      } catch (IOException | ObjectStore.StoreUnavailableException storeFailure) {
        LOG.warn("reading the header of {} failed: {}", scene.objectKey(), storeFailure.toString());
        throw unavailable("object store unavailable; retry later");
      } catch (ObjectStore.MissingObjectException gone) {
        // Its last upload deleted meanwhile: no retry brings the bytes back.
        throw new Failure(Failure.Code.INVALID_IMAGE, "the scene named is no longer stored (deleted meanwhile);"
            + " upload it again and name the new upload");
      }
    }, false);
  }

  /** Both headers read; a pair the node cannot compare fails with the reason (worker thread). */
  private void checkPair(Upload upload, ImageClaim before, StoredHeader stored)
      throws IOException, InvalidImageException {
    try (GeoTiffRaster after = GeoTiffRaster.open(upload.file());
         GeoTiffRaster earlier = stored.open()) {
      PairPlan.of(PairPlan.factsOf(after, sensor(upload.sensor())), PairPlan.factsOf(earlier, sensor(before.sensor())));
    } catch (CoRegistration.Refused refused) {
      throw pairRefused(refused.getMessage());
    } catch (InvalidImageException notARaster) {
      throw pairRefused("a pair needs two GeoTIFFs the window reader takes: " + notARaster.getMessage());
    }
  }

  /**
   * Both headers read; another sensor's scene the node cannot look at with this one fails with the reason. Answers
   * the other scene's pixel count.
   */
  private long checkOtherSensor(Upload upload, ImageClaim other, StoredHeader stored)
      throws IOException, InvalidImageException {
    try (GeoTiffRaster scene = GeoTiffRaster.open(upload.file());
         GeoTiffRaster theirs = stored.open()) {
      OtherSensor.check(PairPlan.factsOf(scene, sensor(upload.sensor())),
          PairPlan.factsOf(theirs, sensor(other.sensor())));
      return (long) theirs.width() * theirs.height();
    } catch (CoRegistration.Refused refused) {
      throw otherSensorRefused(refused.getMessage());
    } catch (InvalidImageException notARaster) {
      throw otherSensorRefused("both scenes need to be GeoTIFFs the window reader takes: " + notARaster.getMessage());
    }
  }

  private static Optional<Sensor> sensor(String named) {
    return named == null ? Optional.empty() : Optional.of(Sensor.fromWire(named));
  }

  private static Failure pairRefused(String reason) {
    return new Failure(Failure.Code.INVALID_IMAGE, "before/after pair refused: " + reason);
  }

  private static Failure otherSensorRefused(String reason) {
    return new Failure(Failure.Code.INVALID_IMAGE, "other sensor's scene refused: " + reason);
  }

  private Probed probe(Upload upload) throws IOException, InvalidImageException {
    Path file = upload.file();
    // Scene budget for TIFFs the window reader takes (inference reads them tile by tile), the
    // in-memory budget for everything else.
    ImageInfo info = probe.probeScene(file);
    return new Probed(info, ContentHash.sha256(file), Files.size(file), footprint(upload, info));
  }

  /** Where a GeoTIFF upload lies, from its header (null: not a georeferenced scene the node pairs). */
  private static SceneFootprint footprint(Upload upload, ImageInfo info) throws IOException {
    if (info.format() != ImageFormat.TIFF) {
      return null;
    }
    try (GeoTiffRaster raster = GeoTiffRaster.open(upload.file())) {
      return AutoPairing.footprintOf(PairPlan.factsOf(raster, sensor(upload.sensor()))).orElse(null);
    } catch (InvalidImageException notForTheWindowReader) {
      return null;
    }
  }

  private Future<Outcome> storeAndQueue(Upload upload, Probed probed, String key, List<String> served,
                                        boolean storeBytes, DerivedContent derived) {
    // A pair or a look with another sensor's scene is content of its own (identity: all contents); its bytes are this
    // scene's, stored as such.
    String identity = derived == null ? probed.sha256() : derived.sha256();
    String beforeKey = derived == null ? null : derived.beforeObjectKey();
    ImageClaim otherSensor = derived == null ? null : derived.otherSensor();
    String imageId = UUID.randomUUID().toString();
    String contentType = probed.info().format().mimeType();
    ImageRegistration image = new ImageRegistration(imageId, identity, key, upload.filename(), contentType,
        probed.size(), probed.info().width(), probed.info().height(), probed.info().bands(),
        probed.info().bitsPerSample(), upload.latitude(), upload.longitude(), upload.gsdM(),
        Priority.fromWire(upload.priority()), upload.apiKeyId(), upload.bands(), upload.sensor(), served,
        upload.ownerId(), beforeKey, probed.footprint(), upload.pairing(), otherSensor);
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
            return Future.succeededFuture(new Outcome(uploadId, ImageStatus.COMPLETED, identity, true,
                upload.filename(), registered.analysis().toJson()));
          }
          if (!registered.created() && !registered.requeue()) {
            // Same content already queued or in inference: the client's upload follows the existing image.
            return Future.succeededFuture(new Outcome(uploadId, registered.status(), identity, false,
                upload.filename(), null));
          }
          ImageClaim claim = new ImageClaim(id, identity, key, contentType, Priority.fromWire(upload.priority()),
              upload.latitude(), upload.longitude(), upload.gsdM(), upload.bands(), upload.sensor(),
              System.currentTimeMillis(), null, beforeKey, otherSensor);
          Future<Void> forgotten = registered.created() ? Future.succeededFuture() : forgetAnswers(claim);
          // New content whose bytes were not stored because Redis still held an answer for them: the content was
          // deleted meanwhile (its cached answer left to expire), so the bytes are stored now, before the claim. A
          // scene read by reference has no bytes here to store.
          Future<Void> bytes = registered.created() && !storeBytes && !SceneSpec.isReference(key)
              ? objectStore.put(key, upload.file(), contentType) : Future.succeededFuture();
          return bytes.compose(v -> forgotten).compose(v -> queue(claim))
              .map(v -> new Outcome(uploadId, ImageStatus.PENDING, identity, false, upload.filename(), null));
        })
        .map(outcome -> outcome.withPairing(upload.pairing()));
  }

  /**
   * Queues a stored image again (by the models served, or the one named): its row goes back to pending, its
   * cached answers are dropped, and its claim goes to Kafka. 404 for an unknown image; 409 while it is being
   * analysed, or when the models that made its analysis would only make it again; 422 for a model no node serves.
   */
  public Future<Outcome> reanalyse(String imageId, String model, Long requesterKeyId) {
    Set<String> served = cluster.servedModels();
    if (model != null && !served.contains(model)) {
      return Future.failedFuture(new Failure(Failure.Code.UNKNOWN_MODEL, "model " + model + " is not served in the cluster"
          + " (served: " + served + "; see GET /api/v1/models)"));
    }
    return images.requeue(imageId, model, List.copyOf(served), requesterKeyId)
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
    // The broker's own message stays in the log: the result is read by every tenant sharing the content.
    return images.fail(imageId, 0, "could not queue the image (the queue did not answer); upload it again")
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
