package org.geohazard.persistence;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.mysqlclient.MySQLException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.function.Function;
import org.geohazard.retry.Backoff;

/**
 * Transactions that survive being chosen as a deadlock victim. Two alerts saved at once take the merge
 * query's gap locks in opposite orders, and InnoDB answers one of them with error 1213 after rolling it back
 * entirely; the alert benchmark lost one alert in 200 that way. Because the victim's work is undone, running
 * the whole transaction again is safe, and what MariaDB's manual advises. A short random pause first lets the
 * winner finish, so the same pair does not collide again.
 */
final class Transactions {

  /** Deadlock (1213) and lock wait timeout (1205): the transaction was rolled back and may simply run again. */
  private static final int DEADLOCK = 1213;
  private static final int LOCK_WAIT_TIMEOUT = 1205;
  static final int MAX_ATTEMPTS = 6;
  /** Between nothing and 20 ms before the first retry, doubling: up to 320 ms before the fifth. */
  private static final Backoff PAUSE = new Backoff(10, 160, 1.0);

  private Transactions() {}

  static <T> Future<T> run(Pool pool, Function<SqlConnection, Future<T>> work) {
    return attempt(pool, work, 1);
  }

  private static <T> Future<T> attempt(Pool pool, Function<SqlConnection, Future<T>> work, int attempt) {
    return pool.withTransaction(work).recover(error -> {
      if (!retryable(error) || attempt >= MAX_ATTEMPTS) {
        return Future.failedFuture(error);
      }
      Context context = Vertx.currentContext();
      if (context == null) {
        return attempt(pool, work, attempt + 1);
      }
      long pauseMs = 1 + PAUSE.delayMs(attempt);
      Promise<T> retried = Promise.promise();
      context.owner().setTimer(pauseMs, id -> attempt(pool, work, attempt + 1).onComplete(retried));
      return retried.future();
    });
  }

  static boolean retryable(Throwable error) {
    return error instanceof MySQLException mysql
        && (mysql.getErrorCode() == DEADLOCK || mysql.getErrorCode() == LOCK_WAIT_TIMEOUT);
  }
}
