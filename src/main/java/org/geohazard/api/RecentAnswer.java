package org.geohazard.api;

import io.vertx.core.Future;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One answer shared by every caller for a while: a check anyone may ask for as often as they like (the anonymous
 * health endpoint pings the database, Redis, Kafka, the object store and the model) runs at most once per
 * {@code maxAgeNanos}, and once at a time, whatever the request rate, so that a loop of requests cannot queue work
 * on the pools uploads use. Confined to one event loop (each API verticle instance holds its own), so unsynchronised.
 */
final class RecentAnswer<T> {

  private final Supplier<Future<T>> source;
  private final long maxAgeNanos;
  private final LongSupplier nanoClock;
  private Future<T> last;
  private long startedAt;

  RecentAnswer(Supplier<Future<T>> source, long maxAgeNanos, LongSupplier nanoClock) {
    this.source = source;
    this.maxAgeNanos = maxAgeNanos;
    this.nanoClock = nanoClock;
  }

  /** The running answer, or one started less than the maximum age ago, else a new one. */
  Future<T> get() {
    long now = nanoClock.getAsLong();
    if (last == null || (last.isComplete() && now - startedAt >= maxAgeNanos)) {
      startedAt = now;
      last = source.get();
    }
    return last;
  }
}
