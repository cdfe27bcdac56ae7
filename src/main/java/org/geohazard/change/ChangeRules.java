package org.geohazard.change;

/**
 * The per-pixel change rules of a co-registered before/after pair, the same arithmetic as
 * {@code training/pair_change.py} (ChangeRulesFidelityTest checks the two agree pixel for pixel on fixtures the
 * Python writes). Each rule gives two layers: where water is new, and where water already was before (the
 * permanent water a flood box must not be raised on).
 *
 * <ul>
 *   <li><b>New water, optical</b>: a water index {@code (green - x) / (green + x)} with x the SWIR band (MNDWI,
 *       Xu 2006) or NIR (NDWI, McFeeters 1996), on the samples as stored; a pixel is new water when its index
 *       was below {@link #WATER_INDEX} before, is at least that after and rose by at least {@link #MIN_RISE}.
 *       Water before: index at least {@link #WATER_INDEX} before.</li>
 *   <li><b>Backscatter drop, radar VV</b>: floating-point samples are dB (all samples at least 0: linear power,
 *       turned into dB first); new water fell by at least {@link #DROP_DB} to at most {@link #DARK_DB} (open
 *       water is dark and smooth). An 8-bit rendering (stretched per scene, as OMBRIA's tiles) has no dB scale:
 *       {@link #DROP_8BIT} levels and {@link #DARK_8BIT}. Water before: at most the dark limit before.</li>
 * </ul>
 *
 * <p>The parameters were chosen on OMBRIA's train split only ({@code training/pair_change.py --tune}: best pixel
 * F1 of the new-water layer against the flood masks over a small grid), before the rule met a test tile: MNDWI
 * F1 0.704, 8-bit VV 0.496. The dB limits are the usual open-water values, not tuned (no dB training pairs).
 * NaN (no data, or outside the before scene) is never new water nor water before.
 */
public final class ChangeRules {

  public static final double WATER_INDEX = 0.0;
  public static final double MIN_RISE = 0.2;
  public static final double DROP_DB = 3.0;
  public static final double DARK_DB = -15.0;
  public static final double DROP_8BIT = 10;
  public static final double DARK_8BIT = 190;
  /** Regions of changed pixels smaller than this are speckle (0.2 ha at 10 m). */
  public static final int MIN_PIXELS = 20;
  /** A flood box with at least this share of its pixels water before the event is permanent water. */
  public static final double PERMANENT_WATER_SHARE = 0.9;

  /** The two layers of a rule, row-major on the after grid. */
  public record Layers(boolean[] changed, boolean[] waterBefore) {}

  private ChangeRules() {}

  /** The water index of one pixel; NaN where green + other is not positive or a sample is missing. */
  public static float waterIndex(float green, float other) {
    float sum = green + other;
    return sum > 0 ? (green - other) / sum : Float.NaN;
  }

  /** New water from green and SWIR (or NIR) after and before. */
  public static Layers newWater(float[] greenAfter, float[] otherAfter, float[] greenBefore, float[] otherBefore) {
    int n = greenAfter.length;
    boolean[] changed = new boolean[n];
    boolean[] was = new boolean[n];
    for (int i = 0; i < n; i++) {
      float after = waterIndex(greenAfter[i], otherAfter[i]);
      float before = waterIndex(greenBefore[i], otherBefore[i]);
      was[i] = before >= WATER_INDEX;
      // Compared in float, as numpy compares float32 arrays with a scalar.
      changed[i] = before < WATER_INDEX && after >= WATER_INDEX && after - before >= (float) MIN_RISE;
    }
    return new Layers(changed, was);
  }

  /** Backscatter drop from VV after and before; {@code eightBit} for an 8-bit rendering, else dB or linear floats. */
  public static Layers backscatterDrop(float[] after, float[] before, boolean eightBit) {
    float[] a = eightBit ? after : toDb(after);
    float[] b = eightBit ? before : toDb(before);
    double drop = eightBit ? DROP_8BIT : DROP_DB;
    double dark = eightBit ? DARK_8BIT : DARK_DB;
    int n = a.length;
    boolean[] changed = new boolean[n];
    boolean[] was = new boolean[n];
    for (int i = 0; i < n; i++) {
      changed[i] = b[i] - a[i] >= drop && a[i] <= dark;
      was[i] = b[i] <= dark;
    }
    return new Layers(changed, was);
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
