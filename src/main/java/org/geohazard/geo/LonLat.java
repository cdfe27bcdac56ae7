package org.geohazard.geo;

/** A WGS84 position in degrees, longitude first as in GeoJSON (RFC 7946). */
public record LonLat(double lon, double lat) {

  public LonLat {
    if (!(lat >= -90 && lat <= 90) || !Double.isFinite(lon)) {
      throw new IllegalArgumentException("not a WGS84 position: lon " + lon + ", lat " + lat);
    }
  }
}
