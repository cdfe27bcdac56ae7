package org.geohazard.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScopeTest {

  @Test
  void parsesAndFormatsTheStoredList() {
    assertThat(Scope.parse(" operate, read ,")).containsExactlyInAnyOrder(Scope.OPERATE, Scope.READ);
    assertThat(Scope.format(EnumSet.of(Scope.OPERATE, Scope.READ))).isEqualTo("read,operate");
    assertThat(Scope.parse("")).isEmpty();
    assertThatThrownBy(() -> Scope.parse("read,superuser")).hasMessageContaining("superuser");
  }

  @Test
  void adminGrantsEverythingAndNothingElseGrantsMore() {
    assertThat(Scope.grants(EnumSet.of(Scope.ADMIN), Scope.PUBLISH)).isTrue();
    assertThat(Scope.grants(EnumSet.of(Scope.OPERATE), Scope.PUBLISH)).isFalse();
    assertThat(Scope.firstMissing(EnumSet.of(Scope.READ), List.of(Scope.READ, Scope.OPERATE))).isEqualTo(Scope.OPERATE);
    assertThat(Scope.firstMissing(Scope.DEFAULT, List.of(Scope.READ, Scope.UPLOAD))).isNull();
  }

  @Test
  void alertsArePublishedOnlyFromKeysAllowedTo() {
    assertThat(Publication.publishes(null, null, false, false)).as("anonymous, default").isFalse();
    assertThat(Publication.publishes(null, null, false, true)).as("anonymous where configured").isTrue();
    assertThat(Publication.publishes(7L, "read,upload", true, true)).as("key without publish").isFalse();
    assertThat(Publication.publishes(7L, "upload,publish", true, false)).isTrue();
    assertThat(Publication.publishes(7L, "admin", true, false)).isTrue();
    assertThat(Publication.publishes(7L, "upload,publish", false, false)).as("revoked or expired key").isFalse();
    assertThat(Publication.publishes(7L, null, true, true)).as("key row gone").isFalse();
  }
}
