package org.geohazard.auth;

import java.util.Set;

/**
 * Whether an alert raised from an upload goes out to the public at once, or is held as {@code unverified} until an
 * operator confirms it. Decided from who uploaded the image: a key that still works and holds {@code publish}
 * publishes; an anonymous upload publishes only where the deployment grants anonymous callers {@code publish}
 * ({@code security.anonymousScopes}, not by default). Everything else, a revoked or expired key included, is held.
 */
public final class Publication {

  private Publication() {}

  /**
   * @param uploaderKeyId the key the image was uploaded with; null for an anonymous upload
   * @param uploaderScopes that key's scopes as stored; null when the key row is gone
   * @param keyLive the key is neither revoked nor expired
   * @param anonymousPublishes the deployment grants anonymous callers {@code publish}
   */
  public static boolean publishes(Long uploaderKeyId, String uploaderScopes, boolean keyLive,
                                  boolean anonymousPublishes) {
    if (uploaderKeyId == null) {
      return anonymousPublishes;
    }
    if (uploaderScopes == null || !keyLive) {
      return false;
    }
    Set<Scope> scopes;
    try {
      scopes = Scope.parse(uploaderScopes);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return Scope.grants(scopes, Scope.PUBLISH);
  }
}
