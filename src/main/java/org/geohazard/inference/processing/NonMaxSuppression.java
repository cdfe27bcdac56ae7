package org.geohazard.inference.processing;

import org.geohazard.detection.Detection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Class-wise greedy non-maximum suppression, as Ultralytics applies it by default: candidates are
 * taken by descending score (ties in input order), each kept box removes the later boxes of the same
 * class that overlap it by more than {@code iouThreshold}, and at most {@code maxDetections} boxes are
 * kept. Boxes of different classes never suppress each other, so a flood over a landslide reports both.
 *
 * <p>Works on primitive arrays: a few thousand candidates take well under a millisecond unless many of
 * them overlap in one class (the worst case is quadratic in the candidates of a class, like
 * torchvision's). Instances are immutable and thread-safe.
 */
public final class NonMaxSuppression {

  private final float iouThreshold;
  private final int maxDetections;

  /**
   * @param iouThreshold a box is suppressed when its IoU with a kept box of its class is above this;
   *     lower removes more neighbours (Ultralytics' default is 0.7, the usual deployment value 0.45)
   * @param maxDetections most boxes kept per image
   */
  public NonMaxSuppression(float iouThreshold, int maxDetections) {
    if (!(iouThreshold >= 0f && iouThreshold <= 1f)) {
      throw new IllegalArgumentException("iouThreshold must be within [0, 1], got " + iouThreshold);
    }
    if (maxDetections < 1) {
      throw new IllegalArgumentException("maxDetections must be at least 1, got " + maxDetections);
    }
    this.iouThreshold = iouThreshold;
    this.maxDetections = maxDetections;
  }

  /** The kept boxes, best first. Candidates with a NaN score are dropped. */
  public List<Detection> apply(List<Detection> candidates) {
    int n = candidates.size();
    long[] order = new long[n];
    int valid = 0;
    for (int i = 0; i < n; i++) {
      float score = candidates.get(i).score();
      if (!Float.isNaN(score)) {
        // High half: the score as an int that sorts like the float, inverted for descending order;
        // low half: the input index, which keeps equal scores in input order (a stable sort).
        order[valid++] = ((long) ~sortableBits(score) << 32) | i;
      }
    }
    order = Arrays.copyOf(order, valid);
    Arrays.sort(order);

    float[] x1 = new float[valid];
    float[] y1 = new float[valid];
    float[] x2 = new float[valid];
    float[] y2 = new float[valid];
    float[] area = new float[valid];
    int[] classId = new int[valid];
    Detection[] sorted = new Detection[valid];
    for (int k = 0; k < valid; k++) {
      Detection d = candidates.get((int) order[k]);
      sorted[k] = d;
      x1[k] = d.x1();
      y1[k] = d.y1();
      x2[k] = d.x2();
      y2[k] = d.y2();
      area[k] = d.area();
      classId[k] = d.classId();
    }

    boolean[] suppressed = new boolean[valid];
    List<Detection> kept = new ArrayList<>(Math.min(valid, maxDetections));
    for (int i = 0; i < valid && kept.size() < maxDetections; i++) {
      if (suppressed[i]) {
        continue;
      }
      kept.add(sorted[i]);
      for (int j = i + 1; j < valid; j++) {
        if (suppressed[j] || classId[j] != classId[i]) {
          continue;
        }
        float iw = Math.min(x2[i], x2[j]) - Math.max(x1[i], x1[j]);
        float ih = Math.min(y2[i], y2[j]) - Math.max(y1[i], y1[j]);
        if (iw <= 0 || ih <= 0) {
          continue;
        }
        float intersection = iw * ih;
        float union = area[i] + area[j] - intersection;
        if (union > 0 && intersection / union > iouThreshold) {
          suppressed[j] = true;
        }
      }
    }
    return kept;
  }

  /** Float bits flipped so that signed int order equals float order, negatives included. */
  private static int sortableBits(float value) {
    int bits = Float.floatToIntBits(value);
    return bits ^ ((bits >> 31) & 0x7fffffff);
  }
}
