package org.geohazard.geo;

/**
 * Where the pixels of one image lie on the earth. Pixel coordinates follow GDAL: (0, 0) is the upper-left corner
 * of the upper-left pixel, so the centre of pixel (c, r) is (c + 0.5, r + 0.5), and a detection's box corners are
 * used as they are.
 */
public interface PixelGeolocation {

  /** The WGS84 position of a point in pixel space (fractional coordinates allowed, also outside the image). */
  LonLat toWgs84(double column, double row);

  /**
   * Whether positions come from the file's own georeferencing (GeoTIFF) rather than an approximation from the
   * caller's hints; reported with the detections so that users know how far to trust them.
   */
  boolean exact();
}
