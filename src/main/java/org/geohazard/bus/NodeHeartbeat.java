package org.geohazard.bus;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What a node says of itself every few seconds on {@code cluster.heartbeat}, heard by every node's API.
 *
 * @param memberId the cluster manager's id of the node (the node id for a standalone node)
 * @param nodeId the node's configured id ({@code node.id})
 * @param roles the roles it runs
 * @param models the models its inference verticles have loaded (empty without the inference role)
 * @param inFlight claims its pipeline has taken and not finished
 * @param sentAt when it was sent, ISO-8601 UTC
 */
public record NodeHeartbeat(String memberId, String nodeId, List<String> roles, List<ModelSummary> models,
                            int inFlight, String sentAt) {
  public static final int VERSION = 1;

  public NodeHeartbeat {
    roles = List.copyOf(roles);
    models = List.copyOf(models);
  }

  public JsonObject toJson() {
    return new JsonObject().put("v", VERSION).put("member_id", memberId).put("node_id", nodeId)
        .put("roles", new JsonArray(roles))
        .put("models", models.stream().map(ModelSummary::toJson).collect(JsonArray::new, JsonArray::add, JsonArray::addAll))
        .put("in_flight", inFlight).put("sent_at", sentAt);
  }
}
