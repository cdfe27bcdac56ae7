package org.geohazard.inference.processing;

/**
 * What a detector keeps of its raw output.
 *
 * @param confThreshold candidates must score above this (Ultralytics' default 0.25)
 * @param iouThreshold same-class boxes overlapping a better one by more than this are removed
 * @param maxDetections most detections per image
 * @param layout output layout, or AUTO to infer it from the output shape and the class count
 */
public record Postprocessing(float confThreshold, float iouThreshold, int maxDetections,
                             YoloOutputDecoder.Layout layout) {
  public Postprocessing {
    if (!(confThreshold >= 0f && confThreshold < 1f)) {
      throw new IllegalArgumentException("confThreshold must be within [0, 1), got " + confThreshold);
    }
    if (!(iouThreshold >= 0f && iouThreshold <= 1f)) {
      throw new IllegalArgumentException("iouThreshold must be within [0, 1], got " + iouThreshold);
    }
    if (maxDetections < 1) {
      throw new IllegalArgumentException("maxDetections must be at least 1, got " + maxDetections);
    }
    if (layout == null) {
      throw new IllegalArgumentException("layout must be set (AUTO to infer it)");
    }
  }

  public static Postprocessing defaults() {
    return new Postprocessing(0.25f, 0.45f, 300, YoloOutputDecoder.Layout.AUTO);
  }
}
