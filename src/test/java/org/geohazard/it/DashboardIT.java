package org.geohazard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.geohazard.testing.FloodedScene;
import org.geohazard.testing.PairScenes;
import org.geohazard.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser (headless Chromium from Debian, driven by Selenium through Debian's
 * chromedriver): the page a newcomer opens at {@code /}. It uploads an image, shows the analysis with its
 * detections drawn over the picture, and the flood alert the upload raises arrives on the map through the alert
 * stream, without a reload. The API docs page renders every operation of the contract. Screenshots go to
 * {@code target/screenshots/}.
 */
class DashboardIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  private static TestNode node;
  private static WebDriver browser;
  private static String base;

  @TempDir
  static Path files;

  @BeforeAll
  static void start() {
    // The stand-in detector and the Sentinel-2 mask model: a georeferenced scene gets a flood extent to draw.
    node = TestNode.start(Map.of("GEOHAZARD_MODEL_PATHS", org.geohazard.testing.StandinCard.model() + ","
        + LocalStack.repoRoot().resolve("models/geohazard-s2seg.onnx")));
    base = "http://127.0.0.1:" + node.node.httpPort();
    browser = HeadlessBrowser.start();
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (node != null) {
      node.close();
    }
  }

  private static WebElement byTestId(String id) {
    return browser.findElement(By.cssSelector("[data-testid='" + id + "']"));
  }

  private static List<WebElement> allByTestId(String id) {
    return browser.findElements(By.cssSelector("[data-testid='" + id + "']"));
  }

  @Test
  void anUploadShowsItsDetectionsAndTheAlertItRaisesAppearsOnTheMapLive() throws Exception {
    browser.get(base + "/");
    WebDriverWait wait = new WebDriverWait(browser, WAIT);
    wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-ready", "true"));
    wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-stream", "open"));
    assertThat(byTestId("map").findElement(By.cssSelector("path.land")).getAttribute("d"))
        .as("the Natural Earth basemap is drawn").hasSizeGreaterThan(10_000);
    List<String> alertsBefore = allByTestId("map-alert").stream().map(e -> e.getAttribute("data-alert-id")).toList();

    // A place of its own, so that no alert of an earlier run absorbs this one.
    Random random = new Random();
    double latitude = -50 + random.nextDouble() * 100;
    double longitude = -170 + random.nextDouble() * 340;
    Path image = Files.write(files.resolve("flood.png"), TestImages.floodPng());
    byTestId("upload-file").sendKeys(image.toString());
    byTestId("upload-latitude").sendKeys(String.format(Locale.ROOT, "%.5f", latitude));
    byTestId("upload-longitude").sendKeys(String.format(Locale.ROOT, "%.5f", longitude));
    byTestId("upload-submit").click();

    wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-testid='result-status']"), "completed"));
    // What the page drew is what the API says.
    String imageId = imageIdNear(latitude, longitude);
    JsonObject result = node.checked("getResult", node.get("/api/v1/results/" + imageId));
    JsonArray detections = result.getJsonObject("analysis").getJsonArray("detections");
    assertThat(detections).isNotEmpty();
    assertThat(allByTestId("result-detection")).hasSize(detections.size());
    assertThat(allByTestId("result-detection").stream().map(e -> e.getAttribute("data-class")))
        .containsExactlyInAnyOrderElementsOf(detections.stream()
            .map(d -> ((JsonObject) d).getString("class_name")).toList());
    assertThat(byTestId("result-risk").getText()).isEqualToIgnoringCase(
        result.getJsonObject("analysis").getString("risk_level"));
    // Beside the risk, the evidence behind each hazard's level, as the API gives it.
    JsonObject evidence = result.getJsonObject("analysis").getJsonObject("evidence");
    assertThat(allByTestId("result-evidence-line").stream().map(e -> e.getAttribute("data-hazard")))
        .containsExactlyElementsOf(evidence.fieldNames());
    assertThat(allByTestId("result-evidence-line")).allSatisfy(line -> {
      JsonObject hazard = evidence.getJsonObject(line.getAttribute("data-hazard"));
      assertThat(line.getAttribute("data-level")).isEqualTo(hazard.getString("level"));
      assertThat(line.getText()).startsWith(line.getAttribute("data-hazard") + ": " + hazard.getString("level"));
    });

    // The page uploads without a key, as any visitor's browser does: the alert it raised is held for an operator,
    // off the map, until an operator's key confirms it; then it reaches the open page through the stream.
    String operator = node.createKey("dashboard-it-operator", "operate");
    JsonObject held = node.checked("listUnverifiedAlerts", node.pollUntil(() -> node.client
            .get("/api/v1/alerts/unverified").putHeader("X-API-Key", operator).send(),
        r -> r.statusCode() == 200 && r.bodyAsJsonObject().getJsonArray("alerts").stream().map(JsonObject.class::cast)
            .anyMatch(a -> imageId.equals(a.getString("image_id"))), java.time.Duration.ofSeconds(30)));
    String alertId = held.getJsonArray("alerts").stream().map(JsonObject.class::cast)
        .filter(a -> imageId.equals(a.getString("image_id"))).findFirst().orElseThrow().getString("alert_id");
    assertThat(allByTestId("map-alert").stream().map(e -> e.getAttribute("data-alert-id")))
        .as("an unverified alert is not on the public map").doesNotContain(alertId);
    assertThat(node.checked("confirmAlert", TestNode.await(node.client.post("/api/v1/alerts/" + alertId + "/confirm")
        .putHeader("X-API-Key", operator).send())).getString("state")).isEqualTo("active");
    JsonArray active = node.checked("getActiveAlerts", node.get(String.format(Locale.ROOT,
        "/api/v1/alerts/active?latitude=%.5f&longitude=%.5f&radius_km=20", latitude, longitude)))
        .getJsonArray("alerts");
    assertThat(active.stream().map(JsonObject.class::cast).map(a -> a.getString("alert_id")))
        .as("the confirmed alert is public").contains(alertId);
    assertThat(alertsBefore).doesNotContain(alertId);
    By onMap = By.cssSelector("[data-testid='map-alert'][data-alert-id='" + alertId + "']");
    wait.until(ExpectedConditions.presenceOfElementLocated(onMap));
    assertThat(browser.findElements(By.cssSelector("[data-testid='alert-list-item'][data-alert-id='" + alertId
        + "']"))).hasSize(1);
    assertThat(byTestId("status-models").getText()).isNotBlank().doesNotContain("loading");
    screenshot("dashboard.png");

    assertThat(severeConsoleErrors()).as("JavaScript errors in the page").isEmpty();
  }

  @Test
  void aGeoreferencedSceneShowsItsFloodExtentOnTheMap() throws Exception {
    browser.get(base + "/");
    WebDriverWait wait = new WebDriverWait(browser, WAIT);
    wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-ready", "true"));
    Path scene = FloodedScene.write(files, 640_000 + new Random().nextInt(1000) * 10.0);
    byTestId("upload-file").sendKeys(scene.toString());
    byTestId("upload-submit").click();
    wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-testid='result-status']"), "completed"));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-testid='map-extent']")));
    // As many extent polygons on the map as the API's GeoJSON view has, and the page says the area.
    String imageId = imageIdNear(0, 0);
    JsonObject geoJson = node.checked("getResultGeoJson", node.get("/api/v1/results/" + imageId + "/geojson"));
    long extents = geoJson.getJsonArray("features").stream().map(JsonObject.class::cast)
        .filter(f -> "flood_extent".equals(f.getJsonObject("properties").getString("kind"))).count();
    assertThat(extents).isPositive();
    assertThat(allByTestId("map-extent")).hasSize((int) extents);
    assertThat(byTestId("map").getAttribute("data-extents")).isEqualTo(String.valueOf(extents));
    assertThat(browser.findElement(By.id("result-geo")).getText()).contains("flood extent");
    screenshot("dashboard-extent.png");
    assertThat(severeConsoleErrors()).as("JavaScript errors in the page").isEmpty();
  }

  @Test
  void aBeforeAfterPairShowsItsChangeLayersWithLegendPopupAndListAndTheEvidenceBehindTheLevel() throws Exception {
    WebDriverWait wait = new WebDriverWait(browser, WAIT);
    double easting = PairScenes.inlandEasting();
    long seed = new Random().nextLong();
    // The before scene, uploaded through the page as anyone would; its id is what the page shows.
    browser.get(base + "/");
    wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-ready", "true"));
    byTestId("upload-file").sendKeys(PairScenes.sentinel2(files, false, easting, seed).toString());
    byTestId("upload-submit").click();
    wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-testid='result-status']"), "completed"));
    String beforeId = byTestId("result-status").getAttribute("data-image-id");
    assertThat(beforeId).isNotBlank();

    // The after scene, compared with it.
    browser.get(base + "/");
    wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-ready", "true"));
    byTestId("upload-file").sendKeys(PairScenes.sentinel2(files, true, easting, seed ^ 1).toString());
    byTestId("upload-before").sendKeys(beforeId);
    byTestId("upload-submit").click();
    wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-testid='result-status']"), "completed"));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-testid='map-change']")));
    String afterId = byTestId("result-status").getAttribute("data-image-id");

    // As many change polygons on the map as the API's GeoJSON view has, each layer in its own style.
    JsonObject geoJson = node.checked("getResultGeoJson", node.get("/api/v1/results/" + afterId + "/geojson"));
    List<JsonObject> changes = geoJson.getJsonArray("features").stream().map(JsonObject.class::cast)
        .filter(f -> "change".equals(f.getJsonObject("properties").getString("kind"))).toList();
    assertThat(changes).isNotEmpty();
    assertThat(allByTestId("map-change")).hasSize(changes.size());
    assertThat(byTestId("map").getAttribute("data-changes")).isEqualTo(String.valueOf(changes.size()));
    WebElement water = browser.findElement(By.cssSelector("[data-testid='map-change'][data-layer='new_water']"));
    assertThat(water.getAttribute("class")).contains("change-new-water");
    // The legend names the layer drawn.
    assertThat(byTestId("map-layer-legend").isDisplayed()).isTrue();
    assertThat(allByTestId("map-legend-entry").stream().map(e -> e.getAttribute("data-layer"))).contains("new_water");
    assertThat(byTestId("map-layer-legend").getText()).contains("New water");

    // Its popup: the layer, its area and the before image it was compared with.
    ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("const r = arguments[0].getBoundingClientRect();"
        + "arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true, clientX: r.left + r.width / 2,"
        + " clientY: r.top + r.height / 2}));", water);
    wait.until(ExpectedConditions.visibilityOf(byTestId("map-popup")));
    JsonObject waterFeature = changes.stream()
        .filter(f -> "new_water".equals(f.getJsonObject("properties").getString("layer"))).findFirst().orElseThrow();
    assertThat(byTestId("map-popup").getText()).contains("New water", String.format(Locale.ROOT, "%.3f km²",
        waterFeature.getJsonObject("properties").getDouble("area_km2")), "before image " + beforeId);

    // The result panel lists every layer of analysis.change with its area, and the before image.
    JsonObject analysis = node.checked("getResult", node.get("/api/v1/results/" + afterId)).getJsonObject("analysis");
    JsonArray layers = analysis.getJsonObject("change").getJsonArray("layers");
    assertThat(allByTestId("result-change-layer").stream().map(e -> e.getAttribute("data-layer")))
        .containsExactlyElementsOf(layers.stream().map(l -> ((JsonObject) l).getString("kind")).toList());
    assertThat(browser.findElement(By.cssSelector("[data-testid='result-change-layer'][data-layer='new_water']"))
        .getText()).contains(String.format(Locale.ROOT, "%.3f km²",
            layers.stream().map(JsonObject.class::cast).filter(l -> "new_water".equals(l.getString("kind")))
                .findFirst().orElseThrow().getDouble("area_km2")));
    assertThat(byTestId("result-change-before").getText()).contains(beforeId);

    // The evidence of each hazard: its line, then who saw it, the precision behind it and its corroboration.
    JsonObject evidence = analysis.getJsonObject("evidence");
    for (String hazard : evidence.fieldNames()) {
      List<String> parts = browser.findElements(By.cssSelector("[data-testid='result-evidence-detail'][data-hazard='"
          + hazard + "']")).stream().map(e -> e.getAttribute("data-part")).toList();
      assertThat(parts).as(hazard).contains("precision", "corroboration");
      JsonArray corroboratedBy = evidence.getJsonObject(hazard).getJsonArray("corroborated_by");
      if (corroboratedBy.contains("change_rule")) {
        assertThat(browser.findElement(By.cssSelector("[data-testid='result-evidence-detail'][data-hazard='" + hazard
            + "'][data-part='corroboration']")).getText()).contains("change rule");
      }
    }
    screenshot("dashboard-change.png");
    assertThat(severeConsoleErrors()).as("JavaScript errors in the page").isEmpty();
  }

  @Test
  void aWrongFileTypeShowsTheServersMessage() throws Exception {
    browser.get(base + "/");
    WebDriverWait wait = new WebDriverWait(browser, WAIT);
    wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-ready", "true"));
    Path text = Files.writeString(files.resolve("notes.jpg"), "not an image\n");
    byTestId("upload-file").sendKeys(text.toString());
    byTestId("upload-submit").click();
    wait.until(ExpectedConditions.visibilityOf(byTestId("error-message")));
    assertThat(byTestId("error-message").getText()).containsIgnoringCase("not a JPEG, PNG, TIFF or WebP");
  }

  /** File names come from users: the page shows them as text, never as markup. */
  @Test
  void aFileNameWithMarkupIsShownAsText() throws Exception {
    browser.get(base + "/");
    WebDriverWait wait = new WebDriverWait(browser, WAIT);
    wait.until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-ready", "true"));
    String name = "<img src=x id=injected onerror=document.title='owned'>.png";
    // New content (floodPng is noisy), so that the result carries this upload's name, not a stored one's.
    Path image = Files.write(Files.createDirectories(files.resolve("markup")).resolve(name), TestImages.floodPng());
    byTestId("upload-file").sendKeys(image.toString());
    byTestId("upload-submit").click();
    wait.until(ExpectedConditions.textToBe(By.cssSelector("[data-testid='result-status']"), "completed"));
    assertThat(browser.findElements(By.id("injected"))).isEmpty();
    assertThat(browser.findElements(By.cssSelector("#result-meta img, #result-meta *"))).isEmpty();
    assertThat(browser.getTitle()).isNotEqualTo("owned");
    // The name as the server kept it (UploadNames tidies some characters), shown literally, markup included.
    String imageId = byTestId("result-status").getAttribute("data-image-id");
    String kept = node.checked("getResult", node.get("/api/v1/results/" + imageId)).getString("filename");
    assertThat(kept).startsWith("<img src");
    assertThat(browser.findElement(By.id("result-meta")).getText()).contains(kept);
  }

  @Test
  void theApiDocsRenderEveryOperationOfTheContract() throws Exception {
    browser.get(base + "/docs");
    WebDriverWait wait = new WebDriverWait(browser, WAIT);
    wait.until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector(".opblock"), 20));
    int operations = new io.vertx.core.json.JsonObject(io.vertx.core.json.Json.encode(
        new org.yaml.snakeyaml.Yaml().load(Files.readString(LocalStack.repoRoot().resolve("openapi.yaml")))))
        .getJsonObject("paths").stream()
        .mapToInt(path -> (int) ((JsonObject) path.getValue()).fieldNames().stream()
            .filter(m -> List.of("get", "post", "put", "delete", "patch").contains(m)).count())
        .sum();
    assertThat(browser.findElements(By.cssSelector(".opblock"))).hasSize(operations);
    screenshot("docs.png");
  }

  /** The id of the image the result view shows (the page names it; the API is the reference). */
  private static String imageIdNear(double latitude, double longitude) {
    String shown = byTestId("result-status").getAttribute("data-image-id");
    if (shown != null && !shown.isBlank()) {
      return shown;
    }
    String url = browser.getCurrentUrl();
    throw new AssertionError("the result view does not name its image (data-image-id on result-status); page " + url);
  }

  private static List<String> severeConsoleErrors() {
    return HeadlessBrowser.severeConsoleErrors(browser).stream()
        // The 415 of the wrong-file test is logged by the browser as a failed resource; expected there.
        .filter(message -> !message.contains(" 415 "))
        .toList();
  }

  private static void screenshot(String name) throws Exception {
    Path dir = LocalStack.repoRoot().resolve("target/screenshots");
    Files.createDirectories(dir);
    Files.write(dir.resolve(name), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
  }
}
