package org.geohazard.change;

import java.util.Arrays;

/**
 * The per-pixel change rules of a co-registered before/after pair, the same arithmetic as
 * {@code training/pair_change.py} (ChangeRulesFidelityTest checks the two agree pixel for pixel on fixtures the
 * Python writes). Each rule gives two layers: where water is new, and where water already was before (the
 * permanent water a flood box must not be raised on).
 *
 * <ul>
 *   <li><b>New water, optical</b>: a water index {@code (green - x) / (green + x)} with x the SWIR band (MNDWI,
 *       Xu 2006) or NIR (NDWI, McFeeters 1996), on the samples as stored; a pixel is new water when its index
 *       was below {@link #WATER_INDEX} before, is at least that after and rose by at least {@link #MIN_RISE},
 *       and its SWIR (or NIR) sample did not brighten (at most {@link #MAX_OTHER_RATIO} times its sample before):
 *       water absorbs SWIR, whereas haze and thin cloud over the later scene brighten every band and lift the
 *       index through green (every receding pair of OMBRIA's Guyana event read as new water without it).
 *       Water before: index at least {@link #WATER_INDEX} before. Pixels under cloud or haze in either date
 *       ({@link #hazy}: SWIR-bright while reading as water or nearly, dilated) are neither; a pair with less than
 *       {@link #MIN_CLEAR_SHARE} of its compared pixels clear is not judged at all (both layers empty).</li>
 *   <li><b>Backscatter drop, radar VV</b>: floating-point samples are dB (all samples at least 0: linear power,
 *       turned into dB first); new water fell by at least {@link #DROP_DB} to at most {@link #DARK_DB} (open
 *       water is dark and smooth). An 8-bit rendering (stretched per scene, as OMBRIA's tiles) has no dB scale and
 *       two dates are stretched differently: each is smoothed by a {@link #SMOOTH_8BIT}-pixel box mean (speckle)
 *       and read relative to its own median; new water fell by {@link #DROP_8BIT} levels to at most
 *       {@link #DARK_8BIT} below the median. Water before: at most the dark limit before.</li>
 * </ul>
 *
 * <p>The parameters were chosen on OMBRIA's train split only ({@code training/pair_change.py --tune}), before the
 * rules met a test tile. A rule confirms or refuses a flood for a whole scene, so the choice is the best balanced
 * image-level accuracy of the rule alone (new water in flood pairs, none in the receding pairs; ties by pixel
 * F1): MNDWI 0.932 (pixel F1 0.697), with the cloud and haze mask 0.935 (0.676; first reported as 0.936, with
 * the tuner's clear share over all pixels instead of the compared ones), 8-bit VV 0.778 (pixel F1 0.15). A
 * loss-of-local-contrast haze test was tried and is not here: train did not support it (models/README.md).
 * The dB limits are the usual open-water values, not tuned (no dB training pairs).
 * NaN (no data, or outside the before scene) is never new water nor water before.
 */
public final class ChangeRules {

  public static final double WATER_INDEX = 0.0;
  public static final double MIN_RISE = 0.3;
  /** New water's SWIR (or NIR) sample is at most this many times its sample before. */
  public static final double MAX_OTHER_RATIO = 1.0;
  public static final double DROP_DB = 3.0;
  public static final double DARK_DB = -15.0;
  /** 8-bit VV: levels relative to the scene's median after a box mean of this side (pixels). */
  public static final int SMOOTH_8BIT = 15;
  public static final double DROP_8BIT = 70;
  public static final double DARK_8BIT = -40;
  /** Regions of changed pixels smaller than this are speckle (1 ha at 10 m). */
  public static final int MIN_PIXELS = 100;
  /** A flood box with at least this share of its pixels water before the event is permanent water. */
  public static final double PERMANENT_WATER_SHARE = 0.9;
  /**
   * Cloud and haze: a pixel whose SWIR (or NIR) sample is at least this many 8-bit levels (OMBRIA's levels, about
   * 255 x reflectance) ...
   */
  public static final double HAZE_OTHER = 120;
  /** ... while its green sample is at least this many times that sample (it reads as water, or nearly). */
  public static final double HAZE_GREEN_RATIO = 0.8;
  /** Cloud and haze pixels are dilated by a square of side 2 x this + 1 (soft cloud edges). */
  public static final int HAZE_DILATE = 8;
  /** A pair with less than this share of its compared pixels clear in both dates is not judged. */
  public static final double MIN_CLEAR_SHARE = 0.2;
  /** OMBRIA levels per sample of a Sentinel-2 stack in 16-bit integers (reflectance x 10 000). */
  public static final double SENTINEL2_LEVELS_PER_DN = 255.0 / 10_000;

  /**
   * The two layers of a rule, row-major on the after grid, and the share of the compared pixels (a sample in both
   * dates) that were clear of cloud and haze in both; 1 where the rule has no cloud and haze mask (radar, or an
   * optical pair whose sample scale is unknown). Below {@link #MIN_CLEAR_SHARE} both layers are empty: the pair was
   * not judged, which neither confirms nor refuses anything.
   */
  public record Layers(boolean[] changed, boolean[] waterBefore, double clearShare) {

