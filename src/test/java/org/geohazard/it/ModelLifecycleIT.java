package org.geohazard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.multipart.MultipartForm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.geohazard.image.ContentHash;
import org.geohazard.testing.TestImages;
import org.junit.jupiter.api.Test;

/**
 * Results follow the model, on real services and real ONNX sessions: the registry, a model upgrade without a
 * restart (a re-upload then gets the new model's analysis and the old one stays in the history), re-analysis on
 * demand, a swap while images are in flight, and shadow mode (compared, never alerting). Each test starts its own
 * node, as each changes what the node serves.
 */
class ModelLifecycleIT {

  static final String ADMIN_TOKEN = "test-admin-token-0123456789";
  static final String STANDIN = "models/geohazard-standin.onnx";
  static final String RGB = "models/geohazard-rgb.onnx";
  /** The stand-in's metadata version; the node adds a short content hash ({@code standin-0.1+…}). */
  static final String STANDIN_VERSION = "standin-0.1+";
  static final Duration SWITCH_SEEN = Duration.ofSeconds(20);

  private static TestNode start(String... models) {
    List<String> paths = new ArrayList<>();
    for (String model : models) {
      paths.add(LocalStack.repoRoot().resolve(model).toString());
    }
    return TestNode.start(Map.of("GEOHAZARD_MODEL_PATHS", String.join(",", paths),
        "GEOHAZARD_HTTP_ADMIN_TOKEN", ADMIN_TOKEN));
  }

  @Test
  void registryListsEveryLoadedModelWithItsHashThresholdsAndCard() throws Exception {
    try (TestNode node = start(STANDIN, RGB)) {
      JsonArray models = awaitModels(node, m -> m.size() == 2).getJsonArray("models");
      JsonObject rgb = find(models, "geohazard-rgb");
      assertThat(rgb.getString("sha256")).isEqualTo(ContentHash.sha256(LocalStack.repoRoot().resolve(RGB)));
      assertThat(rgb.getString("view")).isEqualTo("rgb");
      assertThat(rgb.getBoolean("serving")).isTrue();
      assertThat(rgb.getJsonObject("thresholds").getJsonObject("flood").getDouble("report")).isBetween(0.0, 1.0);
      // The card beside the model: its real-label table, as evaluate_real.py wrote it.
      assertThat(rgb.getJsonObject("accuracy").getJsonObject("real_labels").fieldNames())
          .contains("ombria_test_approx_true_colour", "sen1floods11_spain");
      JsonObject standin = find(models, "geohazard-standin");
      assertThat(standin.getString("version")).startsWith(STANDIN_VERSION);
      assertThat(standin.getValue("accuracy")).as("no card for the stand-in").isNull();
      assertThat(standin.getJsonArray("nodes")).hasSize(1);
    }
  }

  @Test
  void adminCallsNeedTheTokenAndLoadOnlyModelFilesFromTheModelDirectory() {
    try (TestNode node = start(STANDIN)) {
      HttpResponse<Buffer> noToken = TestNode.await(node.client.post("/api/v1/admin/models")
          .sendJsonObject(new JsonObject().put("path", RGB).put("mode", "serve")));
      assertThat(noToken.statusCode()).isEqualTo(401);
      assertThat(noToken.bodyAsJsonObject().getString("code")).isEqualTo("admin_token_required");

      HttpResponse<Buffer> outside = admin(node, new JsonObject().put("path", "/etc/passwd.onnx").put("mode", "serve"));
      assertThat(outside.statusCode()).as(outside.bodyAsString()).isEqualTo(400);
      assertThat(outside.bodyAsString()).contains("loaded only from");

      HttpResponse<Buffer> notOnnx = admin(node, new JsonObject().put("path", "models/README.md").put("mode", "serve"));
      assertThat(notOnnx.statusCode()).isEqualTo(400);

      HttpResponse<Buffer> badShare = admin(node, new JsonObject().put("path", RGB).put("mode", "shadow")
          .put("shadow_share", 1.5));
      assertThat(badShare.statusCode()).isEqualTo(400);

      HttpResponse<Buffer> withdrawServing = admin(node, new JsonObject().put("path", STANDIN).put("mode", "withdraw"));
      assertThat(withdrawServing.statusCode()).as(withdrawServing.bodyAsString()).isEqualTo(409);

      // Nothing changed: the stand-in still serves alone.
      JsonArray models = node.checked("listModels", node.get("/api/v1/models")).getJsonArray("models");
      assertThat(models).hasSize(1);
      assertThat(find(models, "geohazard-standin").getBoolean("serving")).isTrue();
    }
  }

