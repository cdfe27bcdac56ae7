package org.geohazard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AccessTest {

  private static final String TOKEN = "admin-token-0123456789";
  private static final Access DEFAULTS = new Access(Scope.DEFAULT, TOKEN);

  private static Access.Alternative key(Scope... scopes) {
    return new Access.Alternative(false, false, scopes.length == 0 ? Set.of() : EnumSet.of(scopes[0], scopes));
  }

  private static final Access.Alternative ANONYMOUS = new Access.Alternative(true, false, null);
  private static final Access.Alternative ADMIN_TOKEN = new Access.Alternative(false, true, null);

  private static Access.Caller withKey(Scope... scopes) {
    return new Access.Caller(scopes.length == 0 ? Set.of() : EnumSet.of(scopes[0], scopes), null);
  }

  private static final Access.Caller NOBODY = new Access.Caller(null, null);

  @Test
  void aKeyNeedsTheDeclaredScope() {
    List<Access.Alternative> operate = List.of(key(Scope.OPERATE));
    assertThat(DEFAULTS.decide(operate, withKey(Scope.OPERATE)).allowed()).isTrue();
    Access.Decision refused = DEFAULTS.decide(operate, withKey(Scope.READ, Scope.UPLOAD));
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.code()).isEqualTo("insufficient_scope");
    assertThat(refused.message()).contains("'operate'").contains("read,upload");
  }

  @Test
  void adminHoldsEveryScope() {
    assertThat(DEFAULTS.decide(List.of(key(Scope.OPERATE)), withKey(Scope.ADMIN)).allowed()).isTrue();
    assertThat(DEFAULTS.decide(List.of(key(Scope.PUBLISH)), withKey(Scope.ADMIN)).allowed()).isTrue();
  }

  @Test
  void aKeyWithoutTheScopeIsNotServedAsAnonymousInstead() {
    // Reading may be anonymous, but a key that may only upload is that key, not an anonymous caller.
    Access.Decision decision = DEFAULTS.decide(List.of(key(Scope.READ), ANONYMOUS), withKey(Scope.UPLOAD));
    assertThat(decision.allowed()).isFalse();
    assertThat(decision.code()).isEqualTo("insufficient_scope");
  }

  @Test
  void anonymousCallersGetWhatTheDeploymentGrants() {
    List<Access.Alternative> read = List.of(key(Scope.READ), ANONYMOUS);
    assertThat(DEFAULTS.decide(read, NOBODY).allowed()).isTrue();
    Access closed = new Access(Set.of(), TOKEN);
    Access.Decision refused = closed.decide(read, NOBODY);
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.code()).isEqualTo("api_key_required");
    assertThat(refused.message()).contains("'read'");
    // No empty alternative in the contract: a key is required whatever the deployment grants.
    assertThat(new Access(EnumSet.of(Scope.READ, Scope.UPLOAD, Scope.PUBLISH), TOKEN)
        .decide(List.of(key(Scope.READ)), NOBODY).code()).isEqualTo("api_key_required");
  }

  @Test
  void theUnscopedDefaultLetsAnyoneIn() {
    List<Access.Alternative> open = List.of(key(), ANONYMOUS);
    assertThat(new Access(Set.of(), TOKEN).decide(open, NOBODY).allowed()).isTrue();
    assertThat(DEFAULTS.decide(open, withKey()).allowed()).isTrue();
  }

  @Test
  void adminOperationsTakeTheTokenOrAnAdminKey() {
    List<Access.Alternative> admin = List.of(ADMIN_TOKEN, key(Scope.ADMIN));
    assertThat(DEFAULTS.decide(admin, new Access.Caller(null, TOKEN)).allowed()).isTrue();
    assertThat(DEFAULTS.decide(admin, withKey(Scope.ADMIN)).allowed()).isTrue();
    assertThat(DEFAULTS.decide(admin, withKey(Scope.OPERATE)).code()).isEqualTo("insufficient_scope");
    assertThat(DEFAULTS.decide(admin, NOBODY).code()).isEqualTo("admin_token_required");
    Access.Decision wrong = DEFAULTS.decide(admin, new Access.Caller(null, TOKEN + "x"));
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.code()).isEqualTo("admin_token_required");
    Access noToken = new Access(Scope.DEFAULT, "");
    assertThat(noToken.decide(admin, new Access.Caller(null, "anything-at-all-16")).code()).isEqualTo("admin_disabled");
    assertThat(noToken.decide(admin, new Access.Caller(null, "")).code()).isEqualTo("admin_token_required");
  }
}
