package org.geohazard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.geohazard.auth.WebhookSignature;
import org.geohazard.testing.PairScenes;
import org.geohazard.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one key may hold and spend beside its request count (issue 23, items 5 and 8): alert streams and webhooks
 * per key up to a cap, uploads within a budget of pixels per window, and a webhook's secret rotated with an overlap
 * during which a real receiver gets both signatures.
 */
class LimitsIT {

  private static final Random RANDOM = new Random();
  /** Two of the test's 640 x 480 flood scenes fit, a third does not. */
  private static final long PIXELS = 2 * 640 * 480 + 1000;
  private static TestNode node;
  private static TestDatabase db;

  @BeforeAll
  static void start() {
    node = TestNode.start(Map.of("GEOHAZARD_ALERTS_WEBHOOKS_ALLOW_PRIVATE_TARGETS", "true",
        "GEOHAZARD_RATE_LIMIT_STREAMS_PER_CLIENT", "2", "GEOHAZARD_RATE_LIMIT_WEBHOOKS_PER_KEY", "2",
        "GEOHAZARD_RATE_LIMIT_PIXELS_PER_WINDOW", Long.toString(PIXELS),
        // One long window, so that the test never straddles two.
        "GEOHAZARD_RATE_LIMIT_WINDOW_SECONDS", "3600"));
    db = new TestDatabase(node.vertx(), node.config.db());
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

  private static HttpResponse<Buffer> post(String path, String key, JsonObject body) {
    return TestNode.await(node.client.post(path).putHeader("X-API-Key", key).sendJsonObject(body));
  }

  @Test
  void anUploadOverThePixelBudgetIs429WithRetryAfterAndNothingOfItIsStored() throws Exception {
    String key = node.createKey("limits-it-quota", "read,upload");
    for (int i = 0; i < 2; i++) {
      HttpResponse<Buffer> accepted = node.upload("/api/v1/analyze/single", "file", "f.png", TestImages.floodPng(),
          Map.of(), key);
      assertThat(accepted.statusCode()).as("upload %d", i + 1).isIn(200, 202);
    }
    byte[] third = TestImages.floodPng();
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(third));
    long uploadsBefore = db.count("SELECT COUNT(*) FROM uploads");
    HttpResponse<Buffer> refused = node.upload("/api/v1/analyze/single", "file", "f.png", third, Map.of(), key);
    JsonObject body = node.checked("analyzeSingle", refused);
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(body.getString("code")).isEqualTo("rate_limited");
    assertThat(body.getString("message")).contains("pixels").contains(Long.toString(PIXELS));
    assertThat(Long.parseLong(refused.getHeader("Retry-After"))).isBetween(1L, 3600L);
    assertThat(db.count("SELECT COUNT(*) FROM satellite_images WHERE sha256 = ?", sha)).as("nothing stored").isZero();
    assertThat(db.count("SELECT COUNT(*) FROM uploads")).isEqualTo(uploadsBefore);
    // Another key has its own budget; an anonymous client is counted by its address.
    String other = node.createKey("limits-it-quota-other", "read,upload");
    assertThat(node.upload("/api/v1/analyze/single", "file", "f.png", third, Map.of(), other).statusCode())
        .isIn(200, 202);
  }

  /**
   * An upload that has the node look at another sensor's stored scene again is charged that scene's pixels too: the
   * node runs its detectors over the whole of it for this upload, so a small scene naming a large one costs the large
   * one's analysis.
   */
  @Test
  void anUploadNamingAnotherSensorsSceneIsChargedThatScenesPixelsToo(@TempDir Path dir) throws Exception {
    String key = node.createKey("limits-it-other-sensor", "read,upload");
    double easting = PairScenes.inlandEasting();
    long seed = RANDOM.nextLong();
    long radarPixels = (long) PairScenes.GEOGRAPHIC_SIDE * PairScenes.GEOGRAPHIC_SIDE;
    long opticalPixels = (long) PairScenes.SIDE * PairScenes.SIDE;
    String radar = node.checked("analyzeSingle", Uploads.sent(node,
        PairScenes.sentinel1Geographic(dir, true, easting, seed), key, Map.of())).getString("image_id");
    Map<String, String> withRadar = Map.of("other_sensor_image_id", radar);
    HttpResponse<Buffer> first = Uploads.sent(node, PairScenes.sentinel2(dir, true, easting, seed ^ 1), key,
        withRadar);
    assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(202);
    assertThat(node.upload("/api/v1/analyze/single", "file", "f.png", TestImages.floodPng(), Map.of(), key)
        .statusCode()).isIn(200, 202);
    // Spent: radar + (optical + radar) + 640 x 480 = 547 968 of 615 400. Another optical scene alone (65 536) would
    // fit; with the radar scene looked at again (153 152) it does not.
    assertThat(radarPixels + opticalPixels + radarPixels + 640 * 480 + opticalPixels).isLessThanOrEqualTo(PIXELS);
    HttpResponse<Buffer> second = Uploads.sent(node, PairScenes.sentinel2(dir, true, easting, seed ^ 2), key,
        withRadar);
    assertThat(second.statusCode()).as(second.bodyAsString()).isEqualTo(429);
    assertThat(node.checked("analyzeSingle", second).getString("message"))
        .contains((opticalPixels + radarPixels) + " pixels would pass");
  }

