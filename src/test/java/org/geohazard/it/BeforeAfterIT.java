package org.geohazard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.geohazard.testing.PairScenes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Before/after pairs through the API on a node serving the shipped models (issue 22): a scene uploaded with
 * {@code before_image_id} naming the caller's earlier upload of the same place is analysed against it. A
 * Sentinel-2 pair (13-band GeoTIFFs made here: a flood appearing beside a lake that was always there) gets new-water
 * polygons with their area, its flood box corroborated by the change rule and the lake set aside as permanent water; a
 * Sentinel-1 pair (float VV in dB, a backscatter drop) gets the drop's polygons and is shown to the radar model in
 * its pair form. Refused, with nothing stored: an unknown id, another tenant's id, a before scene that does not
 * overlap, scenes without georeference, two sensor families. (No real before/after pair ships in ../shared/data:
 * the Kaikōura set has only difference rasters and the Sen1Floods11 chip one date; the pair figures on real
 * labels are OMBRIA's, from training/evaluate_real.py.)
 */
class BeforeAfterIT {

  private static final Random RANDOM = new Random();
  private static TestNode node;
  private static TestDatabase db;
  private static String tenant;
  private static String otherTenant;

  @TempDir
  static Path dir;

  @BeforeAll
  static void start() {
    Path root = LocalStack.repoRoot();
    node = TestNode.start(Map.of("GEOHAZARD_MODEL_PATHS", root.resolve("models/geohazard-rgb.onnx") + ","
        + root.resolve("models/geohazard-s2flood.onnx") + "," + root.resolve("models/geohazard-s1flood.onnx")));
    db = new TestDatabase(node.vertx(), node.config.db());
    tenant = node.createKey("before-after-it", "read,upload");
    otherTenant = node.createKey("before-after-it-other", "read,upload");
  }

  @AfterAll
  static void stop() {
    if (db != null) {
      db.close();
    }
    if (node != null) {
      node.close();
    }
  }

  private static final int SIDE = PairScenes.SIDE;

  /** See {@link PairScenes#sentinel2}. */
  private static Path sentinel2(boolean flooded, double easting, long seed) throws Exception {
    return PairScenes.sentinel2(dir, flooded, easting, seed);
  }

  /** See {@link PairScenes#sentinel1}. */
  private static Path sentinel1(boolean flooded, double easting, long seed) throws Exception {
    return PairScenes.sentinel1(dir, flooded, easting, seed);
  }

  private static double easting() {
    return PairScenes.inlandEasting();
  }

  @Test
  void aBeforeSceneUnderCloudIsNotJudgedNeitherConfirmingNorSettingTheLakeAside() throws Exception {
    double easting = easting();
    long seed = RANDOM.nextLong();
    String before = analysed(PairScenes.sentinel2(dir, false, true, easting, seed), tenant, Map.of())
        .getString("image_id");
    JsonObject result = analysed(sentinel2(true, easting, seed ^ 1), tenant, Map.of("before_image_id", before));
    JsonObject analysis = result.getJsonObject("analysis");
    JsonObject change = analysis.getJsonObject("change");
    assertThat(change).as(analysis.encodePrettily()).isNotNull();
    // 30 of 256 columns clear, less the cloud's dilated edge: below the 20 % the water rule needs.
    assertThat(change.getBoolean("judged")).as(change.encodePrettily()).isFalse();
    assertThat(change.getDouble("clear_share")).isLessThan(0.2);
    assertThat(layer(change, "new_water").getInteger("regions")).isZero();
    assertThat(change.getDouble("water_before_share")).isZero();
    // Nothing confirmed by the change rule, and nothing set aside as permanent water on a cloud's say.
    JsonObject flood = analysis.getJsonObject("evidence").getJsonObject("flood");
    if (flood != null) {
      assertThat(flood.getJsonArray("corroborated_by").getList()).as(flood.encodePrettily())
          .doesNotContain("change_rule");
      assertThat(flood.getInteger("permanent_water_excluded", 0)).as(flood.encodePrettily()).isZero();
    }
  }

  @Test
  void aSentinel2PairShowsTheNewWaterAndItsChangeRuleCorroboratesTheFlood() throws Exception {
    double easting = easting();
    long seed = RANDOM.nextLong();
    String before = analysed(sentinel2(false, easting, seed), tenant, Map.of()).getString("image_id");
    JsonObject result = analysed(sentinel2(true, easting, seed ^ 1), tenant, Map.of("before_image_id", before));
    JsonObject analysis = result.getJsonObject("analysis");
    JsonObject change = analysis.getJsonObject("change");
    assertThat(change).as(analysis.encodePrettily()).isNotNull();
    assertThat(change.getString("sensor")).isEqualTo("optical");
    assertThat(change.getString("resampling")).isEqualTo("nearest");
    assertThat(change.getDouble("overlap_share")).isEqualTo(1.0);
    JsonObject water = layer(change, "new_water");
    // A disc of radius 55 px at 10 m: π · 550² m² = 0.950 km²; within 5 % (pixel edges, simplification).
    assertThat(water.getDouble("area_km2")).as(change.encodePrettily()).isBetween(0.90, 1.00);
    assertThat(water.getInteger("regions")).isEqualTo(1);
    JsonObject polygon = water.getJsonArray("polygons").getJsonObject(0);
    assertThat(polygon.getJsonObject("geometry").getString("type")).isEqualTo("Polygon");
    assertThat(layer(change, "landslide").getInteger("regions")).isZero();
    // The lake was water before: about 3600 of 65536 pixels.
    assertThat(change.getDouble("water_before_share")).isBetween(0.05, 0.06);
    // No cloud or haze in either scene: every pixel judged.
    assertThat(change.getDouble("clear_share")).isEqualTo(1.0);
    assertThat(change.getBoolean("judged")).isTrue();
    // The flood model's box over the new water is confirmed by the change rule; the level stands by it.
    JsonObject flood = analysis.getJsonObject("evidence").getJsonObject("flood");
    assertThat(flood).as(analysis.encodePrettily()).isNotNull();
    assertThat(flood.getJsonArray("corroborated_by").getList()).as(flood.encodePrettily()).contains("change_rule");
    assertThat(analysis.getString("flood_risk")).isIn("high", "critical");
    assertThat(flood.getString("reason")).contains("a change rule confirms it");

    // The GeoJSON view carries every change polygon as a feature of its own, after the detections (checked against
    // the contract by node.checked).
    JsonObject geoJson = node.checked("getResultGeoJson",
        node.get("/api/v1/results/" + result.getString("image_id") + "/geojson", tenant));
    List<JsonObject> features = geoJson.getJsonArray("features").stream().map(JsonObject.class::cast).toList();
    List<JsonObject> changes = features.stream()
        .filter(f -> "change".equals(f.getJsonObject("properties").getString("kind"))).toList();
    int polygons = change.getJsonArray("layers").stream().map(JsonObject.class::cast)
        .mapToInt(l -> l.getJsonArray("polygons").size()).sum();
    assertThat(changes).as(geoJson.encodePrettily()).hasSize(polygons);
    assertThat(features.subList(features.size() - changes.size(), features.size())).isEqualTo(changes);
    JsonObject waterFeature = changes.stream()
        .filter(f -> "new_water".equals(f.getJsonObject("properties").getString("layer"))).findFirst().orElseThrow();
    assertThat(waterFeature.getJsonObject("geometry")).isEqualTo(polygon.getJsonObject("geometry"));
    assertThat(waterFeature.getJsonObject("properties").getDouble("area_km2")).isEqualTo(polygon.getDouble("area_km2"));
    assertThat(waterFeature.getJsonObject("properties").getString("hazard")).isEqualTo("flood");
    assertThat(waterFeature.getJsonObject("properties").getString("before_sha256"))
        .isEqualTo(change.getString("before_sha256"));

    // The pair's STAC Item has the after scene's footprint (read from its own bytes: the pair's content hash is of
    // both scenes and names no object).
    HttpResponse<Buffer> stacResponse = node.get("/api/v1/results/" + result.getString("image_id") + "/stac", tenant);
    assertThat(stacResponse.statusCode()).as(stacResponse.bodyAsString()).isEqualTo(200);
    JsonObject stac = stacResponse.bodyAsJsonObject();
    assertThat(stac.getJsonObject("geometry")).as(stac.encodePrettily()).isNotNull();
    assertThat(stac.getJsonObject("geometry").getString("type")).isEqualTo("Polygon");
  }

  @Test
  void aSentinel1PairShowsTheBackscatterDropToTheRadarModelInItsPairForm() throws Exception {
    double easting = easting();
    long seed = RANDOM.nextLong();
    String before = analysed(sentinel1(false, easting, seed), tenant, Map.of()).getString("image_id");
    JsonObject analysis = analysed(sentinel1(true, easting, seed ^ 1), tenant, Map.of("before_image_id", before))
        .getJsonObject("analysis");
    JsonObject change = analysis.getJsonObject("change");
    assertThat(change).as(analysis.encodePrettily()).isNotNull();
    assertThat(change.getString("sensor")).isEqualTo("radar");
    JsonObject drop = layer(change, "backscatter_drop");
    assertThat(drop.getDouble("area_km2")).as(change.encodePrettily()).isBetween(0.85, 1.00);
    assertThat(analysis.getJsonArray("models").getJsonObject(0).getString("view")).isEqualTo("sar_vv_pair");
    JsonObject flood = analysis.getJsonObject("evidence").getJsonObject("flood");
    if (flood != null && analysis.getInteger("flood_count") > 0) {
      // Whatever the radar model reports over the new water is confirmed by the drop.
      assertThat(flood.getJsonArray("corroborated_by").getList()).as(flood.encodePrettily()).contains("change_rule");
    }
  }

  @Test
  void pairsTheNodeCannotCompareAreRefusedAndNothingIsStored() throws Exception {
    double easting = easting();
    long seed = RANDOM.nextLong();
    String mine = analysed(sentinel2(false, easting, seed), tenant, Map.of()).getString("image_id");
    String radar = analysed(sentinel1(false, easting, seed), tenant, Map.of()).getString("image_id");
    String elsewhere = analysed(sentinel2(false, easting + 200_000, seed), tenant, Map.of()).getString("image_id");
    String plain = analysed(plainPng(), tenant, Map.of()).getString("image_id");
    Path after = sentinel2(true, easting, seed ^ 7);

    refused(after, tenant, UUID.randomUUID().toString(), 404, "not_found", "before_image_id");
    refused(after, otherTenant, mine, 404, "not_found", "before_image_id");
    refused(after, tenant, "not-a-uuid", 400, null, "before_image_id");
    refused(after, tenant, elsewhere, 422, "invalid_image", "covers 0 %");
    refused(after, tenant, plain, 422, "invalid_image", "GeoTIFF");
    refused(after, tenant, radar, 422, "invalid_image", "sensor families");
    refused(plainPng(), tenant, mine, 422, "invalid_image", "GeoTIFF");
  }

  /**
   * The newest covering scene of the caller's own is chosen (not another tenant's newer one), giving the very pair a
   * named id gives; a deleted scene is no candidate any more.
   */
  @Test
  void autoPairingUsesTheCallersMostRecentCoveringSceneExactlyAsNamingItWould() throws Exception {
    double easting = easting();
    long seed = RANDOM.nextLong();
    String older = analysed(sentinel2(false, easting, seed), tenant, Map.of()).getString("image_id");
    // Newer, shifted by 640 m (a quarter of the scene): it still covers three quarters of the after scene.
    String newer = analysed(sentinel2(false, easting + 640, seed ^ 2), tenant, Map.of()).getString("image_id");
    // The newest scene of the place is another tenant's: it must not be chosen.
    String theirs = analysed(sentinel2(false, easting, seed ^ 3), otherTenant, Map.of()).getString("image_id");
    Path after = sentinel2(true, easting, seed ^ 1);

    JsonObject result = analysed(after, tenant, Map.of("before", "auto"));
    JsonObject pairing = result.getJsonObject("pairing");
    assertThat(pairing).as(result.encodePrettily()).isNotNull();
    assertThat(pairing.getString("mode")).isEqualTo("auto");
    assertThat(pairing.getString("before_image_id")).as(pairing.encodePrettily()).isEqualTo(newer)
        .isNotIn(older, theirs);
    assertThat(pairing.getString("reason")).startsWith("paired automatically").contains("sentinel2-13")
        .contains("EPSG:32630").contains("covers 75 %");
    JsonObject change = result.getJsonObject("analysis").getJsonObject("change");
    assertThat(change).as(result.encodePrettily()).isNotNull();
    assertThat(change.getDouble("overlap_share")).isEqualTo(0.75);
    // The flood disc (x 105..215 of 256) lies inside what the newer scene covers (x 64..256).
    assertThat(layer(change, "new_water").getDouble("area_km2")).as(change.encodePrettily()).isBetween(0.90, 1.00);

    // The same bytes with the chosen scene named: the same pair (one content), so the same analysis at once.
    HttpResponse<Buffer> named = upload(after, tenant, Map.of("before_image_id", newer));
    JsonObject answer = node.checked("analyzeSingle", named);
    assertThat(named.statusCode()).as(answer.encodePrettily()).isEqualTo(200);
    assertThat(answer.getString("sha256")).isEqualTo(result.getString("sha256"));
    assertThat(answer.getJsonObject("analysis").getJsonObject("change")).isEqualTo(change);
    assertThat(answer.getJsonObject("pairing").getString("mode")).isEqualTo("named");
    assertThat(answer.getJsonObject("pairing").getString("before_image_id")).isEqualTo(newer);

    // Scenes are candidates while they are kept: once the newer one is deleted, the older one is used.
    assertThat(TestNode.await(node.client.delete("/api/v1/results/" + newer).putHeader("X-API-Key", tenant).send())
        .statusCode()).isEqualTo(204);
    JsonObject again = analysed(after, tenant, Map.of("before", "auto"));
    assertThat(again.getJsonObject("pairing").getString("before_image_id")).as(again.encodePrettily())
        .isEqualTo(older);
    assertThat(again.getJsonObject("analysis").getJsonObject("change").getDouble("overlap_share")).isEqualTo(1.0);
  }

  @Test
  void withoutACandidateAutoPairingAnalysesAloneAndSaysWhy() throws Exception {
    double easting = easting();
    long seed = RANDOM.nextLong();
    // The place has a scene, but the other tenant's: this tenant has none there.
    analysed(sentinel2(false, easting, seed), otherTenant, Map.of());
    String third = node.createKey("before-after-it-third", "read,upload");
    JsonObject result = analysed(sentinel2(true, easting, seed ^ 1), third, Map.of("before", "auto"));
    assertThat(result.getJsonObject("analysis").getJsonObject("change")).as(result.encodePrettily()).isNull();
    JsonObject pairing = result.getJsonObject("pairing");
    assertThat(pairing.getString("mode")).isEqualTo("auto");
    assertThat(pairing.getString("before_image_id")).isNull();
    assertThat(pairing.getString("reason")).startsWith("none found").contains("sentinel2-13").contains("EPSG:32630")
        .endsWith("analysed alone");

    // Anonymous: no tenant, no earlier scenes of its own. A PNG: nothing to match it by. Neither is refused.
    JsonObject anonymous = node.checked("analyzeSingle", upload(sentinel2(true, easting, seed ^ 4), null,
        Map.of("before", "auto")));
    assertThat(anonymous.getJsonObject("pairing").getString("reason")).startsWith("none found")
        .contains("without an API key");
    JsonObject png = node.checked("analyzeSingle", upload(plainPng(), tenant, Map.of("before", "auto")));
    assertThat(png.getJsonObject("pairing").getString("before_image_id")).isNull();
    assertThat(png.getJsonObject("pairing").getString("reason")).contains("not a georeferenced GeoTIFF");

    // Without before=auto nothing changes: no pairing at all.
    JsonObject plain = node.checked("analyzeSingle", upload(plainPng(), tenant, Map.of()));
    assertThat(plain.containsKey("pairing")).as(plain.encodePrettily()).isFalse();
  }

  @Test
  void autoAndANamedBeforeSceneTogetherAreRefused() throws Exception {
    long images = db.imageRows();
    HttpResponse<Buffer> response = upload(sentinel2(true, easting(), RANDOM.nextLong()), tenant,
        Map.of("before", "auto", "before_image_id", UUID.randomUUID().toString()));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(400);
    assertThat(node.checked("analyzeSingle", response).getString("message")).contains("not both");
    assertThat(db.imageRows()).isEqualTo(images);
    HttpResponse<Buffer> unknown = upload(plainPng(), tenant, Map.of("before", "latest"));
    assertThat(unknown.statusCode()).as(unknown.bodyAsString()).isEqualTo(400);
  }

  private static JsonObject layer(JsonObject change, String kind) {
    JsonArray layers = change.getJsonArray("layers");
    for (int i = 0; i < layers.size(); i++) {
      if (kind.equals(layers.getJsonObject(i).getString("kind"))) {
        return layers.getJsonObject(i);
      }
    }
    throw new AssertionError("no " + kind + " layer in " + change.encodePrettily());
  }

  private static HttpResponse<Buffer> upload(Path file, String key, Map<String, String> fields) throws Exception {
    return Uploads.sent(node, file, key, fields);
  }

  private static JsonObject analysed(Path file, String key, Map<String, String> fields) throws Exception {
    return Uploads.analysed(node, file, key, fields);
  }

  private static void refused(Path scene, String key, String otherId, int status, String code, String reason)
      throws Exception {
    Uploads.refused(node, db, scene, key, "before_image_id", otherId, status, code, reason);
  }

  private static Path plainPng() throws Exception {
    return Uploads.plainPng(dir);
  }
}
