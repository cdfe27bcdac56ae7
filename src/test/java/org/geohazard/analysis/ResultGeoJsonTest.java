package org.geohazard.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.geohazard.geo.ApproximatePlacement;
import org.geohazard.detection.Detection;
import org.junit.jupiter.api.Test;

class ResultGeoJsonTest {

  private final AnalysisBuilder builder =
      new AnalysisBuilder(List.of("landslide", "flood", "water_body", "vegetation_loss"), "m1");

  @Test
  void placedDetectionsBecomePolygonFeaturesWithTheImageAsForeignMembers() {
    Analysis analysis = builder.build(List.of(new Detection(1, 0.9f, 10, 20, 110, 220)), 640, 480,
        Optional.of(ApproximatePlacement.centredAt(45, 9, 640, 480, 10)), 1, 5, Instant.EPOCH);
    JsonObject result = new JsonObject().put("image_id", "id-1").put("status", "completed")
        .put("analysis", analysis.toJson());

    JsonObject collection = ResultGeoJson.of(result);

    assertThat(collection.getString("type")).isEqualTo("FeatureCollection");
    assertThat(collection.getString("image_id")).isEqualTo("id-1");
    assertThat(collection.getString("georeference")).isEqualTo("approximate");
    assertThat(collection.getString("model_version")).isEqualTo("m1");
    JsonObject feature = collection.getJsonArray("features").getJsonObject(0);
    assertThat(feature.getJsonObject("properties").getString("class_name")).isEqualTo("flood");
    JsonArray ring = feature.getJsonObject("geometry").getJsonArray("coordinates").getJsonArray(0);
    assertThat(ring).hasSize(5);
    assertThat(ring.getJsonArray(0)).isEqualTo(ring.getJsonArray(4));
    // [longitude, latitude] order, near the placement's centre
    assertThat(ring.getJsonArray(0).getDouble(0)).isBetween(8.9, 9.1);
    assertThat(ring.getJsonArray(0).getDouble(1)).isBetween(44.9, 45.1);
  }

  @Test
  void unplacedDetectionsHaveNullGeometryAndPendingResultsNoFeatures() {
    Analysis analysis = builder.build(List.of(new Detection(0, 0.7f, 1, 2, 3, 4)), 10, 10, 1, Instant.EPOCH);
    JsonObject placedNowhere = ResultGeoJson.of(new JsonObject().put("image_id", "a").put("status", "completed")
        .put("analysis", analysis.toJson()));
    assertThat(placedNowhere.getJsonArray("features").getJsonObject(0).getValue("geometry")).isNull();
    assertThat(placedNowhere.getString("georeference")).isEqualTo("none");

    JsonObject pending = ResultGeoJson.of(new JsonObject().put("image_id", "b").put("status", "pending")
        .putNull("analysis"));
    assertThat(pending.getJsonArray("features")).isEmpty();
    assertThat(pending.getValue("model_version")).isNull();
  }

  @Test
  void aFloodExtentFollowsTheDetectionsAsFeaturesAndSurvivesTheRoundTrip() {
    Analysis detections = builder.build(List.of(new Detection(1, 0.9f, 10, 20, 110, 220)), 640, 480,
        Optional.of(ApproximatePlacement.centredAt(45, 9, 640, 480, 10)), 1, 5, Instant.EPOCH);
    JsonObject square = new JsonObject().put("type", "Polygon").put("coordinates", new JsonArray().add(new JsonArray()
        .add(new JsonArray().add(9.0).add(45.0)).add(new JsonArray().add(9.01).add(45.0))
        .add(new JsonArray().add(9.01).add(45.01)).add(new JsonArray().add(9.0).add(45.0))));
    AnalysisExtent extent = new AnalysisExtent("s2seg-1", 0.5, 10, 0.01, 0.4, 0.12, 3, "natural_earth_10m_land",
        0.05, 0.125, 640, 480, 10, "masks/x/s2seg-1.tif", 0, List.of(new AnalysisExtent.Region(square, 0.4, 0.83)));
    Analysis analysis = detections.withExtent(extent);
    assertThat(Analysis.fromJson(analysis.toJson()).floodExtent()).contains(extent);
    assertThat(detections.toJson().containsKey("extent")).as("no extent, no member").isFalse();

    JsonArray features = ResultGeoJson.of(new JsonObject().put("image_id", "id-2").put("status", "completed")
        .put("analysis", analysis.toJson())).getJsonArray("features");
    assertThat(features).hasSize(2);
    assertThat(features.getJsonObject(0).getJsonObject("properties").getString("class_name")).isEqualTo("flood");
    JsonObject flooded = features.getJsonObject(1);
    assertThat(flooded.getJsonObject("geometry")).isEqualTo(square);
    assertThat(flooded.getJsonObject("properties").getString("kind")).isEqualTo("flood_extent");
    assertThat(flooded.getJsonObject("properties").getDouble("area_km2")).isEqualTo(0.4);
    assertThat(flooded.getJsonObject("properties").getString("model")).isEqualTo("s2seg-1");
  }

