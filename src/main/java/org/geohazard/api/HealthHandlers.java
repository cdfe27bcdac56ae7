package org.geohazard.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.geohazard.auth.Scope;
import org.geohazard.bus.Addresses;
import org.geohazard.bus.HealthQuery;
import org.geohazard.bus.ImageService;
import org.geohazard.bus.ServiceBus;
import org.geohazard.cache.RedisCache;
import org.geohazard.config.AppConfig;
import org.geohazard.messaging.KafkaPublisher;
import org.geohazard.metrics.NodeMetrics;
import org.geohazard.storage.ObjectStore;

/**
 * Health from real checks, each with a deadline: a database round trip, a Redis PING, Kafka metadata,
 * an object-store HEAD and the loaded model. The database and Kafka are required (uploads cannot be
 * accepted without them: readiness fails and the node reports unhealthy); Redis and the object store
 * degrade the node; the model is required only on nodes that run inference.
 */
final class HealthHandlers {

  static final long CHECK_TIMEOUT_MS = 2000;
  static final String VERSION = HealthHandlers.class.getPackage().getImplementationVersion() == null
      ? "dev" : HealthHandlers.class.getPackage().getImplementationVersion();

  private record Check(String status, Double latencyMs, String message) {
    JsonObject toJson() {
      return new JsonObject().put("status", status).put("latency_ms", latencyMs).put("message", message);
    }

    /**
     * What a caller without an {@code operate} key sees: the status, not the text of the error (which names hosts,
     * ports, users and versions of the dependencies).
     */
    Check redacted() {
      return status.equals("down") && message != null ? new Check(status, latencyMs, null) : this;
    }

    boolean up() {
      return !status.equals("down");
    }
  }

  private final Vertx vertx;
  private final AppConfig config;
  private final RedisCache cache;
  private final ObjectStore objectStore;
  private final KafkaPublisher publisher;
  private final NodeMetrics metrics;
  /** Each dependency checked at most once a second (and once at a time) however often anyone asks. */
  private final RecentAnswer<Check> database;
  private final RecentAnswer<Check> redis;
  private final RecentAnswer<Check> kafka;
  private final RecentAnswer<Check> store;
  private final RecentAnswer<Check> model;

  HealthHandlers(Vertx vertx, AppConfig config, RedisCache cache, ObjectStore objectStore, KafkaPublisher publisher,
                 NodeMetrics metrics) {
    this.vertx = vertx;
    this.config = config;
    this.cache = cache;
    this.objectStore = objectStore;
    this.publisher = publisher;
    this.metrics = metrics;
    this.database = recent(this::databaseCheck);
    this.redis = recent(() -> timed(() -> cache.ping().mapEmpty()));
    this.kafka = recent(() -> timed(() -> publisher.partitionCount(config.kafka().topicProcess()).mapEmpty()));
    this.store = recent(() -> timed(objectStore::ping));
    this.model = recent(this::modelCheck);
  }

  private static RecentAnswer<Check> recent(Supplier<Future<Check>> check) {
    return new RecentAnswer<>(check, TimeUnit.SECONDS.toNanos(1), System::nanoTime);
  }

