package org.geohazard.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.geohazard.auth.ApiKeyHash;
import org.geohazard.auth.Scope;
import org.geohazard.bus.Addresses;
import org.geohazard.bus.ApiKeyService;
import org.geohazard.bus.Envelope;
import org.geohazard.bus.ServiceBus;

/**
 * API keys are optional: a request without one is limited by client address. A key is looked up by
 * its SHA-256 (keys are stored hashed); answers are remembered for a minute per node so that the
 * database is not asked on every request, never past the key's expiry. A revoked or rotated key is dropped from
 * every node's memory at once ({@code apikeys.evicted}, published by the node that changed it). Nodes that share
 * only the database hear no broadcast, and a key changed by the command line or in SQL is broadcast by no one: so
 * each instance also polls the keys' {@linkplain ApiKeyService#fingerprint fingerprint} every second and forgets
 * everything it remembers when it moves (one small query per second and instance, a revocation anywhere seen
 * within about a second).
 */
public final class ApiKeys {

  /**
   * A known key: its row id, name, its own request budget (null = the default), what it may do, and the tenant what
   * it makes belongs to ({@code auth.Tenancy}).
   */
  public record ApiKey(long id, String name, Integer requestsPerWindow, Set<Scope> scopes, long tenantId) {}

  private static final long REMEMBER_MS = 60_000;
  static final long POLL_MS = 1000;

  private record Remembered(Optional<ApiKey> key, long untilMs) {}

  private final Vertx vertx;
  private final ConcurrentHashMap<String, Remembered> recent = new ConcurrentHashMap<>();
  private final MessageConsumer<Envelope> evictions;
  private final ApiKeyService store;
  /**
   * One more at every eviction: a lookup that started before one is not remembered (it may have read the row as it
   * was before the change).
   */
  private final AtomicLong forgotten = new AtomicLong();
  private final long poll;
  private String fingerprint;
  private boolean polling;

  public ApiKeys(Vertx vertx) {
    this.vertx = vertx;
    this.store = ServiceBus.client(vertx.eventBus(), ApiKeyService.class);
    this.evictions = Addresses.API_KEYS_EVICTED.subscribe(vertx.eventBus(), this::forget);
    this.poll = vertx.setPeriodic(POLL_MS, id -> pollFingerprint());
  }

  /** Drops a key from this node's memory: its next use is looked up again. */
  void forget(String keyHash) {
    forgotten.incrementAndGet();
    recent.remove(keyHash);
  }

  /** Forgets every key when the stored keys changed since the last poll. */
  private void pollFingerprint() {
    if (polling) {
      return; // the last poll is still out (the database is slow): no pile-up
    }
    polling = true;
    store.fingerprint().onComplete(result -> {
      polling = false;
      if (result.failed()) {
        return; // tried again in a second; a key lookup fails the same way meanwhile
      }
      // The first answer clears too: a key remembered before it may have changed since.
      if (!result.result().equals(fingerprint)) {
        forgotten.incrementAndGet();
        recent.clear();
      }
      fingerprint = result.result();
    });
  }

  /** Completes once this node hears evictions (cluster-wide in a cluster). */
  Future<Void> listening() {
    return evictions.completion();
  }

  void close() {
    vertx.cancelTimer(poll);
    evictions.unregister();
  }

  public Future<Optional<ApiKey>> find(String presentedKey) {
    String hash = ApiKeyHash.of(presentedKey);
    long now = System.currentTimeMillis();
    Remembered remembered = recent.get(hash);
    if (remembered != null && remembered.untilMs() > now) {
      return Future.succeededFuture(remembered.key());
    }
    long forgottenBefore = forgotten.get();
    return store.find(hash)
        .map(match -> {
          Optional<ApiKey> key = !match.found() ? Optional.empty()
              : Optional.of(new ApiKey(match.id(), match.name(), match.requestsPerWindow(),
                  Set.copyOf(Scope.parse(match.scopes())), match.tenantId() == null ? match.id() : match.tenantId()));
          if (recent.size() > 10_000) {
            recent.clear();
          }
          long until = now + REMEMBER_MS;
          if (match.found() && match.expiresAt() != null) {
            until = Math.min(until, Instant.parse(match.expiresAt()).toEpochMilli());
          }
          if (forgotten.get() == forgottenBefore) {
            recent.put(hash, new Remembered(key, until));
          }
          return key;
        });
  }
}
