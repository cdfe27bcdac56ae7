package org.geohazard.persistence;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.geohazard.bus.UploadDeletion;
import org.geohazard.config.AppConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what is older than the retention settings say ({@code retention.*}): uploads (each as its owner's
 * {@code DELETE} would, {@link UploadDeletions}, then what it leaves outside the database), shadow comparisons,
 * usage rows (they hold client addresses), and alerts that were never public (unverified, rejected).
 *
 * <p>One node at a time: a sweep first takes the MariaDB named lock {@code geohazard.retention} without waiting, on a
 * connection it keeps for the sweep; a node that does not get it skips its turn (the holder is sweeping). Every
 * delete is idempotent anyway (a row deleted twice is deleted once), so a lock lost with its connection costs
 * nothing but a second look. Deletes go in bounded batches, so a first sweep over years of rows never holds long
 * locks; what one sweep leaves, the next takes.
 */
public final class RetentionSweeper {

  private static final Logger LOG = LoggerFactory.getLogger(RetentionSweeper.class);
  static final String LOCK = "geohazard.retention";
  /** Rows one statement deletes; uploads one sweep deletes per batch. */
  static final int BATCH = 1000;
  static final int UPLOAD_BATCH = 100;
  /** Batches of one kind per sweep, so one sweep is bounded. */
  static final int MAX_BATCHES = 50;
  /** What a sweep did, for the node's meter {@code geohazard.retention.sweeps}. */
  static final String SWEPT = "swept";
  static final String LOCK_HELD = "lock_held";

  private final Pool primary;
  private final AppConfig.Retention retention;
  private final UploadDeletions deletions;
  private final Function<UploadDeletion, Future<Void>> leftovers;
  private final Consumer<String> outcomes;

  /**
   * @param leftovers removes what a deleted upload leaves outside the database (its object, cached answers,
   *     every node's memory: {@code api.Erasure#leftovers})
   */
  RetentionSweeper(Pool primary, AppConfig.Retention retention, Function<UploadDeletion, Future<Void>> leftovers) {
    this(primary, retention, leftovers, outcome -> { });
  }

  /** @param outcomes told of each sweep whether it held the turn ({@link #SWEPT}) or not ({@link #LOCK_HELD}) */
  RetentionSweeper(Pool primary, AppConfig.Retention retention, Function<UploadDeletion, Future<Void>> leftovers,
                   Consumer<String> outcomes) {
    this.primary = primary;
    this.retention = retention;
    this.deletions = new UploadDeletions(primary);
    this.leftovers = leftovers;
    this.outcomes = outcomes;
  }

  /**
   * One sweep: how many rows of each kind it deleted (empty when another node held the turn, or nothing is due).
   */
  public Future<Map<String, Integer>> sweep() {
    return primary.getConnection().compose(lockHolder -> lockHolder
        .preparedQuery("SELECT GET_LOCK(?, 0) AS taken").execute(Tuple.of(LOCK))
        .compose(rows -> {
          Integer taken = rows.iterator().next().getInteger("taken");
          if (taken == null || taken != 1) {
            outcomes.accept(LOCK_HELD);
            return Future.succeededFuture(Map.<String, Integer>of());
          }
          outcomes.accept(SWEPT);
          return sweepHoldingTheLock()
              .eventually(() -> lockHolder.preparedQuery("SELECT RELEASE_LOCK(?)").execute(Tuple.of(LOCK)));
        })
        .eventually(lockHolder::close))
        .onSuccess(deleted -> {
          if (deleted.values().stream().anyMatch(n -> n > 0)) {
            LOG.info("retention sweep deleted {}", deleted);
          }
        });
  }

  private Future<Map<String, Integer>> sweepHoldingTheLock() {
    Map<String, Integer> deleted = new LinkedHashMap<>();
    return purge("shadow_rows", retention.shadowDays(),
            "DELETE FROM ml_shadow_predictions WHERE created_at < NOW(3) - INTERVAL ? DAY LIMIT " + BATCH, deleted)
        .compose(v -> purge("usage_rows", retention.usageDays(),
            "DELETE FROM api_usage WHERE created_at < NOW(3) - INTERVAL ? DAY LIMIT " + BATCH, deleted))
        .compose(v -> purge("unverified_alerts", retention.unverifiedAlertDays(), """
            DELETE FROM alerts WHERE state IN ('unverified', 'rejected') AND created_at < NOW(3) - INTERVAL ? DAY
            LIMIT""" + " " + BATCH, deleted))
        .compose(v -> uploads(deleted, 0))
        .map(deleted);
  }

  /** Deletes in batches of {@link #BATCH} until fewer are due (or {@link #MAX_BATCHES}); 0 days: kept. */
  private Future<Void> purge(String kind, int days, String sql, Map<String, Integer> deleted) {
    if (days <= 0) {
      return Future.succeededFuture();
    }
    return purgeBatch(kind, days, sql, deleted, 0);
  }

  private Future<Void> purgeBatch(String kind, int days, String sql, Map<String, Integer> deleted, int batch) {
    return primary.preparedQuery(sql).execute(Tuple.of(days)).compose(rows -> {
      deleted.merge(kind, rows.rowCount(), Integer::sum);
      return rows.rowCount() < BATCH || batch + 1 >= MAX_BATCHES ? Future.succeededFuture()
          : purgeBatch(kind, days, sql, deleted, batch + 1);
    });
  }

  /** Uploads past {@code retention.uploadDays}, each deleted as its owner would, one after another. */
  private Future<Void> uploads(Map<String, Integer> deleted, int batch) {
    if (retention.uploadDays() <= 0) {
      return Future.succeededFuture();
    }
    return primary.preparedQuery("SELECT id FROM uploads WHERE created_at < NOW(3) - INTERVAL ? DAY ORDER BY created_at"
            + " LIMIT " + UPLOAD_BATCH)
        .execute(Tuple.of(retention.uploadDays()))
        .compose(rows -> {
          List<String> ids = new ArrayList<>();
          for (Row row : rows) {
            ids.add(row.getString("id"));
          }
          int before = deleted.getOrDefault("uploads", 0);
          Future<Void> chain = Future.succeededFuture();
          for (String id : ids) {
            chain = chain.compose(v -> deletions.delete(id)
                .compose(gone -> {
                  deleted.merge("uploads", 1, Integer::sum);
                  if (gone.contentDeleted()) {
                    deleted.merge("images", 1, Integer::sum);
                  }
                  return leftovers.apply(gone);
                })
                // Deleted meanwhile by its owner (NOT_FOUND), or a failure this sweep leaves to the next.
                .otherwiseEmpty());
          }
          // A batch that deleted nothing (the database failing each) ends the sweep rather than asking again.
          return chain.compose(v -> ids.size() < UPLOAD_BATCH || batch + 1 >= MAX_BATCHES
              || deleted.getOrDefault("uploads", 0) == before ? Future.succeededFuture() : uploads(deleted, batch + 1));
        });
  }
}
