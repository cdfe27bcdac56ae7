package org.geohazard.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.geohazard.analysis.Hazard;
import org.geohazard.analysis.RiskLevel;
import org.geohazard.bus.Alert;
import org.geohazard.bus.AlertState;
import org.geohazard.bus.DetectionFeature;
import org.geohazard.bus.ExtentFeature;
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

  @Test
  void aFloodExtentPolygonKeepsItsHolesWithTheExtentsScalars() {
    JsonArray shell = new JsonArray().add(new JsonArray().add(0).add(0)).add(new JsonArray().add(1).add(0))
        .add(new JsonArray().add(1).add(1)).add(new JsonArray().add(0).add(0));
    JsonArray hole = new JsonArray().add(new JsonArray().add(0.5).add(0.2)).add(new JsonArray().add(0.6).add(0.4))
        .add(new JsonArray().add(0.7).add(0.2)).add(new JsonArray().add(0.5).add(0.2));
    JsonObject geometry = new JsonObject().put("type", "Polygon").put("coordinates", new JsonArray().add(shell)
        .add(hole));
    JsonObject region = new JsonObject().put("geometry", geometry).put("area_km2", 3.25)
        .put("mean_probability", 0.81);
    JsonObject feature = OgcFeatures.floodExtent(new ExtentFeature("u-2", 2, "2026-12-07T11:00:00Z",
        "geohazard-s2seg-1", 7.5, region));
    assertThat(feature.getString("id")).isEqualTo("u-2.2");
    assertThat(feature.getJsonObject("geometry")).isEqualTo(geometry);
    JsonObject properties = feature.getJsonObject("properties");
    assertThat(properties.getString("image_id")).isEqualTo("u-2");
    assertThat(properties.getInteger("polygon")).isEqualTo(2);
    assertThat(properties.getDouble("area_km2")).isEqualTo(3.25);
    assertThat(properties.getDouble("mean_probability")).isEqualTo(0.81);
    assertThat(properties.getString("model")).isEqualTo("geohazard-s2seg-1");
    assertThat(properties.getDouble("flooded_km2")).isEqualTo(7.5);
    assertThat(properties.getString("datetime")).isEqualTo("2026-12-07T11:00:00Z");
    assertThat(properties.fieldNames()).as("flat scalars: one GIS column each")
        .allMatch(name -> !(properties.getValue(name) instanceof JsonObject));
  }
}
