package org.geohazard.persistence;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.DatabaseException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;
import org.geohazard.analysis.Analysis;
import org.geohazard.bus.ClaimLeases;
import org.geohazard.bus.ClaimStart;
import org.geohazard.bus.ClaimStartRequest;
import org.geohazard.bus.ImageClaim;
import org.geohazard.bus.ImageRegistration;
import org.geohazard.bus.ImageResult;
import org.geohazard.bus.ImageStatus;
import org.geohazard.bus.Location;
import org.geohazard.bus.LostClaims;
import org.geohazard.bus.LostClaimsQuery;
import org.geohazard.bus.PredictionSaved;
import org.geohazard.bus.Priority;
import org.geohazard.bus.Registration;
import org.geohazard.bus.StatusChange;

/** SQL for images and their predictions. Writes go to the primary pool, API reads to the read pool. */
final class ImageStore {

  /** MySQL/MariaDB error for a duplicate unique key. */
  static final int DUPLICATE_KEY = 1062;
  /** MySQL/MariaDB error for a foreign key that points nowhere. */
  static final int MISSING_PARENT = 1452;

  private static final String RESULT_COLUMNS = """
      i.id, i.sha256, i.filename, i.content_type, i.size_bytes, i.width, i.height, i.priority, i.status,
      i.latitude, i.longitude, i.attempts, i.failure_reason,
      UNIX_TIMESTAMP(i.created_at) AS created_at, UNIX_TIMESTAMP(i.updated_at) AS updated_at,
      UNIX_TIMESTAMP(i.completed_at) AS completed_at,
      (SELECT p.analysis FROM ml_predictions p WHERE p.image_id = i.id ORDER BY p.id DESC LIMIT 1) AS analysis""";

  private final Pool primary;
  private final Pool reads;
  /** How long a pending image may wait for its claim to be marked queued before it counts as lost. */
  private final int claimGraceSeconds;

  ImageStore(Pool primary, Pool reads, int claimGraceSeconds) {
    this.primary = primary;
    this.reads = reads;
    this.claimGraceSeconds = claimGraceSeconds;
  }