  @Test
  void afterAnUpgradeAReuploadIsAnalysedAgainAndTheOldAnalysisStaysInTheHistory() {
    try (TestNode node = start(STANDIN)) {
      byte[] image = TestImages.floodPng();
      JsonObject first = node.checked("analyzeSingle", node.upload("/api/v1/analyze/single", "file", "a.png", image, Map.of()));
      String imageId = first.getString("image_id");
      JsonObject before = node.awaitFinished(imageId);
      String standinVersion = before.getJsonObject("analysis").getString("model_version");
      assertThat(standinVersion).startsWith(STANDIN_VERSION);
      // The same content again, same model: answered at once from what is stored.
      JsonObject repeat = node.checked("analyzeSingle", node.upload("/api/v1/analyze/single", "file", "a.png", image, Map.of()));
      assertThat(repeat.getBoolean("cached")).isTrue();

      String rgbVersion = serve(node, RGB);

      JsonObject again = node.checked("analyzeSingle", node.upload("/api/v1/analyze/single", "file", "a.png", image, Map.of()));
      assertThat(again.getString("image_id")).as("the caller's own upload of the image queued again")
          .isNotEqualTo(imageId);
      assertThat(again.getBoolean("cached")).isFalse();
      assertThat(again.getString("status")).isEqualTo("pending");
      JsonObject after = node.awaitFinished(imageId);
      assertThat(after.getString("status")).isEqualTo("completed");
      assertThat(after.getJsonObject("analysis").getString("model_version")).isEqualTo(rgbVersion);

      JsonObject history = node.checked("getResultAnalyses", node.get("/api/v1/results/" + imageId + "/analyses"));
      assertThat(history.getJsonArray("analyses").stream().map(e -> ((JsonObject) e).getString("model_version")))
          .containsExactly(rgbVersion, standinVersion);
      JsonObject old = node.checked("getResult", node.get("/api/v1/results/" + imageId + "?model_version="
          + java.net.URLEncoder.encode(standinVersion, java.nio.charset.StandardCharsets.UTF_8)));
      assertThat(old.getJsonObject("analysis").getString("model_version")).isEqualTo(standinVersion);
      HttpResponse<Buffer> never = node.get("/api/v1/results/" + imageId + "?model_version=no-such-model");
      assertThat(never.statusCode()).isEqualTo(404);

      // Now the new model's analysis answers the same content at once.
      JsonObject third = node.checked("analyzeSingle", node.upload("/api/v1/analyze/single", "file", "a.png", image, Map.of()));
      assertThat(third.getBoolean("cached")).isTrue();
      assertThat(third.getJsonObject("analysis").getString("model_version")).isEqualTo(rgbVersion);
      // Re-analysing it would only make the same analysis again.
      HttpResponse<Buffer> same = TestNode.await(node.client.post("/api/v1/results/" + imageId + "/reanalyze").send());
      assertThat(same.statusCode()).as(same.bodyAsString()).isEqualTo(409);
      node.checked("reanalyzeImage", same);
      HttpResponse<Buffer> unknown = TestNode.await(node.client.post("/api/v1/results/" + imageId
          + "/reanalyze?model_version=no-such-model").send());
      assertThat(unknown.statusCode()).isEqualTo(422);
      HttpResponse<Buffer> missing = TestNode.await(node.client.post("/api/v1/results/"
          + java.util.UUID.randomUUID() + "/reanalyze").send());
      assertThat(missing.statusCode()).isEqualTo(404);
    }
  }

