package org.geohazard.geo;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import org.geohazard.detection.Detection;
import org.junit.jupiter.api.Test;

class GeoJsonWriterTest {

  @Test
  void writesAFeatureCollectionWithClosedCounterClockwisePolygonsInLonLatOrder() throws Exception {
    GeoReference reference = GeoReference.ofGeoTransform(4326, false, 10, 0.001, 0, 50, 0, -0.001);
    Detection box = new Detection(0, 0.87654f, 100, 200, 300, 400);
    JsonObject collection = GeoJsonWriter.featureCollection(List.of(
        GeoDetection.of(box, "landslide", Optional.of(reference)),
        GeoDetection.of(new Detection(1, 0.5f, 1, 2, 3, 4), "flood", Optional.empty())));

    assertThat(collection.getString("type")).isEqualTo("FeatureCollection");
    JsonArray features = collection.getJsonArray("features");
    JsonObject placed = features.getJsonObject(0);
    assertThat(placed.getString("type")).isEqualTo("Feature");
    JsonObject geometry = placed.getJsonObject("geometry");
    assertThat(geometry.getString("type")).isEqualTo("Polygon");
    JsonArray ring = geometry.getJsonArray("coordinates").getJsonArray(0);
    assertThat(ring.size()).isEqualTo(5);
    assertThat(ring.getJsonArray(0)).isEqualTo(ring.getJsonArray(4));
    assertThat(ring.getJsonArray(0).getDouble(0)).isEqualTo(10.1); // longitude first
    assertThat(ring.getJsonArray(0).getDouble(1)).isEqualTo(49.8);
    double twiceArea = 0;
    for (int i = 0; i < 4; i++) {
      JsonArray p = ring.getJsonArray(i);
      JsonArray q = ring.getJsonArray(i + 1);
      twiceArea += p.getDouble(0) * q.getDouble(1) - q.getDouble(0) * p.getDouble(1);
    }
    assertThat(twiceArea).as("counter-clockwise").isPositive();

    JsonObject properties = placed.getJsonObject("properties");
    assertThat(properties.getString("class_name")).isEqualTo("landslide");
    assertThat(properties.getDouble("confidence")).isEqualTo(0.8765);
    assertThat(properties.getJsonObject("bbox").getDouble("x2")).isEqualTo(300.0);
    assertThat(properties.getDouble("area_m2")).isBetween(1.0e8, 4.0e8);
    assertThat(properties.getJsonArray("centroid").getDouble(0)).isEqualTo(10.2);
    assertThat(properties.getString("placement")).isEqualTo("georeferenced");

    JsonObject unplaced = features.getJsonObject(1);
    assertThat(unplaced.containsKey("geometry")).isTrue();
    assertThat(unplaced.getValue("geometry")).isNull();
    assertThat(unplaced.getJsonObject("properties").getString("class_name")).isEqualTo("flood");
  }
}
