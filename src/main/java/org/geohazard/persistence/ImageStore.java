package org.geohazard.persistence;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.DatabaseException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL for images, predictions and batches. Writes go to the primary pool, API reads to the read pool. */
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

  ImageStore(Pool primary, Pool reads) {
    this.primary = primary;
    this.reads = reads;
  }

  /**
   * Inserts the image unless its content is already known. Replies with the image that now stands
   * for this content: new ({@code created}), a failed one reset for another try ({@code requeue}),
   * or an existing one with its status (and analysis when completed).
   */
  Future<JsonObject> register(JsonObject image) {
    Tuple insert = Tuple.of(image.getString("image_id"), image.getString("sha256"), image.getString("object_key"),
            image.getString("filename"), image.getString("content_type"), image.getLong("size_bytes"),
            image.getInteger("width"), image.getInteger("height"))
        .addInteger(image.getInteger("bands", 3))
        .addInteger(image.getInteger("bits_per_sample", 8))
        .addValue(image.getDouble("latitude"))
        .addValue(image.getDouble("longitude"))
        .addValue(image.getDouble("gsd_m"))
        .addString(image.getString("priority", "normal"))
        .addValue(image.getLong("api_key_id"));
    return primary.preparedQuery("""
            INSERT INTO satellite_images (id, sha256, object_key, filename, content_type, size_bytes, width, height,
              bands, bits_per_sample, latitude, longitude, gsd_m, priority, api_key_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
        .execute(insert)
        .map(rows -> new JsonObject().put("image_id", image.getString("image_id"))
            .put("status", "pending").put("created", true).put("requeue", false))
        // The content is already known (the unique sha256 key): answer with the image that holds it.
        .recover(error -> isDuplicate(error) ? existingFor(image.getString("sha256")) : Future.failedFuture(error));
  }

  private Future<JsonObject> existingFor(String sha256) {
    return primary.preparedQuery("SELECT " + RESULT_COLUMNS + " FROM satellite_images i WHERE i.sha256 = ?")
        .execute(Tuple.of(sha256))
        .compose(rows -> {
          Row row = rows.iterator().next();
          String id = row.getString("id");
          String status = row.getString("status");
          if (status.equals("failed")) {
            // A failed image is tried again when its content is uploaded again.
            return primary.preparedQuery("""
                    UPDATE satellite_images SET status = 'pending', attempts = 0, failure_reason = NULL
                    WHERE id = ? AND status = 'failed'""")
                .execute(Tuple.of(id))
                .map(updated -> new JsonObject().put("image_id", id).put("status", "pending")
                    .put("created", false).put("requeue", updated.rowCount() == 1));
          }
          JsonObject reply = new JsonObject().put("image_id", id).put("status", status)
              .put("created", false).put("requeue", false);
          if (status.equals("completed") && row.getValue("analysis") != null) {
            reply.put("analysis", new JsonObject(row.getValue("analysis").toString()));
          }
          return Future.succeededFuture(reply);
        });
  }

  /** The result document of one image, as the results endpoint returns it. */
  Future<Optional<JsonObject>> result(String imageId) {
    return reads.preparedQuery("SELECT " + RESULT_COLUMNS + " FROM satellite_images i WHERE i.id = ?")
        .execute(Tuple.of(imageId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(resultJson(rows.iterator().next())));
  }

  static JsonObject resultJson(Row row) {
    Double latitude = Rows.nullableDouble(row, "latitude");
    Double longitude = Rows.nullableDouble(row, "longitude");
    Object analysis = row.getValue("analysis");
    return new JsonObject()
        .put("image_id", row.getString("id"))
        .put("status", row.getString("status"))
        .put("sha256", row.getString("sha256"))
        .put("filename", row.getString("filename"))
        .put("content_type", row.getString("content_type"))
        .put("size_bytes", row.getLong("size_bytes"))
        .put("width", row.getInteger("width"))
        .put("height", row.getInteger("height"))
        .put("priority", row.getString("priority"))
        .put("location", latitude == null || longitude == null ? null
            : new JsonObject().put("latitude", latitude).put("longitude", longitude))
        .put("created_at", Rows.instant(row, "created_at"))
        .put("updated_at", Rows.instant(row, "updated_at"))
        .put("completed_at", Rows.instant(row, "completed_at"))
        .put("attempts", row.getInteger("attempts"))
        .put("failure_reason", row.getString("failure_reason"))
        .put("progress", null)
        .put("analysis", analysis == null ? null : new JsonObject(analysis.toString()));
  }

  /** Marks an image processing (attempt n) or failed (with reason); a completed image never goes back. */
  Future<Void> updateStatus(String imageId, String status, int attempts, String reason) {
    if (status.equals("processing")) {
      return primary.preparedQuery("""
              UPDATE satellite_images SET status = 'processing', attempts = GREATEST(attempts, ?)
              WHERE id = ? AND status IN ('pending', 'processing')""")
          .execute(Tuple.of(attempts, imageId)).mapEmpty();
    }
    if (status.equals("failed")) {
      return primary.preparedQuery("""
              UPDATE satellite_images SET status = 'failed', failure_reason = ?, attempts = GREATEST(attempts, ?)
              WHERE id = ? AND status <> 'completed'""")
          .execute(Tuple.of(truncate(reason, 1000), attempts, imageId)).mapEmpty();
    }
    return Future.failedFuture(new IllegalArgumentException("unknown status " + status));
  }

  /** What {@link #savePrediction} did, and the image's result document as it now reads. */
  record SavedPrediction(boolean stored, JsonObject result) {}

  /**
   * Stores an analysis once per (image, model version) and marks the image completed, in one
   * transaction, and reads the result document back on the same connection (a read replica could
   * still lag behind this write). {@code stored} is false when it was already stored (a redelivered
   * record).
   */
  Future<SavedPrediction> savePrediction(String imageId, JsonObject analysis) {
    return primary.withTransaction(conn -> conn.preparedQuery("""
                INSERT INTO ml_predictions (image_id, model_version, landslide_probability, flood_probability,
                  confidence_score, risk_level, detections_count, processing_time_ms, analysis)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
            .execute(Tuple.of(imageId, analysis.getString("model_version"),
                    analysis.getDouble("landslide_probability"), analysis.getDouble("flood_probability"),
                    analysis.getDouble("confidence_score"), analysis.getString("risk_level"),
                    analysis.getInteger("detections_count"))
                .addDouble(analysis.getDouble("processing_time_ms"))
                .addString(analysis.encode()))
            .map(true)
            .recover(error -> isDuplicate(error) ? Future.succeededFuture(false) : Future.failedFuture(error))
            .compose(stored -> conn.preparedQuery("""
                    UPDATE satellite_images SET status = 'completed', failure_reason = NULL,
                      completed_at = COALESCE(completed_at, NOW(3))
                    WHERE id = ?""")
                .execute(Tuple.of(imageId))
                .compose(updated -> conn.preparedQuery("SELECT " + RESULT_COLUMNS + " FROM satellite_images i WHERE i.id = ?")
                    .execute(Tuple.of(imageId)))
                .map(rows -> new SavedPrediction(stored, resultJson(rows.iterator().next())))));
  }

  Future<Void> createBatch(String batchId, JsonArray items) {
    List<Tuple> rows = new ArrayList<>();
    for (Object item : items) {
      JsonObject it = (JsonObject) item;
      rows.add(Tuple.of(batchId, it.getInteger("index"), it.getString("filename"), it.getString("image_id"),
          it.getString("error_code"), truncate(it.getString("error_message"), 1000)));
    }
    return primary.withTransaction(conn -> conn
        .preparedQuery("INSERT INTO batches (id, total) VALUES (?, ?)").execute(Tuple.of(batchId, items.size()))
        .compose(v -> rows.isEmpty() ? Future.succeededFuture() : conn.preparedQuery("""
                INSERT INTO batch_items (batch_id, item_index, filename, image_id, error_code, error_message)
                VALUES (?, ?, ?, ?, ?, ?)""").executeBatch(rows))
        .mapEmpty());
  }

  /** Progress of a batch from the live status of its images. */
  Future<Optional<JsonObject>> batch(String batchId) {
    Future<RowSet<Row>> header = reads.preparedQuery(
            "SELECT id, total, UNIX_TIMESTAMP(created_at) AS created_at FROM batches WHERE id = ?")
        .execute(Tuple.of(batchId));
    return header.compose(head -> {
      if (head.size() == 0) {
        return Future.succeededFuture(Optional.empty());
      }
      Row batch = head.iterator().next();
      return reads.preparedQuery("""
              SELECT bi.item_index, bi.filename, bi.image_id, bi.error_code, bi.error_message, i.status
              FROM batch_items bi LEFT JOIN satellite_images i ON i.id = bi.image_id
              WHERE bi.batch_id = ? ORDER BY bi.item_index""")
          .execute(Tuple.of(batchId))
          .map(items -> Optional.of(batchJson(batch, items)));
    });
  }

  private static JsonObject batchJson(Row batch, RowSet<Row> items) {
    int pending = 0, processing = 0, completed = 0, failed = 0, rejected = 0;
    JsonArray list = new JsonArray();
    for (Row row : items) {
      String status = row.getString("error_code") != null ? "rejected" : row.getString("status");
      if (status == null) {
        status = "failed"; // the image row is gone: count it as failed rather than pending forever
      }
      switch (status) {
        case "pending" -> pending++;
        case "processing" -> processing++;
        case "completed" -> completed++;
        case "rejected" -> rejected++;
        default -> failed++;
      }
      JsonObject item = new JsonObject()
          .put("index", row.getInteger("item_index"))
          .put("filename", row.getString("filename"))
          .put("image_id", row.getString("image_id"))
          .put("status", status);
      if (row.getString("error_code") != null) {
        item.put("error", new JsonObject().put("code", row.getString("error_code"))
            .put("message", row.getString("error_message")).put("request_id", ""));
      }
      list.add(item);
    }
    int total = batch.getInteger("total");
    int finished = completed + failed + rejected;
    return new JsonObject()
        .put("batch_id", batch.getString("id"))
        .put("total", total)
        .put("pending", pending)
        .put("processing", processing)
        .put("completed", completed)
        .put("failed", failed)
        .put("rejected", rejected)
        .put("done", pending == 0 && processing == 0)
        .put("progress", total == 0 ? 1.0 : (double) finished / total)
        .put("items", list)
        .put("created_at", Rows.instant(batch, "created_at"));
  }

  Future<Optional<JsonObject>> apiKey(String keyHash) {
    return reads.preparedQuery(
            "SELECT id, name, requests_per_window FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL")
        .execute(Tuple.of(keyHash))
        .map(rows -> {
          if (rows.size() == 0) {
            return Optional.empty();
          }
          Row row = rows.iterator().next();
          return Optional.of(new JsonObject().put("id", row.getLong("id")).put("name", row.getString("name"))
              .put("requests_per_window", row.getInteger("requests_per_window")));
        });
  }

  Future<Long> createApiKey(String keyHash, String name, Integer requestsPerWindow) {
    return primary.preparedQuery("INSERT INTO api_keys (key_hash, name, requests_per_window) VALUES (?, ?, ?)")
        .execute(Tuple.of(keyHash, name, requestsPerWindow))
        .map(rows -> rows.property(io.vertx.mysqlclient.MySQLClient.LAST_INSERTED_ID));
  }

  static boolean isDuplicate(Throwable error) {
    return error instanceof DatabaseException db && db.getErrorCode() == DUPLICATE_KEY;
  }

  static boolean isMissingParent(Throwable error) {
    return error instanceof DatabaseException db && db.getErrorCode() == MISSING_PARENT;
  }

  private static String truncate(String text, int max) {
    return text == null || text.length() <= max ? text : text.substring(0, max);
  }
}
