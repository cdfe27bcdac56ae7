package org.geohazard.bus;

import io.vertx.core.json.JsonObject;

/**
 * Progress of a sliced scene.
 */
public record TileProgress(int tilesDone, int tilesTotal) {
  public JsonObject toJson() {
    return new JsonObject()
        .put("tiles_done", tilesDone)
        .put("tiles_total", tilesTotal);
  }
}
