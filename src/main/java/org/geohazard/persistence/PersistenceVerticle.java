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
import java.util.function.Consumer;
import java.util.function.Function;
import org.geohazard.bus.AlertService;
import org.geohazard.bus.ApiKeyService;
import org.geohazard.bus.BatchService;
import org.geohazard.bus.Envelope;
import org.geohazard.bus.Failure;
import org.geohazard.bus.ImageService;
import org.geohazard.bus.ServiceBus;
import org.geohazard.bus.ShadowService;
import org.geohazard.bus.UploadDeletion;
import org.geohazard.bus.UsageService;
import org.geohazard.bus.WebhookService;
import org.geohazard.config.AppConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the MySQL pools (primary for writes, read pool for API queries, which may point at a
 * replica) and serves the stores' interfaces on the bus ({@code persistence.*}: {@link ImageService} and its
 * siblings), nothing else: what follows a durable
 * result (caches, {@code ml.results}, {@code results.saved}) is the pipeline's, which commits the
 * record's offset only after it.
 */
public final class PersistenceVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(PersistenceVerticle.class);

  private final AppConfig.Db db;
  private final int claimGraceSeconds;
  private final List<MessageConsumer<Envelope>> consumers = new ArrayList<>();
  private Pool primary;
  private Pool reads;

  private final boolean anonymousPublishes;
  private final AppConfig.Retention retention;
  private final Consumer<String> sweepOutcomes;
  private final Function<UploadDeletion, Future<Void>> leftovers;
  private long retentionTimer = -1;

  /**
   * @param claimGraceSeconds after this long unqueued, a pending image's claim counts as lost
   * @param anonymousPublishes alerts from anonymous uploads are published at once ({@code publish} in
   *     {@code security.anonymousScopes}); otherwise they are held unverified
   * @param retention what the periodic retention sweep deletes ({@link RetentionSweeper})
   * @param leftovers removes what an upload the sweep deleted leaves outside the database
   * @param sweepOutcomes told what each sweep did ({@code swept}, {@code lock_held}, {@code failed}: the node's meter)
   */
  public PersistenceVerticle(AppConfig.Db db, int claimGraceSeconds, boolean anonymousPublishes,
                             AppConfig.Retention retention, Function<UploadDeletion, Future<Void>> leftovers,
                             Consumer<String> sweepOutcomes) {
    this.db = db;
    this.claimGraceSeconds = claimGraceSeconds;
    this.anonymousPublishes = anonymousPublishes;
    this.retention = retention;
    this.leftovers = leftovers;
    this.sweepOutcomes = sweepOutcomes;
  }

  @Override
  public Future<?> start() {
    primary = pool(db.host(), db.port(), db.poolSize());
    reads = db.hasReplica() ? pool(db.replicaHost(), db.replicaPort(), db.poolSize()) : primary;
    serve(ImageService.class, new ImageStore(primary, reads, claimGraceSeconds));
    serve(BatchService.class, new BatchStore(primary, reads));
    serve(AlertService.class, new AlertStore(primary, reads, anonymousPublishes));
    serve(ApiKeyService.class, new ApiKeyStore(primary, reads));
    serve(WebhookService.class, new WebhookStore(primary, reads));
    serve(ShadowService.class, new ShadowStore(primary, reads));
    serve(UsageService.class, new UsageStore(primary, reads));
    if (retention.sweepIntervalMs() > 0) {
      RetentionSweeper sweeper = new RetentionSweeper(primary, retention, leftovers, sweepOutcomes);
      retentionTimer = vertx.setPeriodic(retention.sweepIntervalMs(), id -> sweeper.sweep()
          .onFailure(error -> {
            sweepOutcomes.accept("failed");
            LOG.warn("retention sweep failed (the next one retries): {}", error.getMessage());
          }));
    }
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

  private <S> void serve(Class<S> service, S store) {
    consumers.addAll(ServiceBus.serve(vertx.eventBus(), service, store, this::meaning));
  }

  /**
   * A database error means "unavailable" to callers: they retry, or answer 503. The log line names the operation
   * that failed ({@code persistence.images.renew}) and the database's error number, so a deadlock (1213) or a lock
   * wait timeout (1205) can be traced to its statement; the caller's failure names the operation too
   * ({@link Failure#operation()}), never the SQL.
   */
  private Failure meaning(String operation, Throwable error) {
    // The driver's exception names the error number and SQL state.
    LOG.warn("{} failed: {}", operation, error.toString());
    if (isBadValue(error)) {
      // A value the schema cannot hold got past the API's checks: the caller's input, not an outage.
      return Failure.invalidRequest("a value is too long or malformed to store");
    }
    // The driver's text stays in the log: it can name tables, columns and hosts.
    return Failure.unavailable("database unavailable; retry later");
  }

  /** MySQL/MariaDB: data too long (1406), incorrect value for a column (1366), out of range (1264), bad date (1292). */
  static boolean isBadValue(Throwable error) {
    return error instanceof DatabaseException db && Set.of(1406, 1366, 1264, 1292).contains(db.getErrorCode());
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(retentionTimer);
    List<Future<?>> closing = new ArrayList<>();
    consumers.forEach(c -> closing.add(c.unregister()));
    closing.add(primary.close());
    if (reads != primary) {
      closing.add(reads.close());
    }
    return Future.join(closing);
  }
}
