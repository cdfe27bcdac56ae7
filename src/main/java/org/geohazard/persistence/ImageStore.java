package org.geohazard.persistence;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.DatabaseException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.geohazard.analysis.Analysis;
import org.geohazard.bus.AnalysisHistory;
import org.geohazard.bus.ClaimStart;
import org.geohazard.bus.DetectionFeatureQuery;
import org.geohazard.bus.DetectionPage;
import org.geohazard.bus.ExtentPage;
import org.geohazard.bus.Failure;
import org.geohazard.bus.ImageClaim;
import org.geohazard.bus.ImageRegistration;
import org.geohazard.bus.ImageResult;
import org.geohazard.bus.ImageService;
import org.geohazard.bus.ImageStatus;
import org.geohazard.bus.Location;
import org.geohazard.bus.PredictionSaved;
import org.geohazard.bus.Priority;
import org.geohazard.bus.Registration;
import org.geohazard.bus.Upload;
import org.geohazard.bus.UploadDeletion;
import org.geohazard.bus.UploadPairing;
import org.geohazard.change.PairCandidate;
import org.geohazard.change.SceneFootprint;

/** SQL for images and their predictions. Writes go to the primary pool, API reads to the read pool. */
final class ImageStore implements ImageService {

  /** MySQL/MariaDB error for a duplicate unique key. */
  static final int DUPLICATE_KEY = 1062;
  /** MySQL/MariaDB error for a foreign key that points nowhere. */
  static final int MISSING_PARENT = 1452;
  /**
   * What a lookup by content id answers when nothing is there. Messages about a content never name its id: the
   * content's id is the id of its first upload, which another tenant's upload of the same bytes must not learn
   * (an anonymous upload's id is its only guard); callers speak of the upload they were asked about.
   */
  static final String NO_SUCH_IMAGE = "no such image";

  private static final String IMAGE_COLUMNS = """
      i.id, i.sha256, i.filename, i.content_type, i.size_bytes, i.width, i.height, i.priority, i.status,
      i.latitude, i.longitude, i.attempts, i.failure_reason,
      UNIX_TIMESTAMP(i.created_at) AS created_at, UNIX_TIMESTAMP(i.updated_at) AS updated_at,
      UNIX_TIMESTAMP(i.completed_at) AS completed_at""";
  /** The image with its newest analysis: after a re-analysis, the current models'. */
  private static final String RESULT_COLUMNS = IMAGE_COLUMNS + """
      , (SELECT p.analysis FROM ml_predictions p WHERE p.image_id = i.id ORDER BY p.id DESC LIMIT 1) AS analysis""";
  /** The image with the analysis of one model version (the query's second parameter, before the id). */
  private static final String RESULT_OF_MODEL_COLUMNS = IMAGE_COLUMNS + """
      , (SELECT p.analysis FROM ml_predictions p WHERE p.image_id = i.id AND p.model_version = ?) AS analysis""";
  /**
   * Makes an update of a list of images lock just their rows, by primary key in key order. Left to itself, with few
   * images pending or processing, the optimizer reads such an update through {@code ix_images_status_created}
   * (status first), locking index entries before rows, while a save or a claim start, changing an image's status,
   * locks the row before its index entry: the two orders meet as a deadlock (1213) that fails the renewal
   * (ConcurrentImageWritesIT; issue 26). Through the status index a renewal also locked every processing image (and
   * a queued mark every pending one), not just the listed ones.
   */
  private static final String BY_ID_ONLY = "FORCE INDEX (PRIMARY)";
  /** The columns a claim is rebuilt from. */
  private static final String CLAIM_COLUMNS =
      "id, sha256, object_key, content_type, priority, latitude, longitude, gsd_m, requested_bands, sensor, requested_model,"
      + " before_object_key, other_sensor_claim";

  private final Pool primary;
  private final Pool reads;
  /** How long a pending image may wait for its claim to be marked queued before it counts as lost. */
  private final int claimGraceSeconds;
  private final UploadDeletions deletions;
  private final PairCandidateStore pairCandidates;

