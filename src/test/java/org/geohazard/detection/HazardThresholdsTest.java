package org.geohazard.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HazardThresholdsTest {

  @Test
  void readsEachClassesLevelsAndLeavesUnreachableOnesOut() {
    HazardThresholds t = HazardThresholds.fromMetadata(
        "{\"flood\":{\"report\":0.2,\"medium\":0.3,\"high\":0.45},\"landslide\":{\"report\":0.5}}");
    assertThat(t.of("flood")).hasValueSatisfying(f -> {
      assertThat(f.report()).isEqualTo(0.2);
      assertThat(f.high().getAsDouble()).isEqualTo(0.45);
      assertThat(f.critical()).isEmpty();
    });
    assertThat(t.of("landslide").get().medium()).isEmpty();
    assertThat(t.of("water_body")).isEmpty();
    assertThat(HazardThresholds.fromMetadata("")).isEqualTo(HazardThresholds.NONE);
  }

  @Test
  void refusesWhatCannotBeAThreshold() {
    assertThatThrownBy(() -> HazardThresholds.fromMetadata("{\"flood\":{\"medium\":0.3}}"))
        .hasMessageContaining("report");
    assertThatThrownBy(() -> HazardThresholds.fromMetadata("{\"flood\":{\"report\":1.5}}"))
        .hasMessageContaining("(0, 1)");
    assertThatThrownBy(() -> HazardThresholds.fromMetadata("[1]")).isInstanceOf(IllegalArgumentException.class);
  }
}
