package org.geohazard.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.geohazard.analysis.Hazard;
import org.geohazard.analysis.RiskLevel;
import org.geohazard.bus.Alert;
import org.geohazard.bus.AlertState;
import org.geohazard.bus.DetectionFeature;
import org.junit.jupiter.api.Test;

class OgcFeaturesTest {

  @Test
  void anAlertIsAPointAtItsCentreInThePublicShape() {
    Alert alert = new Alert("a1", "private-upload", Hazard.FLOOD, RiskLevel.HIGH, 27.5, 85.25, 2, 0.9, 0.8, "Flood",
        "described", "2026-12-07T10:00:00Z", "2026-12-08T10:00:00Z", 12.5, 1, null, AlertState.ACTIVE);
    JsonObject feature = OgcFeatures.alert(alert);
    assertThat(feature.getString("id")).isEqualTo("a1");
    assertThat(feature.getJsonObject("geometry").getJsonArray("coordinates")).isEqualTo(new JsonArray().add(85.25)
        .add(27.5));
    JsonObject properties = feature.getJsonObject("properties");
    assertThat(properties.containsKey("image_id")).as("the upload that raised it is private").isFalse();
    assertThat(properties.containsKey("distance_km")).isFalse();
    assertThat(properties.getString("severity")).isEqualTo("high");
    assertThat(properties.getString("expires_at")).isEqualTo("2026-12-08T10:00:00Z");
  }

  @Test
  void aDetectionIsItsStoredFootprintWithScalarProperties() {
    JsonObject ring = new JsonObject().put("type", "Polygon").put("coordinates", new JsonArray().add(new JsonArray()
        .add(new JsonArray().add(1).add(2)).add(new JsonArray().add(1.1).add(2)).add(new JsonArray().add(1.1).add(2.1))
        .add(new JsonArray().add(1).add(2.1)).add(new JsonArray().add(1).add(2))));
    JsonObject stored = new JsonObject().put("class_id", 1).put("class_name", "flood").put("confidence", 0.75)
        .put("bbox", new JsonObject().put("x1", 1.0)).put("geometry", ring).put("area_m2", 12.5);
    JsonObject feature = OgcFeatures.detection(new DetectionFeature("u-1", 3, "2026-12-07T10:00:00Z", "m-1", stored));
    assertThat(feature.getString("id")).isEqualTo("u-1.3");
    assertThat(feature.getJsonObject("geometry")).isEqualTo(ring);
    JsonObject properties = feature.getJsonObject("properties");
    assertThat(properties.getString("image_id")).isEqualTo("u-1");
    assertThat(properties.getInteger("detection")).isEqualTo(3);
    assertThat(properties.getString("class_name")).isEqualTo("flood");
    assertThat(properties.getString("model_version")).isEqualTo("m-1");
    assertThat(properties.containsKey("bbox")).as("pixel boxes are no GIS column").isFalse();
  }
}