  @Test
  void aPairsChangeLayersFollowAsChangeFeaturesNamingTheirRuleAreaAndBeforeScene() {
    Analysis detections = builder.build(List.of(new Detection(1, 0.9f, 10, 20, 110, 220)), 640, 480,
        Optional.of(ApproximatePlacement.centredAt(45, 9, 640, 480, 10)), 1, 5, Instant.EPOCH);
    List<List<double[]>> big = List.of(List.of(new double[] {9.0, 45.0}, new double[] {9.01, 45.0},
        new double[] {9.01, 45.01}, new double[] {9.0, 45.0}));
    List<List<double[]>> small = List.of(List.of(new double[] {9.02, 45.0}, new double[] {9.021, 45.0},
        new double[] {9.021, 45.001}, new double[] {9.02, 45.0}));
    ChangeSection change = new ChangeSection("ab".repeat(32), "optical", "nearest", 1.0, 64, 48, 10, 0.05, 1.0, true,
        List.of(new ChangeSection.Layer("new_water", "flood", 0.61, 2,
                List.of(new ChangeSection.Area(big, 0.6), new ChangeSection.Area(small, 0.01))),
            new ChangeSection.Layer("landslide", "landslide", 0, 0, List.of())), 12.5);
    AnalysisExtent extent = new AnalysisExtent("s2seg-1", 0.5, 10, 0.01, 0.4, 0.12, 3, "natural_earth_10m_land",
        0.05, null, 640, 480, 10, null, 0, List.of(new AnalysisExtent.Region(
            new JsonObject().put("type", "Polygon").put("coordinates", new JsonArray()), 0.4, 0.83)));

    JsonArray features = ResultGeoJson.of(new JsonObject().put("image_id", "id-3").put("status", "completed")
        .put("analysis", detections.withChange(change).withExtent(extent).toJson())).getJsonArray("features");

    // The detection, the extent polygon, then one feature per change polygon (an empty layer adds none).
    assertThat(features).hasSize(4);
    assertThat(features.getJsonObject(0).getJsonObject("properties").containsKey("kind")).isFalse();
    assertThat(features.getJsonObject(1).getJsonObject("properties").getString("kind")).isEqualTo("flood_extent");
    JsonObject first = features.getJsonObject(2);
    JsonObject properties = first.getJsonObject("properties");
    assertThat(properties.getString("kind")).isEqualTo("change");
    assertThat(properties.getString("layer")).isEqualTo("new_water");
    assertThat(properties.getString("hazard")).isEqualTo("flood");
    assertThat(properties.getDouble("area_km2")).isEqualTo(0.6);
    assertThat(properties.getDouble("layer_area_km2")).isEqualTo(0.61);
    assertThat(properties.getString("sensor")).isEqualTo("optical");
    assertThat(properties.getString("before_sha256")).isEqualTo("ab".repeat(32));
    JsonObject geometry = first.getJsonObject("geometry");
    assertThat(geometry.getString("type")).isEqualTo("Polygon");
    // [longitude, latitude], as the change section stores them
    assertThat(geometry.getJsonArray("coordinates").getJsonArray(0).getJsonArray(1).getList()).containsExactly(9.01,
        45.0);
    assertThat(features.getJsonObject(3).getJsonObject("properties").getDouble("area_km2")).isEqualTo(0.01);

    // A scene alone has no change features.
    assertThat(ResultGeoJson.of(new JsonObject().put("image_id", "id-4").put("status", "completed")
        .put("analysis", detections.toJson())).getJsonArray("features")).hasSize(1);
  }

  @Test
  void analysisWithFootprintsSurvivesTheJsonRoundTrip() {
    Analysis analysis = builder.build(List.of(new Detection(0, 0.8f, 0, 0, 64, 64)), 640, 480,
        Optional.of(ApproximatePlacement.centredAt(-20, 30, 640, 480, 5)), 3, 5, Instant.EPOCH);
    Analysis back = Analysis.fromJson(analysis.toJson());
    assertThat(back.toJson()).isEqualTo(analysis.toJson());
    assertThat(back.tiles()).isEqualTo(3);
    assertThat(back.detections().get(0).footprint().radiusMetres()).isGreaterThan(0);
  }
}
