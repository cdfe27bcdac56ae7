package org.geohazard.persistence;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.Optional;
import java.util.function.Function;

/**
 * A lookup by id on the read replica that falls back to the primary when the replica does not have the row
 * yet: an image id an upload has just returned, a batch or alert just made, must not answer 404 while the
 * replica lags. Without a replica both pools are the same and the lookup runs once.
 */
final class ReadYourWrites {

  private ReadYourWrites() {}

  static <T> Future<Optional<T>> byId(Pool reads, Pool primary, Function<Pool, Future<Optional<T>>> lookup) {
    return lookup.apply(reads).compose(found -> found.isPresent() || reads == primary
        ? Future.succeededFuture(found) : lookup.apply(primary));
  }
}
