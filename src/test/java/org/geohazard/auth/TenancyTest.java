package org.geohazard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class TenancyTest {

  private static final Tenancy.Viewer TENANT_A = Tenancy.Viewer.of(1L, Set.of(Scope.READ, Scope.UPLOAD));
  private static final Tenancy.Viewer TENANT_B = Tenancy.Viewer.of(2L, Set.of(Scope.READ, Scope.UPLOAD));

  @Test
  void aTenantSeesWhatItMadeAndNoOtherTenantDoes() {
    assertThat(Tenancy.maySee(1L, TENANT_A)).isTrue();
    assertThat(Tenancy.maySee(1L, TENANT_B)).isFalse();
    assertThat(Tenancy.maySee(1L, Tenancy.Viewer.ANONYMOUS)).isFalse();
    assertThat(Tenancy.maySee(1L, Tenancy.Viewer.of(null, null))).isFalse();
  }

  @Test
  void operatorsAndAdministratorsSeeEverything() {
    assertThat(Tenancy.maySee(1L, Tenancy.Viewer.of(3L, Set.of(Scope.READ, Scope.OPERATE)))).isTrue();
    assertThat(Tenancy.maySee(1L, Tenancy.Viewer.of(4L, Set.of(Scope.ADMIN)))).isTrue();
    // publishing is not operating
    assertThat(Tenancy.maySee(1L, Tenancy.Viewer.of(5L, Set.of(Scope.READ, Scope.UPLOAD, Scope.PUBLISH)))).isFalse();
  }

  @Test
  void anAnonymousUploadIsSeenByWhoeverHoldsItsId() {
    assertThat(Tenancy.maySee(null, Tenancy.Viewer.ANONYMOUS)).isTrue();
    assertThat(Tenancy.maySee(null, TENANT_B)).isTrue();
  }
}
