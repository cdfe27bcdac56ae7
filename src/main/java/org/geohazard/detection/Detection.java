package org.geohazard.detection;

/**
 * One detected object in the pixel space of the original image (not the letterboxed model input).
 * Corners are in pixels, {@code x1 <= x2}, {@code y1 <= y2}; {@code score} is the class probability in [0, 1].
 */
public record Detection(int classId, float score, float x1, float y1, float x2, float y2) {

  public float width() {
    return x2 - x1;
  }

  public float height() {
    return y2 - y1;
  }

  public float area() {
    return Math.max(0f, width()) * Math.max(0f, height());
  }

  /** Intersection over union with another box; 0 when either box is empty. */
  public float iou(Detection other) {
    float ix = Math.min(x2, other.x2) - Math.max(x1, other.x1);
    float iy = Math.min(y2, other.y2) - Math.max(y1, other.y1);
    if (ix <= 0 || iy <= 0) {
      return 0f;
    }
    float inter = ix * iy;
    float union = area() + other.area() - inter;
    return union <= 0 ? 0f : inter / union;
  }
}
