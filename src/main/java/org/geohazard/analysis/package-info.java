/**
 * What an image's detections mean to a reader: per-hazard probabilities and risk levels (calibrated per model
 * and class), counts, footprints on the ground, the GeoJSON view. Pure logic ({@link
 * org.geohazard.analysis.AnalysisBuilder}) and the records the result document is made of.
 */
package org.geohazard.analysis;
