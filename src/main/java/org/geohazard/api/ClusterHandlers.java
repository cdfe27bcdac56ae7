package org.geohazard.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.geohazard.bus.Membership;
import org.geohazard.bus.ModelSummary;
import org.geohazard.bus.NodeHeartbeat;

/**
 * {@code GET /api/v1/cluster}: the cluster manager's members, each described by its latest heartbeat
 * ({@link ClusterView}): {@code up}, {@code stale} or {@code joining}.
 */
final class ClusterHandlers {

  private final ClusterView view;

  ClusterHandlers(ClusterView view) {
    this.view = view;
  }

  void cluster(RoutingContext ctx) {
    JsonArray members = new JsonArray();
    for (ClusterView.Member member : view.members()) {
      JsonObject json = new JsonObject();
      if (member.heartbeat().isEmpty()) {
        json.put("node_id", member.memberId()).put("roles", new JsonArray()).put("models", new JsonArray())
            .put("in_flight", 0).put("last_heartbeat", null).put("state", "joining");
      } else {
        NodeHeartbeat beat = member.heartbeat().get();
        JsonArray models = new JsonArray();
        for (ModelSummary model : beat.models()) {
          models.add(new JsonObject().put("version", model.version()).put("view", model.view())
              .put("execution_provider", model.executionProvider()).put("role", model.role()));
        }
        json.put("node_id", beat.nodeId()).put("roles", new JsonArray(beat.roles())).put("models", models)
            .put("in_flight", beat.inFlight()).put("last_heartbeat", beat.sentAt())
            .put("state", member.stale() ? "stale" : "up");
      }
      members.add(json);
    }
    Membership membership = view.membership();
    QueryHandlers.json(ctx, 200, new JsonObject().put("clustered", membership.clustered()).put("name", membership.name())
        .put("this_node", view.self().map(NodeHeartbeat::nodeId).orElse(membership.self())).put("members", members));
  }
}
