package org.geohazard.geo;

import java.util.ArrayList;
import java.util.List;

/**
 * A detection's pixel box on the earth: its corners as a WGS84 polygon, its centre and its area.
 *
 * <p>Area: the ring is integrated on the WGS84 ellipsoid as ∑ Δλ·sin φ (exact area on the unit sphere between the
 * ring's edges taken as rhumb lines) scaled by M·N, the product of the meridional and prime-vertical radii of
 * curvature at the ring's mean latitude: the ellipsoid's area element is M·N·cos φ dφ dλ. For boxes up to ~100 km
 * across this matches the geodesic area (GeographicLib) to better than 1e-4 relative, and the error of treating
 * the earth as a sphere of mean radius (up to 0.9 % near the poles) does not arise. A projected CRS's own
 * x·y area is not used: UTM's scale factor alone makes it 0.08 % to 0.2 % off.
 */
public final class DetectionGeometry {

  private static final double WGS84_A = 6_378_137.0;
  private static final double WGS84_E2 = 6.694_379_990_14e-3;

  private DetectionGeometry() {
  }

  /**
   * The footprint of the pixel box (x1, y1)–(x2, y2) (corners, GDAL's pixel convention) under {@code placement}.
   */
  public static GeoFootprint footprint(double x1, double y1, double x2, double y2, PixelGeolocation placement) {
    if (!(x2 >= x1) || !(y2 >= y1)) {
      throw new IllegalArgumentException("box corners out of order: " + x1 + "," + y1 + " " + x2 + "," + y2);
    }
    // Upper-left, lower-left, lower-right, upper-right: counter-clockwise on a north-up map.
    List<LonLat> ring = new ArrayList<>(5);
    ring.add(placement.toWgs84(x1, y1));
    ring.add(placement.toWgs84(x1, y2));
    ring.add(placement.toWgs84(x2, y2));
    ring.add(placement.toWgs84(x2, y1));
    unwrapAntimeridian(ring);
    if (signedUnitArea(ring) < 0) {
      // A grid with rows going up (positive pixel height) or mirrored columns: reverse to keep RFC 7946's winding.
      LonLat second = ring.get(1);
      ring.set(1, ring.get(3));
      ring.set(3, second);
    }
    ring.add(ring.get(0));
    LonLat centroid = placement.toWgs84((x1 + x2) / 2, (y1 + y2) / 2);
    double radius = 0;
    for (int i = 0; i < 4; i++) {
      radius = Math.max(radius, distanceMetres(centroid, ring.get(i)));
    }
    return new GeoFootprint(ring, centroid, areaMetres2(ring), radius, placement.exact());
  }

  /** The area of a closed WGS84 ring (first position repeated last) in m², see the class comment for accuracy. */
  public static double areaMetres2(List<LonLat> ring) {
    double meanLat = 0;
    for (int i = 0; i < ring.size() - 1; i++) {
      meanLat += ring.get(i).lat();
    }
    double phi = Math.toRadians(meanLat / (ring.size() - 1));
    double w2 = 1 - WGS84_E2 * Math.sin(phi) * Math.sin(phi);
    double meridional = WGS84_A * (1 - WGS84_E2) / (w2 * Math.sqrt(w2));
    double primeVertical = WGS84_A / Math.sqrt(w2);
    return Math.abs(signedUnitArea(ring)) * meridional * primeVertical;
  }

  /** Great-circle distance on the mean-radius sphere; for radii of alert circles (0.3 % is plenty). */
  static double distanceMetres(LonLat from, LonLat to) {
    return GeoMath.distanceKm(from.lat(), from.lon(), to.lat(), to.lon()) * 1000;
  }

  /**
   * The area on the unit sphere enclosed by the ring's edges (taken as rhumb lines), positive when
   * counter-clockwise; the ring may be open or closed.
   */
  private static double signedUnitArea(List<LonLat> ring) {
    int n = ring.get(0).equals(ring.get(ring.size() - 1)) && ring.size() > 1 ? ring.size() - 1 : ring.size();
    double sum = 0;
    for (int i = 0; i < n; i++) {
      LonLat current = ring.get(i);
      LonLat next = ring.get((i + 1) % n);
      double dLon = Math.toRadians(next.lon() - current.lon());
      if (dLon > Math.PI) {
        dLon -= 2 * Math.PI;
      } else if (dLon < -Math.PI) {
        dLon += 2 * Math.PI;
      }
      // Trapezoid in the cylindrical equal-area plane (λ, sin φ), which maps areas on the sphere one to one.
      sum += dLon * (Math.sin(Math.toRadians(current.lat())) + Math.sin(Math.toRadians(next.lat()))) / 2;
    }
    return -sum;
  }

  /** Keeps a box that crosses ±180° one box: longitudes continue past 180 (GeoJSON viewers accept that). */
  private static void unwrapAntimeridian(List<LonLat> ring) {
    double reference = ring.get(0).lon();
    for (int i = 1; i < ring.size(); i++) {
      double lon = ring.get(i).lon();
      if (lon - reference > 180) {
        ring.set(i, new LonLat(lon - 360, ring.get(i).lat()));
      } else if (reference - lon > 180) {
        ring.set(i, new LonLat(lon + 360, ring.get(i).lat()));
      }
    }
  }
}
