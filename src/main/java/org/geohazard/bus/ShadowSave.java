package org.geohazard.bus;

import io.vertx.core.json.JsonObject;
import org.geohazard.analysis.Analysis;

/**
 * A candidate model's look at an image beside the serving models' ({@code persistence.shadow.save}); also one
 * row of the comparison ({@link ShadowRows}).
 *
 * @param replacedVersion the serving model of the candidate's view (null when none serves that view)
 * @param servingMs ORT time the replaced model spent on the image (null without one)
 * @param candidateMs ORT time the candidate spent on it
 * @param servingAnalysis what the serving models made of the image (the result)
 * @param candidateAnalysis the same with the candidate in place of the replaced model
 */
public record ShadowSave(String imageId, String candidateVersion, String candidateSha256, String replacedVersion,
                         Double servingMs, double candidateMs, Analysis servingAnalysis, Analysis candidateAnalysis) {

  public static final int VERSION = 1;

  public JsonObject toJson() {
    return new JsonObject().put("v", VERSION).put("image_id", imageId).put("candidate_version", candidateVersion)
        .put("candidate_sha256", candidateSha256).put("replaced_version", replacedVersion)
        .put("serving_ms", servingMs).put("candidate_ms", candidateMs)
        .put("serving_analysis", servingAnalysis.toJson()).put("candidate_analysis", candidateAnalysis.toJson());
  }

  public static ShadowSave fromJson(JsonObject json) {
    Messages.requireVersion(json, VERSION, "ShadowSave");
    return new ShadowSave(json.getString("image_id"), json.getString("candidate_version"),
        json.getString("candidate_sha256"), json.getString("replaced_version"), json.getDouble("serving_ms"),
        json.getDouble("candidate_ms"), Analysis.fromJson(json.getJsonObject("serving_analysis")),
        Analysis.fromJson(json.getJsonObject("candidate_analysis")));
  }
}
