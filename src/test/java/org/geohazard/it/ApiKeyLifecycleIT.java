package org.geohazard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keys over the API, on two clustered API nodes: an administrator (the admin token, or an admin key) creates a key
 * whose secret is shown once, lists keys without secrets, revokes a key (refused on the other node within a
 * second, although that node had it cached for a minute), rotates one (the old key works for the overlap, then
 * not), and a key with an expiry stops working at it.
 */
class ApiKeyLifecycleIT {

  private static final String TOKEN = "lifecycle-admin-token-0123456789";
  private static TestNode first;
  private static TestNode second;

  @BeforeAll
  static void startCluster() {
    String cluster = "geohazard-keys-it-" + Long.toHexString(new Random().nextLong());
    first = TestNode.start(Map.of("GEOHAZARD_CLUSTER_ENABLED", "true", "GEOHAZARD_CLUSTER_NAME", cluster,
        "GEOHAZARD_HTTP_ADMIN_TOKEN", TOKEN));
    second = TestNode.start(Map.of("GEOHAZARD_CLUSTER_ENABLED", "true", "GEOHAZARD_CLUSTER_NAME", cluster,
        "GEOHAZARD_NODE_ROLES", "api", "GEOHAZARD_HTTP_ADMIN_TOKEN", TOKEN));
  }

  @AfterAll
  static void stop() {
    if (second != null) {
      second.close();
    }
    if (first != null) {
      first.close();
    }
  }

  @Test
  void aRevokedKeyIsRefusedOnEveryNodeWithinASecond() {
    JsonObject created = create(first, new JsonObject().put("name", "revoke-me").put("scopes",
        new JsonArray().add("read")));
    String secret = created.getString("secret");
    assertThat(secret).startsWith("ghz_");
    assertThat(created.getJsonArray("scopes")).containsExactly("read");
    // Both nodes know the key now (and remember it for a minute).
    assertThat(read(first, secret).statusCode()).isEqualTo(404);
    assertThat(read(second, secret).statusCode()).isEqualTo(404);

    JsonObject listed = first.checked("listApiKeys", TestNode.await(second.client.get("/api/v1/admin/keys")
        .putHeader("X-Admin-Token", TOKEN).send()));
    JsonObject row = listed.getJsonArray("keys").stream().map(JsonObject.class::cast)
        .filter(k -> k.getLong("key_id").equals(created.getLong("key_id"))).findFirst().orElseThrow();
    assertThat(row.containsKey("secret")).isFalse();
    assertThat(listed.encode()).doesNotContain(secret);

    // An alert stream opened with the key on the other node: it ends when the key is revoked.
    io.vertx.core.http.HttpClient http = second.vertx().createHttpClient();
    io.vertx.core.http.HttpClientResponse stream = TestNode.await(http.request(new io.vertx.core.http.RequestOptions()
            .setMethod(io.vertx.core.http.HttpMethod.GET).setHost("127.0.0.1").setPort(second.node.httpPort())
            .setURI("/api/v1/alerts/stream").putHeader("X-API-Key", secret))
        .compose(request -> request.send()));
    assertThat(stream.statusCode()).isEqualTo(200);
    io.vertx.core.Promise<Void> streamEnded = io.vertx.core.Promise.promise();
    stream.handler(chunk -> { });
    stream.endHandler(v -> streamEnded.tryComplete());
    stream.exceptionHandler(e -> streamEnded.tryComplete());

    long start = System.nanoTime();
    JsonObject revoked = first.checked("revokeApiKey", TestNode.await(first.client.post("/api/v1/admin/keys/"
        + created.getLong("key_id") + "/revoke").putHeader("X-Admin-Token", TOKEN).send()));
    assertThat(revoked.getString("revoked_at")).isNotNull();
    HttpResponse<Buffer> refused = second.pollUntil(() -> second.client.get("/api/v1/results/" + UUID.randomUUID())
        .putHeader("X-API-Key", secret).send(), r -> r.statusCode() == 401, Duration.ofSeconds(1));
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(refused.bodyAsJsonObject().getString("code")).isEqualTo("invalid_api_key");
    assertThat(elapsedMs).as("revoked on the other node after %d ms", elapsedMs).isLessThan(1000);
    assertThat(read(first, secret).statusCode()).isEqualTo(401);
    TestNode.await(streamEnded.future(), Duration.ofSeconds(5));
    http.close();
  }

