package org.geohazard.geo;

import java.util.Locale;

/** Small spherical-earth helpers for radius queries (metres-level accuracy is enough for a pre-filter). */
public final class GeoMath {

  public static final double EARTH_RADIUS_KM = 6371.0088;
  private static final double KM_PER_DEGREE_LAT = Math.PI * EARTH_RADIUS_KM / 180.0;

  private GeoMath() {}

  /** A longitude/latitude rectangle; when it crosses ±180° the caller should not filter by it. */
  public record BoundingBox(double minLon, double minLat, double maxLon, double maxLat, boolean crossesAntimeridian) {
    /** Polygon WKT with X = longitude, Y = latitude. */
    public String toWkt() {
      return String.format(Locale.ROOT, "POLYGON((%f %f, %f %f, %f %f, %f %f, %f %f))",
          minLon, minLat, maxLon, minLat, maxLon, maxLat, minLon, maxLat, minLon, minLat);
    }
  }

  /** The smallest rectangle that contains every point within {@code radiusKm} of the centre. */
  public static BoundingBox boundingBox(double latitude, double longitude, double radiusKm) {
    double dLat = radiusKm / KM_PER_DEGREE_LAT;
    double minLat = Math.max(-90, latitude - dLat);
    double maxLat = Math.min(90, latitude + dLat);
    if (minLat <= -90 || maxLat >= 90) {
      // The circle covers a pole: every longitude is in reach.
      return new BoundingBox(-180, minLat, 180, maxLat, false);
    }
    double widestLat = Math.max(Math.abs(minLat), Math.abs(maxLat));
    double dLon = radiusKm / (KM_PER_DEGREE_LAT * Math.cos(Math.toRadians(widestLat)));
    if (dLon >= 180) {
      return new BoundingBox(-180, minLat, 180, maxLat, false);
    }
    double minLon = longitude - dLon;
    double maxLon = longitude + dLon;
    boolean crosses = minLon < -180 || maxLon > 180;
    return new BoundingBox(minLon, minLat, maxLon, maxLat, crosses);
  }

  /** Great-circle distance in kilometres (haversine). */
  public static double distanceKm(double lat1, double lon1, double lat2, double lon2) {
    double dLat = Math.toRadians(lat2 - lat1);
    double dLon = Math.toRadians(lon2 - lon1);
    double a = Math.sin(dLat / 2) * Math.sin(dLat / 2)
        + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2)) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
    return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
  }
}
