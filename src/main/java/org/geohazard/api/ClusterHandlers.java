package org.geohazard.api;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.geohazard.bus.Addresses;
import org.geohazard.bus.Membership;
import org.geohazard.bus.ModelSummary;
import org.geohazard.bus.NodeHeartbeat;

/**
 * {@code GET /api/v1/cluster}: the cluster manager's members, each described by its latest heartbeat. A member
 * whose last heartbeat is older than three intervals is {@code stale} (dead or cut off, until the cluster
 * manager drops it); one not heard yet is {@code joining}.
 */
final class ClusterHandlers {

  static final Duration STALE_AFTER = Duration.ofMillis(3 * Addresses.HEARTBEAT_INTERVAL_MS);

  private record Heard(NodeHeartbeat heartbeat, Instant at) {}

  private final Membership membership;
  private final Map<String, Heard> latest = new ConcurrentHashMap<>();

  ClusterHandlers(Vertx vertx, Membership membership) {
    this.membership = membership;
    Addresses.CLUSTER_HEARTBEAT.subscribe(vertx.eventBus(),
        beat -> latest.put(beat.memberId(), new Heard(beat, Instant.now())));
  }

  void cluster(RoutingContext ctx) {
    Instant now = Instant.now();
    JsonArray members = new JsonArray();
    for (String member : membership.members()) {
      Heard heard = latest.get(member);
      JsonObject json = new JsonObject();
      if (heard == null) {
        json.put("node_id", member).put("roles", new JsonArray()).put("models", new JsonArray()).put("in_flight", 0)
            .put("last_heartbeat", null).put("state", "joining");
      } else {
        NodeHeartbeat beat = heard.heartbeat();
        JsonArray models = new JsonArray();
        for (ModelSummary model : beat.models()) {
          models.add(new JsonObject().put("version", model.version()).put("view", model.view())
              .put("execution_provider", model.executionProvider()));
        }
        json.put("node_id", beat.nodeId()).put("roles", new JsonArray(beat.roles())).put("models", models)
            .put("in_flight", beat.inFlight()).put("last_heartbeat", beat.sentAt())
            .put("state", heard.at().plus(STALE_AFTER).isBefore(now) ? "stale" : "up");
      }
      members.add(json);
    }
    // Members that left the cluster are forgotten.
    latest.keySet().retainAll(membership.members());
    Heard self = latest.get(membership.self());
    QueryHandlers.json(ctx, 200, new JsonObject().put("clustered", membership.clustered()).put("name", membership.name())
        .put("this_node", self == null ? membership.self() : self.heartbeat().nodeId()).put("members", members));
  }
}