  @Test
  void aRotatedKeyWorksForTheOverlapThenNot() {
    JsonObject created = create(first, new JsonObject().put("name", "rotate-me").put("scopes",
        new JsonArray().add("read").add("upload")));
    String old = created.getString("secret");
    assertThat(read(second, old).statusCode()).isEqualTo(404);
    HttpResponse<Buffer> rotatedResponse = TestNode.await(second.client.post("/api/v1/admin/keys/"
        + created.getLong("key_id") + "/rotate").putHeader("X-Admin-Token", TOKEN)
        .sendJsonObject(new JsonObject().put("overlap_seconds", 2)));
    assertThat(rotatedResponse.statusCode()).as(rotatedResponse.bodyAsString()).isEqualTo(201);
    JsonObject rotated = second.checked("rotateApiKey", rotatedResponse);
    String fresh = rotated.getString("secret");
    assertThat(fresh).isNotEqualTo(old);
    assertThat(rotated.getJsonArray("scopes")).containsExactly("read", "upload");
    assertThat(rotated.getJsonObject("previous").getString("expires_at")).isNotNull();
    // Both work during the overlap, on either node.
    assertThat(read(first, fresh).statusCode()).isEqualTo(404);
    assertThat(read(second, old).statusCode()).isEqualTo(404);
    // Then the old one ends (no node remembers it past its expiry); the new one goes on.
    second.pollUntil(() -> second.client.get("/api/v1/results/" + UUID.randomUUID()).putHeader("X-API-Key", old)
        .send(), r -> r.statusCode() == 401, Duration.ofSeconds(10));
    assertThat(read(first, old).statusCode()).isEqualTo(401);
    assertThat(read(second, fresh).statusCode()).isEqualTo(404);
  }

  @Test
  void anExpiringKeyStopsAtItsExpiry() {
    JsonObject created = create(first, new JsonObject().put("name", "short-lived").put("scopes",
        new JsonArray().add("read")).put("expires_at", Instant.now().plusSeconds(3).toString()));
    String secret = created.getString("secret");
    assertThat(read(second, secret).statusCode()).isEqualTo(404);
    second.pollUntil(() -> second.client.get("/api/v1/results/" + UUID.randomUUID()).putHeader("X-API-Key", secret)
        .send(), r -> r.statusCode() == 401, Duration.ofSeconds(10));
  }

  @Test
  void keysAreManagedByAdministratorsOnly() {
    String admin = create(first, new JsonObject().put("name", "an-admin").put("scopes", new JsonArray().add("admin")))
        .getString("secret");
    String operator = create(first, new JsonObject().put("name", "an-operator").put("scopes",
        new JsonArray().add("operate"))).getString("secret");
    assertThat(first.checked("listApiKeys", TestNode.await(second.client.get("/api/v1/admin/keys")
        .putHeader("X-API-Key", admin).send())).getInteger("count")).isGreaterThanOrEqualTo(2);
    assertThat(first.checked("listApiKeys", TestNode.await(second.client.get("/api/v1/admin/keys")
        .putHeader("X-API-Key", operator).send())).getString("code")).isEqualTo("insufficient_scope");
    assertThat(first.checked("listApiKeys", second.get("/api/v1/admin/keys")).getString("code"))
        .isEqualTo("admin_token_required");
    HttpResponse<Buffer> bad = TestNode.await(first.client.post("/api/v1/admin/keys").putHeader("X-API-Key", admin)
        .sendJsonObject(new JsonObject().put("name", "x").put("scopes", new JsonArray().add("superuser"))));
    assertThat(first.checked("createApiKey", bad).getString("code")).isEqualTo("invalid_request");
  }

  private static JsonObject create(TestNode node, JsonObject body) {
    HttpResponse<Buffer> response = TestNode.await(node.client.post("/api/v1/admin/keys")
        .putHeader("X-Admin-Token", TOKEN).sendJsonObject(body));
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    return node.checked("createApiKey", response);
  }

  private static HttpResponse<Buffer> read(TestNode node, String key) {
    return TestNode.await(node.client.get("/api/v1/results/" + UUID.randomUUID()).putHeader("X-API-Key", key).send());
  }
}
