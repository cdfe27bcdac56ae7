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
import org.geohazard.bus.NodeReport;
import org.geohazard.messaging.KafkaPublisher;
import org.geohazard.metrics.NodeMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes this node's {@link NodeHeartbeat} every {@link Addresses#HEARTBEAT_INTERVAL_MS}: its roles, the
 * models its inference verticles have loaded (asked of them locally), and its pipeline's work in flight. Every
 * {@code kafka.monitoringIntervalMs} it also sends a {@link NodeReport} (health and throughput) to Kafka's
 * {@code system.monitoring}, for monitoring outside the cluster; a broker that is away only costs that report.
 */
final class Heartbeat {

  private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);

  private final Vertx vertx;
  private final AppConfig config;
  private final NodeMetrics metrics;
  private final Membership membership;
  private final KafkaPublisher publisher;
  private long timer = -1;
  private long reportTimer = -1;

  Heartbeat(Vertx vertx, AppConfig config, NodeMetrics metrics, Membership membership, KafkaPublisher publisher) {
    this.vertx = vertx;
    this.publisher = publisher;
    this.config = config;
    this.metrics = metrics;
    this.membership = membership;
  }

  void start() {
    beat();
    timer = vertx.setPeriodic(Addresses.HEARTBEAT_INTERVAL_MS, id -> beat());
    long every = config.kafka().monitoringIntervalMs();
    if (every > 0) {
      reportTimer = vertx.setPeriodic(every, id -> report());
    }
  }

  void stop() {
    if (timer != -1) {
      vertx.cancelTimer(timer);
    }
    if (reportTimer != -1) {
      vertx.cancelTimer(reportTimer);
    }
  }

  private void report() {
    loadedModels().onSuccess(loaded -> {
      Runtime runtime = Runtime.getRuntime();
      NodeReport report = new NodeReport(config.node().id(), membership.self(), roleNames(), Instant.now().toString(),
          metrics.uptimeSeconds(), metrics.inFlight().get(), metrics.processedCount(), metrics.failedCount(),
          metrics.requestsTotal(), metrics.averageProcessingMs(), runtime.totalMemory() - runtime.freeMemory(),
          runtime.maxMemory(), loaded.stream().filter(m -> !m.shadow()).map(ModelSummary::version).toList());
      publisher.send(config.kafka().topicMonitoring(), config.node().id(), report.toJson())
          .onFailure(error -> LOG.debug("monitoring report not sent: {}", error.getMessage()));
    });
  }

  private Future<List<ModelSummary>> loadedModels() {
    return config.node().runs(AppConfig.Role.INFERENCE)
        ? Addresses.INFERENCE_HEALTH.request(vertx.eventBus(), new HealthQuery()).map(status -> status.models())
            .otherwise(List.of())
        : Future.succeededFuture(List.of());
  }

  private List<String> roleNames() {
    return config.node().roles().stream().map(role -> role.name().toLowerCase(Locale.ROOT)).sorted().toList();
  }

  /** Publishes the heartbeat now (also every interval). */
  void beat() {
    loadedModels().onSuccess(loaded -> Addresses.CLUSTER_HEARTBEAT.publish(vertx.eventBus(), new NodeHeartbeat(
        membership.self(), config.node().id(), roleNames(), loaded.stream().map(ModelSummary::withoutCard).toList(),
        (int) metrics.inFlight().get(), Instant.now().toString())));
  }
}
