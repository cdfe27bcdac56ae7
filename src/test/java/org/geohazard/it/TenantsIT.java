package org.geohazard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.multipart.MultipartForm;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.geohazard.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tenants kept apart (issue 23): two keys upload the same bytes with their own file names and points; each sees
 * only its own upload, both get the one shared analysis, and neither can reach what the other made (404, as for an
 * id that never existed); operators see every upload.
 */
class TenantsIT {

  private static final Random RANDOM = new Random();
  private static TestNode node;
  private static String tenantA;
  private static String tenantB;
  private static String operator;

  @BeforeAll
  static void start() {
    node = TestNode.start(Map.of("GEOHAZARD_ALERTS_WEBHOOKS_ALLOW_PRIVATE_TARGETS", "true"));
    tenantA = node.createKey("tenants-it-a", "read,upload,publish");
    tenantB = node.createKey("tenants-it-b", "read,upload");
    operator = node.createKey("tenants-it-operator", "read,operate");
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  /** A's upload, then B's upload of the same bytes: their ids, each as its uploader sees it. */
  private record TwoUploads(String idA, JsonObject resultA, String idB, JsonObject resultB, double latitudeA,
                            double longitudeA) {}

  private static TwoUploads uploadTwice(byte[] bytes) {
    double latitudeA = -50 + RANDOM.nextDouble() * 100;
    double longitudeA = -170 + RANDOM.nextDouble() * 340;
    JsonObject acceptedA = node.checked("analyzeSingle", node.upload("/api/v1/analyze/single", "file",
        "a-secret-site.png", bytes, Map.of("latitude", Double.toString(latitudeA), "longitude",
            Double.toString(longitudeA)), tenantA));
    String idA = acceptedA.getString("image_id");
    JsonObject resultA = awaitFinished(idA, tenantA);
    JsonObject acceptedB = node.checked("analyzeSingle", node.upload("/api/v1/analyze/single", "file",
        "b-own-name.png", bytes, Map.of("latitude", "12.5", "longitude", "-3.25"), tenantB));
    String idB = acceptedB.getString("image_id");
    // The shared analysis, at once: B does not wait for it again.
    assertThat(acceptedB.getString("status")).isEqualTo("completed");
    assertThat(acceptedB.getBoolean("cached")).isTrue();
    assertThat(acceptedB.getString("filename")).isEqualTo("b-own-name.png");
    assertThat(acceptedB.encode()).doesNotContain(idA).doesNotContain("a-secret-site");
    return new TwoUploads(idA, resultA, idB, awaitFinished(idB, tenantB), latitudeA, longitudeA);
  }

  @Test
  void twoTenantsUploadingTheSameBytesEachSeeOnlyTheirOwnUploadAndBothTheAnalysis() {
    TwoUploads two = uploadTwice(TestImages.floodPng());
    assertThat(two.idB()).isNotEqualTo(two.idA());

    assertThat(two.resultA().getString("image_id")).isEqualTo(two.idA());
    assertThat(two.resultA().getString("filename")).isEqualTo("a-secret-site.png");
    assertThat(two.resultA().getJsonObject("location").getDouble("latitude")).isEqualTo(two.latitudeA());

    JsonObject b = two.resultB();
    assertThat(b.getString("image_id")).isEqualTo(two.idB());
    assertThat(b.getString("filename")).isEqualTo("b-own-name.png");
    assertThat(b.getJsonObject("location")).isEqualTo(new JsonObject().put("latitude", 12.5).put("longitude", -3.25));
    assertThat(b.encode()).doesNotContain(two.idA()).doesNotContain("a-secret-site")
        .doesNotContain(Double.toString(two.latitudeA()));
    // One analysis, shared.
    assertThat(b.getJsonObject("analysis")).isEqualTo(two.resultA().getJsonObject("analysis"));
    JsonObject historyB = node.checked("getResultAnalyses", node.get("/api/v1/results/" + two.idB() + "/analyses",
        tenantB));
    assertThat(historyB.getString("image_id")).isEqualTo(two.idB());
    assertThat(historyB.getJsonArray("analyses")).hasSize(1);
  }

  @Test
  void anotherTenantGetsNotFoundForEverythingAnUploadLeadsTo() {
    TwoUploads two = uploadTwice(TestImages.floodPng());
    String a = "/api/v1/results/" + two.idA();
    for (String path : new String[] {a, a + "/geojson", a + "/analyses", a + "?format=geojson"}) {
      assertNotFound(send(HttpMethod.GET, path, tenantB), "B reads " + path);
      assertNotFound(send(HttpMethod.GET, path, null), "anonymous reads " + path);
    }
    assertNotFound(send(HttpMethod.POST, a + "/reanalyze", tenantB), "B re-analyses A's upload");
    assertNotFound(send(HttpMethod.GET, "/api/v1/results/" + two.idB(), tenantA), "A reads B's upload");
    // An id that never existed gets the very same answer: the refusal confirms nothing.
    JsonObject unknown = send(HttpMethod.GET, "/api/v1/results/" + UUID.randomUUID(), tenantB)
        .bodyAsJsonObject();
    JsonObject refused = send(HttpMethod.GET, a, tenantB).bodyAsJsonObject();
    assertThat(refused.getString("message"))
        .isEqualTo(unknown.getString("message").replaceAll("[0-9a-f-]{36}", two.idA()));

    // Operators see every upload: A's, with A's name.
    JsonObject seen = node.checked("getResult", send(HttpMethod.GET, a, operator));
    assertThat(seen.getString("filename")).isEqualTo("a-secret-site.png");
    // A still reaches all of it.
    assertThat(send(HttpMethod.GET, a + "/geojson", tenantA).statusCode()).isEqualTo(200);
  }

  /**
   * The shared content's id is its first upload's: the refusals of B's own re-analysis and of B's read of a model
   * that never analysed it speak of B's upload without naming A's (an anonymous upload's id is all that guards it).
   */
  @Test
  void refusalsAboutTheSharedContentNeverNameTheFirstUpload() {
    TwoUploads two = uploadTwice(TestImages.floodPng());
    HttpResponse<Buffer> again = send(HttpMethod.POST, "/api/v1/results/" + two.idB() + "/reanalyze", tenantB);
    assertThat(again.statusCode()).as(again.bodyAsString()).isEqualTo(409);
    assertThat(again.bodyAsString()).contains("already analysed").doesNotContain(two.idA());
    HttpResponse<Buffer> noSuchModel = send(HttpMethod.GET, "/api/v1/results/" + two.idB()
        + "?model_version=never-served-1.0", tenantB);
    assertThat(noSuchModel.statusCode()).as(noSuchModel.bodyAsString()).isEqualTo(404);
    assertThat(noSuchModel.bodyAsString()).contains("never-served-1.0").doesNotContain(two.idA());
  }

  @Test
  void anAnonymousUploadIsReadByWhoeverHoldsItsId() {
    JsonObject accepted = node.checked("analyzeSingle", node.upload("/api/v1/analyze/single", "file", "anon.png",
        TestImages.greyPng(), Map.of()));
    String id = accepted.getString("image_id");
    awaitFinished(id, operator);
    assertThat(send(HttpMethod.GET, "/api/v1/results/" + id, null).statusCode()).isEqualTo(200);
    assertThat(send(HttpMethod.GET, "/api/v1/results/" + id, tenantB).statusCode()).isEqualTo(200);
  }

  @Test
  void aBatchBelongsToItsTenant() {
    MultipartForm form = MultipartForm.create()
        .binaryFileUpload("files", "one.png", Buffer.buffer(TestImages.greyPng()), "image/png");
    HttpResponse<Buffer> response = TestNode.await(node.client.post("/api/v1/analyze/batch")
        .putHeader("X-API-Key", tenantA).sendMultipartForm(form));
    JsonObject batch = node.checked("analyzeBatch", response);
    String path = "/api/v1/batches/" + batch.getString("batch_id");
    assertThat(node.checked("getBatch", send(HttpMethod.GET, path, tenantA)).getInteger("total")).isEqualTo(1);
    assertNotFound(send(HttpMethod.GET, path, tenantB), "B reads A's batch");
    assertNotFound(send(HttpMethod.GET, path, null), "anonymous reads A's batch");
    assertThat(send(HttpMethod.GET, path, operator).statusCode()).isEqualTo(200);
    // Its items are A's uploads, which B cannot read either.
    String item = batch.getJsonArray("items").getJsonObject(0).getString("image_id");
    assertNotFound(send(HttpMethod.GET, "/api/v1/results/" + item, tenantB), "B reads A's batch item");
  }

  @Test
  void webhooksBelongToTheirKeyEvenAmongOperators() {
    String mine = node.createKey("tenants-it-hooks-1", "operate");
    String theirs = node.createKey("tenants-it-hooks-2", "operate");
    HttpResponse<Buffer> created = TestNode.await(node.client.post("/api/v1/webhooks").putHeader("X-API-Key", mine)
        .sendJsonObject(new JsonObject().put("url", "http://127.0.0.1:9/hook")));
    String id = node.checked("createWebhook", created).getString("webhook_id");
    String path = "/api/v1/webhooks/" + id;
    assertNotFound(send(HttpMethod.GET, path + "/deliveries", theirs), "another key reads the deliveries");
    node.checked("getWebhookDeliveries", send(HttpMethod.GET, path + "/deliveries", theirs));
    assertNotFound(send(HttpMethod.DELETE, path, theirs), "another key deletes it");
    assertThat(node.checked("listWebhooks", send(HttpMethod.GET, "/api/v1/webhooks", theirs)).getInteger("count"))
        .isZero();
    assertThat(node.checked("getWebhookDeliveries", send(HttpMethod.GET, path + "/deliveries", mine))
        .getInteger("count")).isZero();
    assertThat(send(HttpMethod.DELETE, path, mine).statusCode()).isEqualTo(204);
  }

  @Test
  void aPublicAlertNamesNoUploadWhileAnOperatorSeesTheSource() {
    TwoUploads two = uploadTwice(TestImages.floodPng());
    // A may publish: the flood raises a public alert at A's point.
    JsonObject alert = node.pollUntil(() -> node.client.get("/api/v1/alerts/active")
                .addQueryParam("latitude", Double.toString(two.latitudeA()))
                .addQueryParam("longitude", Double.toString(two.longitudeA())).addQueryParam("radius_km", "1").send()
                .map(r -> r.bodyAsJsonObject().getJsonArray("alerts")),
            alerts -> !alerts.isEmpty(), TestNode.TIMEOUT)
        .getJsonObject(0);
    String alertId = alert.getString("alert_id");
    String path = "/api/v1/alerts/" + alertId;
    // Every public shape: the list, the alert by id, GeoJSON, CAP, the feed; none holds A's upload id.
    for (HttpResponse<Buffer> answer : java.util.List.of(
        send(HttpMethod.GET, "/api/v1/alerts/active?latitude=" + two.latitudeA() + "&longitude=" + two.longitudeA(),
            null),
        send(HttpMethod.GET, "/api/v1/alerts/active?format=geojson&latitude=" + two.latitudeA() + "&longitude="
            + two.longitudeA(), tenantB),
        send(HttpMethod.GET, path, null), send(HttpMethod.GET, path, tenantB),
        send(HttpMethod.GET, path + "?format=cap", null), send(HttpMethod.GET, "/api/v1/alerts/feed", null),
        send(HttpMethod.GET, "/api/v1/alerts/history?from=" + java.time.Instant.now().minusSeconds(3600), null))) {
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.bodyAsString()).as("a public answer").doesNotContain(two.idA()).doesNotContain(two.idB());
    }
    assertThat(node.checked("getAlert", send(HttpMethod.GET, path, null)).containsKey("image_id")).isFalse();
    // The operator sees which upload raised it, and reads that upload.
    JsonObject seen = node.checked("getAlert", send(HttpMethod.GET, path, operator));
    assertThat(seen.getString("image_id")).isEqualTo(two.idA());
    assertThat(send(HttpMethod.GET, "/api/v1/results/" + seen.getString("image_id"), operator).statusCode())
        .isEqualTo(200);
  }

  private static void assertNotFound(HttpResponse<Buffer> response, String what) {
    assertThat(response.statusCode()).as(what + ": " + response.bodyAsString()).isEqualTo(404);
    assertThat(response.bodyAsJsonObject().getString("code")).isEqualTo("not_found");
  }

  static HttpResponse<Buffer> send(HttpMethod method, String path, String key) {
    io.vertx.ext.web.client.HttpRequest<Buffer> request = node.client.request(method, path);
    if (key != null) {
      request.putHeader("X-API-Key", key);
    }
    return TestNode.await(request.send());
  }

  private static JsonObject awaitFinished(String id, String key) {
    HttpResponse<Buffer> done = node.pollUntil(() -> node.client.get("/api/v1/results/" + id)
            .putHeader("X-API-Key", key).send(),
        r -> r.statusCode() == 200 && !r.bodyAsJsonObject().getString("status").matches("pending|processing"),
        TestNode.TIMEOUT);
    JsonObject body = node.checked("getResult", done);
    assertThat(body.getString("status")).isEqualTo("completed");
    return body;
  }
}
