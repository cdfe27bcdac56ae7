package org.geohazard.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Records a batch upload and its files ({@code persistence.batches.create}).
 */
public record BatchCreation(String batchId, List<BatchEntry> items) {

  public static final int VERSION = 1;

  public BatchCreation {
    items = List.copyOf(items);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("v", VERSION)
        .put("batch_id", batchId)
        .put("items", items.stream().map(BatchEntry::toJson).collect(JsonArray::new, JsonArray::add, JsonArray::addAll));
  }

  public static BatchCreation fromJson(JsonObject json) {
    Messages.requireVersion(json, VERSION, "BatchCreation");
    return new BatchCreation(
        json.getString("batch_id"),
        json.getJsonArray("items", new JsonArray()).stream().map(item -> BatchEntry.fromJson((JsonObject) item)).toList());
  }
}
