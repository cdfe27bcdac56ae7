package org.geohazard.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AnalysisTest {

  private static Analysis madeBy(String joined, List<ModelUse> uses) {
    return new Analysis(0, 0, RiskLevel.LOW, RiskLevel.LOW, 0, 0, Map.of(), 0, RiskLevel.LOW, List.of(), 1, joined,
        uses, 10, 10, Analysis.Georeference.NONE, 1, Instant.EPOCH);
  }

  @Test
  void anAnalysisAnswersOnlyWhileEveryModelThatMadeItIsServed() {
    Analysis both = madeBy("rgb-2;s2-2", List.of(new ModelUse("rgb-2", "rgb", null, null, null),
        new ModelUse("s2-2", "swir_nir_green", new int[] {11, 8, 3}, 10.0, 1.0)));
    assertThat(both.madeBy(Set.of("rgb-2", "s2-2"))).isTrue();
    assertThat(both.madeBy(Set.of("rgb-2", "s2-2", "other"))).isTrue();
    assertThat(both.madeBy(Set.of("rgb-3", "s2-2"))).as("one of its models was upgraded").isFalse();
    assertThat(both.madeBy(Set.of())).as("nothing known yet: trusted").isTrue();
    // Analyses stored before models were listed name only the joined version.
    Analysis old = madeBy("det-1", List.of());
    assertThat(old.madeBy(Set.of("det-1"))).isTrue();
    assertThat(old.madeBy(Set.of("rgb-2"))).isFalse();
    // The same judgement from the JSON a cache holds, without decoding it.
    assertThat(Analysis.madeBy(both.toJson(), Set.of("rgb-2", "s2-2"))).isTrue();
    assertThat(Analysis.madeBy(both.toJson(), Set.of("rgb-3", "s2-2"))).isFalse();
    assertThat(Analysis.madeBy(old.toJson(), Set.of("det-1"))).isTrue();
    assertThat(Analysis.madeBy(old.toJson(), Set.of())).isTrue();
  }

  @Test
  void theSameAnalysisReadsTheSameOnEveryNode() {
    java.util.Map<String, Integer> one = new java.util.LinkedHashMap<>();
    one.put("water_body", 1);
    one.put("flood", 3);
    one.put("landslide", 0);
    java.util.Map<String, Integer> other = new java.util.LinkedHashMap<>();
    other.put("landslide", 0);
    other.put("flood", 3);
    other.put("water_body", 1);
    Analysis a = new Analysis(0, 0.9, RiskLevel.LOW, RiskLevel.HIGH, 0, 3, one, 0.9, RiskLevel.HIGH, List.of(), 1,
        "m", List.of(), 10, 10, Analysis.Georeference.NONE, 1, Instant.EPOCH);
    Analysis b = new Analysis(0, 0.9, RiskLevel.LOW, RiskLevel.HIGH, 0, 3, other, 0.9, RiskLevel.HIGH, List.of(), 1,
        "m", List.of(), 10, 10, Analysis.Georeference.NONE, 1, Instant.EPOCH);
    assertThat(a.toJson().encode()).isEqualTo(b.toJson().encode());
    assertThat(a.toJson().getJsonObject("detection_counts").fieldNames())
        .containsExactly("flood", "landslide", "water_body");
  }
}