  /**
   * Inserts the image unless its content is already known. Replies with the image that now stands
   * for this content: new ({@code created}), a failed one reset for another try ({@code requeue}),
   * or an existing one with its status (and analysis when completed).
   */
  Future<Registration> register(ImageRegistration image) {
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
        .addString(image.sensor());
    return primary.preparedQuery("""
            INSERT INTO satellite_images (id, sha256, object_key, filename, content_type, size_bytes, width, height,
              bands, bits_per_sample, latitude, longitude, gsd_m, priority, api_key_id, requested_bands, sensor)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
        .execute(insert)
        .map(rows -> new Registration(image.imageId(), ImageStatus.PENDING, true, false, null))
        // The content is already known (the unique sha256 key): answer with the image that holds it.
        .recover(error -> isDuplicate(error) ? existingFor(image.sha256()) : Future.failedFuture(error));
  }

  private Future<Registration> existingFor(String sha256) {
    return primary.preparedQuery("SELECT " + RESULT_COLUMNS + """
            , i.queued_at IS NULL AS unqueued, TIMESTAMPDIFF(SECOND, i.created_at, NOW(3)) AS age_s
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
            return Future.succeededFuture(new Registration(id, ImageStatus.PENDING, false, true, null));
          }
          if (status == ImageStatus.FAILED) {
            // A failed image is tried again when its content is uploaded again.
            return primary.preparedQuery("""
                    UPDATE satellite_images SET status = 'pending', attempts = 0, failure_reason = NULL
                    WHERE id = ? AND status = 'failed'""")
                .execute(Tuple.of(id))
                .map(updated -> new Registration(id, ImageStatus.PENDING, false, updated.rowCount() == 1, null));
          }
          Analysis analysis = status == ImageStatus.COMPLETED && row.getValue("analysis") != null
              ? Analysis.fromJson(new JsonObject(row.getValue("analysis").toString())) : null;
          return Future.succeededFuture(new Registration(id, status, false, false, analysis));
        });
  }

  /** Marks these images' claims as being on Kafka. */
  Future<Void> markQueued(java.util.List<String> imageIds) {
    if (imageIds.isEmpty()) {
      return Future.succeededFuture();
    }
    String marks = String.join(",", java.util.Collections.nCopies(imageIds.size(), "?"));
    return primary.preparedQuery("UPDATE satellite_images SET queued_at = NOW(3) WHERE queued_at IS NULL AND id IN ("
            + marks + ")")
        .execute(Tuple.wrap(new java.util.ArrayList<Object>(imageIds))).mapEmpty();
  }

  /** Pending images never marked queued and older than the query's age: their claims, rebuilt from the rows. */
  Future<LostClaims> lostClaims(LostClaimsQuery query) {
    return primary.preparedQuery("""
            SELECT id, sha256, object_key, content_type, priority, latitude, longitude, gsd_m, requested_bands,
              sensor
            FROM satellite_images
            WHERE status = 'pending' AND queued_at IS NULL AND created_at < NOW(3) - INTERVAL ? SECOND
            ORDER BY created_at LIMIT ?""")
        .execute(Tuple.of(query.olderThanSeconds(), query.limit()))
        .map(rows -> {
          java.util.List<ImageClaim> claims = new java.util.ArrayList<>();
          for (Row row : rows) {
            claims.add(new ImageClaim(row.getString("id"), row.getString("sha256"), row.getString("object_key"),
                row.getString("content_type"), row.getString("priority"), Rows.nullableDouble(row, "latitude"),
                Rows.nullableDouble(row, "longitude"), Rows.nullableDouble(row, "gsd_m"),
                row.getString("requested_bands"), row.getString("sensor"), System.currentTimeMillis()));
          }
          return new LostClaims(claims);
        });
  }

  /** The result document of one image, as the results endpoint returns it. */
  Future<Optional<ImageResult>> result(String imageId) {
    return reads.preparedQuery("SELECT " + RESULT_COLUMNS + " FROM satellite_images i WHERE i.id = ?")
        .execute(Tuple.of(imageId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(resultOf(rows.iterator().next())));
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
  Future<ClaimStart> start(ClaimStartRequest claim) {
    return primary.preparedQuery("""
            UPDATE satellite_images SET status = 'processing', attempts = GREATEST(attempts, ?), claimed_by = ?,
              claimed_until = NOW(3) + INTERVAL ? MICROSECOND
            WHERE id = ? AND (status = 'pending' OR (status = 'processing'
              AND (claimed_by IS NULL OR claimed_by = ? OR claimed_until IS NULL OR claimed_until < NOW(3))))""")
        .execute(Tuple.of(claim.attempt(), claim.owner(), claim.leaseMs() * 1000, claim.imageId(), claim.owner()))
        .compose(updated -> updated.rowCount() > 0 ? Future.succeededFuture(ClaimStart.ANALYSE)
            : primary.preparedQuery("SELECT " + RESULT_COLUMNS + """
                    , GREATEST(0, TIMESTAMPDIFF(MICROSECOND, NOW(3), i.claimed_until)) DIV 1000 AS held_for_ms
                    FROM satellite_images i WHERE i.id = ?""")
                .execute(Tuple.of(claim.imageId()))
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
  Future<Void> renew(ClaimLeases leases) {
    if (leases.imageIds().isEmpty()) {
      return Future.succeededFuture();
    }
    String marks = String.join(", ", java.util.Collections.nCopies(leases.imageIds().size(), "?"));
    Tuple params = Tuple.of(leases.leaseMs() * 1000, leases.owner());
    leases.imageIds().forEach(params::addString);
    return primary.preparedQuery("UPDATE satellite_images SET claimed_until = NOW(3) + INTERVAL ? MICROSECOND"
            + " WHERE claimed_by = ? AND status = 'processing' AND id IN (" + marks + ")")
        .execute(params).mapEmpty();
  }

  /** Marks an image failed (with the reason); a completed image never goes back. */
  Future<Void> updateStatus(StatusChange change) {
    return switch (change.status()) {
      case FAILED -> primary.preparedQuery("""
              UPDATE satellite_images SET status = 'failed', failure_reason = ?, attempts = GREATEST(attempts, ?)
              WHERE id = ? AND status <> 'completed'""")
          .execute(Tuple.of(truncate(change.reason(), 1000), change.attempts(), change.imageId())).mapEmpty();
      default -> Future.failedFuture(new IllegalArgumentException("unknown status change " + change.status()));
    };
  }

  /**
   * Stores an analysis once per (image, model version) and marks the image completed, in one
   * transaction, and reads the result document back on the same connection (a read replica could
   * still lag behind this write). {@code stored} is false when it was already stored (a redelivered
   * record).
   */
  Future<PredictionSaved> savePrediction(String imageId, Analysis analysis) {
    return Transactions.run(primary, conn -> conn.preparedQuery("""
                INSERT INTO ml_predictions (image_id, model_version, landslide_probability, flood_probability,
                  confidence_score, risk_level, detections_count, processing_time_ms, analysis)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
            .execute(Tuple.of(imageId, analysis.modelVersion(), analysis.landslideProbability(),
                    analysis.floodProbability(), analysis.confidenceScore(), analysis.riskLevel().wireName(),
                    analysis.detections().size())
                .addDouble(analysis.processingTimeMs())
                .addString(analysis.toJson().encode()))
            .map(true)
            .recover(error -> isDuplicate(error) ? Future.succeededFuture(false) : Future.failedFuture(error))
            .compose(stored -> conn.preparedQuery("""
                    UPDATE satellite_images SET status = 'completed', failure_reason = NULL,
                      completed_at = COALESCE(completed_at, NOW(3))
                    WHERE id = ?""")
                .execute(Tuple.of(imageId))
                .compose(updated -> conn.preparedQuery("SELECT " + RESULT_COLUMNS + " FROM satellite_images i WHERE i.id = ?")
                    .execute(Tuple.of(imageId)))
                .map(rows -> new PredictionSaved(stored, resultOf(rows.iterator().next())))));
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
