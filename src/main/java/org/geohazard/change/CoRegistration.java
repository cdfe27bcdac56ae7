package org.geohazard.change;

import org.geohazard.geo.GeoReference;

/**
 * Where each pixel of the after scene's grid lies in the before scene, from the two georeferences: co-registration
 * on the georeference, no image matching. Both scenes must be in one CRS (the same EPSG code): the map from an
 * after pixel to a before pixel is then affine (after pixel → CRS → before pixel), exact for any rotation or pixel
 * size. Scenes in two CRSs are refused rather than reprojected point by point (a Sentinel-2 or Sentinel-1 product
 * of one place comes in one UTM zone; reprojecting one is the caller's step).
 *
 * <p>Resampling is nearest neighbour: the before sample whose pixel contains the after pixel's centre. Nearest
 * keeps each value a real sample (a water index or a dB value is not averaged across a shore), which is what the
 * change rules compare; at equal pixel sizes and a sub-pixel shift it moves a boundary by at most half a pixel.
 *
 * <p>Plain and immutable.
 */
public final class CoRegistration {

  /** Raised when the two scenes cannot be co-registered, with the reason for the caller. */
  public static final class Refused extends Exception {
    public Refused(String message) {
      super(message);
    }
  }

  private final int width;
  private final int height;
  private final int beforeWidth;
  private final int beforeHeight;
  /** before column = p·x + q·y + r, before row = s·x + t·y + u, for an after point (x, y) in pixel space. */
  private final double p;
  private final double q;
  private final double r;
  private final double s;
  private final double t;
  private final double u;

  private CoRegistration(int width, int height, int beforeWidth, int beforeHeight, double[] map) {
    this.width = width;
    this.height = height;
    this.beforeWidth = beforeWidth;
    this.beforeHeight = beforeHeight;
    this.p = map[0];
    this.q = map[1];
    this.r = map[2];
    this.s = map[3];
    this.t = map[4];
    this.u = map[5];
  }

  /**
   * The co-registration of an after grid of {@code width × height} pixels placed by {@code after} onto a before
   * scene of {@code beforeWidth × beforeHeight} pixels placed by {@code before}.
   *
   * @throws Refused when the CRSs differ or the before georeference is degenerate
   */
  public static CoRegistration of(GeoReference after, int width, int height, GeoReference before, int beforeWidth,
                                  int beforeHeight) throws Refused {
    if (after.epsg() != before.epsg()) {
      throw new Refused("the before scene is in EPSG:" + before.epsg() + " and this scene in EPSG:" + after.epsg()
          + "; a pair must share one CRS (reproject one of them first)");
    }
    double[] a = affine(after);
    double[] b = affine(before);
    double det = b[0] * b[4] - b[1] * b[3];
    if (!(Math.abs(det) > 0) || !Double.isFinite(det)) {
      throw new Refused("the before scene's georeference is degenerate");
    }
    // before pixel = B⁻¹ · (A · after pixel + a_off - b_off)
    double i0 = b[4] / det;
    double i1 = -b[1] / det;
    double i2 = -b[3] / det;
    double i3 = b[0] / det;
    double[] map = {
        i0 * a[0] + i1 * a[3], i0 * a[1] + i1 * a[4], i0 * (a[2] - b[2]) + i1 * (a[5] - b[5]),
        i2 * a[0] + i3 * a[3], i2 * a[1] + i3 * a[4], i2 * (a[2] - b[2]) + i3 * (a[5] - b[5])};
    return new CoRegistration(width, height, beforeWidth, beforeHeight, map);
  }

  /** {a, b, c, d, e, f}: CRS x = a·column + b·row + c, y = d·column + e·row + f. */
  private static double[] affine(GeoReference reference) {
    double[] origin = reference.toCrs(0, 0);
    double[] right = reference.toCrs(1, 0);
    double[] down = reference.toCrs(0, 1);
    return new double[] {right[0] - origin[0], down[0] - origin[0], origin[0],
        right[1] - origin[1], down[1] - origin[1], origin[1]};
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** The before column of the after point (x, y) in pixel space (fractional). */
  public double beforeColumn(double x, double y) {
    return p * x + q * y + r;
  }

  /** The before row of the after point (x, y) in pixel space (fractional). */
  public double beforeRow(double x, double y) {
    return s * x + t * y + u;
  }

  /**
   * The before window {x, y, width, height} (whole pixels, inside the before scene) that the after grid covers,
   * or null when the two do not overlap at all.
   */
  public int[] beforeWindow() {
    double minX = Double.POSITIVE_INFINITY;
    double minY = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY;
    double maxY = Double.NEGATIVE_INFINITY;
    for (double[] corner : new double[][] {{0, 0}, {width, 0}, {0, height}, {width, height}}) {
      double bx = beforeColumn(corner[0], corner[1]);
      double by = beforeRow(corner[0], corner[1]);
      minX = Math.min(minX, bx);
      minY = Math.min(minY, by);
      maxX = Math.max(maxX, bx);
      maxY = Math.max(maxY, by);
    }
    int x1 = (int) Math.max(0, Math.floor(minX));
    int y1 = (int) Math.max(0, Math.floor(minY));
    int x2 = (int) Math.min(beforeWidth, Math.ceil(maxX));
    int y2 = (int) Math.min(beforeHeight, Math.ceil(maxY));
    return x2 <= x1 || y2 <= y1 ? null : new int[] {x1, y1, x2 - x1, y2 - y1};
  }

  /** The share of after pixels whose centre falls inside the before scene (0 to 1). */
  public double overlapShare() {
    long inside = 0;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        double bx = beforeColumn(x + 0.5, y + 0.5);
        double by = beforeRow(x + 0.5, y + 0.5);
        if (bx >= 0 && by >= 0 && bx < beforeWidth && by < beforeHeight) {
          inside++;
        }
      }
    }
    return (double) inside / ((long) width * height);
  }

  /**
   * Before samples on the after grid, nearest neighbour: {@code window} holds one band of the before window
   * {@code (wx, wy, ww, wh)} read at {@code ow × oh} samples (row-major); after pixels whose centre falls outside
   * that window get NaN (no data).
   */
  public float[] resample(float[] window, int wx, int wy, int ww, int wh, int ow, int oh) {
    if (window.length < ow * oh) {
      throw new IllegalArgumentException("the window holds " + window.length + " samples, expected " + ow * oh);
    }
    float[] out = new float[width * height];
    double sx = (double) ow / ww;
    double sy = (double) oh / wh;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        double bx = (beforeColumn(x + 0.5, y + 0.5) - wx) * sx;
        double by = (beforeRow(x + 0.5, y + 0.5) - wy) * sy;
        int ox = (int) Math.floor(bx);
        int oy = (int) Math.floor(by);
        out[y * width + x] = bx >= 0 && by >= 0 && ox < ow && oy < oh ? window[oy * ow + ox] : Float.NaN;
      }
    }
    return out;
  }
}
