package org.geohazard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.geohazard.analysis.Hazard;
import org.geohazard.bus.Addresses;
import org.geohazard.bus.AlertRaised;
import org.geohazard.bus.Envelope;
import org.geohazard.testing.TestImages;
import org.junit.jupiter.api.Test;

/**
 * Two clustered nodes on one machine (Hazelcast, TCP/IP discovery on loopback), as a deployment splits them:
 * an API-only node and a worker (pipeline, inference, persistence, alerts). The API node has no database
 * pool and no model: an upload through it is registered, analysed, stored and read back across the cluster's
 * event bus, and the alert the worker raises reaches the API node's subscribers.
 */
class ClusterIT {

  @Test
  void anApiNodeAndAWorkerNodeShareOneEventBus() {
    String cluster = "geohazard-it-" + Long.toHexString(new Random().nextLong());
    Map<String, String> clustered = Map.of("GEOHAZARD_CLUSTER_ENABLED", "true", "GEOHAZARD_CLUSTER_NAME", cluster);
    try (TestNode worker = TestNode.start(with(clustered, "GEOHAZARD_NODE_ROLES", "pipeline,inference,persistence,alerts"));
         TestNode api = TestNode.start(with(clustered, "GEOHAZARD_NODE_ROLES", "api"))) {
      assertThat(api.node.clusterMembers()).hasSize(2);

      Promise<AlertRaised> heard = Promise.promise();
      MessageConsumer<Envelope> listener = Addresses.ALERTS_RAISED.subscribe(api.vertx().eventBus(),
          heard::tryComplete);
      TestNode.await(listener.completion());

      // A different place every run, so no alert left by an earlier run absorbs this one.
      double latitude = -60 + new Random().nextDouble() * 120;
      double longitude = -170 + new Random().nextDouble() * 340;
      // With a key allowed to publish: an anonymous upload's alert is held unverified and announced to no node.
      JsonObject accepted = api.checked("analyzeSingle", api.upload("/api/v1/analyze/single", "file", "f.png",
          TestImages.floodPng(), Map.of("latitude", Double.toString(latitude), "longitude", Double.toString(longitude)),
          api.publisherKey()));
      JsonObject result = api.awaitFinished(accepted.getString("image_id"));
      assertThat(result.getString("status")).isEqualTo("completed");

      AlertRaised alert = TestNode.await(heard.future(), Duration.ofSeconds(30));
      assertThat(alert.alert().alertType()).isEqualTo(Hazard.FLOOD);
      assertThat(alert.alert().latitude()).isCloseTo(latitude, org.assertj.core.data.Offset.offset(0.1));
      assertThat(api.checked("getHealth", api.get("/api/v1/health")).getString("status")).isNotEqualTo("unhealthy");

      // Both members, as their heartbeats describe them: the worker with its model, the API node with none.
      JsonObject view = api.checked("getCluster", api.pollUntil(() -> api.client.get("/api/v1/cluster").send(),
          r -> r.statusCode() == 200 && r.bodyAsJsonObject().getJsonArray("members").stream()
              .allMatch(m -> ((JsonObject) m).getString("state").equals("up")), TestNode.TIMEOUT));
      assertThat(view.getBoolean("clustered")).isTrue();
      assertThat(view.getJsonArray("members")).hasSize(2);
      JsonObject workerView = view.getJsonArray("members").stream().map(JsonObject.class::cast)
          .filter(m -> m.getJsonArray("roles").contains("inference")).findFirst().orElseThrow();
      assertThat(workerView.getJsonArray("models")).hasSize(1);
      assertThat(workerView.getJsonArray("models").getJsonObject(0).getString("execution_provider")).isEqualTo("cpu");
    }
  }

  /**
   * A result's alert is not lost when no alerts verticle can take it: the worker stores the result, the record is
   * sent again while the alerts role is away, and the alert is raised once a node with the role joins.
   */
  @Test
  void aResultsAlertWaitsForAnAlertsNodeInsteadOfBeingLost() {
    String cluster = "geohazard-it-" + Long.toHexString(new Random().nextLong());
    Map<String, String> clustered = Map.of("GEOHAZARD_CLUSTER_ENABLED", "true", "GEOHAZARD_CLUSTER_NAME", cluster);
    try (TestNode worker = TestNode.start(with(clustered, "GEOHAZARD_NODE_ROLES", "api,pipeline,inference,persistence"))) {
      double latitude = -60 + new Random().nextDouble() * 120;
      double longitude = -170 + new Random().nextDouble() * 340;
      String id = worker.checked("analyzeSingle", worker.upload("/api/v1/analyze/single", "file", "f.png",
          TestImages.floodPng(), Map.of("latitude", Double.toString(latitude), "longitude",
              Double.toString(longitude)), worker.publisherKey())).getString("image_id");
      assertThat(worker.awaitFinished(id).getString("status")).isEqualTo("completed");
      String near = "/api/v1/alerts/active?latitude=" + latitude + "&longitude=" + longitude + "&radius_km=20";
      assertThat(worker.checked("getActiveAlerts", worker.get(near)).getJsonArray("alerts")).isEmpty();

      try (TestNode alerts = TestNode.start(with(clustered, "GEOHAZARD_NODE_ROLES", "alerts"))) {
        assertThat(alerts.node.clusterMembers()).hasSize(2);
        JsonObject active = worker.checked("getActiveAlerts", worker.pollUntil(() -> worker.client.get(near).send(),
            r -> r.statusCode() == 200 && !r.bodyAsJsonObject().getJsonArray("alerts").isEmpty(),
            Duration.ofSeconds(60)));
        assertThat(active.getJsonArray("alerts")).hasSize(1);
        assertThat(active.getJsonArray("alerts").getJsonObject(0).getString("alert_type")).isEqualTo("flood");
      }
    }
  }

  private static Map<String, String> with(Map<String, String> base, String key, String value) {
    java.util.HashMap<String, String> out = new java.util.HashMap<>(base);
    out.put(key, value);
    return out;
  }
}
