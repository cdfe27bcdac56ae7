package org.geohazard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.geohazard.SharedData;
import org.geohazard.image.GeoTiffFixture;
import org.geohazard.image.SampleType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node with the models it ships by default (models/README.md): a multispectral scene is shown to each
 * model through the bands of its view, at its ground scale, and the result says so; the real Sentinel-2
 * sample of the 2019 Spain flood as its 13-band GeoTIFF is found as a flood with a high or critical risk and
 * raises an alert at the flood; as the RGB JPEG it reaches the RGB model alone and is found as a flood, at
 * the medium level the model card reports for it (no alert). The Spain tests skip, saying why, without
 * ../shared/data; the synthetic stack covers the same multi-model path.
 */
class ShippedModelsIT {

  /** GDAL: pixel (256, 256) of the Spain chip is (-0.758897, 38.105816); pixels are ~8.98e-5 degrees. */
  private static final double SPAIN_LON = -0.758897;
  private static final double SPAIN_LAT = 38.105816;
  private static final double SPAIN_HALF_DEG = 256 * 8.98e-5 + 1e-4;
  private static TestNode node;

  @TempDir
  static Path dir;

  @BeforeAll
  static void startNode() {
    Path root = LocalStack.repoRoot();
    node = TestNode.start(Map.of("GEOHAZARD_MODEL_PATHS",
        root.resolve("models/geohazard-rgb.onnx") + "," + root.resolve("models/geohazard-s2flood.onnx")));
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void aSentinel2StackIsSeenByBothModelsThroughTheirOwnBandsAtTheirScale() throws Exception {
    // 13 bands of 16-bit reflectance-like noise, 10 m UTM pixels; a salt makes every run's bytes new.
    Random random = new Random();
    int salt = random.nextInt(1000);
    GeoTiffFixture.Samples samples = (band, x, y) -> 800 + band * 100 + ((x * 31 + y * 17 + band * 7) % 400)
        + (x == 0 && y == 0 ? salt : 0);
    Path file = new GeoTiffFixture(300, 300).bands(13, SampleType.UINT16)
        .compression(GeoTiffFixture.Compression.DEFLATE).tiles(256)
        .georeferenced(32630, true, 700_000 + random.nextInt(1000) * 10.0, 4_200_000, 10, 10)
        .samples(samples).write(Files.createTempFile(dir, "stack-", ".tif"));
    JsonObject analysis = analyse(Files.readAllBytes(file), "stack.tif", Map.of());
    JsonArray models = analysis.getJsonArray("models");
    assertThat(models).hasSize(2);
    JsonObject colour = models.getJsonObject(0);
    JsonObject spectral = models.getJsonObject(1);
    assertThat(colour.getString("view")).isEqualTo("rgb");
    assertThat(colour.getJsonArray("bands").getList()).containsExactly(4, 3, 2);
    assertThat(spectral.getString("view")).isEqualTo("swir_nir_green");
    assertThat(spectral.getJsonArray("bands").getList()).containsExactly(12, 8, 3);
    // Both models were trained at 10 m: a 10 m scene keeps its scale.
    assertThat(spectral.getDouble("scale")).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.01));
    assertThat(analysis.getString("model_version"))
        .isEqualTo(colour.getString("version") + ";" + spectral.getString("version"));
  }

  @Test
  void theSpainFloodGeoTiffIsAFloodWithAnAlertAtIt() throws Exception {
    byte[] chip = Uploads.salted(Files.readAllBytes(SharedData.require("geotiff/sen1floods11/sample/S2/Spain_7370579_S2Hand.tif")));
    Instant before = Instant.now();
    JsonObject result = analyseToResult(chip, "Spain_7370579_S2Hand.tif", Map.of());
    JsonObject analysis = result.getJsonObject("analysis");
    assertFlood(analysis);
    assertThat(analysis.getString("georeference")).isEqualTo("exact");
    // Why it may be critical (docs/DECISIONS.md, "Risk from evidence"): the SWIR/NIR/green model's pooled real precision does
    // not reach the critical target (0.83 on OMBRIA test + 2021), but the natural-colour view of the same stack
    // reports flood inside its box: corroborated by an independent view, not verified.
    JsonObject evidence = analysis.getJsonObject("evidence").getJsonObject("flood");
    assertThat(evidence.getString("level")).as(evidence.encodePrettily()).isEqualTo(analysis.getString("flood_risk"));
    assertThat(evidence.getBoolean("corroborated")).as(evidence.encodePrettily()).isTrue();
    assertThat(evidence.getJsonArray("corroborated_by").getList()).containsExactly("independent_view");
    assertThat(evidence.getJsonArray("seen_by").stream().map(v -> ((JsonObject) v).getString("view")))
        .containsExactlyInAnyOrder("rgb", "swir_nir_green");
    JsonObject alert = assertAlertNear(before, SPAIN_LAT, SPAIN_LON, SPAIN_HALF_DEG);
    assertThat(alert.getJsonObject("evidence")).as(alert.encodePrettily()).isNotNull();
    assertThat(alert.getJsonObject("evidence").getString("level")).isEqualTo(alert.getString("severity"));
  }

  /**
   * The flood-free Landsat scene of the Bahamas' shallow sea (issue 22: once flood 0.78, risk critical, a critical
   * flood alert): no flood at high or critical, the boxes over the sea set aside as permanent water and said so in
   * the result and its GeoJSON view, and no flood alert. That no alert comes is told by order: the alerts verticle
   * takes saved results one after the other, so once the Spain chip uploaded after it has its alert, this scene's
   * result has been through the rules.
   */
  @Test
  void theFloodFreeBahamasSceneRaisesNoFloodAlert() throws Exception {
    byte[] scene = Uploads.salted(Files.readAllBytes(SharedData.require("geotiff/rasterio/RGB.byte.tif")));
    Instant before = Instant.now();
    JsonObject result = analyseToResult(scene, "RGB.byte.tif", Map.of());
    String imageId = result.getString("image_id");
    JsonObject analysis = result.getJsonObject("analysis");
    assertThat(analysis.getString("flood_risk")).as(analysis.encodePrettily()).isIn("low", "medium");
    JsonObject evidence = analysis.getJsonObject("evidence");
    assertThat(evidence.getJsonObject("flood")).as(analysis.encodePrettily()).isNotNull();
    assertThat(evidence.getJsonObject("flood").getInteger("permanent_water_excluded")).isPositive();
    JsonObject geoJson = node.checked("getResultGeoJson",
        node.get("/api/v1/results/" + imageId + "/geojson", node.publisherKey()));
    assertThat(geoJson.getJsonObject("evidence").getJsonObject("flood").getInteger("permanent_water_excluded"))
        .isPositive();

    byte[] chip = Uploads.salted(Files.readAllBytes(SharedData.require("geotiff/sen1floods11/sample/S2/Spain_7370579_S2Hand.tif")));
    analyseToResult(chip, "Spain_7370579_S2Hand.tif", Map.of());
    assertAlertNear(before, SPAIN_LAT, SPAIN_LON, SPAIN_HALF_DEG);
    // The scene's centre, UTM 18N (220651 E, 2719200 N) from its tiepoint and pixel size, is about 24.57 N,
    // 77.76 W; it spans about 237 x 215 km, so 200 km around it reaches all of it.
    JsonObject near = node.checked("getActiveAlerts",
        node.get("/api/v1/alerts/active?latitude=24.57&longitude=-77.76&radius_km=200"));
    assertThat(near.getJsonArray("alerts").stream().map(JsonObject.class::cast)
        .filter(a -> a.getString("alert_type").equals("flood")))
        // Which upload raised a public alert only an operator reads.
        .noneMatch(a -> imageId.equals(node.get("/api/v1/alerts/" + a.getString("alert_id"), node.operatorKey())
            .bodyAsJsonObject().getString("image_id")));
  }

  @Test
  void theSpainFloodAsAnRgbJpegIsFoundByTheRgbModelAlone() throws Exception {
    byte[] jpeg = Uploads.salted(Files.readAllBytes(SharedData.require("samples/sentinel2-spain-flood-rgb.jpg")));
    JsonObject result = analyseToResult(jpeg, "sentinel2-spain-flood-rgb.jpg",
        Map.of("latitude", "38.1058", "longitude", "-0.7589", "priority", "high"));
    JsonObject analysis = result.getJsonObject("analysis");
    JsonArray models = analysis.getJsonArray("models");
    assertThat(models).hasSize(1);
    assertThat(models.getJsonObject(0).getString("view")).isEqualTo("rgb");
    assertThat(analysis.getInteger("flood_count")).as(analysis.encodePrettily()).isPositive();
    // The RGB model rates this flood medium: its best flood score (0.218 in training/metrics-real.json) is
    // short of the flood's high level (0.2253), which an alert needs, and it scores the Landsat samples
    // without a flood about the same (models/README.md). The 13-band GeoTIFF above is what finds it.
    assertThat(analysis.getString("flood_risk")).as(analysis.encodePrettily()).isIn("medium", "high", "critical");
    // And it says how much that is worth: the natural-colour model's real-label evidence supports no level (pooled
    // precision 0.60 at medium), so the flood is reported at medium at most, unverified, with no other view.
    JsonObject evidence = analysis.getJsonObject("evidence").getJsonObject("flood");
    assertThat(analysis.getString("flood_risk")).isEqualTo("medium");
    assertThat(evidence.getBoolean("verified")).isFalse();
    assertThat(evidence.getBoolean("corroborated")).isFalse();
    assertThat(evidence.getString("reason")).as(evidence.encodePrettily()).contains("unverified natural colour");
  }

  private static void assertFlood(JsonObject analysis) {
    assertThat(analysis.getInteger("flood_count")).as(analysis.encodePrettily()).isPositive();
    assertThat(analysis.getString("flood_risk")).as(analysis.encodePrettily()).isIn("high", "critical");
    assertThat(analysis.getString("risk_level")).isIn("high", "critical");
  }

  /**
   * A flood alert of high or critical severity near the point, raised or renewed by this analysis: the
   * same flood analysed by an earlier test or run is merged into the alert already active there (which
   * keeps its first image id), so "renewed" is told by its expiry, restarted after {@code before}.
   */
  private static JsonObject assertAlertNear(Instant before, double lat, double lon, double slackDeg) {
    Instant renewedAfter = before.plus(Duration.ofHours(node.config.alerts().ttlHours())).minusSeconds(1);
    java.util.function.Predicate<JsonObject> ours = alert -> alert.getString("alert_type").equals("flood")
        && Instant.parse(alert.getString("expires_at")).isAfter(renewedAfter);
    HttpResponse<Buffer> alerts = node.pollUntil(() -> node.client.get("/api/v1/alerts/active")
            .addQueryParam("latitude", Double.toString(lat)).addQueryParam("longitude", Double.toString(lon))
            .addQueryParam("radius_km", "5").send(),
        r -> r.statusCode() == 200 && r.bodyAsJsonObject().getJsonArray("alerts").stream()
            .map(JsonObject.class::cast).anyMatch(ours),
        TestNode.TIMEOUT);
    List<JsonObject> mine = node.checked("getActiveAlerts", alerts).getJsonArray("alerts").stream()
        .map(JsonObject.class::cast).filter(ours).toList();
    assertThat(mine).anySatisfy(alert -> {
      assertThat(alert.getString("severity")).isIn("high", "critical");
      assertThat(alert.getDouble("latitude")).isBetween(lat - slackDeg, lat + slackDeg);
      assertThat(alert.getDouble("longitude")).isBetween(lon - slackDeg, lon + slackDeg);
    });
    return mine.get(0);
  }

  private static JsonObject analyse(byte[] bytes, String name, Map<String, String> fields) {
    JsonObject result = analyseToResult(bytes, name, fields);
    return result.getJsonObject("analysis");
  }

  private static JsonObject analyseToResult(byte[] bytes, String name, Map<String, String> fields) {
    return Uploads.completedResult(node, bytes, name, fields);
  }
}