  @Test
  void aSwapUnderLoadLosesNothingAndReanalysisBringsOldResultsUpToDate() {
    try (TestNode node = start(STANDIN)) {
      // Uploads before the swap, uploads one after another while the new model loads and warms up, and uploads
      // after it: some images are in flight on the old model when the new one takes over.
      List<Future<HttpResponse<Buffer>>> uploads = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        uploads.add(upload(node, "before-" + i));
      }
      Future<HttpResponse<Buffer>> swap = node.client.post("/api/v1/admin/models")
          .putHeader("X-Admin-Token", ADMIN_TOKEN).sendJsonObject(new JsonObject().put("path", RGB).put("mode", "serve"));
      int during = 0;
      while (!swap.isComplete()) {
        Future<HttpResponse<Buffer>> next = upload(node, "during-" + during++);
        TestNode.await(next);
        uploads.add(next);
      }
      HttpResponse<Buffer> swapped = TestNode.await(swap);
      assertThat(swapped.statusCode()).as(swapped.bodyAsString()).isEqualTo(200);
      for (int i = 0; i < 8; i++) {
        uploads.add(upload(node, "after-" + i));
      }
      int images = uploads.size();
      Map<String, Integer> byModel = new HashMap<>();
      List<String> standinImages = new ArrayList<>();
      int failed = 0;
      for (Future<HttpResponse<Buffer>> upload : uploads) {
        HttpResponse<Buffer> response = TestNode.await(upload);
        assertThat(response.statusCode()).as(response.bodyAsString()).isIn(200, 202);
        String imageId = response.bodyAsJsonObject().getString("image_id");
        JsonObject result = node.awaitFinished(imageId);
        if (!"completed".equals(result.getString("status"))) {
          failed++;
          continue;
        }
        String version = result.getJsonObject("analysis").getString("model_version");
        byModel.merge(version, 1, Integer::sum);
        if (version.startsWith(STANDIN_VERSION)) {
          standinImages.add(imageId);
        }
      }
      assertThat(failed).as("images failed across the swap").isZero();
      assertThat(byModel.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(images);
      String rgbVersion = awaitServing(node, "geohazard-rgb");
      assertThat(byModel).as("images analysed by each model, %d uploaded during the swap", during).hasSize(2)
          .containsKey(rgbVersion);

      // An image the old model analysed, brought up to date on demand.
      assertThat(standinImages).as("the first uploads were analysed before the swap: %s", byModel).isNotEmpty();
      String old = standinImages.get(0);
      HttpResponse<Buffer> queued = TestNode.await(node.client.post("/api/v1/results/" + old + "/reanalyze").send());
      assertThat(queued.statusCode()).as(queued.bodyAsString()).isEqualTo(202);
      assertThat(node.checked("reanalyzeImage", queued).getString("status")).isEqualTo("pending");
      JsonObject redone = node.awaitFinished(old);
      assertThat(redone.getJsonObject("analysis").getString("model_version")).isEqualTo(rgbVersion);
    }
  }

  @Test
  void aShadowModelIsComparedOnLiveImagesAndNeverRaisesAnAlert() {
    // The RGB model serves; the stand-in, which calls the painted brown region a flood at 0.98, runs in shadow
    // on every image: whatever it finds, only the serving model's analysis may become a result or an alert.
    try (TestNode node = start(RGB)) {
      JsonObject shadow = node.checked("changeModels", admin(node, new JsonObject().put("path", STANDIN)
          .put("mode", "shadow").put("shadow_share", 1.0)));
      assertThat(shadow.getJsonArray("nodes").getJsonObject(0).getJsonArray("models").stream()
          .map(JsonObject.class::cast).filter(m -> m.getString("role").equals("shadow"))
          .map(m -> m.getString("version"))).singleElement().asString().startsWith(STANDIN_VERSION);

      double latitude = -60 + Math.random() * 120;
      double longitude = -170 + Math.random() * 340;
      // With a key allowed to publish: were an alert raised, it would be public and found below.
      JsonObject accepted = node.checked("analyzeSingle", node.upload("/api/v1/analyze/single", "file", "shadow.png",
          TestImages.floodPng(), Map.of("latitude", Double.toString(latitude), "longitude", Double.toString(longitude)),
          node.publisherKey()));
      String imageId = accepted.getString("image_id");
      JsonObject result = node.awaitFinished(imageId);
      JsonObject analysis = result.getJsonObject("analysis");
      assertThat(analysis.getString("model_version")).startsWith("geohazard-rgb");

      String candidate = shadow.getJsonArray("nodes").getJsonObject(0).getJsonArray("models").stream()
          .map(JsonObject.class::cast).filter(m -> m.getString("role").equals("shadow")).findFirst().orElseThrow()
          .getString("version");
      HttpResponse<Buffer> reported = node.pollUntil(() -> node.client.get("/api/v1/models/shadow-report")
              .addQueryParam("candidate", candidate).send(),
          r -> r.statusCode() == 200 && !r.bodyAsJsonObject().getJsonArray("candidates").isEmpty()
              && r.bodyAsJsonObject().getJsonArray("candidates").getJsonObject(0).getInteger("images") >= 1,
          TestNode.TIMEOUT);
      JsonObject report = node.checked("getShadowReport", reported).getJsonArray("candidates").getJsonObject(0);
      assertThat(report.getJsonArray("replaced_versions").getString(0)).startsWith("geohazard-rgb");
      JsonObject flood = report.getJsonObject("hazards").getJsonObject("flood");
      assertThat(flood.getInteger("candidate_flagged")).as("the stand-in flags the brown region").isPositive();
      assertThat(report.getJsonObject("detections_per_class").getJsonObject("flood").getInteger("candidate"))
          .isPositive();
      assertThat(report.getJsonObject("model_ms_per_image").getDouble("candidate_median")).isPositive();
      assertThat(report.getJsonObject("model_ms_per_image").getDouble("serving_median")).isPositive();

      // The result is the serving model's; an alert at the image exists only if that model's risk asks for one.
      boolean servingAlerts = List.of("high", "critical").contains(analysis.getString("flood_risk"))
          || List.of("high", "critical").contains(analysis.getString("landslide_risk"));
      assertThat(servingAlerts).as("this test needs a serving analysis that raises no alert: %s", analysis).isFalse();
      // Give the alert path the time it would take (results are evaluated right after the save).
      TestNode.await(Future.future(p -> node.vertx().setTimer(1500, id -> p.complete())));
      JsonObject alerts = node.checked("getActiveAlerts", node.get("/api/v1/alerts/active?latitude=" + latitude
          + "&longitude=" + longitude + "&radius_km=50"));
      assertThat(alerts.getJsonArray("alerts").stream().map(JsonObject.class::cast))
          .as("no alert at the image's point").noneMatch(a -> a.getDouble("latitude") == latitude
              && a.getDouble("longitude") == longitude);

      node.checked("changeModels", admin(node, new JsonObject().put("path", STANDIN).put("mode", "withdraw")));
      awaitModels(node, models -> models.size() == 1 && models.getJsonObject(0).getString("name").equals("geohazard-rgb"));
    }
  }

