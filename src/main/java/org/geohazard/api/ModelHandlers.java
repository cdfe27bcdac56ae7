package org.geohazard.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.geohazard.bus.Addresses;
import org.geohazard.bus.Failure;
import org.geohazard.bus.HealthQuery;
import org.geohazard.bus.ModelInstall;
import org.geohazard.bus.ModelSummary;
import org.geohazard.bus.NodeHeartbeat;
import org.geohazard.bus.ServiceBus;
import org.geohazard.bus.ShadowService;

/**
 * The model registry ({@code GET /api/v1/models}: what the cluster's workers have loaded, from their heartbeats),
 * the operator's model changes ({@code POST /api/v1/admin/models}: serve, shadow or withdraw a model file on every
 * inference node, without a restart) and the shadow comparison ({@code GET /api/v1/models/shadow-report}).
 */
final class ModelHandlers {

  static final String ADMIN_TOKEN_HEADER = "X-Admin-Token";
  static final long MAX_BODY_BYTES = 4 * 1024;
  /** A node loading and warming up a model on a busy CPU takes seconds; a GPU engine build, minutes. */
  static final long INSTALL_TIMEOUT_MS = 330_000;
  static final int DEFAULT_REPORT_ROWS = 1000;
  static final long DESCRIBE_TIMEOUT_MS = 2000;

  private final Vertx vertx;
  private final ClusterView cluster;

  ModelHandlers(Vertx vertx, ClusterView cluster) {
    this.vertx = vertx;
    this.cluster = cluster;
  }

  /**
   * One entry per model file (version and content), with the nodes that have it loaded and in which role. The
   * heartbeats say who serves what; the cards (accuracy tables) are asked of the nodes now, since heartbeats
   * leave them out. A node that does not answer in time is listed from its heartbeat, its card as null.
   */
  void models(RoutingContext ctx) {
    List<Future<NodeModels>> asked = new ArrayList<>();
    for (ClusterView.Member member : cluster.members()) {
      if (!member.up()) {
        continue;
      }
      NodeHeartbeat beat = member.heartbeat().get();
      if (beat.models().isEmpty()) {
        continue;
      }
      asked.add(Addresses.NODE_MODELS_DESCRIBE.at(member.memberId())
          .request(vertx.eventBus(), new HealthQuery(), new DeliveryOptions().setSendTimeout(DESCRIBE_TIMEOUT_MS))
          .map(status -> new NodeModels(beat.nodeId(), status.models()))
          .otherwise(new NodeModels(beat.nodeId(), beat.models())));
    }
    Future.all(asked).onComplete(done -> {
      Map<String, JsonObject> byModel = new LinkedHashMap<>();
      for (Future<NodeModels> answer : asked) {
        NodeModels node = answer.result();
        for (ModelSummary model : node.models()) {
          JsonObject entry = byModel.computeIfAbsent(model.version() + "@" + model.sha256(), key -> new JsonObject()
              .put("name", model.name()).put("version", model.version()).put("sha256", model.sha256())
              .put("view", model.view()).put("gsd_m", model.gsdM()).put("classes", new JsonArray(model.classes()))
              .put("input_size", new JsonArray(List.of(model.inputWidth(), model.inputHeight())))
              .put("thresholds", model.thresholds()).put("accuracy", model.accuracy()).put("serving", false)
              .put("nodes", new JsonArray()));
          if (entry.getValue("accuracy") == null && model.accuracy() != null) {
            entry.put("accuracy", model.accuracy());
          }
          entry.put("serving", entry.getBoolean("serving") || !model.shadow());
          entry.getJsonArray("nodes").add(new JsonObject().put("node_id", node.nodeId()).put("role", model.role())
              .put("shadow_share", model.shadowShare()).put("execution_provider", model.executionProvider()));
        }
      }
      JsonArray models = new JsonArray();
      byModel.values().forEach(models::add);
      QueryHandlers.json(ctx, 200, new JsonObject().put("models", models));
    });
  }

  private record NodeModels(String nodeId, List<ModelSummary> models) {}

  /**
   * Applies a model change on every live inference node, one node after another (a bad file is refused by the
   * first and goes no further). 200 with each node's models when all took it.
   */
  void install(RoutingContext ctx) {
    // Who may: the admin token or an admin key, checked from the contract before this runs (ContractSecurity).
    ModelInstall change;
    try {
      JsonObject body = ctx.body().asJsonObject();
      if (body == null) {
        throw new IllegalArgumentException("the body must be a JSON object");
      }
      for (String field : body.fieldNames()) {
        if (!Set.of("path", "mode", "shadow_share").contains(field)) {
          throw new IllegalArgumentException("unknown field '" + field + "'");
        }
      }
      change = new ModelInstall(body.getString("path"), body.getString("mode"), body.getDouble("shadow_share"));
    } catch (RuntimeException e) {
      throw Failure.invalidRequest(String.valueOf(e.getMessage()));
    }
    List<ClusterView.Member> workers = cluster.inferenceMembers();
    if (workers.isEmpty()) {
      throw new Failure(Failure.Code.NO_INFERENCE_NODE, "no live node of the cluster runs inference");
    }
    JsonArray nodes = new JsonArray();
    Future<Void> chain = Future.succeededFuture();
    for (ClusterView.Member worker : workers) {
      String nodeId = worker.heartbeat().get().nodeId();
      chain = chain.compose(v -> Addresses.NODE_MODELS_INSTALL.at(worker.memberId())
          .request(vertx.eventBus(), change, new DeliveryOptions().setSendTimeout(INSTALL_TIMEOUT_MS))
          .recover(error -> Future.failedFuture(new Failure(Failure.of(error).code(),
              "node " + nodeId + ": " + error.getMessage() + (nodes.isEmpty() ? ""
                  : " (done before it: " + nodes.stream().map(n -> ((JsonObject) n).getString("node_id")).toList() + ")"))))
          .map(status -> {
            JsonArray models = new JsonArray();
            status.models().forEach(m -> models.add(new JsonObject().put("name", m.name()).put("version", m.version())
                .put("sha256", m.sha256()).put("view", m.view()).put("role", m.role())
                .put("shadow_share", m.shadowShare())));
            nodes.add(new JsonObject().put("node_id", nodeId).put("models", models));
            return null;
          }));
    }
    chain.onSuccess(v -> QueryHandlers.json(ctx, 200, new JsonObject().put("mode", change.mode())
            .put("path", change.path()).put("nodes", nodes)))
        .onFailure(ctx::fail);
  }

  /** The comparison of each candidate with the serving models over its newest stored looks. */
  void shadowReport(RoutingContext ctx) {
    String candidate = ctx.request().getParam("candidate");
    String limitParam = ctx.request().getParam("limit");
    int limit = limitParam == null ? DEFAULT_REPORT_ROWS : Integer.parseInt(limitParam);
    ServiceBus.client(vertx.eventBus(), ShadowService.class).list(candidate, limit)
        .onSuccess(rows -> {
          JsonArray reports = new JsonArray();
          ShadowComparison.report(rows).forEach(reports::add);
          QueryHandlers.json(ctx, 200, new JsonObject().put("candidates", reports));
        })
        .onFailure(ctx::fail);
  }
}