    /** Whether the rule judged the pair at all (enough of it clear of cloud and haze). */
    public boolean judged() {
      return clearShare >= MIN_CLEAR_SHARE;
    }
  }

  private ChangeRules() {}

  /** The water index of one pixel; NaN where green + other is not positive or a sample is missing. */
  public static float waterIndex(float green, float other) {
    float sum = green + other;
    return sum > 0 ? (green - other) / sum : Float.NaN;
  }

  /**
   * New water from green and SWIR (or NIR) after and before on a {@code width} x {@code height} grid, pixels cloudy
   * or hazy in either date ({@link #hazy}) judged neither way; {@code levelsPerSample} turns samples into OMBRIA's
   * 8-bit levels (1 for 8-bit composites, {@link #SENTINEL2_LEVELS_PER_DN} for a Sentinel-2 stack), NaN where the
   * scale is unknown: then there is no cloud and haze mask (clear share 1).
   */
  public static Layers newWater(float[] greenAfter, float[] otherAfter, float[] greenBefore, float[] otherBefore,
                                int width, int height, double levelsPerSample) {
    int n = greenAfter.length;
    boolean[] changed = new boolean[n];
    boolean[] was = new boolean[n];
    boolean[] compared = new boolean[n];
    for (int i = 0; i < n; i++) {
      float after = waterIndex(greenAfter[i], otherAfter[i]);
      float before = waterIndex(greenBefore[i], otherBefore[i]);
      was[i] = before >= WATER_INDEX;
      // Compared in float, as numpy compares float32 arrays with a scalar.
      changed[i] = before < WATER_INDEX && after >= WATER_INDEX && after - before >= (float) MIN_RISE
          && otherAfter[i] <= (float) MAX_OTHER_RATIO * otherBefore[i];
      compared[i] = Float.isFinite(after) && Float.isFinite(before);
    }
    if (Double.isNaN(levelsPerSample)) {
      return new Layers(changed, was, 1.0);
    }
    boolean[] cloudy = hazy(greenAfter, otherAfter, width, height, levelsPerSample);
    boolean[] cloudyBefore = hazy(greenBefore, otherBefore, width, height, levelsPerSample);
    long comparedCount = 0;
    long clearCount = 0;
    for (int i = 0; i < n; i++) {
      cloudy[i] |= cloudyBefore[i];
      comparedCount += compared[i] ? 1 : 0;
      clearCount += compared[i] && !cloudy[i] ? 1 : 0;
    }
    double clear = comparedCount > 0 ? (double) clearCount / comparedCount : 0.0;
    if (clear < MIN_CLEAR_SHARE) {
      return new Layers(new boolean[n], new boolean[n], clear);
    }
    for (int i = 0; i < n; i++) {
      changed[i] &= !cloudy[i];
      was[i] &= !cloudy[i];
    }
    return new Layers(changed, was, clear);
  }

  /**
   * Cloud and haze of one date: a pixel whose SWIR (or NIR) sample is at least {@link #HAZE_OTHER} levels while its
   * green is at least {@link #HAZE_GREEN_RATIO} times that sample: it reads as water, or nearly (MNDWI at least
   * about -0.1), while far too bright in SWIR for water, which absorbs it. Thick cloud is bright in every band and
   * haze lifts green the most, so both read so; bare soil (SWIR well above green) and water (dark SWIR) do not.
   * Dilated by a square of side {@code 2 HAZE_DILATE + 1}, clipped at the grid's edges, for soft cloud edges.
   * Missing samples (NaN) are never hazy.
   */
  static boolean[] hazy(float[] green, float[] other, int width, int height, double levelsPerSample) {
    int n = green.length;
    float scale = (float) levelsPerSample;
    boolean[] seed = new boolean[n];
    for (int i = 0; i < n; i++) {
      // In float, as numpy scales and compares the float32 arrays.
      float g = green[i] * scale;
      float o = other[i] * scale;
      seed[i] = o >= (float) HAZE_OTHER && g >= (float) HAZE_GREEN_RATIO * o;
    }
    return dilate(seed, width, height, HAZE_DILATE);
  }

  /** Set where any pixel of the (2r+1)-square around is set, the square clipped at the edges (cv2.dilate). */
  static boolean[] dilate(boolean[] mask, int width, int height, int r) {
    if (r <= 0) {
      return mask.clone();
    }
    boolean[] rows = new boolean[mask.length];
    for (int y = 0; y < height; y++) {
      int last = -1;  // the last set column at or before x + r
      for (int x = 0; x < width; x++) {
        for (int k = Math.max(last + 1, x); k <= Math.min(width - 1, x + r); k++) {
          if (mask[y * width + k]) {
            last = k;
          }
        }
        rows[y * width + x] = last >= x - r && last >= 0;
      }
    }
    boolean[] out = new boolean[mask.length];
    for (int x = 0; x < width; x++) {
      int last = -1;
      for (int y = 0; y < height; y++) {
        for (int k = Math.max(last + 1, y); k <= Math.min(height - 1, y + r); k++) {
          if (rows[k * width + x]) {
            last = k;
          }
        }
        out[y * width + x] = last >= y - r && last >= 0;
      }
    }
    return out;
  }

