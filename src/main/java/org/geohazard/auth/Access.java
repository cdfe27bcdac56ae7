package org.geohazard.auth;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * Who may call an operation, decided from what the contract declares for it (its security requirements, each an
 * alternative) and what the caller brought. Pure: {@code api.ContractSecurity} reads the requirements from
 * {@code openapi.yaml} and the caller from admission, and sends the error this returns.
 *
 * <p>Rules. A caller that sends a key is that key: it needs the scopes of an {@code ApiKeyAuth} alternative, and is
 * never treated as anonymous (a key lacking a scope gets {@code 403 insufficient_scope}, not the anonymous
 * rights). A caller without a key passes an operation that has an empty alternative ({@code {}}) when the
 * deployment grants anonymous callers the scopes of its key alternative ({@code security.anonymousScopes}). The
 * admin token passes an {@code AdminToken} alternative.
 */
public final class Access {

  /**
   * One alternative of an operation's {@code security} list.
   *
   * @param anonymous the empty requirement {@code {}}
   * @param adminToken names the {@code AdminToken} scheme
   * @param keyScopes the scopes of its {@code ApiKeyAuth} entry; null when it does not name that scheme
   */
  public record Alternative(boolean anonymous, boolean adminToken, Set<Scope> keyScopes) {
    public Alternative {
      keyScopes = keyScopes == null ? null : Set.copyOf(keyScopes);
    }
  }

  /**
   * What the request brought.
   *
   * @param keyScopes the scopes of the key it sent (already looked up and valid); null without a key
   * @param adminToken the {@code X-Admin-Token} value sent, or null
   */
  public record Caller(Set<Scope> keyScopes, String adminToken) {
    public boolean hasKey() {
      return keyScopes != null;
    }
  }

  /** The answer: allowed, or refused with the HTTP status and the stable error code and message to send. */
  public record Decision(boolean allowed, int status, String code, String message) {
    static final Decision ALLOW = new Decision(true, 200, null, null);

    static Decision deny(int status, String code, String message) {
      return new Decision(false, status, code, message);
    }
  }

  private final Set<Scope> anonymousScopes;
  private final byte[] adminToken;

  /**
   * @param anonymousScopes what a caller without a key is granted where the contract lets it be anonymous
   * @param adminToken the configured admin token; blank: the admin token opens nothing
   */
  public Access(Set<Scope> anonymousScopes, String adminToken) {
    this.anonymousScopes = Set.copyOf(anonymousScopes);
    this.adminToken = adminToken == null ? new byte[0] : adminToken.getBytes(StandardCharsets.UTF_8);
  }

  public Decision decide(List<Alternative> alternatives, Caller caller) {
    if (alternatives.isEmpty()) {
      return Decision.ALLOW;
    }
    boolean tokenSent = caller.adminToken() != null && !caller.adminToken().isEmpty();
    boolean tokenAccepted = false;
    Scope missing = null;
    for (Alternative alternative : alternatives) {
      if (alternative.adminToken() && tokenSent && adminTokenMatches(caller.adminToken())) {
        return Decision.ALLOW;
      }
      tokenAccepted |= alternative.adminToken();
      if (alternative.keyScopes() != null) {
        Scope lacking = Scope.firstMissing(caller.hasKey() ? caller.keyScopes() : anonymousScopes,
            alternative.keyScopes());
        if (caller.hasKey() && lacking == null) {
          return Decision.ALLOW;
        }
        if (!caller.hasKey() && lacking == null && alternatives.stream().anyMatch(Alternative::anonymous)) {
          return Decision.ALLOW;
        }
        missing = missing == null ? lacking : missing;
      }
      if (alternative.anonymous() && !caller.hasKey() && alternatives.stream().noneMatch(a -> a.keyScopes() != null)) {
        return Decision.ALLOW;
      }
    }
    if (tokenSent && tokenAccepted) {
      return adminToken.length == 0
          ? Decision.deny(403, "admin_disabled", "admin calls by token are off on this node (http.adminToken is not set)")
          : Decision.deny(401, "admin_token_required", "the X-Admin-Token sent is not the admin token");
    }
    boolean keyAccepted = alternatives.stream().anyMatch(a -> a.keyScopes() != null);
    if (!caller.hasKey() && tokenAccepted) {
      // The admin operations keep the code they always had for a caller that brought nothing.
      return Decision.deny(401, "admin_token_required", "this call needs the admin token in X-Admin-Token"
          + (keyAccepted ? " or an API key with the scope '" + (missing == null ? Scope.ADMIN : missing).wireName()
          + "' in X-API-Key" : ""));
    }
    if (caller.hasKey() && keyAccepted) {
      return Decision.deny(403, "insufficient_scope", "this operation needs an API key with the scope '"
          + (missing == null ? Scope.ADMIN : missing).wireName() + "'; this key has "
          + (caller.keyScopes().isEmpty() ? "none" : "'" + Scope.format(caller.keyScopes()) + "'"));
    }
    if (keyAccepted) {
      return Decision.deny(401, "api_key_required", "this operation needs an API key"
          + (missing == null ? "" : " with the scope '" + missing.wireName() + "'") + " in X-API-Key");
    }
    return Decision.deny(401, "admin_token_required", "this call needs the admin token in X-Admin-Token");
  }

  /** Constant time, so that the token cannot be guessed byte by byte from response times. */
  private boolean adminTokenMatches(String given) {
    return adminToken.length > 0 && MessageDigest.isEqual(adminToken, given.getBytes(StandardCharsets.UTF_8));
  }
}
