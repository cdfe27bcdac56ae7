package org.geohazard.analysis;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code other_sensor} section of an analysis made with a scene of the same place by the other sensor family
 * (an optical scene with a radar one, or the reverse; issue 22, "S1 + S2 fused where both exist"): what that scene's
 * models saw, and how much of it fell on this scene. Its boxes corroborate this scene's boxes of the same hazard
 * ({@link HazardEvidence.CorroborationSource#OTHER_SENSOR}); the other scene's own result is unchanged.
 *
 * @param sha256 the other scene's content identity (SHA-256 of its bytes, or for a scene that was itself a pair of
 *     both contents; never an upload id, which is its uploader's own)
 * @param sensor its sensor family: {@code radar} or {@code optical}
 * @param modelVersion the models that looked at it (as its analysis names them, {@code ;}-separated)
 * @param riskLevel the level its own analysis reached
 * @param overlapShare the share of this scene the other scene covers (on the ground, WGS84)
 * @param detections per class, how many of its multispectral or radar models' boxes lie on this scene (every box
 *     they report: each at or above its model's report threshold, permanent water already set aside)
 */
public record OtherSensorSection(String sha256, String sensor, String modelVersion, RiskLevel riskLevel,
                                 double overlapShare, Map<String, Integer> detections) {

  public OtherSensorSection {
    detections = new TreeMap<>(detections);
  }

  public JsonObject toJson() {
    JsonObject counts = new JsonObject();
    detections.forEach(counts::put);
    return new JsonObject()
        .put("sha256", sha256)
        .put("sensor", sensor)
        .put("model_version", modelVersion)
        .put("risk_level", riskLevel.wireName())
        .put("overlap_share", AnalyzedDetection.round(overlapShare, 4))
        .put("detections", counts);
  }

  public static OtherSensorSection fromJson(JsonObject json) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    JsonObject countJson = json.getJsonObject("detections", new JsonObject());
    for (String hazard : countJson.fieldNames()) {
      counts.put(hazard, countJson.getInteger(hazard));
    }
    return new OtherSensorSection(json.getString("sha256"), json.getString("sensor"), json.getString("model_version"),
        RiskLevel.fromWire(json.getString("risk_level", "low")), json.getDouble("overlap_share", 0.0), counts);
  }
}
