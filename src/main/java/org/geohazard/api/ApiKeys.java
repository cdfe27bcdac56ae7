package org.geohazard.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.geohazard.auth.ApiKeyHash;
import org.geohazard.bus.Addresses;
import org.geohazard.bus.ApiKeyQuery;

/**
 * API keys are optional: a request without one is limited by client address. A key is looked up by
 * its SHA-256 (keys are stored hashed); known keys are remembered for a minute per node so that the
 * database is not asked on every request.
 */
public final class ApiKeys {

  /** A known key: its row id, name, its own request budget (null = the default) and what it may do. */
  public record ApiKey(long id, String name, Integer requestsPerWindow, java.util.Set<org.geohazard.auth.Scope> scopes) {}

  private static final long REMEMBER_MS = 60_000;

  private record Remembered(Optional<ApiKey> key, long untilMs) {}

  private final Vertx vertx;
  private final ConcurrentHashMap<String, Remembered> recent = new ConcurrentHashMap<>();

  public ApiKeys(Vertx vertx) {
    this.vertx = vertx;
  }

  public Future<Optional<ApiKey>> find(String presentedKey) {
    String hash = ApiKeyHash.of(presentedKey);
    long now = System.currentTimeMillis();
    Remembered remembered = recent.get(hash);
    if (remembered != null && remembered.untilMs() > now) {
      return Future.succeededFuture(remembered.key());
    }
    return Addresses.PERSISTENCE_API_KEYS_FIND.request(vertx.eventBus(), new ApiKeyQuery(hash))
        .map(match -> {
          Optional<ApiKey> key = !match.found() ? Optional.empty()
              : Optional.of(new ApiKey(match.id(), match.name(), match.requestsPerWindow(),
                  java.util.Set.copyOf(org.geohazard.auth.Scope.parse(match.scopes()))));
          if (recent.size() > 10_000) {
            recent.clear();
          }
          recent.put(hash, new Remembered(key, now + REMEMBER_MS));
          return key;
        });
  }
}
