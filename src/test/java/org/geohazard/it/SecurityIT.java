package org.geohazard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.geohazard.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who may do what, on a real node (SECURITY.md's table names these tests): a stranger's upload raises no public
 * alert (held unverified: not on the stream, the active list, the history, the feed, nor readable by id) until an
 * operator confirms it; a publishing key's alert goes out at once; a key lacking an operation's scope gets 403
 * naming it; the admin operations take an admin key; a deployment may close anonymous access; non-canonical paths
 * are refused before admission (so they cannot walk around the limiter); X-Forwarded-For counts only from a trusted
 * proxy; unknown keys are limited per address; every answer carries the security headers.
 */
class SecurityIT {

  private static TestNode node;
  private static String operator;
  private static String reader;
  private static String publisher;
  private static final Random RANDOM = new Random();

  @BeforeAll
  static void start() {
    node = TestNode.start(Map.of());
    operator = node.createKey("security-it-operator", "read,operate");
    reader = node.createKey("security-it-reader", "read");
    publisher = node.createKey("security-it-publisher", "read,upload,publish");
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void aStrangersUploadRaisesNoPublicAlertUntilAnOperatorConfirmsIt() {
    double latitude = -50 + RANDOM.nextDouble() * 100;
    double longitude = -170 + RANDOM.nextDouble() * 340;
    List<String> events = new CopyOnWriteArrayList<>();
    HttpClient http = node.vertx().createHttpClient();
    openStream(http, "/api/v1/alerts/stream?latitude=" + latitude + "&longitude=" + longitude + "&radius_km=20",
        events);

    // No key: what a web page can make its visitors' browsers send.
    JsonObject accepted = node.checked("analyzeSingle", node.upload("/api/v1/analyze/single", "file", "f.png",
        TestImages.floodPng(), Map.of("latitude", Double.toString(latitude), "longitude", Double.toString(longitude))));
    String imageId = accepted.getString("image_id");
    assertThat(node.awaitFinished(imageId).getString("status")).isEqualTo("completed");

    // Operators see it, unverified.
    JsonObject held = node.checked("listUnverifiedAlerts", node.pollUntil(() -> node.client
            .get("/api/v1/alerts/unverified").putHeader("X-API-Key", operator).send(),
        r -> r.statusCode() == 200 && alertOf(r.bodyAsJsonObject().getJsonArray("alerts"), imageId) != null,
        Duration.ofSeconds(30)));
    JsonObject alert = alertOf(held.getJsonArray("alerts"), imageId);
    String alertId = alert.getString("alert_id");
    assertThat(alert.getString("state")).isEqualTo("unverified");

    // Nobody else does: not by id (as if it did not exist, also for a key without 'operate'), not on any list.
    assertThat(node.checked("getAlert", node.get("/api/v1/alerts/" + alertId)).getString("code")).isEqualTo("not_found");
    assertThat(node.checked("getAlert", withKey(HttpMethod.GET, "/api/v1/alerts/" + alertId, reader))
        .getString("code")).isEqualTo("not_found");
    assertThat(node.checked("getAlert", withKey(HttpMethod.GET, "/api/v1/alerts/" + alertId, operator))
        .getString("state")).isEqualTo("unverified");
    assertThat(activeNear(latitude, longitude)).noneMatch(a -> a.getString("alert_id").equals(alertId));
    assertThat(historyNear(latitude, longitude)).noneMatch(a -> a.getString("alert_id").equals(alertId));
    assertThat(node.get("/api/v1/alerts/feed").bodyAsString()).doesNotContain(alertId);
    assertThat(node.checked("listUnverifiedAlerts", node.get("/api/v1/alerts/unverified")).getString("code"))
        .isEqualTo("api_key_required");
    assertThat(node.checked("listUnverifiedAlerts", withKey(HttpMethod.GET, "/api/v1/alerts/unverified", reader))
        .getString("code")).isEqualTo("insufficient_scope");

    // Acknowledging comes after confirming; confirming is an operator's act.
    assertThat(node.checked("acknowledgeAlert", withKey(HttpMethod.POST, "/api/v1/alerts/" + alertId + "/acknowledge",
        operator)).getString("code")).isEqualTo("conflict");
    assertThat(node.checked("confirmAlert", TestNode.await(node.client.post("/api/v1/alerts/" + alertId + "/confirm")
        .send())).getString("code")).isEqualTo("api_key_required");
    JsonObject refused = node.checked("confirmAlert", withKey(HttpMethod.POST, "/api/v1/alerts/" + alertId + "/confirm",
        publisher));
    assertThat(refused.getString("code")).isEqualTo("insufficient_scope");
    assertThat(refused.getString("message")).contains("'operate'");
    JsonObject confirmed = node.checked("confirmAlert", withKey(HttpMethod.POST, "/api/v1/alerts/" + alertId
        + "/confirm", operator));
    assertThat(confirmed.getString("state")).isEqualTo("active");

    // Now it is public: the stream's first event for the place is this alert, raised, already active (an
    // announcement of the unverified alert would have come first, with state unverified).
    String first = node.pollUntil(() -> Future.succeededFuture(events.isEmpty() ? "" : events.get(0)),
        e -> !e.isEmpty(), Duration.ofSeconds(30));
    JsonObject event = new JsonObject(first);
    assertThat(event.getString("alert_id")).isEqualTo(alertId);
    assertThat(event.getString("state")).isEqualTo("active");
    assertThat(event.getBoolean("created")).isTrue();
    assertThat(activeNear(latitude, longitude)).anyMatch(a -> a.getString("alert_id").equals(alertId));
    assertThat(node.get("/api/v1/alerts/feed").bodyAsString()).contains(alertId);
    assertThat(node.checked("confirmAlert", withKey(HttpMethod.POST, "/api/v1/alerts/" + alertId + "/confirm",
        operator)).getString("code")).as("confirmed once").isEqualTo("conflict");
    http.close();
  }

  @Test
  void anOperatorRejectsAnUnverifiedAlertAndItNeverBecomesPublic() {
    double latitude = -50 + RANDOM.nextDouble() * 100;
    double longitude = -170 + RANDOM.nextDouble() * 340;
    String imageId = node.checked("analyzeSingle", node.upload("/api/v1/analyze/single", "file", "f.png",
        TestImages.floodPng(), Map.of("latitude", Double.toString(latitude), "longitude", Double.toString(longitude))))
        .getString("image_id");
    node.awaitFinished(imageId);
    JsonObject held = node.checked("listUnverifiedAlerts", node.pollUntil(() -> node.client
            .get("/api/v1/alerts/unverified").putHeader("X-API-Key", operator).send(),
        r -> r.statusCode() == 200 && alertOf(r.bodyAsJsonObject().getJsonArray("alerts"), imageId) != null,
        Duration.ofSeconds(30)));
    String alertId = alertOf(held.getJsonArray("alerts"), imageId).getString("alert_id");
    JsonObject rejected = node.checked("resolveAlert", withKey(HttpMethod.POST, "/api/v1/alerts/" + alertId
        + "/resolve", operator));
    assertThat(rejected.getString("state")).isEqualTo("rejected");
    assertThat(node.get("/api/v1/alerts/" + alertId).statusCode()).isEqualTo(404);
    assertThat(historyNear(latitude, longitude)).noneMatch(a -> a.getString("alert_id").equals(alertId));
    JsonArray stillHeld = node.checked("listUnverifiedAlerts", withKey(HttpMethod.GET, "/api/v1/alerts/unverified",
        operator)).getJsonArray("alerts");
    assertThat(alertOf(stillHeld, imageId)).isNull();
    assertThat(node.checked("confirmAlert", withKey(HttpMethod.POST, "/api/v1/alerts/" + alertId + "/confirm",
        operator)).getString("code")).isEqualTo("conflict");
  }

  /**
   * Whether an analysis's alert is public follows who asked for that analysis, not who uploaded the content first:
   * content a publisher uploaded, queued again by a stranger (a re-upload of the failed content), merges into the
   * unverified alert held at the place, not into the publisher's public one. Before, the first uploader's key
   * decided, so anyone could renew (keep from expiring) or worsen a public alert by having its content analysed again.
   */
  @Test
  void contentQueuedAgainByAStrangerMergesIntoTheHeldAlertNotThePublicOne() {
    double latitude = -50 + RANDOM.nextDouble() * 100;
    double longitude = -170 + RANDOM.nextDouble() * 340;
    Map<String, String> place = Map.of("latitude", Double.toString(latitude), "longitude", Double.toString(longitude));
    // A stranger's flood at the place: held unverified.
    String strangers = node.checked("analyzeSingle", node.upload("/api/v1/analyze/single", "file", "s.png",
        TestImages.floodPng(), place)).getString("image_id");
    node.awaitFinished(strangers);
    JsonObject held = heldAlertOf(strangers, alert -> true);
    // A publisher's flood there: public at once (it merges into public alerts only).
    byte[] bytes = TestImages.floodPng();
    String published = node.checked("analyzeSingle", node.upload("/api/v1/analyze/single", "file", "p.png", bytes,
        place, publisher)).getString("image_id");
    node.awaitFinished(published);
    JsonObject publicAlert = node.pollUntil(() -> Future.succeededFuture(activeNear(latitude, longitude)),
        alerts -> !alerts.isEmpty(), Duration.ofSeconds(30)).get(0);

    // The publisher's content fails, as an analysis can; the stranger's re-upload of the bytes queues it again.
    try (TestDatabase db = new TestDatabase(node.vertx(), node.config.db())) {
      db.execute("UPDATE satellite_images SET status = 'failed' WHERE id = ?", published);
    }
    String again = node.checked("analyzeSingle", node.upload("/api/v1/analyze/single", "file", "p.png", bytes,
        place)).getString("image_id");
    assertThat(node.awaitFinished(again).getString("status")).isEqualTo("completed");
    heldAlertOf(strangers, alert -> alert.getInteger("version") > held.getInteger("version"));
    assertThat(activeNear(latitude, longitude)).singleElement()
        .satisfies(alert -> assertThat(alert.getInteger("version")).as("the public alert untouched")
            .isEqualTo(publicAlert.getInteger("version")));
  }

  /** The unverified alert of {@code imageId} once {@code ready} holds for it, as an operator lists it. */
  private static JsonObject heldAlertOf(String imageId, java.util.function.Predicate<JsonObject> ready) {
    JsonObject held = node.checked("listUnverifiedAlerts", node.pollUntil(() -> node.client
            .get("/api/v1/alerts/unverified").putHeader("X-API-Key", operator).send(),
        r -> {
          JsonObject alert = r.statusCode() == 200 ? alertOf(r.bodyAsJsonObject().getJsonArray("alerts"), imageId)
              : null;
          return alert != null && ready.test(alert);
        }, Duration.ofSeconds(30)));
    return alertOf(held.getJsonArray("alerts"), imageId);
  }

  @Test
  void aPublishingKeysAlertGoesOutAtOnce() {
    double latitude = -50 + RANDOM.nextDouble() * 100;
    double longitude = -170 + RANDOM.nextDouble() * 340;
    String imageId = node.checked("analyzeSingle", node.upload("/api/v1/analyze/single", "file", "f.png",
        TestImages.floodPng(), Map.of("latitude", Double.toString(latitude), "longitude", Double.toString(longitude)),
        publisher)).getString("image_id");
    node.awaitFinished(imageId);
    node.pollUntil(() -> Future.succeededFuture(activeNear(latitude, longitude)),
        alerts -> alerts.stream().anyMatch(a -> a.getDouble("latitude") == latitude
            && a.getDouble("longitude") == longitude && a.getString("state").equals("active")), Duration.ofSeconds(30));
  }

  @Test
  void scopesComeFromTheContract() {
    // A key that may only read uploads nothing (refused before the body is read) and subscribes nothing.
    HttpResponse<Buffer> upload = node.upload("/api/v1/analyze/single", "file", "f.png", TestImages.greyPng(),
        Map.of(), reader);
    assertThat(node.checked("analyzeSingle", upload).getString("code")).isEqualTo("insufficient_scope");
    assertThat(upload.statusCode()).isEqualTo(403);
    assertThat(node.checked("listWebhooks", withKey(HttpMethod.GET, "/api/v1/webhooks", reader)).getString("code"))
        .isEqualTo("insufficient_scope");
    assertThat(node.checked("listWebhooks", withKey(HttpMethod.GET, "/api/v1/webhooks", operator))
        .getJsonArray("webhooks")).isNotNull();
    // Reading with a reader's key, and usage with any key.
    assertThat(node.checked("getResult", withKey(HttpMethod.GET, "/api/v1/results/" + UUID.randomUUID(), reader))
        .getString("code")).isEqualTo("not_found");
    assertThat(withKey(HttpMethod.GET, "/api/v1/usage", reader).statusCode()).isEqualTo(200);
    // Model changes: an operator's key is not enough, an admin key passes the check (and then the body is judged).
    String admin = node.createKey("security-it-admin", "admin");
    HttpResponse<Buffer> notAdmin = TestNode.await(node.client.post("/api/v1/admin/models")
        .putHeader("X-API-Key", operator).sendJsonObject(new JsonObject().put("path", "/nonexistent.onnx")));
    assertThat(node.checked("changeModels", notAdmin).getString("code")).isEqualTo("insufficient_scope");
    HttpResponse<Buffer> byAdmin = TestNode.await(node.client.post("/api/v1/admin/models")
        .putHeader("X-API-Key", admin).sendJsonObject(new JsonObject().put("unknown_field", 1)));
    assertThat(byAdmin.statusCode()).as(byAdmin.bodyAsString()).isEqualTo(400);
    assertThat(node.checked("changeModels", byAdmin).getString("code")).isEqualTo("invalid_request");
  }

  @Test
  void everyAnswerCarriesTheSecurityHeaders() {
    for (String path : List.of("/", "/docs/", "/api/v1/health", "/api/v1/alerts/active", "/no/such/page",
        "/openapi.yaml")) {
      HttpResponse<Buffer> response = node.get(path);
      assertThat(response.getHeader("Content-Security-Policy")).as(path).contains("frame-ancestors 'none'")
          .contains("script-src 'self'");
      assertThat(response.getHeader("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
      assertThat(response.getHeader("X-Frame-Options")).as(path).isEqualTo("DENY");
      assertThat(response.getHeader("Referrer-Policy")).as(path).isNotBlank();
    }
  }

  @Test
  void probesNeverDependOnAKeyWhileHealthChecksOne() {
    String bogus = "ghz_bogus_" + UUID.randomUUID();
    assertThat(TestNode.await(node.client.get("/api/v1/health/live").putHeader("X-API-Key", bogus).send())
        .statusCode()).isEqualTo(200);
    assertThat(node.checked("getHealth", TestNode.await(node.client.get("/api/v1/health").putHeader("X-API-Key", bogus)
        .send())).getString("code")).isEqualTo("invalid_api_key");
    assertThat(node.checked("getHealth", withKey(HttpMethod.GET, "/api/v1/health", operator)).getString("status"))
        .isIn("healthy", "degraded");
  }

  /**
   * A second node with a deployment's stricter settings: no anonymous access, a small request budget, a trusted
   * proxy (this machine), three unknown keys per address and window.
   */
  @Test
  void admissionCannotBeWalkedAround() {
    try (TestNode strict = TestNode.start(Map.of("GEOHAZARD_SECURITY_ANONYMOUS_SCOPES", "",
        "GEOHAZARD_RATE_LIMIT_REQUESTS_PER_WINDOW", "5", "GEOHAZARD_RATE_LIMIT_WINDOW_SECONDS", "3600",
        "GEOHAZARD_SECURITY_TRUSTED_PROXIES", "127.0.0.1", "GEOHAZARD_SECURITY_FAILED_KEY_ATTEMPTS_PER_WINDOW", "3"))) {
      // Anonymous access closed by configuration: even reading needs a key.
      String path = "/api/v1/results/" + UUID.randomUUID();
      String client = "198.51.100." + (1 + RANDOM.nextInt(250)) + "-" + UUID.randomUUID();
      assertThat(strict.checked("getResult", forwardedFor(strict, path, client, null)).getString("code"))
          .isEqualTo("api_key_required");

      // The budget of 5 is spent by the canonical path...
      int limited = 0;
      for (int i = 0; i < 8; i++) {
        limited += forwardedFor(strict, path, client, null).statusCode() == 429 ? 1 : 0;
      }
      assertThat(limited).as("requests over the budget of 5 (one spent above)").isEqualTo(4);
      // ...and other spellings of it are refused before admission or routing: none is served past the limit.
      for (String spelling : List.of("/" + path, path.replace("/results/", "//results/"),
          path.replace("/v1/", "/v1/./"), path.replace("/results/", "/x/../results/"), path + ".",
          path.replace("/results/", "%2Fresults/"))) {
        HttpResponse<Buffer> answer = forwardedFor(strict, spelling, client, null);
        assertThat(answer.statusCode()).as(spelling).isEqualTo(400);
        assertThat(answer.bodyAsJsonObject().getString("code")).as(spelling).isEqualTo("non_canonical_path");
      }
      // The limit is the forwarded client's: another address behind the same trusted proxy still has its budget.
      String other = "198.51.100.7-" + UUID.randomUUID();
      assertThat(forwardedFor(strict, path, other, null).statusCode()).isEqualTo(401);

      // Unknown keys: three per address are looked up and refused, then the address is refused without a lookup,
      // even with a valid key.
      String guesser = "203.0.113.9-" + UUID.randomUUID();
      for (int i = 0; i < 3; i++) {
        assertThat(forwardedFor(strict, path, guesser, "ghz_guess" + i).bodyAsJsonObject().getString("code"))
            .isEqualTo("invalid_api_key");
      }
      String valid = strict.createKey("security-it-strict-reader", "read");
      HttpResponse<Buffer> blocked = forwardedFor(strict, path, guesser, valid);
      assertThat(blocked.statusCode()).isEqualTo(429);
      assertThat(blocked.getHeader("Retry-After")).isNotNull();
      assertThat(forwardedFor(strict, path, other, valid).bodyAsJsonObject().getString("code"))
          .as("another address with a valid key").isEqualTo("not_found");
    }
  }

  /**
   * The unknown-key budget is the node's, not each API verticle instance's: connections are spread over the
   * instances, so per-instance budgets would add up (found by scripts/security-suite.sh against a node with the
   * default two instances).
   */
  @Test
  void theUnknownKeyBudgetIsOnePerNode() throws java.io.IOException {
    // A fixed port: instances listening on port 0 would each take a port of their own, and share none.
    int port;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    try (TestNode two = TestNode.start(Map.of("GEOHAZARD_HTTP_INSTANCES", "2", "GEOHAZARD_HTTP_PORT",
        Integer.toString(port), "GEOHAZARD_SECURITY_TRUSTED_PROXIES", "127.0.0.1",
        "GEOHAZARD_SECURITY_FAILED_KEY_ATTEMPTS_PER_WINDOW", "3"))) {
      String guesser = "192.0.2.44-" + UUID.randomUUID();
      String path = "/api/v1/results/" + UUID.randomUUID();
      StringBuilder statuses = new StringBuilder();
      for (int i = 0; i < 6; i++) {
        // A connection each (forwardedFor's client keeps none alive): they land on both instances.
        statuses.append(forwardedFor(two, path, guesser, "ghz_guess" + i).statusCode()).append(' ');
      }
      assertThat(statuses.toString().trim()).isEqualTo("401 401 401 429 429 429");
    }
  }

  /**
   * One raw client per node, kept for the node's life (its Vert.x closes it): without keep-alive, so that each request
   * opens a connection of its own and connections land on every API verticle instance. (A client made and closed per
   * request, as this test did first, left a request unanswered for a minute in two CI runs of 2026-12-08; the server
   * side of those requests logged nothing.)
   */
  private static final Map<TestNode, HttpClient> RAW_CLIENTS = Collections.synchronizedMap(new IdentityHashMap<>());

  private static HttpResponse<Buffer> forwardedFor(TestNode on, String path, String client, String key) {
    // Raw requests: a client would not normalise the path for us.
    HttpClient http = RAW_CLIENTS.computeIfAbsent(on, n -> n.vertx().createHttpClient(
        new HttpClientOptions().setKeepAlive(false)));
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
        .setPort(on.node.httpPort()).setURI(path).putHeader("X-Forwarded-For", client)
        // A request left unanswered fails in seconds, saying so, rather than at the test's minute.
        .setIdleTimeout(15_000);
    if (key != null) {
      options.putHeader("X-API-Key", key);
    }
    return TestNode.await(http.request(options).compose(request -> request.send()).compose(response -> response.body()
        .map(body -> new RawResponse(response.statusCode(), response.getHeader("Retry-After"), body))))
        .asResponse();
  }

  private record RawResponse(int status, String retryAfter, Buffer body) {
    HttpResponse<Buffer> asResponse() {
      io.vertx.core.MultiMap headers = io.vertx.core.MultiMap.caseInsensitiveMultiMap()
          .add("Content-Type", "application/json");
      if (retryAfter != null) {
        headers.add("Retry-After", retryAfter);
      }
      return new io.vertx.ext.web.client.impl.HttpResponseImpl<>(io.vertx.core.http.HttpVersion.HTTP_1_1, status,
          "", headers, io.vertx.core.MultiMap.caseInsensitiveMultiMap(), List.of(), body, List.of());
    }
  }

  private static HttpResponse<Buffer> withKey(HttpMethod method, String path, String key) {
    return TestNode.await(node.client.request(method, path).putHeader("X-API-Key", key).send());
  }

  private static List<JsonObject> activeNear(double latitude, double longitude) {
    return node.checked("getActiveAlerts", node.get("/api/v1/alerts/active?latitude=" + latitude + "&longitude="
        + longitude + "&radius_km=20")).getJsonArray("alerts").stream().map(JsonObject.class::cast).toList();
  }

  private static List<JsonObject> historyNear(double latitude, double longitude) {
    return node.checked("getAlertHistory", node.get("/api/v1/alerts/history?from="
            + java.time.Instant.now().minusSeconds(3600) + "&latitude=" + latitude + "&longitude=" + longitude))
        .getJsonArray("alerts").stream().map(JsonObject.class::cast).toList();
  }

  private static JsonObject alertOf(JsonArray alerts, String imageId) {
    return alerts.stream().map(JsonObject.class::cast).filter(a -> imageId.equals(a.getString("image_id")))
        .findFirst().orElse(null);
  }

  /** Appends the data of every complete event of the stream at {@code path} to {@code events}. */
  private static void openStream(HttpClient http, String path, List<String> events) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
        .setPort(node.node.httpPort()).setURI(path);
    StringBuilder pending = new StringBuilder();
    TestNode.await(http.request(options).compose(request -> request.send()).onSuccess(response ->
        response.handler(chunk -> {
          pending.append(chunk.toString(StandardCharsets.UTF_8));
          int end;
          while ((end = pending.indexOf("\n\n")) >= 0) {
            String block = pending.substring(0, end);
            pending.delete(0, end + 2);
            for (String line : block.split("\n")) {
              if (line.startsWith("data: ")) {
                events.add(line.substring(6));
              }
            }
          }
        })));
  }
}
