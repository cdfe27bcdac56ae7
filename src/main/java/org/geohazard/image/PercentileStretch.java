package org.geohazard.image;

import java.awt.image.Raster;
import java.util.Arrays;

/**
 * Turns a raster of any sample type (16-bit, 32-bit integer, float) and any number of bands into 8-bit RGB by a
 * linear stretch of each band between its 2nd and 98th percentile, the usual quick look for satellite data whose
 * values use a small part of their range (Sentinel-2 reflectance × 10 000 in 16 bits looks black when merely
 * shifted to 8 bits).
 *
 * <p>Bands 1, 2 and 3 become R, G and B; with fewer than three bands the first is replicated as grey. That is the
 * right choice for an RGB GeoTIFF and only a stand-in for multispectral scenes, whose true-colour bands the GeoTIFF
 * reader will pick by their metadata. NaN and infinite values (common nodata markers in float rasters) are left out
 * of the percentiles and come out black; integer nodata values are not known here and are stretched like data.
 */
final class PercentileStretch {

  static final double LOW_PERCENTILE = 0.02;
  static final double HIGH_PERCENTILE = 0.98;

  /**
   * Percentiles are estimated from a regular grid of at most this many samples per band: exact enough for a
   * display stretch, and it bounds the sort at a few milliseconds whatever the image size.
   */
  private static final int MAX_SAMPLES_PER_BAND = 1 << 18;

  private PercentileStretch() {
  }

  static RgbImage toRgb(Raster raster) {
    int width = raster.getWidth();
    int height = raster.getHeight();
    byte[] rgb = new byte[Math.multiplyExact(Math.multiplyExact(width, height), 3)];
    boolean colour = raster.getNumBands() >= 3;
    float[] row = new float[width];
    for (int channel = 0; channel < (colour ? 3 : 1); channel++) {
      float[] range = percentileRange(raster, channel, row);
      float low = range[0];
      float scale = range[1] > low ? 255f / (range[1] - low) : 0f; // a constant band comes out black
      for (int y = 0; y < height; y++) {
        raster.getSamples(raster.getMinX(), raster.getMinY() + y, width, 1, channel, row);
        for (int x = 0, out = 3 * y * width + channel; x < width; x++, out += 3) {
          byte value = toByte(row[x], low, scale);
          rgb[out] = value;
          if (!colour) {
            rgb[out + 1] = value;
            rgb[out + 2] = value;
          }
        }
      }
    }
    return new RgbImage(width, height, rgb);
  }

  private static byte toByte(float sample, float low, float scale) {
    if (!Float.isFinite(sample)) {
      return 0;
    }
    float stretched = (sample - low) * scale;
    return (byte) Math.round(Math.max(0f, Math.min(255f, stretched)));
  }

  /** {low, high}: the 2nd and 98th percentile of the band's finite values, or {0, 0} if it has none. */
  private static float[] percentileRange(Raster raster, int band, float[] row) {
    int width = raster.getWidth();
    int height = raster.getHeight();
    long pixels = (long) width * height;
    int step = (int) Math.max(1, Math.ceil(Math.sqrt((double) pixels / MAX_SAMPLES_PER_BAND)));
    float[] samples = new float[(int) (((width + step - 1L) / step) * ((height + step - 1L) / step))];
    int count = 0;
    for (int y = 0; y < height; y += step) {
      raster.getSamples(raster.getMinX(), raster.getMinY() + y, width, 1, band, row);
      for (int x = 0; x < width; x += step) {
        if (Float.isFinite(row[x])) {
          samples[count++] = row[x];
        }
      }
    }
    if (count == 0) {
      return new float[] {0f, 0f};
    }
    Arrays.sort(samples, 0, count);
    return new float[] {
        samples[(int) Math.round(LOW_PERCENTILE * (count - 1))],
        samples[(int) Math.round(HIGH_PERCENTILE * (count - 1))]};
  }
}
