package org.geohazard.node;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.geohazard.bus.Addresses;
import org.geohazard.bus.HealthQuery;
import org.geohazard.bus.Membership;
import org.geohazard.bus.ModelSummary;
import org.geohazard.bus.NodeHeartbeat;
import org.geohazard.config.AppConfig;
import org.geohazard.metrics.NodeMetrics;

/**
 * Publishes this node's {@link NodeHeartbeat} every {@link Addresses#HEARTBEAT_INTERVAL_MS}: its roles, the
 * models its inference verticles have loaded (asked of them locally), and its pipeline's work in flight.
 */
final class Heartbeat {

  private final Vertx vertx;
  private final AppConfig config;
  private final NodeMetrics metrics;
  private final Membership membership;
  private long timer = -1;

  Heartbeat(Vertx vertx, AppConfig config, NodeMetrics metrics, Membership membership) {
    this.vertx = vertx;
    this.config = config;
    this.metrics = metrics;
    this.membership = membership;
  }

  void start() {
    beat();
    timer = vertx.setPeriodic(Addresses.HEARTBEAT_INTERVAL_MS, id -> beat());
  }

  void stop() {
    if (timer != -1) {
      vertx.cancelTimer(timer);
    }
  }

  private void beat() {
    Future<List<ModelSummary>> models = config.node().runs(AppConfig.Role.INFERENCE)
        ? Addresses.INFERENCE_HEALTH.request(vertx.eventBus(), new HealthQuery()).map(status -> status.models())
            .otherwise(List.of())
        : Future.succeededFuture(List.of());
    models.onSuccess(loaded -> Addresses.CLUSTER_HEARTBEAT.publish(vertx.eventBus(), new NodeHeartbeat(
        membership.self(), config.node().id(),
        config.node().roles().stream().map(role -> role.name().toLowerCase(Locale.ROOT)).sorted().toList(),
        loaded, (int) metrics.inFlight().get(), Instant.now().toString())));
  }
}