  void health(RoutingContext ctx) {
    Future<Check> database = this.database.get();
    Future<Check> redis = this.redis.get();
    Future<Check> kafka = this.kafka.get();
    Future<Check> store = this.store.get();
    Future<Check> model = this.model.get();
    boolean detail = ContractSecurity.keyGrants(ctx, Scope.OPERATE);
    Future.join(database, redis, kafka, store, model).onComplete(done -> {
      boolean required = database.result().up() && kafka.result().up() && model.result().up();
      boolean optional = redis.result().up() && store.result().up();
      String status = !required ? "unhealthy" : optional ? "healthy" : "degraded";
      JsonArray roles = new JsonArray();
      config.node().roles().forEach(role -> roles.add(role.name().toLowerCase(Locale.ROOT)));
            JsonObject body = new JsonObject()
          .put("status", status)
          .put("timestamp", Instant.now().toString())
          .put("version", VERSION)
          .put("node_id", config.node().id())
          .put("roles", roles)
          .put("uptime_seconds", metrics.uptimeSeconds())
          .put("dependencies", new JsonObject()
              .put("database", shown(database.result(), detail).toJson())
              .put("redis", shown(redis.result(), detail).toJson())
              .put("kafka", shown(kafka.result(), detail).toJson())
              .put("object_store", shown(store.result(), detail).toJson())
              .put("model", shown(model.result(), detail).toJson()))
          .put("performance", new JsonObject()
              .put("images_processed", metrics.processedCount())
              .put("images_failed", metrics.failedCount())
              .put("avg_processing_time_ms", Math.round(metrics.averageProcessingMs() * 100) / 100.0)
              .put("avg_inference_batch_size", Math.round(metrics.averageBatchSize() * 100) / 100.0)
              .put("requests_total", metrics.requestsTotal())
              .put("cache_hits", cache.hits())
              .put("cache_misses", cache.misses())
              .put("queue_in_flight", metrics.inFlight().get()));
      QueryHandlers.json(ctx, status.equals("unhealthy") ? 503 : 200, body);
    });
  }

  void live(RoutingContext ctx) {
    QueryHandlers.json(ctx, 200, new JsonObject().put("status", "UP"));
  }

  void ready(RoutingContext ctx) {
    Future<Check> database = this.database.get();
    Future<Check> kafka = this.kafka.get();
    Future<Check> model = this.model.get();
    boolean detail = ContractSecurity.keyGrants(ctx, Scope.OPERATE);
    Future.join(database, kafka, model).onComplete(done -> {
      boolean ready = database.result().up() && kafka.result().up() && model.result().up();
      JsonObject checks = new JsonObject()
          .put("database", readiness(shown(database.result(), detail)))
          .put("kafka", readiness(shown(kafka.result(), detail)))
          .put("model", readiness(shown(model.result(), detail)));
      QueryHandlers.json(ctx, ready ? 200 : 503,
          new JsonObject().put("status", ready ? "UP" : "DOWN").put("checks", checks));
    });
  }

  private static Check shown(Check check, boolean detail) {
    return detail ? check : check.redacted();
  }

  private static JsonObject readiness(Check check) {
    JsonObject json = new JsonObject().put("status", check.up() ? "UP" : "DOWN");
    if (check.message() != null) {
      json.put("message", check.message());
    }
    return json;
  }

  private Future<Check> modelCheck() {
    if (!config.node().runs(AppConfig.Role.INFERENCE)) {
      return Future.succeededFuture(new Check("disabled", null, "this node does not run inference"));
    }
    return timed(() -> Addresses.INFERENCE_HEALTH.request(vertx.eventBus(), new HealthQuery(),
        new DeliveryOptions().setSendTimeout(CHECK_TIMEOUT_MS)).mapEmpty());
  }

  private Future<Check> databaseCheck() {
    return timed(() -> ServiceBus.client(vertx.eventBus(), ImageService.class,
        new DeliveryOptions().setSendTimeout(CHECK_TIMEOUT_MS)).ping().mapEmpty());
  }

  /** Runs one check with a deadline; always completes, with "down" and the reason on failure. */
  private Future<Check> timed(Supplier<Future<Void>> check) {
    long start = System.nanoTime();
    Future<Void> attempt;
    try {
      attempt = check.get();
    } catch (RuntimeException e) {
      attempt = Future.failedFuture(e);
    }
    return attempt.timeout(CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .map(v -> new Check("up", Math.round((System.nanoTime() - start) / 1e4) / 100.0, null))
        .otherwise(error -> new Check("down", null, error.getMessage() == null ? error.toString() : error.getMessage()));
  }
}
