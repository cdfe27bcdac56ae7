package org.geohazard.it;

import org.geohazard.testing.TestImages;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Limits and outages, each on its own node: rate limiting across requests, a node whose Redis is
 * unreachable (it must still answer correctly, bypassing the cache), and one whose database is
 * unreachable (readiness says so and uploads get 503, not 500). The outages are real: the node is
 * pointed at a local port where nothing listens.
 */
class ResilienceIT {

  @Test
  void answers429WithRetryAfterOnceTheLimitIsReached() {
    try (TestNode node = TestNode.start(Map.of("GEOHAZARD_RATE_LIMIT_REQUESTS_PER_WINDOW", "3",
        "GEOHAZARD_RATE_LIMIT_WINDOW_SECONDS", "3600"))) {
      String path = "/api/v1/alerts/active?latitude=1.5&longitude=2.5&radius_km=" + (1 + Math.random());
      HttpResponse<Buffer> last = null;
      int allowed = 0;
      for (int i = 0; i < 6; i++) {
        last = node.get(path);
        if (last.statusCode() == 200) {
          allowed++;
        }
      }
      // Other tests share the loopback address' window, so at most 3 pass and the last is refused.
      assertThat(allowed).isLessThanOrEqualTo(3);
      assertThat(last.statusCode()).isEqualTo(429);
      JsonObject error = node.checked("getActiveAlerts", last);
      assertThat(error.getString("code")).isEqualTo("rate_limited");
      assertThat(Long.parseLong(last.getHeader("Retry-After"))).isBetween(1L, 3600L);
      // probes are never limited
      assertThat(node.get("/api/v1/health/live").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void createdApiKeyIsAcceptedAndLimitedByItsOwnBudget() {
    try (TestNode node = TestNode.start(Map.of())) {
      String key = TestNode.await(org.geohazard.persistence.ApiKeyAdmin.create(node.vertx(), node.config.db(),
          "resilience-it", 2));
      assertThat(key).startsWith("ghz_");
      int[] statuses = new int[3];
      for (int i = 0; i < statuses.length; i++) {
        statuses[i] = TestNode.await(node.client.get("/api/v1/alerts/active?latitude=3&longitude=4")
            .putHeader("X-API-Key", key).send()).statusCode();
      }
      assertThat(statuses).containsExactly(200, 200, 429);
      // The same address without the key is counted in its own (much larger) budget.
      assertThat(node.get("/api/v1/alerts/active?latitude=3&longitude=4").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void withoutRedisTheNodeStillAnswersCorrectly() throws IOException {
    try (TestNode node = TestNode.start(Map.of("GEOHAZARD_REDIS_PORT", Integer.toString(closedPort())))) {
      JsonObject accepted = node.checked("analyzeSingle", node.upload("/api/v1/analyze/single", "file", "f.png",
          TestImages.floodPng(), Map.of()));
      JsonObject result = node.awaitFinished(accepted.getString("image_id"));
      assertThat(result.getString("status")).isEqualTo("completed");
      JsonObject health = node.checked("getHealth", node.get("/api/v1/health"));
      assertThat(health.getString("status")).isEqualTo("degraded");
      assertThat(health.getJsonObject("dependencies").getJsonObject("redis").getString("status")).isEqualTo("down");
      // The error's text (hosts, ports) is for operators: anyone else sees the status only.
      assertThat(health.getJsonObject("dependencies").getJsonObject("redis").getString("message")).isNull();
      JsonObject detailed = node.checked("getHealth", TestNode.await(node.client.get("/api/v1/health")
          .putHeader("X-API-Key", node.createKey("resilience-it-operator", "operate")).send()));
      assertThat(detailed.getJsonObject("dependencies").getJsonObject("redis").getString("message")).isNotBlank();
      assertThat(node.get("/api/v1/health/ready").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void withoutTheDatabaseUploadsGet503AndReadinessSaysSo() throws IOException {
    try (TestNode node = TestNode.start(Map.of("GEOHAZARD_DB_PORT", Integer.toString(closedPort())))) {
      HttpResponse<Buffer> upload = node.upload("/api/v1/analyze/single", "file", "f.png", TestImages.floodPng(), Map.of());
      assertThat(upload.statusCode()).as(upload.bodyAsString()).isEqualTo(503);
      assertThat(node.checked("analyzeSingle", upload).getString("code")).isEqualTo("unavailable");
      // The failure names the operation that failed (persistence.images.register) for the node's logs only.
      assertThat(upload.bodyAsString()).doesNotContain("persistence.").doesNotContain("satellite_images");
      HttpResponse<Buffer> ready = node.get("/api/v1/health/ready");
      assertThat(ready.statusCode()).isEqualTo(503);
      JsonObject readiness = node.checked("getReadiness", ready);
      assertThat(readiness.getJsonObject("checks").getJsonObject("database").getString("status")).isEqualTo("DOWN");
      HttpResponse<Buffer> health = node.get("/api/v1/health");
      assertThat(health.statusCode()).isEqualTo(503);
      node.checked("getHealth", health);
    }
  }

  @Test
  void withoutKafkaUploadsGet503AndReadinessSaysSo() throws IOException {
    try (TestNode node = TestNode.start(Map.of("GEOHAZARD_KAFKA_BOOTSTRAP", "127.0.0.1:" + closedPort()))) {
      HttpResponse<Buffer> upload = node.upload("/api/v1/analyze/single", "file", "f.png", TestImages.floodPng(), Map.of());
      assertThat(upload.statusCode()).as(upload.bodyAsString()).isEqualTo(503);
      assertThat(node.checked("analyzeSingle", upload).getString("code")).isEqualTo("unavailable");
      // The failure names the operation that failed (persistence.images.register) for the node's logs only.
      assertThat(upload.bodyAsString()).doesNotContain("persistence.").doesNotContain("satellite_images");
      HttpResponse<Buffer> ready = node.get("/api/v1/health/ready");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(node.checked("getReadiness", ready).getJsonObject("checks").getJsonObject("kafka").getString("status"))
          .isEqualTo("DOWN");
    }
  }

  /** A local port with nothing listening (bound, then released). */
  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