  /**
   * Backscatter drop from VV after and before on a {@code width} x {@code height} grid; {@code eightBit} for an
   * 8-bit rendering (smoothed, relative to each scene's median), else dB or linear floats.
   */
  public static Layers backscatterDrop(float[] after, float[] before, boolean eightBit, int width, int height) {
    int n = after.length;
    boolean[] changed = new boolean[n];
    boolean[] was = new boolean[n];
    if (eightBit) {
      // In double throughout, as numpy computes the box means and medians in float64.
      double[] a = relativeToMedian(boxMean(after, width, height, SMOOTH_8BIT));
      double[] b = relativeToMedian(boxMean(before, width, height, SMOOTH_8BIT));
      for (int i = 0; i < n; i++) {
        changed[i] = b[i] - a[i] >= DROP_8BIT && a[i] <= DARK_8BIT;
        was[i] = b[i] <= DARK_8BIT;
      }
      return new Layers(changed, was, 1.0);
    }
    float[] a = toDb(after);
    float[] b = toDb(before);
    for (int i = 0; i < n; i++) {
      changed[i] = b[i] - a[i] >= DROP_DB && a[i] <= DARK_DB;
      was[i] = b[i] <= DARK_DB;
    }
    return new Layers(changed, was, 1.0);
  }

  /**
   * The mean of the finite samples in the {@code side} x {@code side} window around each pixel, the window clipped
   * at the grid's edges; NaN where the pixel itself is not finite or its window holds no finite sample. Summed-area
   * tables in double (exact for 8-bit samples, whatever the order of the sums).
   */
  static double[] boxMean(float[] values, int width, int height, int side) {
    int r = side / 2;
    double[] sum = new double[(width + 1) * (height + 1)];
    int[] count = new int[(width + 1) * (height + 1)];
    int stride = width + 1;
    for (int y = 0; y < height; y++) {
      double rowSum = 0;
      int rowCount = 0;
      for (int x = 0; x < width; x++) {
        float v = values[y * width + x];
        if (Float.isFinite(v)) {
          rowSum += v;
          rowCount++;
        }
        sum[(y + 1) * stride + x + 1] = sum[y * stride + x + 1] + rowSum;
        count[(y + 1) * stride + x + 1] = count[y * stride + x + 1] + rowCount;
      }
    }
    double[] out = new double[width * height];
    for (int y = 0; y < height; y++) {
      int y0 = Math.max(0, y - r);
      int y1 = Math.min(height, y + r + 1);
      for (int x = 0; x < width; x++) {
        int x0 = Math.max(0, x - r);
        int x1 = Math.min(width, x + r + 1);
        int c = count[y1 * stride + x1] - count[y0 * stride + x1] - count[y1 * stride + x0]
            + count[y0 * stride + x0];
        double s = sum[y1 * stride + x1] - sum[y0 * stride + x1] - sum[y1 * stride + x0] + sum[y0 * stride + x0];
        out[y * width + x] = Float.isFinite(values[y * width + x]) && c > 0 ? s / c : Double.NaN;
      }
    }
    return out;
  }

  /**
   * The values minus the median of their finite ones (the mean of the two middle ones for an even count), in
   * place; returns {@code values}.
   */
  static double[] relativeToMedian(double[] values) {
    double[] finite = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
    double median = 0;
    if (finite.length > 0) {
      int mid = finite.length / 2;
      median = finite.length % 2 == 1 ? finite[mid] : (finite[mid - 1] + finite[mid]) / 2;
    }
    for (int i = 0; i < values.length; i++) {
      values[i] -= median;
    }
    return values;
  }

  /** Samples in dB: returned as they are unless every finite sample is at least 0 (linear power → 10·log10). */
  public static float[] toDb(float[] values) {
    boolean linear = false;
    for (float v : values) {
      if (Float.isFinite(v)) {
        if (v < 0) {
          return values;
        }
        linear = true;
      }
    }
    if (!linear) {
      return values;
    }
    float[] db = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      db[i] = (float) (10 * Math.log10(Math.max(values[i], 1e-10)));
    }
    return db;
  }

  /**
   * The share of the pixels whose centres fall inside the box (grid pixel edges) that are set in {@code mask};
   * 0 for a box with no pixel centre.
   */
  public static double boxShare(boolean[] mask, int width, int height, double x1, double y1, double x2, double y2) {
    int fromX = Math.max(0, (int) Math.ceil(x1 - 0.5));
    int fromY = Math.max(0, (int) Math.ceil(y1 - 0.5));
    int toX = Math.min(width, (int) Math.ceil(x2 - 0.5));
    int toY = Math.min(height, (int) Math.ceil(y2 - 0.5));
    if (toX <= fromX || toY <= fromY) {
      return 0;
    }
    long set = 0;
    for (int y = fromY; y < toY; y++) {
      for (int x = fromX; x < toX; x++) {
        set += mask[y * width + x] ? 1 : 0;
      }
    }
    return (double) set / ((long) (toX - fromX) * (toY - fromY));
  }
}