  // ---- helpers ------------------------------------------------------------------------------------------

  private static Future<HttpResponse<Buffer>> upload(TestNode node, String name) {
    MultipartForm form = MultipartForm.create();
    form.binaryFileUpload("file", name + ".png", Buffer.buffer(TestImages.floodPng()), "image/png");
    return node.client.post("/api/v1/analyze/single").sendMultipartForm(form);
  }

  private static HttpResponse<Buffer> admin(TestNode node, JsonObject body) {
    return TestNode.await(node.client.post("/api/v1/admin/models").putHeader("X-Admin-Token", ADMIN_TOKEN)
        .sendJsonObject(body));
  }

  /** Serves {@code path} in place of the model of its view, waits until the node's heartbeat says so. */
  private static String serve(TestNode node, String path) {
    HttpResponse<Buffer> response = admin(node, new JsonObject().put("path", path).put("mode", "serve"));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    node.checked("changeModels", response);
    String name = Path.of(path).getFileName().toString().replace(".onnx", "");
    return awaitServing(node, name);
  }

  /**
   * Waits until the registry lists {@code name} as the only serving model and the cluster view (the heartbeats,
   * which decide whether a stored analysis is current) says the same; its version.
   */
  private static String awaitServing(TestNode node, String name) {
    JsonArray models = awaitModels(node, m -> m.size() == 1 && m.getJsonObject(0).getString("name").equals(name)
        && m.getJsonObject(0).getBoolean("serving")).getJsonArray("models");
    String version = models.getJsonObject(0).getString("version");
    node.pollUntil(() -> node.client.get("/api/v1/cluster").send(), r -> r.statusCode() == 200
        && r.bodyAsJsonObject().getJsonArray("members").stream().map(JsonObject.class::cast)
            .allMatch(member -> member.getJsonArray("models").stream().map(JsonObject.class::cast)
                .allMatch(model -> model.getString("version").equals(version))), SWITCH_SEEN);
    return version;
  }

  private static JsonObject awaitModels(TestNode node, java.util.function.Predicate<JsonArray> done) {
    HttpResponse<Buffer> response = node.pollUntil(() -> node.client.get("/api/v1/models").send(),
        r -> r.statusCode() == 200 && done.test(r.bodyAsJsonObject().getJsonArray("models")), SWITCH_SEEN);
    return node.checked("listModels", response);
  }

  private static JsonObject find(JsonArray models, String name) {
    return models.stream().map(JsonObject.class::cast).filter(m -> m.getString("name").equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no model " + name + " in " + models.encodePrettily()));
  }
}
