package org.geohazard.persistence;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.geohazard.alerts.AlertDraft;
import org.geohazard.bus.Addresses;
import org.geohazard.bus.Failure;
import org.geohazard.cache.CacheKeys;
import org.geohazard.config.AppConfig;
import org.geohazard.node.NodeServices;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the MySQL pools (primary for writes, read pool for API queries, which may point at a
 * replica) and answers the {@code persistence.*} addresses. After an analysis is durable it also
 * refreshes the Redis entries, sends {@code ml.results} and publishes {@code results.saved}; only
 * then does it reply, so the pipeline commits its offset after everything downstream has the result.
 */
public final class PersistenceVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(PersistenceVerticle.class);

  private final NodeServices services;
  private final AppConfig config;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private Pool primary;
  private Pool reads;
  private ImageStore images;
  private AlertStore alerts;

  public PersistenceVerticle(NodeServices services) {
    this.services = services;
    this.config = services.config();
  }

  @Override
  public Future<?> start() {
    AppConfig.Db db = config.db();
    primary = pool(db.host(), db.port(), db.poolSize());
    reads = db.hasReplica() ? pool(db.replicaHost(), db.replicaPort(), db.poolSize()) : primary;
    images = new ImageStore(primary, reads);
    alerts = new AlertStore(primary, reads);
    consume(Addresses.PERSISTENCE_IMAGES_REGISTER, images::register);
    consume(Addresses.PERSISTENCE_IMAGES_GET, body -> images.result(body.getString("image_id"))
        .compose(found -> found.<Future<JsonObject>>map(Future::succeededFuture)
            .orElseGet(() -> notFound("no image with id " + body.getString("image_id")))));
    consume(Addresses.PERSISTENCE_IMAGES_STATUS, body -> images.updateStatus(body.getString("image_id"),
        body.getString("status"), body.getInteger("attempts", 0), body.getString("reason"))
        .map(v -> new JsonObject()));
    consume(Addresses.PERSISTENCE_PREDICTIONS_SAVE, this::savePrediction);
    consume(Addresses.PERSISTENCE_BATCHES_CREATE, body -> images.createBatch(body.getString("batch_id"),
        body.getJsonArray("items")).map(v -> new JsonObject()));
    consume(Addresses.PERSISTENCE_BATCHES_GET, body -> images.batch(body.getString("batch_id"))
        .compose(found -> found.<Future<JsonObject>>map(Future::succeededFuture)
            .orElseGet(() -> notFound("no batch with id " + body.getString("batch_id")))));
    consume(Addresses.PERSISTENCE_ALERTS_SAVE, body -> alerts.save(AlertDraft.fromJson(body)));
    consume(Addresses.PERSISTENCE_ALERTS_ACTIVE, body -> alerts.active(body.getDouble("latitude"),
        body.getDouble("longitude"), body.getDouble("radius_km"), body.getInteger("limit"))
        .map(list -> new JsonObject().put("alerts", list)));
    consume(Addresses.PERSISTENCE_API_KEYS_FIND, body -> images.apiKey(body.getString("key_hash"))
        .map(found -> new JsonObject().put("key", found.orElse(null))));
    consume(Addresses.PERSISTENCE_HEALTH, body -> {
      long start = System.nanoTime();
      return primary.query("SELECT 1").execute()
          .map(rows -> new JsonObject().put("latency_ms", (System.nanoTime() - start) / 1e6));
    });
    // The schema is applied before the addresses answer anything that needs it; a node that cannot
    // reach the database at start-up still starts (readiness reports it) and retries on use.
    return SchemaMigrator.apply(primary)
        .onSuccess(v -> LOG.info("schema applied to {}:{}/{}", db.host(), db.port(), db.name()))
        .recover(error -> {
          LOG.warn("could not apply the schema at start-up ({}); will serve once the database is back",
              error.getMessage());
          return Future.succeededFuture();
        });
  }

  private Pool pool(String host, int port, int size) {
    AppConfig.Db db = config.db();
    MySQLConnectOptions connect = new MySQLConnectOptions()
        .setHost(host).setPort(port).setDatabase(db.name()).setUser(db.user()).setPassword(db.password())
        .setCharset("utf8mb4")
        .setCachePreparedStatements(true);
    PoolOptions options = new PoolOptions().setMaxSize(size).setMaxWaitQueueSize(1024)
        .setConnectionTimeout(5).setShared(false);
    // A short connect timeout: when the database is away, callers get 503 in seconds, not minutes.
    return MySQLBuilder.pool().with(options).with(new NetClientOptions().setConnectTimeout(3000))
        .connectingTo(connect).using(vertx).build();
  }

  private Future<JsonObject> savePrediction(JsonObject body) {
    String imageId = body.getString("image_id");
    String sha256 = body.getString("sha256");
    JsonObject analysis = body.getJsonObject("analysis");
    return images.savePrediction(imageId, analysis)
        .recover(error -> ImageStore.isMissingParent(error)
            ? Future.failedFuture(new FailureException(Failure.NOT_FOUND, "image " + imageId + " is not registered"))
            : Future.failedFuture(error))
        .compose(saved -> {
          JsonObject document = saved.result();
          AppConfig.Redis redis = config.redis();
          JsonObject cached = new JsonObject().put("image_id", imageId).put("analysis", document.getJsonObject("analysis"));
          Future<Void> cacheWrites = Future.all(
              services.cache().setJson(CacheKeys.analysis(sha256), cached, redis.analysisTtlSeconds()),
              services.cache().setJson(CacheKeys.result(imageId), document, redis.resultTtlSeconds())).mapEmpty();
          JsonObject event = new JsonObject().put("v", 1).put("image_id", imageId).put("sha256", sha256)
              .put("latitude", body.getDouble("latitude")).put("longitude", body.getDouble("longitude"))
              .put("gsd_m", body.getDouble("gsd_m")).put("analysis", document.getJsonObject("analysis"));
          // ml.results must carry every stored result: if the broker refuses, the caller retries and the
          // idempotent insert above makes the retry cheap. Cache and topic are written side by side.
          Future<Void> sent = services.publisher().send(config.kafka().topicResults(), imageId, event);
          return Future.all(cacheWrites, sent)
              .map(v -> {
                vertx.eventBus().publish(Addresses.RESULTS_SAVED, event);
                return new JsonObject().put("stored", saved.stored());
              });
        });
  }

  private void consume(String address, Function<JsonObject, Future<?>> handler) {
    consumers.add(vertx.eventBus().<JsonObject>consumer(address, message -> answer(message, handler)));
  }

  private void answer(Message<JsonObject> message, Function<JsonObject, Future<?>> handler) {
    Future<?> reply;
    try {
      reply = handler.apply(message.body());
    } catch (RuntimeException e) {
      reply = Future.failedFuture(new FailureException(Failure.BAD_REQUEST, e.getMessage()));
    }
    reply.onSuccess(message::reply).onFailure(error -> {
      if (error instanceof FailureException failure) {
        message.fail(failure.failure().code(), failure.getMessage());
      } else {
        LOG.warn("{} failed: {}", message.address(), error.toString());
        message.fail(Failure.UNAVAILABLE.code(), "database unavailable: " + error.getMessage());
      }
    });
  }

  private static <T> Future<T> notFound(String message) {
    return Future.failedFuture(new FailureException(Failure.NOT_FOUND, message));
  }

  @Override
  public Future<?> stop() {
    List<Future<?>> closing = new ArrayList<>();
    consumers.forEach(c -> closing.add(c.unregister()));
    closing.add(primary.close());
    if (reads != primary) {
      closing.add(reads.close());
    }
    return Future.join(closing);
  }
}
