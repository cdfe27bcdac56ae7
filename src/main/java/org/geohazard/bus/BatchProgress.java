package org.geohazard.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A batch's progress, as {@code GET /api/v1/batches/{id}} returns it.
 *
 * @param progress 0..1
 * @param ownerId the tenant it belongs to (null: anonymous); never shown
 */
public record BatchProgress(String batchId, int total, int pending, int processing, int completed, int failed, int rejected, boolean done, double progress, List<BatchItem> items, String createdAt, Long ownerId) {
  public BatchProgress {
    items = List.copyOf(items);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("batch_id", batchId)
        .put("total", total)
        .put("pending", pending)
        .put("processing", processing)
        .put("completed", completed)
        .put("failed", failed)
        .put("rejected", rejected)
        .put("done", done)
        .put("progress", progress)
        .put("items", items.stream().map(BatchItem::toJson).collect(JsonArray::new, JsonArray::add, JsonArray::addAll))
        .put("created_at", createdAt);
  }
}
