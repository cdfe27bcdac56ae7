package org.geohazard.bus;

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
                         Double servingMs, double candidateMs, Analysis servingAnalysis, Analysis candidateAnalysis) {}
