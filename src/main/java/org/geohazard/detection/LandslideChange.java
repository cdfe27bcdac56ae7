package org.geohazard.detection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Landslides found as change between a before and an after scene: vegetation lost (NDVI falling) where the ground
 * brightened (fresh rock and soil), the signature the HazMapper approach (Scheip and Wegmann 2021, relative
 * difference of NDVI) maps. The input is the per-pixel change layer of a co-registered pair: NDVI after minus
 * before, and brightness after minus before.
 *
 * <p>Why relative to the scene: absolute NDVI change carries the season and the illumination of the two dates
 * (on the Kaikōura pair the median pixel lost 0.47 NDVI, landslide or not), while a landslide is a rare, local
 * departure from what the rest of the scene did. Each change is therefore scored as a robust z-score against the
 * scene (median, and the median absolute deviation scaled to a standard deviation); a pixel is a candidate when
 * its NDVI fell by at least {@link Rule#ndviDropZ} of those and its brightness rose by at least
 * {@link Rule#brighteningZ}. Candidates joined by their 8 neighbours form regions; regions smaller than
 * {@link Rule#minPixels} are speckle. The defaults were fixed before the rule met any labelled landslide.
 *
 * <p>Plain and thread-safe: no state between calls.
 */
public final class LandslideChange {

  /**
   * The rule's parameters.
   *
   * @param ndviDropZ how many robust standard deviations below the scene's median NDVI change a pixel must fall
   * @param brighteningZ how many above the scene's median brightness change it must rise
   * @param minPixels the smallest region reported (20 pixels: 0.2 ha at 10 m)
   */
  public record Rule(double ndviDropZ, double brighteningZ, int minPixels) {
    public static final Rule DEFAULT = new Rule(2.0, 1.0, 20);

    public Rule {
      if (!(ndviDropZ > 0) || !(brighteningZ >= 0) || minPixels < 1) {
        throw new IllegalArgumentException("ndviDropZ > 0, brighteningZ >= 0 and minPixels >= 1 are required");
      }
    }
  }

  /**
   * One landslide region: its bounding box in pixel edges, its size, and how strongly it departs from the scene
   * (the mean robust z-score of its NDVI drop, positive).
   */
  public record Region(int x1, int y1, int x2, int y2, int pixels, double meanNdviDropZ) {}

  /** The candidate mask (row-major, true = landslide pixel of a reported region) and the regions. */
  public record Result(int width, int height, boolean[] mask, List<Region> regions) {}

  private LandslideChange() {}

  /**
   * Finds landslide regions in a change layer of {@code width × height} pixels. Non-finite samples (no data)
   * are never candidates and do not count in the scene's statistics.
   */
  public static Result detect(float[] ndviChange, float[] brightnessChange, int width, int height, Rule rule) {
    int pixels = width * height;
    if (ndviChange.length != pixels || brightnessChange.length != pixels) {
      throw new IllegalArgumentException("both layers must hold " + pixels + " samples");
    }
    double[] ndvi = robust(ndviChange);
    double[] bright = robust(brightnessChange);
    boolean[] candidate = new boolean[pixels];
    float[] dropZ = new float[pixels];
    for (int p = 0; p < pixels; p++) {
      float n = ndviChange[p];
      float b = brightnessChange[p];
      dropZ[p] = (float) ((ndvi[0] - n) / ndvi[1]);
      candidate[p] = Float.isFinite(n) && Float.isFinite(b)
          && dropZ[p] >= rule.ndviDropZ() && (b - bright[0]) / bright[1] >= rule.brighteningZ();
    }
    return regions(candidate, dropZ, width, height, rule.minPixels());
  }

  /**
   * The regions of {@code candidate} pixels joined by their 8 neighbours, those of at least {@code minPixels}
   * pixels kept (largest first), each with the mean of {@code score} over its pixels (0 when {@code score} is
   * null); the mask holds the kept regions' pixels. Shared with the other change rules (org.geohazard.change).
   */
  public static Result regions(boolean[] candidate, float[] score, int width, int height, int minPixels) {
    int pixels = width * height;
    if (candidate.length != pixels) {
      throw new IllegalArgumentException("the candidate layer must hold " + pixels + " samples");
    }
    boolean[] mask = new boolean[pixels];
    List<Region> regions = new ArrayList<>();
    int[] stack = new int[pixels];
    boolean[] seen = new boolean[pixels];
    int[] members = new int[pixels];
    for (int start = 0; start < pixels; start++) {
      if (!candidate[start] || seen[start]) {
        continue;
      }
      int count = 0;
      int top = 0;
      stack[top++] = start;
      seen[start] = true;
      int x1 = width;
      int y1 = height;
      int x2 = -1;
      int y2 = -1;
      double scoreSum = 0;
      while (top > 0) {
        int p = stack[--top];
        members[count++] = p;
        int x = p % width;
        int y = p / width;
        x1 = Math.min(x1, x);
        y1 = Math.min(y1, y);
        x2 = Math.max(x2, x);
        y2 = Math.max(y2, y);
        scoreSum += score == null ? 0 : score[p];
        for (int dy = -1; dy <= 1; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            int nx = x + dx;
            int ny = y + dy;
            if (nx >= 0 && ny >= 0 && nx < width && ny < height) {
              int q = ny * width + nx;
              if (candidate[q] && !seen[q]) {
                seen[q] = true;
                stack[top++] = q;
              }
            }
          }
        }
      }
      if (count >= minPixels) {
        for (int i = 0; i < count; i++) {
          mask[members[i]] = true;
        }
        regions.add(new Region(x1, y1, x2 + 1, y2 + 1, count, scoreSum / count));
      }
    }
    regions.sort((a, b) -> Integer.compare(b.pixels(), a.pixels()));
    return new Result(width, height, mask, List.copyOf(regions));
  }

  /** {median, spread}: the spread is 1.4826 × the median absolute deviation (a standard deviation for normal data). */
  static double[] robust(float[] samples) {
    float[] valid = new float[samples.length];
    int n = 0;
    for (float v : samples) {
      if (Float.isFinite(v)) {
        valid[n++] = v;
      }
    }
    if (n == 0) {
      return new double[] {0, 1};
    }
    Arrays.sort(valid, 0, n);
    double median = median(valid, n);
    for (int i = 0; i < n; i++) {
      valid[i] = (float) Math.abs(valid[i] - median);
    }
    Arrays.sort(valid, 0, n);
    double spread = 1.4826 * median(valid, n);
    return new double[] {median, spread > 0 ? spread : Double.MIN_NORMAL};
  }

  private static double median(float[] sorted, int n) {
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + (double) sorted[n / 2]) / 2;
  }
}
