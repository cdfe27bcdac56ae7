package org.geohazard.api;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.geohazard.analysis.Analysis;
import org.geohazard.analysis.AnalysisBuilder;
import org.geohazard.analysis.RiskLevel;
import org.geohazard.bus.ShadowSave;

/**
 * How a candidate model (shadow mode) compares with the serving models on the same images: how often both reach
 * the same risk level, how often each flags each hazard (risk medium or above) and whether they agree on it,
 * detections per class, the mean difference of the hazard probabilities, and the model run time per image of the
 * candidate against the model it would replace (medians). Pure: the rows come from the shadow table.
 */
final class ShadowComparison {

  static final List<String> HAZARDS = List.of(AnalysisBuilder.FLOOD, AnalysisBuilder.LANDSLIDE);

  private ShadowComparison() {}

  /** One report per candidate version, in the order first seen. */
  static List<JsonObject> report(List<ShadowSave> pairs) {
    Map<String, List<ShadowSave>> byCandidate = new LinkedHashMap<>();
    for (ShadowSave pair : pairs) {
      byCandidate.computeIfAbsent(pair.candidateVersion(), v -> new ArrayList<>()).add(pair);
    }
    List<JsonObject> reports = new ArrayList<>();
    byCandidate.forEach((version, rows) -> reports.add(reportOf(version, rows)));
    return reports;
  }

  static JsonObject reportOf(String version, List<ShadowSave> rows) {
    int sameRisk = 0;
    Map<String, int[]> hazards = new LinkedHashMap<>();  // serving flagged, candidate flagged, both, agree
    HAZARDS.forEach(h -> hazards.put(h, new int[4]));
    Map<String, int[]> perClass = new TreeMap<>();
    double floodDiff = 0;
    double landslideDiff = 0;
    List<Double> servingMs = new ArrayList<>();
    List<Double> candidateMs = new ArrayList<>();
    TreeSet<String> replaced = new TreeSet<>();
    TreeSet<String> shas = new TreeSet<>();
    for (ShadowSave row : rows) {
      Analysis s = row.servingAnalysis();
      Analysis c = row.candidateAnalysis();
      if (s.riskLevel() == c.riskLevel()) {
        sameRisk++;
      }
      for (String hazard : HAZARDS) {
        boolean bySs = s.hazardRisk(hazard).atLeast(RiskLevel.MEDIUM);
        boolean byC = c.hazardRisk(hazard).atLeast(RiskLevel.MEDIUM);
        int[] counts = hazards.get(hazard);
        counts[0] += bySs ? 1 : 0;
        counts[1] += byC ? 1 : 0;
        counts[2] += bySs && byC ? 1 : 0;
        counts[3] += bySs == byC ? 1 : 0;
      }
      s.detectionCounts().forEach((name, n) -> perClass.computeIfAbsent(name, k -> new int[2])[0] += n);
      c.detectionCounts().forEach((name, n) -> perClass.computeIfAbsent(name, k -> new int[2])[1] += n);
      floodDiff += Math.abs(s.floodProbability() - c.floodProbability());
      landslideDiff += Math.abs(s.landslideProbability() - c.landslideProbability());
      if (row.servingMs() != null) {
        servingMs.add(row.servingMs());
      }
      candidateMs.add(row.candidateMs());
      if (row.replacedVersion() != null) {
        replaced.add(row.replacedVersion());
      }
      shas.add(row.candidateSha256());
    }
    int n = rows.size();
    JsonObject hazardJson = new JsonObject();
    hazards.forEach((hazard, counts) -> hazardJson.put(hazard, new JsonObject()
        .put("serving_flagged", counts[0]).put("candidate_flagged", counts[1]).put("both_flagged", counts[2])
        .put("agreement", share(counts[3], n))));
    JsonObject classJson = new JsonObject();
    perClass.forEach((name, counts) -> classJson.put(name, new JsonObject().put("serving", counts[0])
        .put("candidate", counts[1])));
    Double servingMedian = median(servingMs);
    Double candidateMedian = median(candidateMs);
    return new JsonObject()
        .put("candidate_version", version)
        .put("candidate_sha256", new ArrayList<>(shas))
        .put("replaced_versions", new ArrayList<>(replaced))
        .put("images", n)
        .put("risk_level_agreement", share(sameRisk, n))
        .put("hazards", hazardJson)
        .put("detections_per_class", classJson)
        .put("mean_abs_difference", new JsonObject()
            .put("flood_probability", n == 0 ? null : round(floodDiff / n))
            .put("landslide_probability", n == 0 ? null : round(landslideDiff / n)))
        .put("model_ms_per_image", new JsonObject()
            .put("serving_median", servingMedian)
            .put("candidate_median", candidateMedian)
            .put("candidate_over_serving", servingMedian == null || candidateMedian == null || servingMedian == 0
                ? null : round(candidateMedian / servingMedian)));
  }

  static Double median(List<Double> values) {
    if (values.isEmpty()) {
      return null;
    }
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    int mid = sorted.size() / 2;
    double median = sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
    return round(median);
  }

  private static Double share(int count, int of) {
    return of == 0 ? null : round((double) count / of);
  }

  private static double round(double value) {
    return Math.round(value * 10_000) / 10_000.0;
  }
}
