package org.geohazard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.geohazard.persistence.ApiKeyAdmin;
import org.junit.jupiter.api.Test;

/** The seed's api_usage, counted per key, operation, status and hour, and shown to the key's owner only. */
class UsageIT {

  @Test
  void aKeySeesItsOwnRequestsPerHourEndpointAndStatus() {
    try (TestNode node = TestNode.start(Map.of())) {
      String key = TestNode.await(ApiKeyAdmin.create(node.vertx(), node.config.db(), "usage-it", null));
      String other = TestNode.await(ApiKeyAdmin.create(node.vertx(), node.config.db(), "usage-it-other", null));
      for (int i = 0; i < 3; i++) {
        assertThat(get(node, "/api/v1/results/" + UUID.randomUUID(), key).statusCode()).isEqualTo(404);
      }
      assertThat(get(node, "/api/v1/alerts/active?latitude=1&longitude=2", key).statusCode()).isEqualTo(200);
      get(node, "/api/v1/alerts/active?latitude=1&longitude=2", other);

      HttpResponse<Buffer> response = get(node, "/api/v1/usage", key);
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
      JsonObject usage = node.checked("getUsage", response);
      Map<String, Long> byEndpoint = new java.util.HashMap<>();
      usage.getJsonArray("hours").stream().map(JsonObject.class::cast)
          .forEach(h -> byEndpoint.merge(h.getString("endpoint") + " " + h.getInteger("status"),
              h.getLong("requests"), Long::sum));
      assertThat(byEndpoint).containsEntry("getResult 404", 3L).containsEntry("getActiveAlerts 200", 1L);
      // The other key's request is not shown here; the usage call itself is counted after it is answered.
      assertThat(byEndpoint.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(4L);

      HttpResponse<Buffer> anonymous = node.get("/api/v1/usage");
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(get(node, "/api/v1/usage?from=yesterday", key).statusCode()).isEqualTo(400);
    }
  }

  private static HttpResponse<Buffer> get(TestNode node, String path, String key) {
    return TestNode.await(node.client.get(path).putHeader("X-API-Key", key).send());
  }
}
