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

  /**
   * Metres on the ground per pixel at the image's centre: the geometric mean of one pixel's east-west and
   * north-south extent (a degree-gridded scene's pixels are narrower than tall away from the equator).
   */
  default double groundSampleDistanceM(int width, int height) {
    LonLat centre = toWgs84(width / 2.0, height / 2.0);
    LonLat east = toWgs84(width / 2.0 + 1, height / 2.0);
    LonLat south = toWgs84(width / 2.0, height / 2.0 + 1);
    double dx = GeoMath.distanceKm(centre.lat(), centre.lon(), east.lat(), east.lon()) * 1000;
    double dy = GeoMath.distanceKm(centre.lat(), centre.lon(), south.lat(), south.lon()) * 1000;
    return Math.sqrt(dx * dy);
  }
}
