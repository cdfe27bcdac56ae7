package org.geohazard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.geohazard.storage.ObjectStore;
import org.geohazard.storage.S3ObjectStore;
import org.geohazard.testing.PairScenes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A scene looked at with a scene of the same place by the other sensor family (issue 22: "S1 + S2 fused where both
 * exist"), on a node serving the shipped Sentinel-2 and Sentinel-1 flood detectors: the upload names the caller's own
 * radar (or optical) upload in {@code other_sensor_image_id}; the other scene's boxes corroborate the scene's where
 * they overlap, and the result says what the other scene showed. The radar scene is in geographic coordinates and the
 * optical one in UTM, as the two are usually delivered.
 */
class OtherSensorIT {

  private static TestNode node;
  private static TestDatabase db;
  private static S3ObjectStore store;
  private static String tenant;
  private static String otherTenant;

  @TempDir
  static Path dir;

  @BeforeAll
  static void start() {
    Path root = LocalStack.repoRoot();
    // The radar mask model too, as a default node serves it: a radar upload alone gets its flood extent, a look at
    // it for another scene runs the detector only.
    node = TestNode.start(Map.of("GEOHAZARD_MODEL_PATHS", root.resolve("models/geohazard-s2flood.onnx") + ","
        + root.resolve("models/geohazard-s1flood.onnx") + "," + root.resolve("models/geohazard-s1seg.onnx")));
    db = new TestDatabase(node.vertx(), node.config.db());
    store = node.storeClient();
    tenant = node.createKey("other-sensor-it", "read,upload");
    otherTenant = node.createKey("other-sensor-it-other", "read,upload");
  }

  @AfterAll
  static void stop() {
    if (store != null) {
      store.close();
    }
    if (db != null) {
      db.close();
    }
    if (node != null) {
      node.close();
    }
  }

  @Test
  void anOpticalFloodKeepsItsLevelWhereTheRadarSceneOfThePlaceSeesItToo() throws Exception {
    double easting = PairScenes.inlandEasting();
    long seed = ThreadLocalRandom.current().nextLong();
    Path opticalScene = PairScenes.sentinel2(dir, true, easting, seed);
    JsonObject radar = analysed(PairScenes.sentinel1Geographic(dir, true, easting, seed ^ 1), tenant, Map.of());
    JsonObject radarAnalysis = radar.getJsonObject("analysis");
    assertThat(radarAnalysis.getInteger("flood_count")).as(radarAnalysis.encodePrettily()).isPositive();
    assertThat(radarAnalysis.getJsonObject("extent")).as("the radar upload alone: its mask model drew it").isNotNull();

    JsonObject alone = analysed(opticalScene, tenant, Map.of()).getJsonObject("analysis");
    JsonObject aloneFlood = alone.getJsonObject("evidence").getJsonObject("flood");
    assertThat(aloneFlood.getBoolean("capped")).as(aloneFlood.encodePrettily()).isTrue();
    assertThat(alone.containsKey("other_sensor")).isFalse();

    JsonObject fused = analysed(opticalScene, tenant, Map.of("other_sensor_image_id", radar.getString("image_id")));
    JsonObject analysis = fused.getJsonObject("analysis");
    JsonObject flood = analysis.getJsonObject("evidence").getJsonObject("flood");
    assertThat(flood.getJsonArray("corroborated_by").getList()).as(analysis.encodePrettily())
        .containsExactly("other_sensor");
    assertThat(flood.getString("level")).isEqualTo(flood.getString("level_before_cap"))
        .isEqualTo(aloneFlood.getString("level_before_cap"));
    assertThat(analysis.getString("flood_risk")).isEqualTo(flood.getString("level"));
    assertThat(flood.getString("reason")).contains("a scene of the same place by the other sensor reports flood");
    JsonObject section = analysis.getJsonObject("other_sensor");
    assertThat(section.getString("sensor")).isEqualTo("radar");
    assertThat(section.getString("sha256")).isEqualTo(radar.getString("sha256"));
    assertThat(section.getString("model_version")).isEqualTo(radarAnalysis.getString("model_version"));
    assertThat(section.getString("risk_level")).isEqualTo(radarAnalysis.getString("risk_level"));
    assertThat(section.getDouble("overlap_share")).isGreaterThan(0.99);
    assertThat(section.getJsonObject("detections").getInteger("flood"))
        .isEqualTo(radarAnalysis.getInteger("flood_count"));

    // Deleting the radar upload (its content's last) keeps the radar bytes the fused content still reads.
    String radarKey = ObjectStore.imageKey(radar.getString("sha256"));
    deleted(radar);
    assertThat(TestNode.await(store.get(radarKey)).length()).isPositive();
    // Once the fused upload goes too, nothing reads them: they go.
    deleted(fused);
    assertThatThrownBy(() -> TestNode.await(store.get(radarKey)))
        .isInstanceOf(ObjectStore.MissingObjectException.class);
  }

  /**
   * A before/after pair looked at with the radar pair of the place: both the change rule and the radar scene
   * corroborate the flood, and the radar pair's before scene (read by the look only through that pair) is kept until
   * nothing reads it.
   */
  @Test
  void aPairIsLookedAtWithTheRadarPairOfThePlace() throws Exception {
    double easting = PairScenes.inlandEasting();
    long seed = ThreadLocalRandom.current().nextLong();
    JsonObject opticalBefore = analysed(PairScenes.sentinel2(dir, false, easting, seed), tenant, Map.of());
    JsonObject radarBefore = analysed(PairScenes.sentinel1Geographic(dir, false, easting, seed ^ 1), tenant,
        Map.of());
    JsonObject radarPair = analysed(PairScenes.sentinel1Geographic(dir, true, easting, seed ^ 2), tenant,
        Map.of("before_image_id", radarBefore.getString("image_id")));
    assertThat(radarPair.getJsonObject("analysis").getJsonObject("change")).isNotNull();
    JsonObject fused = analysed(PairScenes.sentinel2(dir, true, easting, seed ^ 3), tenant,
        Map.of("before_image_id", opticalBefore.getString("image_id"),
            "other_sensor_image_id", radarPair.getString("image_id")));
    JsonObject analysis = fused.getJsonObject("analysis");
    assertThat(analysis.getJsonObject("change")).as(analysis.encodePrettily()).isNotNull();
    assertThat(analysis.getJsonObject("other_sensor").getString("sha256")).isEqualTo(radarPair.getString("sha256"));
    assertThat(analysis.getJsonObject("evidence").getJsonObject("flood").getJsonArray("corroborated_by").getList())
        .containsExactlyInAnyOrder("change_rule", "other_sensor");
    assertThat(fused.getJsonObject("pairing").getString("before_image_id"))
        .isEqualTo(opticalBefore.getString("image_id"));

    String radarBeforeKey = ObjectStore.imageKey(radarBefore.getString("sha256"));
    deleted(radarBefore);
    deleted(radarPair);
    assertThat(TestNode.await(store.get(radarBeforeKey)).length()).as("read by the look through the radar pair")
        .isPositive();
    deleted(fused);
    assertThatThrownBy(() -> TestNode.await(store.get(radarBeforeKey)))
        .isInstanceOf(ObjectStore.MissingObjectException.class);
  }

  @Test
  void aRadarSceneIsLookedAtWithTheOpticalSceneTheOtherWayRound() throws Exception {
    double easting = PairScenes.inlandEasting();
    long seed = ThreadLocalRandom.current().nextLong();
    JsonObject optical = analysed(PairScenes.sentinel2(dir, true, easting, seed), tenant, Map.of());
    JsonObject analysis = analysed(PairScenes.sentinel1Geographic(dir, true, easting, seed ^ 1), tenant,
        Map.of("other_sensor_image_id", optical.getString("image_id"))).getJsonObject("analysis");
    JsonObject section = analysis.getJsonObject("other_sensor");
    assertThat(section.getString("sensor")).as(analysis.encodePrettily()).isEqualTo("optical");
    // The radar scene reaches 20 pixels beyond the optical one on each side: about 75 % of it is covered.
    assertThat(section.getDouble("overlap_share")).isBetween(0.6, 0.9);
    assertThat(analysis.getJsonObject("evidence").getJsonObject("flood").getJsonArray("corroborated_by").getList())
        .containsExactly("other_sensor");
  }

  @Test
  void scenesThatCannotBeLookedAtTogetherAreRefusedAndNothingIsStored() throws Exception {
    double easting = PairScenes.inlandEasting();
    long seed = ThreadLocalRandom.current().nextLong();
    String radar = analysed(PairScenes.sentinel1Geographic(dir, false, easting, seed), tenant, Map.of())
        .getString("image_id");
    String optical = analysed(PairScenes.sentinel2(dir, false, easting, seed), tenant, Map.of()).getString("image_id");
    String farRadar = analysed(PairScenes.sentinel1Geographic(dir, false, easting + 200_000, seed), tenant, Map.of())
        .getString("image_id");
    String plain = analysed(plainPng(), tenant, Map.of()).getString("image_id");
    String fused = analysed(PairScenes.sentinel2(dir, true, easting, seed ^ 2), tenant,
        Map.of("other_sensor_image_id", radar)).getString("image_id");
    Path scene = PairScenes.sentinel2(dir, true, easting, seed ^ 3);

    refused(scene, tenant, UUID.randomUUID().toString(), 404, "not_found", "other_sensor_image_id");
    refused(scene, otherTenant, radar, 404, "not_found", "other_sensor_image_id");
    refused(scene, tenant, "not-a-uuid", 400, null, "other_sensor_image_id");
    refused(scene, tenant, optical, 422, "invalid_image", "both scenes are optical");
    refused(scene, tenant, farRadar, 422, "invalid_image", "covers 0 %");
    refused(scene, tenant, plain, 422, "invalid_image", "GeoTIFF");
    refused(plainPng(), tenant, radar, 422, "invalid_image", "GeoTIFF");
    // One level deep: an upload that was itself looked at with another sensor's scene is not another's.
    refused(PairScenes.sentinel1Geographic(dir, true, easting, seed ^ 4), tenant, fused, 422, "invalid_image",
        "itself looked at with another sensor's scene");
  }

  /**
   * The dashboard's form: a radar upload named as the optical upload's other sensor's scene, as a person would through
   * the page (anonymous: an upload's id is its capability). The result panel says what the radar scene showed, and
   * the flood's evidence that it corroborated the level; a scene of the same family is refused with the reason.
   */
  @Test
  void theDashboardSendsTheOtherSensorsSceneAndShowsWhatItGave() throws Exception {
    WebDriver browser = HeadlessBrowser.start();
    try {
      String page = "http://127.0.0.1:" + node.node.httpPort() + "/";
      WebDriverWait wait = new WebDriverWait(browser, TestNode.TIMEOUT);
      double easting = PairScenes.inlandEasting();
      long seed = ThreadLocalRandom.current().nextLong();
      String radarId = uploadedThroughThePage(browser, wait, page,
          PairScenes.sentinel1Geographic(dir, true, easting, seed), null);
      uploadedThroughThePage(browser, wait, page, PairScenes.sentinel2(dir, true, easting, seed ^ 1), radarId);
      wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-testid='result-other-sensor']")));
      assertThat(byTestId(browser, "result-other-sensor").getText()).startsWith("looked at with a radar scene (")
          .contains("1 flood box on this scene");
      assertThat(browser.findElements(By.cssSelector("[data-testid='result-evidence-detail']")).stream()
          .map(WebElement::getText))
          .contains("corroborated by a scene of the same place by the other sensor: the level stands by it");

      // A radar upload named as a radar scene's other sensor's scene: refused, the reason shown.
      browser.get(page);
      wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-ready", "true"));
      byTestId(browser, "upload-file").sendKeys(PairScenes.sentinel1Geographic(dir, true, easting, seed ^ 2)
          .toString());
      byTestId(browser, "upload-other-sensor").sendKeys(radarId);
      byTestId(browser, "upload-submit").click();
      wait.until(ExpectedConditions.visibilityOf(byTestId(browser, "error-message")));
      assertThat(byTestId(browser, "error-message").getText()).contains("both scenes are radar");
      assertThat(HeadlessBrowser.severeConsoleErrors(browser)).as("JavaScript errors in the page")
          .allMatch(e -> e.contains(" 422 "), "only the refused upload's 422");
    } finally {
      browser.quit();
    }
  }

  /** Uploads {@code scene} through the page (with {@code otherSensorId} in the form, null: none); its upload id. */
  private static String uploadedThroughThePage(WebDriver browser, WebDriverWait wait, String page, Path scene,
                                               String otherSensorId) {
    browser.get(page);
    wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-ready", "true"));
    byTestId(browser, "upload-file").sendKeys(scene.toString());
    if (otherSensorId != null) {
      byTestId(browser, "upload-other-sensor").sendKeys(otherSensorId);
    }
    byTestId(browser, "upload-submit").click();
    wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-testid='result-status']"), "completed"));
    return byTestId(browser, "result-status").getAttribute("data-image-id");
  }

  private static WebElement byTestId(WebDriver browser, String id) {
    return browser.findElement(By.cssSelector("[data-testid='" + id + "']"));
  }

  /** The tenant deletes its upload ({@code result}'s id): 204. */
  private static void deleted(JsonObject result) {
    assertThat(TestNode.await(node.client.request(HttpMethod.DELETE, "/api/v1/results/" + result.getString("image_id"))
        .putHeader("X-API-Key", tenant).send()).statusCode()).isEqualTo(204);
  }

  private static HttpResponse<Buffer> upload(Path file, String key, Map<String, String> fields) throws Exception {
    return Uploads.sent(node, file, key, fields);
  }

  private static JsonObject analysed(Path file, String key, Map<String, String> fields) throws Exception {
    return Uploads.analysed(node, file, key, fields);
  }

  private static void refused(Path scene, String key, String otherId, int status, String code, String reason)
      throws Exception {
    Uploads.refused(node, db, scene, key, "other_sensor_image_id", otherId, status, code, reason);
  }

  private static Path plainPng() throws Exception {
    return Uploads.plainPng(dir);
  }
}
