package org.geohazard.geo;

/**
 * Places the pixels of a plain JPEG or PNG from the caller's hints, for images that carry no georeferencing:
 * either the image centre's latitude/longitude plus a ground sample distance (metres per pixel, north up, square
 * pixels), or a bounding box the image fills. Good enough to put an alert on a map (a few pixels' worth of error
 * for a nadir image); {@link #exact()} is false so that clients can say so. With only a latitude/longitude and no
 * scale the service cannot place a detection inside the image: every detection is then at the caller's point.
 */
public final class ApproximatePlacement implements PixelGeolocation {

  private static final double WGS84_A = 6_378_137.0;
  private static final double WGS84_E2 = 6.694_379_990_14e-3;

  private final double originLon;
  private final double originLat;
  private final double lonPerColumn;
  private final double latPerRow;

  private ApproximatePlacement(double originLon, double originLat, double lonPerColumn, double latPerRow) {
    this.originLon = originLon;
    this.originLat = originLat;
    this.lonPerColumn = lonPerColumn;
    this.latPerRow = latPerRow;
  }

  /**
   * The image's centre is at (lat, lon) and one pixel is {@code metresPerPixel} on the ground, north up. Degrees
   * per metre are taken at the centre from the WGS84 radii of curvature, which for an image a few km across errs
   * by well under a pixel.
   */
  public static ApproximatePlacement centredAt(double latitude, double longitude, int width, int height,
      double metresPerPixel) {
    requirePosition(latitude, longitude);
    if (!(metresPerPixel > 0) || width <= 0 || height <= 0) {
      throw new IllegalArgumentException("need a positive size and ground sample distance, got " + width + "×"
          + height + " at " + metresPerPixel + " m/px");
    }
    if (Math.abs(latitude) > 89) {
      throw new IllegalArgumentException("cannot place an image by ground sample distance within 1° of a pole");
    }
    double phi = Math.toRadians(latitude);
    double w = Math.sqrt(1 - WGS84_E2 * Math.sin(phi) * Math.sin(phi));
    double meridional = WGS84_A * (1 - WGS84_E2) / (w * w * w);
    double primeVertical = WGS84_A / w;
    double latPerRow = -Math.toDegrees(metresPerPixel / meridional);
    double lonPerColumn = Math.toDegrees(metresPerPixel / (primeVertical * Math.cos(phi)));
    return new ApproximatePlacement(longitude - lonPerColumn * width / 2.0, latitude - latPerRow * height / 2.0,
        lonPerColumn, latPerRow);
  }

  /**
   * The image fills the box from {@code west} to {@code east} and {@code south} to {@code north} (degrees), linear
   * in longitude and latitude. A box with {@code east < west} crosses the antimeridian.
   */
  public static ApproximatePlacement boundingBox(double west, double south, double east, double north, int width,
      int height) {
    requirePosition(south, west);
    requirePosition(north, east);
    if (!(north > south) || width <= 0 || height <= 0 || east == west) {
      throw new IllegalArgumentException("need north > south, east ≠ west and a positive size");
    }
    double span = east > west ? east - west : east + 360 - west;
    return new ApproximatePlacement(west, north, span / width, (south - north) / height);
  }

  @Override
  public LonLat toWgs84(double column, double row) {
    double lon = originLon + lonPerColumn * column;
    if (lon > 180) {
      lon -= 360;
    } else if (lon < -180) {
      lon += 360;
    }
    double lat = Math.max(-90, Math.min(90, originLat + latPerRow * row));
    return new LonLat(lon, lat);
  }

  @Override
  public boolean exact() {
    return false;
  }

  private static void requirePosition(double latitude, double longitude) {
    if (!(latitude >= -90 && latitude <= 90) || !(longitude >= -180 && longitude <= 180)) {
      throw new IllegalArgumentException("not a latitude/longitude: " + latitude + ", " + longitude);
    }
  }
}
