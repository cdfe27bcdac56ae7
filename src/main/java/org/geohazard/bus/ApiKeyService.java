package org.geohazard.bus;

import io.vertx.core.Future;
import java.util.List;

/** API keys, as stored (served by persistence); key management is an administrator's. */
@BusService("persistence.apikeys")
public interface ApiKeyService {

  /** The live key with this SHA-256, if any ({@code found} false otherwise). */
  Future<ApiKeyMatch> find(String keyHash);

  /** A new key ({@code expiresAt} ISO-8601, null: never; {@code requestsPerWindow} null: the default budget). */
  Future<ApiKeyRow> create(String keyHash, String name, String scopes, Integer requestsPerWindow, String expiresAt);

  /** Every key, revoked and expired ones included, oldest first. */
  Future<List<ApiKeyRow>> list();

  /** The key refused from now on ({@link Failure.Code#NOT_FOUND} for an unknown id). */
  Future<ApiKeyRow> revoke(long keyId);

  /**
   * A new key ({@code keyHash}) with the old one's name, scopes, budget and expiry; the old one keeps working for
   * {@code overlapSeconds} (or until its own expiry, if sooner). The new key first, the old one second.
   */
  Future<List<ApiKeyRow>> rotate(long keyId, String keyHash, int overlapSeconds);

  /**
   * A short digest of every key's state: it changes when any key is added, revoked, rotated or edited, whether by
   * the API, the command line or by hand in SQL. Nodes poll it to forget the keys they remember.
   */
  Future<String> fingerprint();
}
