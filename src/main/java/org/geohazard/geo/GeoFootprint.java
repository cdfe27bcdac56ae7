package org.geohazard.geo;

import java.util.List;

/**
 * Where one detection lies on the earth.
 *
 * @param ring the box's four corners as a closed WGS84 ring (five positions, the first repeated last),
 *     counter-clockwise as RFC 7946 asks of exterior rings
 * @param centroid the box's centre, mapped (exact for an affine grid in a projected CRS)
 * @param areaMetres2 the ring's area on the WGS84 ellipsoid, see {@link DetectionGeometry}
 * @param radiusMetres the distance from the centroid to the farthest corner: the circle that holds the box, for
 *     alerts and radius queries
 * @param exact whether the image's own georeferencing placed it (false for caller-supplied hints)
 */
public record GeoFootprint(List<LonLat> ring, LonLat centroid, double areaMetres2, double radiusMetres,
                           boolean exact) {

  public GeoFootprint {
    ring = List.copyOf(ring);
    if (ring.size() != 5 || !ring.get(0).equals(ring.get(4))) {
      throw new IllegalArgumentException("a box footprint is a closed ring of 4 corners");
    }
  }
}