  ImageStore(Pool primary, Pool reads, int claimGraceSeconds) {
    this.primary = primary;
    this.deletions = new UploadDeletions(primary);
    this.pairCandidates = new PairCandidateStore(primary);
    this.reads = reads;
    this.claimGraceSeconds = claimGraceSeconds;
  }

  /**
   * Inserts the image unless its content is already known. Replies with the image that now stands
   * for this content: new ({@code created}), a failed one reset for another try ({@code requeue}),
   * or an existing one with its status (and analysis when completed).
   */
  @Override
  public Future<Registration> register(ImageRegistration image) {
    Tuple insert = Tuple.of(image.imageId(), image.sha256(), image.objectKey(), image.filename(), image.contentType(),
            image.sizeBytes(), image.width(), image.height())
        .addInteger(image.bands())
        .addInteger(image.bitsPerSample())
        .addValue(image.latitude())
        .addValue(image.longitude())
        .addValue(image.gsdM())
        .addString(image.priority().wireName())
        .addValue(image.apiKeyId())
        .addString(image.requestedBands())
        .addString(image.sensor())
        .addString(image.beforeObjectKey())
        .addString(image.otherSensor() == null ? null : image.otherSensor().toJson().encode())
        .addString(image.otherSensor() == null ? null : image.otherSensor().objectKey())
        .addString(image.otherSensor() == null ? null : image.otherSensor().beforeObjectKey())
        .addValue(image.apiKeyId());
    return primary.preparedQuery("""
            INSERT INTO satellite_images (id, sha256, object_key, filename, content_type, size_bytes, width, height,
              bands, bits_per_sample, latitude, longitude, gsd_m, priority, api_key_id, requested_bands, sensor,
              before_object_key, other_sensor_claim, other_sensor_object_key, other_sensor_before_object_key,
              analysis_key_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
        .execute(insert)
        .map(rows -> new Registration(image.imageId(), ImageStatus.PENDING, true, false, null, image.imageId()))
        // The content is already known (the unique sha256 key): answer with the image that holds it.
        .recover(error -> isDuplicate(error) ? existingFor(image.sha256(), image.servedModels(), image.apiKeyId())
            : Future.failedFuture(error))
        .compose(content -> recordUpload(image, content));
  }

  /**
   * The caller's own upload of the content: its id (the registration's), file name, hints, priority and owner.
   * The first upload of some content has the content's id; a later one its own, pointing at the same content.
   */
  private Future<Registration> recordUpload(ImageRegistration image, Registration content) {
    SceneFootprint footprint = image.footprint();
    UploadPairing pairing = image.pairing();
    Tuple row = Tuple.of(image.imageId(), content.imageId(), image.filename(), image.latitude(), image.longitude(),
            image.priority().wireName(), image.ownerId())
        .addString(footprint == null ? null : footprint.family())
        .addValue(footprint == null ? null : footprint.epsg())
        .addValue(footprint == null ? null : footprint.minX())
        .addValue(footprint == null ? null : footprint.minY())
        .addValue(footprint == null ? null : footprint.maxX())
        .addValue(footprint == null ? null : footprint.maxY())
        .addString(pairing == null ? null : pairing.mode().wireName())
        .addString(pairing == null ? null : pairing.beforeImageId())
        .addString(pairing == null ? null : pairing.reason());
    return primary.preparedQuery("""
            INSERT INTO uploads (id, image_id, filename, latitude, longitude, priority, owner_id, scene_family,
              footprint_epsg, footprint_min_x, footprint_min_y, footprint_max_x, footprint_max_y, pairing_mode,
              before_upload_id, pairing_reason)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
        .execute(row)
        .map(inserted -> new Registration(content.imageId(), content.status(), content.created(), content.requeue(),
            content.analysis(), image.imageId()));
  }

  /** See {@link UploadDeletions}. */
  @Override
  public Future<UploadDeletion> deleteUpload(String uploadId) {
    return deletions.delete(uploadId);
  }

  /** One upload as stored ({@link Failure.Code#NOT_FOUND} for an unknown id). */
  @Override
  public Future<Upload> upload(String uploadId) {
    return ReadYourWrites.byId(reads, primary, pool -> pool.preparedQuery("""
                SELECT id, image_id, filename, latitude, longitude, priority, owner_id,
                  UNIX_TIMESTAMP(created_at) AS created_at, pairing_mode, before_upload_id, pairing_reason
                FROM uploads WHERE id = ?""")
            .execute(Tuple.of(uploadId))
            .map(rows -> rows.size() == 0 ? Optional.<Upload>empty() : Optional.of(uploadOf(rows.iterator().next()))))
        .map(found -> found.orElseThrow(() -> Failure.notFound("no image with id " + uploadId)));
  }

  @Override
  public Future<ImageClaim> content(String imageId) {
    return ReadYourWrites.byId(reads, primary, pool -> pool.preparedQuery("SELECT " + CLAIM_COLUMNS
                + " FROM satellite_images WHERE id = ?")
            .execute(Tuple.of(imageId))
            .map(rows -> rows.size() == 0 ? Optional.<ImageClaim>empty()
                : Optional.of(claimOf(rows.iterator().next(), null))))
        .map(found -> found.orElseThrow(() -> Failure.notFound(NO_SUCH_IMAGE)));
  }

  private static Upload uploadOf(Row row) {
    Double latitude = Rows.nullableDouble(row, "latitude");
    Double longitude = Rows.nullableDouble(row, "longitude");
    return new Upload(row.getString("id"), row.getString("image_id"), row.getString("filename"),
        latitude == null || longitude == null ? null : new Location(latitude, longitude),
        Priority.fromWire(row.getString("priority")), Rows.instant(row, "created_at"), row.getLong("owner_id"),
        row.getString("pairing_mode") == null ? null : new UploadPairing(
            UploadPairing.Mode.fromWire(row.getString("pairing_mode")), row.getString("before_upload_id"),
            row.getString("pairing_reason")));
  }

  /** See {@link PairCandidateStore}. */
  @Override
  public Future<List<PairCandidate>> pairCandidates(long ownerId, SceneFootprint scene, int limit) {
    return pairCandidates.candidates(ownerId, scene, limit);
  }

  /** {@code apiKeyId}: the key of the upload that found the content (null: anonymous), asking if it queues it. */
  private Future<Registration> existingFor(String sha256, List<String> servedModels, Long apiKeyId) {
    return primary.preparedQuery("SELECT " + RESULT_COLUMNS + """
            , i.queued_at IS NULL AS unqueued,
              TIMESTAMPDIFF(SECOND, COALESCE(i.requeued_at, i.created_at), NOW(3)) AS age_s
            FROM satellite_images i WHERE i.sha256 = ?""")
        .execute(Tuple.of(sha256))
        .compose(rows -> {
          Row row = rows.iterator().next();
          String id = row.getString("id");
          ImageStatus status = ImageStatus.fromWire(row.getString("status"));
          if (status == ImageStatus.PENDING && row.getInteger("unqueued") == 1
              && row.getLong("age_s") >= claimGraceSeconds) {
            // Registered long ago and its claim never marked queued: the node that took it died between the
            // insert and the send. This upload queues it (a duplicate claim would be harmless).
            return Future.succeededFuture(new Registration(id, ImageStatus.PENDING, false, true, null, id));
          }
          if (status == ImageStatus.FAILED) {
            // A failed image is tried again when its content is uploaded again.
            return queueAgain(id, ImageStatus.FAILED, null, apiKeyId)
                .map(requeued -> new Registration(id, ImageStatus.PENDING, false, requeued, null, id));
          }
          Analysis analysis = status == ImageStatus.COMPLETED && row.getValue("analysis") != null
              ? Analysis.fromJson(new JsonObject(row.getValue("analysis").toString())) : null;
          if (analysis != null && !analysis.madeBy(servedModels)) {
            // Made by a model the cluster no longer serves: this upload queues the image for the models served
            // now (the old analysis stays in its history).
            return queueAgain(id, ImageStatus.COMPLETED, null, apiKeyId)
                .map(requeued -> new Registration(id, ImageStatus.PENDING, false, requeued, null, id));
          }
          return Future.succeededFuture(new Registration(id, status, false, false, analysis, id));
        });
  }

  /**
   * Moves a settled image ({@code from}: completed or failed) back to pending, its claim not yet queued (a lost
   * claim from now on if it never is), asking for {@code model} or (null) the models served, on behalf of
   * {@code requesterKeyId} (null: anonymous), whose key then decides whether the new analysis's alerts are published
   * ({@code AlertStore}). False when another request moved it first.
   */
  private Future<Boolean> queueAgain(String imageId, ImageStatus from, String model, Long requesterKeyId) {
    return primary.preparedQuery("""
            UPDATE satellite_images SET status = 'pending', attempts = 0, failure_reason = NULL, queued_at = NULL,
              claimed_by = NULL, claimed_until = NULL, requeued_at = NOW(3), requested_model = ?,
              completed_at = NULL, analysis_key_id = ?
            WHERE id = ? AND status = ?""")
        .execute(Tuple.of(model, requesterKeyId, imageId, from.wireName()))
        .map(updated -> updated.rowCount() == 1);
  }

  /**
   * A stored image queued again on request: refused while it is pending or being analysed, and when its newest
   * analysis was made by just the models that would make it again. Replies with the claim to send.
   */
  @Override
  public Future<ImageClaim> requeue(String imageId, String modelVersion, List<String> servedModels,
                                    Long requesterKeyId) {
    return primary.preparedQuery("SELECT i.status, " + CLAIM_COLUMNS.replace("id, ", "i.id, ") + """
            , (SELECT p.analysis FROM ml_predictions p WHERE p.image_id = i.id ORDER BY p.id DESC LIMIT 1) AS analysis
            FROM satellite_images i WHERE i.id = ?""")
        .execute(Tuple.of(imageId))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(Failure.notFound(NO_SUCH_IMAGE));
          }
          Row row = rows.iterator().next();
          ImageStatus status = ImageStatus.fromWire(row.getString("status"));
          if (status.inFlight()) {
            return Future.failedFuture(new Failure(Failure.Code.CONFLICT,
                "the image is " + status.wireName() + "; ask again once it is settled"));
          }
          Object stored = row.getValue("analysis");
          if (stored != null && status == ImageStatus.COMPLETED) {
            Analysis analysis = Analysis.fromJson(new JsonObject(stored.toString()));
            List<String> would = modelVersion != null ? List.of(modelVersion)
                : servedModels;
            if (!would.isEmpty() && analysis.madeBy(would)) {
              return Future.failedFuture(new Failure(Failure.Code.CONFLICT, "the image was already analysed by "
                  + analysis.modelVersion() + ", which would analyse it again"));
            }
          }
          return queueAgain(imageId, status, modelVersion, requesterKeyId).compose(requeued -> requeued
              ? Future.succeededFuture(claimOf(row, modelVersion))
              : Future.failedFuture(new Failure(Failure.Code.CONFLICT,
                  "the image was queued again meanwhile")));
        });
  }

  private static ImageClaim claimOf(Row row, String model) {
    return new ImageClaim(row.getString("id"), row.getString("sha256"), row.getString("object_key"),
        row.getString("content_type"), Priority.fromWire(row.getString("priority")),
        Rows.nullableDouble(row, "latitude"),
        Rows.nullableDouble(row, "longitude"), Rows.nullableDouble(row, "gsd_m"), row.getString("requested_bands"),
        row.getString("sensor"), System.currentTimeMillis(), model, row.getString("before_object_key"),
        otherSensorOf(row));
  }

  /** The other sensor's scene a content row is looked at with (null: none), as its claim was stored. */
  private static ImageClaim otherSensorOf(Row row) {
    String stored = row.getString("other_sensor_claim");
    return stored == null ? null : ImageClaim.fromJson(new JsonObject(stored));
  }

  /** Every analysis stored for one image, newest first. */
  @Override
  public Future<AnalysisHistory> analyses(String imageId) {
    return reads.preparedQuery("""
            SELECT i.id, p.model_version, DATE_FORMAT(CONVERT_TZ(p.created_at, @@session.time_zone, '+00:00'),
                '%Y-%m-%dT%H:%i:%s.%fZ') AS created_at, p.risk_level, p.flood_probability,
              p.landslide_probability, p.detections_count, p.processing_time_ms
            FROM satellite_images i LEFT JOIN ml_predictions p ON p.image_id = i.id
            WHERE i.id = ? ORDER BY p.id DESC""")
        .execute(Tuple.of(imageId))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(Failure.notFound(NO_SUCH_IMAGE));
          }
          List<AnalysisHistory.Entry> entries = new ArrayList<>();
          for (Row row : rows) {
            if (row.getString("model_version") != null) {
              entries.add(new AnalysisHistory.Entry(row.getString("model_version"), row.getString("created_at"),
                  row.getString("risk_level"), row.getDouble("flood_probability"),
                  row.getDouble("landslide_probability"), row.getInteger("detections_count"),
                  row.getDouble("processing_time_ms")));
            }
          }
          return Future.succeededFuture(new AnalysisHistory(imageId, entries));
        });
  }

  /** Marks these images' claims as being on Kafka. */
  @Override
  public Future<Void> markQueued(List<String> imageIds) {
    if (imageIds.isEmpty()) {
      return Future.succeededFuture();
    }
    String marks = String.join(",", Collections.nCopies(imageIds.size(), "?"));
    // A claim sent again (a pending image whose first claim waited too long) is marked anew, so the next
    // sweep counts from now. By primary key only (see BY_ID_ONLY).
    return primary.preparedQuery("UPDATE satellite_images " + BY_ID_ONLY
            + " SET queued_at = NOW(3) WHERE status = 'pending' AND id IN (" + marks + ")")
        .execute(Tuple.wrap(new ArrayList<Object>(imageIds))).mapEmpty();
  }

  /** Pending images never marked queued and older than the query's age: their claims, rebuilt from the rows. */
  @Override
  public Future<List<ImageClaim>> lostClaims(int olderThanSeconds, int limit, int requeueAfterSeconds) {
    return primary.preparedQuery("SELECT " + CLAIM_COLUMNS + """
             FROM satellite_images
            WHERE status = 'pending' AND ((queued_at IS NULL
                AND COALESCE(requeued_at, created_at) < NOW(3) - INTERVAL ? SECOND)
              OR (? > 0 AND queued_at < NOW(3) - INTERVAL ? SECOND))
            ORDER BY created_at LIMIT ?""")
        .execute(Tuple.of(olderThanSeconds, requeueAfterSeconds, requeueAfterSeconds, limit))
        .map(rows -> {
          List<ImageClaim> claims = new ArrayList<>();
          for (Row row : rows) {
            claims.add(claimOf(row, row.getString("requested_model")));
          }
          return claims;
        });
  }

  /**
   * The result document of one image, as the results endpoint returns it: with its newest analysis, or with the
   * analysis of the query's model version (empty when that model never analysed the image).
   */
  @Override
  public Future<ImageResult> result(String imageId, String modelVersion) {
    return ReadYourWrites.byId(reads, primary, pool -> result(imageId, modelVersion, pool))
        .map(found -> found.orElseThrow(() -> Failure.notFound(modelVersion == null ? NO_SUCH_IMAGE
            : "no analysis of the image by model " + modelVersion)));
  }

  private static Future<Optional<ImageResult>> result(String imageId, String modelVersion, Pool pool) {
    Future<RowSet<Row>> rows = modelVersion == null
        ? pool.preparedQuery("SELECT " + RESULT_COLUMNS + " FROM satellite_images i WHERE i.id = ?")
            .execute(Tuple.of(imageId))
        : pool.preparedQuery("SELECT " + RESULT_OF_MODEL_COLUMNS + " FROM satellite_images i WHERE i.id = ?")
            .execute(Tuple.of(modelVersion, imageId));
    return rows.map(found -> {
      if (found.size() == 0) {
        return Optional.<ImageResult>empty();
      }
      ImageResult result = resultOf(found.iterator().next());
      return modelVersion != null && result.analysis() == null ? Optional.<ImageResult>empty()
          : Optional.of(result);
    });
  }

  static ImageResult resultOf(Row row) {
    Double latitude = Rows.nullableDouble(row, "latitude");
    Double longitude = Rows.nullableDouble(row, "longitude");
    Object analysis = row.getValue("analysis");
    return new ImageResult(row.getString("id"), ImageStatus.fromWire(row.getString("status")), row.getString("sha256"),
        row.getString("filename"), row.getString("content_type"), row.getLong("size_bytes"), row.getInteger("width"),
        row.getInteger("height"), Priority.fromWire(row.getString("priority")),
        latitude == null || longitude == null ? null : new Location(latitude, longitude),
        Rows.instant(row, "created_at"), Rows.instant(row, "updated_at"), Rows.instant(row, "completed_at"),
        row.getInteger("attempts"), row.getString("failure_reason"), null,
        analysis == null ? null : Analysis.fromJson(new JsonObject(analysis.toString())));
  }

  /**
   * A claim starts. The asker takes the image (processing, attempt n, held by it until the lease ends) when it
   * is pending, or processing with no live holder: none, the asker itself (a retry), or one whose lease ran out
   * (a consumer that died). Otherwise the answer says why not: another consumer holds it (for how much longer),
   * or the claim is a stale redelivery of a settled image (a completed image's result is read back, on the
   * primary, so that what followed its save can be published again). A claim naming no image is analysed;
   * the save then reports the missing registration as before.
   */
  @Override
  public Future<ClaimStart> start(String imageId, int attempt, String owner, long leaseMs) {
    return primary.preparedQuery("""
            UPDATE satellite_images SET status = 'processing', attempts = GREATEST(attempts, ?), claimed_by = ?,
              claimed_until = NOW(3) + INTERVAL ? MICROSECOND
            WHERE id = ? AND (status = 'pending' OR (status = 'processing'
              AND (claimed_by IS NULL OR claimed_by = ? OR claimed_until IS NULL OR claimed_until < NOW(3))))""")
        .execute(Tuple.of(attempt, owner, leaseMs * 1000, imageId, owner))
        .compose(updated -> updated.rowCount() > 0 ? Future.succeededFuture(ClaimStart.ANALYSE)
            : primary.preparedQuery("SELECT " + RESULT_COLUMNS + """
                    , GREATEST(0, TIMESTAMPDIFF(MICROSECOND, NOW(3), i.claimed_until)) DIV 1000 AS held_for_ms
                    FROM satellite_images i WHERE i.id = ?""")
                .execute(Tuple.of(imageId))
                .map(rows -> {
                  if (rows.size() == 0) {
                    return ClaimStart.ANALYSE;
                  }
                  Row row = rows.iterator().next();
                  ImageResult stored = resultOf(row);
                  return switch (stored.status()) {
                    case COMPLETED -> new ClaimStart(false, ImageStatus.COMPLETED, stored, 0);
                    case FAILED -> new ClaimStart(false, ImageStatus.FAILED, null, 0);
                    case PROCESSING -> ClaimStart.heldElsewhere(((Number) row.getValue("held_for_ms")).longValue());
                    // moved back to pending by a re-upload between the two statements: ask again at once
                    case PENDING -> ClaimStart.heldElsewhere(0);
                  };
                }));
  }

  /** Extends the leases of the images an owner is still analysing (by primary key: no scan). */
  @Override
  public Future<Void> renew(String owner, List<String> imageIds, long leaseMs) {
    if (imageIds.isEmpty()) {
      return Future.succeededFuture();
    }
    String marks = String.join(", ", Collections.nCopies(imageIds.size(), "?"));
    Tuple params = Tuple.of(leaseMs * 1000, owner);
    imageIds.forEach(params::addString);
    return primary.preparedQuery("UPDATE satellite_images " + BY_ID_ONLY
            + " SET claimed_until = NOW(3) + INTERVAL ? MICROSECOND"
            + " WHERE claimed_by = ? AND status = 'processing' AND id IN (" + marks + ")")
        .execute(params).mapEmpty();
  }

  /** Marks an image failed (with the reason); a completed image never goes back. */
  @Override
  public Future<Void> fail(String imageId, int attempts, String reason) {
    return primary.preparedQuery("""
            UPDATE satellite_images SET status = 'failed', failure_reason = ?, attempts = GREATEST(attempts, ?)
            WHERE id = ? AND status <> 'completed'""")
        .execute(Tuple.of(truncate(reason, 1000), attempts, imageId)).mapEmpty();
  }

  /**
   * Stores an analysis once per (image, model version) and marks the image completed, in one
   * transaction, and reads the result document back on the same connection (a read replica could
   * still lag behind this write). {@code stored} is false when it was already stored (a redelivered
   * record).
   *
   * <p>The image row is updated first, so the transaction takes its exclusive lock at once. Inserting the
   * prediction first took a shared lock on it (the foreign key's check of its parent) and the update then asked to
   * raise it to exclusive: a statement that had meanwhile queued for the row (the consumer's lease renewal, a
   * redelivered claim's start, a queued mark, a second save) then waited for this transaction while this one waited
   * behind it, and InnoDB broke the cycle with a deadlock (1213), rolling back the other statement: a renewal or a
   * start failed (ConcurrentImageWritesIT; issue 26). The order changes nothing else: both statements run in one
   * transaction, an image that is not registered still fails the insert (the update changed no row), and a
   * duplicate is still "already stored".
   */
  @Override
  public Future<PredictionSaved> savePrediction(String imageId, Analysis analysis) {
    return Transactions.run(primary, conn -> conn.preparedQuery("""
                UPDATE satellite_images SET status = 'completed', failure_reason = NULL, requested_model = NULL,
                  completed_at = COALESCE(completed_at, NOW(3))
                WHERE id = ?""")
            .execute(Tuple.of(imageId))
            .compose(updated -> conn.preparedQuery("""
                    INSERT INTO ml_predictions (image_id, model_version, landslide_probability, flood_probability,
                      confidence_score, risk_level, detections_count, processing_time_ms, analysis)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .execute(Tuple.of(imageId, analysis.modelVersion(), analysis.landslideProbability(),
                        analysis.floodProbability(), analysis.confidenceScore(), analysis.riskLevel().wireName(),
                        analysis.detections().size())
                    .addDouble(analysis.processingTimeMs())
                    .addString(analysis.toJson().encode()))
                .map(true)
                .recover(error -> isDuplicate(error) ? Future.succeededFuture(false) : Future.failedFuture(error)))
            .compose(stored -> conn.preparedQuery("SELECT " + RESULT_COLUMNS + " FROM satellite_images i WHERE i.id = ?")
                .execute(Tuple.of(imageId))
                .map(rows -> new PredictionSaved(stored, resultOf(rows.iterator().next())))))
        .recover(error -> isMissingParent(error)
            ? Future.failedFuture(Failure.notFound("image " + imageId + " is not registered"))
            : Future.failedFuture(error));
  }

  @Override
  public Future<DetectionPage> detections(DetectionFeatureQuery query) {
    return DetectionFeatures.page(reads, query);
  }

  @Override
  public Future<ExtentPage> floodExtents(DetectionFeatureQuery query) {
    return DetectionFeatures.extents(reads, query);
  }

  @Override
  public Future<Double> ping() {
    long start = System.nanoTime();
    return primary.query("SELECT 1").execute().map(rows -> (System.nanoTime() - start) / 1e6);
  }

  static boolean isDuplicate(Throwable error) {
    return error instanceof DatabaseException db && db.getErrorCode() == DUPLICATE_KEY;
  }

  static boolean isMissingParent(Throwable error) {
    return error instanceof DatabaseException db && db.getErrorCode() == MISSING_PARENT;
  }

  static String truncate(String text, int max) {
    return text == null || text.length() <= max ? text : text.substring(0, max);
  }
}