  @Test
  void aKeyHoldsAtMostItsCapOfAlertStreamsAndAClosedOneFreesItsPlace() {
    String key = node.createKey("limits-it-streams", "read");
    HttpClient http = node.vertx().createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(10));
    try {
      HttpClientResponse one = openStream(http, key);
      HttpClientResponse two = openStream(http, key);
      assertThat(one.statusCode()).isEqualTo(200);
      assertThat(two.statusCode()).isEqualTo(200);
      HttpResponse<Buffer> third = TestNode.await(node.client.get("/api/v1/alerts/stream").putHeader("X-API-Key", key)
          .send());
      assertThat(third.statusCode()).isEqualTo(429);
      assertThat(node.checked("streamAlerts", third).getString("code")).isEqualTo("rate_limited");
      assertThat(third.getHeader("Retry-After")).isNotNull();
      // Another key is not held back by this one's streams.
      HttpClientResponse others = openStream(http, node.createKey("limits-it-streams-other", "read"));
      assertThat(others.statusCode()).isEqualTo(200);

      one.request().connection().close();
      HttpClientResponse again = node.pollUntil(() -> open(http, key), r -> r.statusCode() == 200,
          Duration.ofSeconds(10));
      assertThat(again.statusCode()).isEqualTo(200);
    } finally {
      http.close();
    }
  }

  @Test
  void aKeyHoldsAtMostItsCapOfWebhooks() {
    String key = node.createKey("limits-it-webhooks", "operate");
    JsonObject hook = new JsonObject().put("url", "http://127.0.0.1:9/hook");
    assertThat(post("/api/v1/webhooks", key, hook).statusCode()).isEqualTo(201);
    assertThat(post("/api/v1/webhooks", key, hook).statusCode()).isEqualTo(201);
    HttpResponse<Buffer> third = post("/api/v1/webhooks", key, hook);
    assertThat(third.statusCode()).isEqualTo(409);
    JsonObject body = node.checked("createWebhook", third);
    assertThat(body.getString("code")).isEqualTo("conflict");
    assertThat(body.getString("message")).contains("webhooksPerKey");
    String first = node.checked("listWebhooks", node.get("/api/v1/webhooks", key)).getJsonArray("webhooks")
        .getJsonObject(0).getString("webhook_id");
    assertThat(TestNode.await(node.client.delete("/api/v1/webhooks/" + first).putHeader("X-API-Key", key).send())
        .statusCode()).isEqualTo(204);
    assertThat(post("/api/v1/webhooks", key, hook).statusCode()).as("a place freed").isEqualTo(201);
  }

  private record Received(String signature, byte[] body) {}

  @Test
  void aRotatedSecretSignsBesideTheOldOneDuringTheOverlapAndAloneAfterIt() throws Exception {
    List<Received> received = new CopyOnWriteArrayList<>();
    HttpServer receiver = TestNode.await(node.vertx().createHttpServer().requestHandler(request ->
        request.body().onSuccess(body -> {
          received.add(new Received(request.getHeader(WebhookSignature.HEADER), body.getBytes()));
          request.response().setStatusCode(204).end();
        })).listen(0, "127.0.0.1"));
    try {
      double latitude = -40 + RANDOM.nextDouble() * 80;
      double longitude = -160 + RANDOM.nextDouble() * 320;
      String operator = node.createKey("limits-it-rotation", "operate");
      String publisher = node.createKey("limits-it-rotation-publisher", "read,upload,publish");
      JsonObject created = node.checked("createWebhook", post("/api/v1/webhooks", operator, new JsonObject()
          .put("url", "http://127.0.0.1:" + receiver.actualPort() + "/hook").put("latitude", latitude)
          .put("longitude", longitude).put("radius_km", 20).put("type", "flood")));
      String webhookId = created.getString("webhook_id");
      String first = created.getString("secret");

      Received before = deliveryOfANewAlertChange(received, latitude, longitude);
      assertThat(signatures(before)).isEqualTo(1);
      assertThat(verifies(first, before)).isTrue();

      // Someone else's key (an operator too) cannot rotate it; an unknown id is the same answer.
      String stranger = node.createKey("limits-it-rotation-stranger", "operate");
      assertThat(node.checked("rotateWebhookSecret", post("/api/v1/webhooks/" + webhookId + "/rotate-secret",
          stranger, new JsonObject())).getString("code")).isEqualTo("not_found");
      assertThat(node.checked("rotateWebhookSecret", post("/api/v1/webhooks/" + webhookId + "/rotate-secret",
          publisher, new JsonObject())).getString("code")).isEqualTo("insufficient_scope");
      assertThat(post("/api/v1/webhooks/" + webhookId + "/rotate-secret", operator,
          new JsonObject().put("overlap_seconds", -1)).statusCode()).isEqualTo(400);

      JsonObject rotated = node.checked("rotateWebhookSecret", post("/api/v1/webhooks/" + webhookId
          + "/rotate-secret", operator, new JsonObject().put("overlap_seconds", 3600)));
      String second = rotated.getString("secret");
      assertThat(second).startsWith("whsec_").isNotEqualTo(first);
      assertThat(Instant.parse(rotated.getString("previous_secret_until")))
          .isBetween(Instant.now().plusSeconds(3500), Instant.now().plusSeconds(3700));
      JsonObject listed = node.checked("listWebhooks", node.get("/api/v1/webhooks", operator)).getJsonArray("webhooks")
          .getJsonObject(0);
      assertThat(listed.containsKey("secret")).as("a listing shows no secret").isFalse();

      Received during = deliveryOfANewAlertChange(received, latitude, longitude);
      assertThat(signatures(during)).as("the new secret's and the old one's").isEqualTo(2);
      assertThat(verifies(second, during)).as("a receiver that moved over").isTrue();
      assertThat(verifies(first, during)).as("a receiver that has not yet").isTrue();

      // Rotated again with no overlap: only the newest secret signs.
      JsonObject ended = node.checked("rotateWebhookSecret", post("/api/v1/webhooks/" + webhookId + "/rotate-secret",
          operator, new JsonObject().put("overlap_seconds", 0)));
      String third = ended.getString("secret");
      assertThat(ended.containsKey("previous_secret_until")).isFalse();
      Received after = deliveryOfANewAlertChange(received, latitude, longitude);
      assertThat(signatures(after)).isEqualTo(1);
      assertThat(verifies(third, after)).isTrue();
      assertThat(verifies(second, after)).isFalse();
      assertThat(verifies(first, after)).isFalse();
    } finally {
      TestNode.await(receiver.close());
    }
  }

  /** A new flood scene uploaded at the place (a new or merged alert there), and the delivery it leads to. */
  private static Received deliveryOfANewAlertChange(List<Received> received, double latitude, double longitude) {
    int before = received.size();
    // A fresh key each time: this node's pixel budget would refuse a key's third scene.
    String publisher = node.createKey("limits-it-rotation-publisher", "read,upload,publish");
    JsonObject accepted = node.checked("analyzeSingle", node.upload("/api/v1/analyze/single", "file", "f.png",
        TestImages.floodPng(), Map.of("latitude", Double.toString(latitude), "longitude", Double.toString(longitude)),
        publisher));
    node.awaitFinished(accepted.getString("image_id"));
    node.pollUntil(() -> Future.succeededFuture(received.size()), n -> n > before, Duration.ofSeconds(30));
    return received.get(before);
  }

  private static int signatures(Received delivery) {
    return (int) Arrays.stream(delivery.signature().split(",")).filter(p -> p.startsWith("v1=")).count();
  }

  private static boolean verifies(String secret, Received delivery) {
    return WebhookSignature.verify(secret, delivery.signature(), delivery.body(), System.currentTimeMillis() / 1000,
        300);
  }

  private static HttpClientResponse openStream(HttpClient http, String key) {
    return TestNode.await(open(http, key));
  }

  private static Future<HttpClientResponse> open(HttpClient http, String key) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
        .setPort(node.node.httpPort()).setURI("/api/v1/alerts/stream").putHeader("X-API-Key", key);
    return http.request(options).compose(request -> request.send());
  }
}
