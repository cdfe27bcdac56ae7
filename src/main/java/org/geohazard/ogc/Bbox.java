package org.geohazard.ogc;

import java.util.Locale;

/**
 * The {@code bbox} of an OGC API - Features query: west, south, east, north in WGS84 degrees. West greater than
 * east is a box across the antimeridian (OGC API - Features Part 1, 7.15.3); six numbers (with heights) are read
 * as their horizontal four.
 */
public record Bbox(double west, double south, double east, double north) {

  public Bbox {
    if (!Double.isFinite(west) || !Double.isFinite(south) || !Double.isFinite(east) || !Double.isFinite(north)) {
      throw new IllegalArgumentException("bbox values must be finite numbers");
    }
    if (Math.abs(west) > 180 || Math.abs(east) > 180) {
      throw new IllegalArgumentException("bbox longitudes must be within -180..180");
    }
    if (Math.abs(south) > 90 || Math.abs(north) > 90) {
      throw new IllegalArgumentException("bbox latitudes must be within -90..90");
    }
    if (south > north) {
      throw new IllegalArgumentException("bbox south must not be above north");
    }
  }

  /** {@code west,south,east,north} or {@code west,south,minHeight,east,north,maxHeight}. */
  public static Bbox parse(String text) {
    String[] parts = text.split(",", -1);
    if (parts.length != 4 && parts.length != 6) {
      throw new IllegalArgumentException("bbox must be 4 numbers (west,south,east,north) or 6 with heights, got "
          + parts.length);
    }
    double[] values = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        values[i] = Double.parseDouble(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bbox value '" + parts[i] + "' is not a number");
      }
    }
    return parts.length == 4 ? new Bbox(values[0], values[1], values[2], values[3])
        : new Bbox(values[0], values[1], values[3], values[4]);
  }

  public boolean crossesAntimeridian() {
    return west > east;
  }

  /** Whether an envelope (a point when min equals max) meets the box, edges included. */
  public boolean meets(double minLon, double minLat, double maxLon, double maxLat) {
    if (maxLat < south || minLat > north) {
      return false;
    }
    return crossesAntimeridian() ? maxLon >= west || minLon <= east : maxLon >= west && minLon <= east;
  }

  public double[] toArray() {
    return new double[] {west, south, east, north};
  }

  /** As a query value again (for the {@code next} link). */
  public String toQueryValue() {
    return String.format(Locale.ROOT, "%s,%s,%s,%s", num(west), num(south), num(east), num(north));
  }

  private static String num(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
  }
}
