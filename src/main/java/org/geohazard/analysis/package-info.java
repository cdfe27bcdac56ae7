/**
 * What an image's detections mean to a reader: per-hazard probabilities and risk levels (calibrated per model
 * and class), counts, footprints on the ground, the GeoJSON view. Pure logic ({@link
 * org.geohazard.analysis.AnalysisBuilder}) and the records the result document is made of.
 *
 * <p>Risk from evidence: {@link org.geohazard.analysis.ModelEvidence} reads what a model's card says it achieved on
 * real labels (pooled per class and level) and which levels that supports; {@link
 * org.geohazard.analysis.AnalysisBuilder} caps what neither evidence nor corroboration (another view, a change rule)
 * backs, sets flood boxes over the sea aside as permanent water, and writes the why into each hazard's {@link
 * org.geohazard.analysis.HazardEvidence}.
 */
package org.geohazard.analysis;
