package org.geohazard.persistence;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.net.NetClientOptions;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.DatabaseException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.geohazard.bus.Address;
import org.geohazard.bus.Addresses;
import org.geohazard.bus.DatabaseHealth;
import org.geohazard.bus.Done;
import org.geohazard.bus.Failure;
import org.geohazard.bus.FailureException;
import org.geohazard.bus.PredictionSave;
import org.geohazard.bus.PredictionSaved;
import org.geohazard.config.AppConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the MySQL pools (primary for writes, read pool for API queries, which may point at a
 * replica) and answers the {@code persistence.*} addresses, nothing else: what follows a durable
 * result (caches, {@code ml.results}, {@code results.saved}) is the pipeline's, which commits the
 * record's offset only after it.
 */
public final class PersistenceVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(PersistenceVerticle.class);

  private final AppConfig.Db db;
  private final int claimGraceSeconds;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private Pool primary;
  private Pool reads;

  private final boolean anonymousPublishes;

  /**
   * @param claimGraceSeconds after this long unqueued, a pending image's claim counts as lost
   * @param anonymousPublishes alerts from anonymous uploads are published at once ({@code publish} in
   *     {@code security.anonymousScopes}); otherwise they are held unverified
   */
  public PersistenceVerticle(AppConfig.Db db, int claimGraceSeconds, boolean anonymousPublishes) {
    this.db = db;
    this.claimGraceSeconds = claimGraceSeconds;
    this.anonymousPublishes = anonymousPublishes;
  }

  @Override
  public Future<?> start() {
    primary = pool(db.host(), db.port(), db.poolSize());
    reads = db.hasReplica() ? pool(db.replicaHost(), db.replicaPort(), db.poolSize()) : primary;
    ImageStore images = new ImageStore(primary, reads, claimGraceSeconds);
    BatchStore batches = new BatchStore(primary, reads);
    AlertStore alerts = new AlertStore(primary, reads, anonymousPublishes);
    ApiKeyStore keys = new ApiKeyStore(primary, reads);
    WebhookStore webhooks = new WebhookStore(primary, reads);
    consume(Addresses.PERSISTENCE_IMAGES_REGISTER, images::register);
    ShadowStore shadows = new ShadowStore(primary, reads);
    consume(Addresses.PERSISTENCE_IMAGES_GET, query -> images.result(query)
        .map(found -> found.orElseThrow(() -> notFound(query.modelVersion() == null
            ? "no image with id " + query.imageId()
            : "no analysis of image " + query.imageId() + " by model " + query.modelVersion()))));
    consume(Addresses.PERSISTENCE_IMAGES_REQUEUE, images::reanalyse);
    consume(Addresses.PERSISTENCE_IMAGES_ANALYSES, query -> images.analyses(query.imageId()));
    consume(Addresses.PERSISTENCE_SHADOW_SAVE, save -> shadows.save(save).map(v -> new Done()));
    consume(Addresses.PERSISTENCE_SHADOW_LIST, shadows::list);
    UsageStore usage = new UsageStore(primary, reads);
    consume(Addresses.PERSISTENCE_USAGE_RECORD, batch -> usage.record(batch).map(v -> new Done()));
    consume(Addresses.PERSISTENCE_USAGE_QUERY, usage::hours);
    consume(Addresses.PERSISTENCE_IMAGES_START, images::start);
    consume(Addresses.PERSISTENCE_IMAGES_RENEW, leases -> images.renew(leases).map(v -> new Done()));
    consume(Addresses.PERSISTENCE_IMAGES_STATUS, change -> images.updateStatus(change).map(v -> new Done()));
    consume(Addresses.PERSISTENCE_IMAGES_QUEUED, queued -> images.markQueued(queued.imageIds()).map(v -> new Done()));
    consume(Addresses.PERSISTENCE_IMAGES_LOST_CLAIMS, images::lostClaims);
    consume(Addresses.PERSISTENCE_PREDICTIONS_SAVE, save -> savePrediction(images, save));
    consume(Addresses.PERSISTENCE_BATCHES_CREATE, batch -> batches.create(batch).map(v -> new Done()));
    consume(Addresses.PERSISTENCE_BATCHES_GET, query -> batches.progress(query.batchId())
        .map(found -> found.orElseThrow(() -> notFound("no batch with id " + query.batchId()))));
    consume(Addresses.PERSISTENCE_ALERTS_SAVE, alerts::save);
    consume(Addresses.PERSISTENCE_ALERTS_ACTIVE, alerts::active);
    consume(Addresses.PERSISTENCE_ALERTS_GET, query -> alerts.get(query.alertId())
        .map(found -> found.orElseThrow(() -> notFound("no alert with id " + query.alertId()))));
    consume(Addresses.PERSISTENCE_ALERTS_HISTORY, alerts::history);
    consume(Addresses.PERSISTENCE_ALERTS_TRANSITION, change -> alerts.transition(change)
        .map(found -> found.orElseThrow(() -> notFound("no alert with id " + change.alertId()))));
    consume(Addresses.PERSISTENCE_API_KEYS_FIND, query -> keys.find(query.keyHash()));
    consume(Addresses.PERSISTENCE_API_KEYS_ADMIN, keys::admin);
    consume(Addresses.PERSISTENCE_WEBHOOKS_CREATE, webhooks::create);
    consume(Addresses.PERSISTENCE_WEBHOOKS_LIST, webhooks::list);
    consume(Addresses.PERSISTENCE_WEBHOOKS_DELETE, delete -> webhooks.delete(delete).map(v -> new Done()));
    consume(Addresses.PERSISTENCE_WEBHOOKS_DELIVERED, outcome -> webhooks.delivered(outcome).map(v -> new Done()));
    consume(Addresses.PERSISTENCE_WEBHOOKS_DELIVERIES, webhooks::deliveries);
    consume(Addresses.PERSISTENCE_HEALTH, query -> {
      long start = System.nanoTime();
      return primary.query("SELECT 1").execute().map(rows -> new DatabaseHealth((System.nanoTime() - start) / 1e6));
    });
    // The schema is migrated before the addresses answer anything that needs it; a node that cannot
    // reach the database at start-up still starts (readiness reports it) and retries on use.
    return SchemaMigrations.migrate(vertx, db)
        .onSuccess(result -> LOG.info("schema of {}:{}/{} at version {} ({} migration(s) applied)", db.host(), db.port(),
            db.name(), result.targetSchemaVersion == null ? result.initialSchemaVersion : result.targetSchemaVersion,
            result.migrationsExecuted))
        .recover(error -> {
          LOG.warn("could not apply the schema at start-up ({}); will serve once the database is back",
              error.getMessage());
          return Future.succeededFuture();
        });
  }

  private Pool pool(String host, int port, int size) {
    MySQLConnectOptions connect = DbConnect.options(db, host, port)
        .setCharset("utf8mb4")
        .setCachePreparedStatements(true);
    PoolOptions options = new PoolOptions().setMaxSize(size).setMaxWaitQueueSize(1024)
        .setConnectionTimeout(5).setShared(false);
    // A short connect timeout: when the database is away, callers get 503 in seconds, not minutes.
    return MySQLBuilder.pool().with(options).with(new NetClientOptions().setConnectTimeout(3000))
        .connectingTo(connect).using(vertx).build();
  }

  private static Future<PredictionSaved> savePrediction(ImageStore images, PredictionSave save) {
    return images.savePrediction(save.imageId(), save.analysis())
        .recover(error -> ImageStore.isMissingParent(error)
            ? Future.failedFuture(new FailureException(Failure.NOT_FOUND, "image " + save.imageId() + " is not registered"))
            : Future.failedFuture(error));
  }

  /** A database error means "unavailable" to callers: they retry, or answer 503. */
  private <Q, A> void consume(Address<Q, A> address, Function<Q, Future<A>> handler) {
    consumers.add(address.consume(vertx.eventBus(), request -> handler.apply(request).recover(error -> {
      if (error instanceof FailureException) {
        return Future.failedFuture(error);
      }
      LOG.warn("{} failed: {}", address.name(), error.toString());
      if (isBadValue(error)) {
        // A value the schema cannot hold got past the API's checks: the caller's input, not an outage.
        return Future.failedFuture(new FailureException(Failure.BAD_REQUEST, "a value is too long or malformed to store"));
      }
      // The driver's text stays in the log: it can name tables, columns and hosts.
      return Future.failedFuture(new FailureException(Failure.UNAVAILABLE, "database unavailable; retry later"));
    }), Failure.UNAVAILABLE));
  }

  /** MySQL/MariaDB: data too long (1406), incorrect value for a column (1366), out of range (1264), bad date (1292). */
  static boolean isBadValue(Throwable error) {
    return error instanceof DatabaseException db
        && Set.of(1406, 1366, 1264, 1292).contains(db.getErrorCode());
  }

  private static FailureException notFound(String message) {
    return new FailureException(Failure.NOT_FOUND, message);
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
