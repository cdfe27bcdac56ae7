package org.geohazard.analysis;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Why one hazard of an analysis has the level it has: which models (views) saw it, the level its scores gave
 * before the evidence rule and after it, the real-label precision behind the level, whether real evidence
 * verifies it and whether something independent corroborates it ({@link AnalysisBuilder}, "Risk from evidence").
 *
 * @param levelBeforeCap the highest level the hazard's scores reached under their models' thresholds
 * @param level the level the hazard has: what the evidence and corroboration allow
 * @param verified whether real-label evidence supports {@code level} for the model(s) giving it
 * @param corroborated whether {@code level} stands because something independent agrees (not by evidence alone)
 * @param corroboratedBy which sources corroborated it (empty when none)
 * @param precision the pooled real-label precision at {@code level} of the model giving it; null with no evidence
 * @param precisionLevel the level that precision was measured at (null with no evidence)
 * @param precisionSets the real sets pooled for it (empty with no evidence)
 * @param flaggedImages how many real images that precision rests on (0 with no evidence)
 * @param reason a line for people: why the level was capped or kept
 * @param seenBy per model that reported the hazard
 * @param permanentWaterExcluded flood boxes set aside as permanent water (the sea; 0 for other hazards)
 */
public record HazardEvidence(RiskLevel levelBeforeCap, RiskLevel level, boolean verified, boolean corroborated,
                             List<CorroborationSource> corroboratedBy, Double precision, RiskLevel precisionLevel,
                             List<String> precisionSets, int flaggedImages, String reason, List<Sighting> seenBy,
                             int permanentWaterExcluded) {

  /** What can corroborate a detection beside real-label evidence. */
  public enum CorroborationSource {
    /** Another model, through another view of the same scene, reports the same hazard over the same place. */
    INDEPENDENT_VIEW,
    /**
     * A change rule (before/after scenes) confirms it: the hook for the change path, supplied to
     * {@link AnalysisBuilder} as {@link AnalysisBuilder.Corroboration}s.
     */
    CHANGE_RULE,
    /**
     * A scene of the same place by the other sensor family (radar for an optical scene, optical for a radar one),
     * named with the upload, reports the same hazard over the same place at or above its model's report threshold
     * ({@code change.OtherSensor}): the rule measured on OMBRIA as "one at high, the other at least at report". It
     * vouches for high, not critical ({@code change.OtherSensor#CORROBORATES_UP_TO}).
     */
    OTHER_SENSOR;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One model's part.
   *
   * @param model the model's version
   * @param view the view it saw the image through
   * @param detections how many of its boxes report the hazard (after permanent water is set aside)
   * @param bestConfidence its best score for the hazard
   * @param levelBeforeCap the level that score gives under the model's thresholds
   * @param level the level its boxes keep after the evidence rule
   * @param verified whether its real-label evidence supports {@code levelBeforeCap}
   */
  public record Sighting(String model, String view, int detections, double bestConfidence, RiskLevel levelBeforeCap,
                         RiskLevel level, boolean verified) {

    JsonObject toJson() {
      return new JsonObject().put("model", model).put("view", view).put("detections", detections)
          .put("best_confidence", AnalyzedDetection.round(bestConfidence, 4))
          .put("level_before_cap", levelBeforeCap.wireName()).put("level", level.wireName())
          .put("verified", verified);
    }

    static Sighting fromJson(JsonObject json) {
      return new Sighting(json.getString("model"), json.getString("view"), json.getInteger("detections", 0),
          json.getDouble("best_confidence", 0.0), RiskLevel.fromWire(json.getString("level_before_cap", "low")),
          RiskLevel.fromWire(json.getString("level", "low")), json.getBoolean("verified", false));
    }
  }

  public HazardEvidence {
    corroboratedBy = List.copyOf(corroboratedBy);
    precisionSets = List.copyOf(precisionSets);
    seenBy = List.copyOf(seenBy);
  }

  /** Whether the evidence rule lowered the level. */
  public boolean capped() {
    return level.compareTo(levelBeforeCap) < 0;
  }

  public JsonObject toJson() {
    JsonArray sources = new JsonArray();
    corroboratedBy.forEach(s -> sources.add(s.wireName()));
    JsonArray sightings = new JsonArray();
    seenBy.forEach(s -> sightings.add(s.toJson()));
    return new JsonObject()
        .put("level_before_cap", levelBeforeCap.wireName())
        .put("level", level.wireName())
        .put("capped", capped())
        .put("verified", verified)
        .put("corroborated", corroborated)
        .put("corroborated_by", sources)
        .put("precision", precision == null ? null : AnalyzedDetection.round(precision, 4))
        .put("precision_level", precisionLevel == null ? null : precisionLevel.wireName())
        .put("precision_sets", new JsonArray(new ArrayList<>(precisionSets)))
        .put("flagged_images", flaggedImages)
        .put("reason", reason)
        .put("seen_by", sightings)
        .put("permanent_water_excluded", permanentWaterExcluded);
  }

  public static HazardEvidence fromJson(JsonObject json) {
    List<CorroborationSource> sources = new ArrayList<>();
    json.getJsonArray("corroborated_by", new JsonArray())
        .forEach(s -> sources.add(CorroborationSource.valueOf(((String) s).toUpperCase(Locale.ROOT))));
    List<String> sets = new ArrayList<>();
    json.getJsonArray("precision_sets", new JsonArray()).forEach(s -> sets.add((String) s));
    List<Sighting> seen = new ArrayList<>();
    json.getJsonArray("seen_by", new JsonArray()).forEach(s -> seen.add(Sighting.fromJson((JsonObject) s)));
    String precisionLevel = json.getString("precision_level");
    return new HazardEvidence(RiskLevel.fromWire(json.getString("level_before_cap", "low")),
        RiskLevel.fromWire(json.getString("level", "low")), json.getBoolean("verified", false),
        json.getBoolean("corroborated", false), sources, json.getDouble("precision"),
        precisionLevel == null ? null : RiskLevel.fromWire(precisionLevel), sets, json.getInteger("flagged_images", 0),
        json.getString("reason", ""), seen, json.getInteger("permanent_water_excluded", 0));
  }
}
