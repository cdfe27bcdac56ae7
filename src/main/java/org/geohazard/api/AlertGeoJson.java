package org.geohazard.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Alerts as an RFC 7946 FeatureCollection: one Point feature per alert, the alert itself as its properties. */
final class AlertGeoJson {

  private AlertGeoJson() {}

  static JsonObject of(JsonArray alerts) {
    JsonArray features = new JsonArray();
    for (Object item : alerts) {
      JsonObject alert = (JsonObject) item;
      features.add(new JsonObject().put("type", "Feature")
          .put("geometry", new JsonObject().put("type", "Point").put("coordinates",
              new JsonArray().add(alert.getDouble("longitude")).add(alert.getDouble("latitude"))))
          .put("properties", alert));
    }
    return new JsonObject().put("type", "FeatureCollection").put("features", features);
  }
}
