package org.geohazard.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Stored shadow comparisons, newest first. */
public record ShadowRows(List<ShadowSave> rows) {

  public static final int VERSION = 1;

  public ShadowRows {
    rows = List.copyOf(rows);
  }

  public JsonObject toJson() {
    return new JsonObject().put("v", VERSION)
        .put("rows", rows.stream().map(ShadowSave::toJson).collect(JsonArray::new, JsonArray::add, JsonArray::addAll));
  }

  public static ShadowRows fromJson(JsonObject json) {
    Messages.requireVersion(json, VERSION, "ShadowRows");
    return new ShadowRows(json.getJsonArray("rows", new JsonArray()).stream()
        .map(row -> ShadowSave.fromJson((JsonObject) row)).toList());
  }
}
