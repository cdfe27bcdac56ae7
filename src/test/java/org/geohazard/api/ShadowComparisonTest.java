package org.geohazard.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.geohazard.analysis.Analysis;
import org.geohazard.analysis.RiskLevel;
import org.geohazard.bus.ShadowSave;
import org.junit.jupiter.api.Test;

class ShadowComparisonTest {

  private static Analysis analysis(RiskLevel flood, double floodProbability, Map<String, Integer> counts) {
    return new Analysis(0.0, floodProbability, RiskLevel.LOW, flood, 0, counts.getOrDefault("flood", 0), counts, 0.5,
        flood, List.of(), 10.0, "m", List.of(), 100, 100, Analysis.Georeference.NONE, 1, Instant.EPOCH);
  }

  private static ShadowSave row(String image, Double servingMs, double candidateMs, Analysis serving, Analysis candidate) {
    return new ShadowSave(image, "cand-2.0", "c".repeat(64), "old-1.0", servingMs, candidateMs, serving, candidate);
  }

  @Test
  void comparesRiskHazardFlagsClassCountsAndModelTime() {
    List<ShadowSave> rows = List.of(
        // both call it a flood, at different levels
        row("a", 10.0, 20.0, analysis(RiskLevel.HIGH, 0.7, Map.of("flood", 2)),
            analysis(RiskLevel.CRITICAL, 0.9, Map.of("flood", 3))),
        // only the candidate flags it
        row("b", 12.0, 22.0, analysis(RiskLevel.LOW, 0.1, Map.of()),
            analysis(RiskLevel.MEDIUM, 0.5, Map.of("flood", 1, "water_body", 2))),
        // neither does, same level
        row("c", 14.0, 30.0, analysis(RiskLevel.LOW, 0.0, Map.of("water_body", 1)),
            analysis(RiskLevel.LOW, 0.0, Map.of())));
    List<JsonObject> reports = ShadowComparison.report(rows);
    assertThat(reports).hasSize(1);
    JsonObject report = reports.get(0);
    assertThat(report.getInteger("images")).isEqualTo(3);
    assertThat(report.getDouble("risk_level_agreement")).isEqualTo(0.3333);
    JsonObject flood = report.getJsonObject("hazards").getJsonObject("flood");
    assertThat(flood.getInteger("serving_flagged")).isEqualTo(1);
    assertThat(flood.getInteger("candidate_flagged")).isEqualTo(2);
    assertThat(flood.getInteger("both_flagged")).isEqualTo(1);
    assertThat(flood.getDouble("agreement")).isEqualTo(0.6667);
    assertThat(report.getJsonObject("hazards").getJsonObject("landslide").getDouble("agreement")).isEqualTo(1.0);
    assertThat(report.getJsonObject("detections_per_class").getJsonObject("flood"))
        .isEqualTo(new JsonObject().put("serving", 2).put("candidate", 4));
    assertThat(report.getJsonObject("detections_per_class").getJsonObject("water_body"))
        .isEqualTo(new JsonObject().put("serving", 1).put("candidate", 2));
    // |0.7-0.9| + |0.1-0.5| + 0 over 3
    assertThat(report.getJsonObject("mean_abs_difference").getDouble("flood_probability")).isEqualTo(0.2);
    JsonObject time = report.getJsonObject("model_ms_per_image");
    assertThat(time.getDouble("serving_median")).isEqualTo(12.0);
    assertThat(time.getDouble("candidate_median")).isEqualTo(22.0);
    assertThat(time.getDouble("candidate_over_serving")).isEqualTo(1.8333);
  }

  @Test
  void oneReportPerCandidateAndNoServingTimeWithoutAReplacedModel() {
    Analysis low = analysis(RiskLevel.LOW, 0.0, Map.of());
    List<JsonObject> reports = ShadowComparison.report(List.of(
        new ShadowSave("a", "x-1", "a".repeat(64), null, null, 5.0, low, low),
        new ShadowSave("b", "y-1", "b".repeat(64), null, null, 7.0, low, low)));
    assertThat(reports).extracting(r -> r.getString("candidate_version")).containsExactly("x-1", "y-1");
    assertThat(reports.get(0).getJsonObject("model_ms_per_image").getValue("serving_median")).isNull();
    assertThat(reports.get(0).getJsonObject("model_ms_per_image").getValue("candidate_over_serving")).isNull();
    assertThat(ShadowComparison.median(List.of(3.0, 1.0, 2.0, 10.0))).isEqualTo(2.5);
  }
}
