package org.geohazard.extent;

import java.util.Random;
import org.geohazard.geo.GeoReference;
import org.geohazard.geo.UnsupportedGeoReferenceException;

/** Masks and grids the extent tests make themselves. */
final class FloodMasks {

  private FloodMasks() {
  }

  /**
   * A realistic flood probability field: a smooth random surface (a sum of Gaussian bumps of 20-120 pixels) plus
   * pixel noise, squashed into [0, 1]. Thresholded at 0.5 it gives irregular regions with bays, islands inside
   * lakes, holes and a few specks: what a flood map of a river plain looks like.
   */
  static float[] realisticField(int width, int height, long seed) {
    Random random = new Random(seed);
    double[] field = new double[width * height];
    int bumps = Math.max(8, width * height / 4000);
    for (int b = 0; b < bumps; b++) {
      double cx = random.nextDouble() * width;
      double cy = random.nextDouble() * height;
      double sigma = 10 + random.nextDouble() * 60;
      double amplitude = (random.nextDouble() < 0.6 ? 1 : -1) * (0.5 + random.nextDouble());
      int r = (int) (3 * sigma);
      for (int y = Math.max(0, (int) cy - r); y < Math.min(height, (int) cy + r); y++) {
        for (int x = Math.max(0, (int) cx - r); x < Math.min(width, (int) cx + r); x++) {
          double d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
          field[y * width + x] += amplitude * Math.exp(-d2 / (2 * sigma * sigma));
        }
      }
    }
    float[] probabilities = new float[width * height];
    for (int i = 0; i < field.length; i++) {
      double v = 4 * (field[i] - 0.3) + 0.8 * random.nextGaussian();
      probabilities[i] = (float) (1 / (1 + Math.exp(-v)));
    }
    return probabilities;
  }

  /** A north-up UTM zone 30N grid (EPSG:32630) of 10 m pixels with its upper-left corner at (x0, y0). */
  static MaskGrid utmGrid(int width, int height, double x0, double y0) throws UnsupportedGeoReferenceException {
    return new MaskGrid(width, height, GeoReference.ofGeoTransform(32630, true, x0, 10, 0, y0, 0, -10));
  }
}
