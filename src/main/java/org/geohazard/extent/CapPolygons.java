package org.geohazard.extent;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.simplify.DouglasPeuckerSimplifier;

/**
 * A flood extent as CAP 1.2 {@code <area><polygon>} values: "lat,lon" pairs (WGS84, 5 decimals, about 1 m) separated
 * by spaces, at least 4 pairs, the first repeated last.
 *
 * <p>CAP has no holes, so each polygon is its outer ring (an island of dry land inside a flood is alerted as flooded,
 * which errs on the side of warning). CAP sets no vertex limit, but receivers do (FEMA IPAWS accepts 100 points per
 * polygon), so a ring with more than {@code maxVertices} pairs is simplified by Douglas–Peucker with a tolerance that
 * grows by half each step from 1/1000 of the ring's extent until it fits; a ring that collapses is replaced by its
 * bounding box. Only the {@code maxPolygons} largest polygons are kept; {@link Reduction#droppedPolygons} and
 * {@link Reduction#keptAreaShare} say what the rest were.
 */
public final class CapPolygons {

  /** IPAWS's limit per polygon, also a sensible size for any CAP receiver. */
  public static final int DEFAULT_MAX_VERTICES = 100;
  public static final int DEFAULT_MAX_POLYGONS = 10;
  private static final GeometryFactory WGS84 = new GeometryFactory();

  /**
   * @param polygons the {@code <polygon>} values, largest flood first
   * @param droppedPolygons polygons beyond {@code maxPolygons}, not in {@code polygons}
   * @param keptAreaShare the kept polygons' area over the whole extent's (1 when nothing was dropped)
   */
  public record Reduction(List<String> polygons, int droppedPolygons, double keptAreaShare) {
    public Reduction {
      polygons = List.copyOf(polygons);
    }
  }

  private CapPolygons() {
  }

  /** The extent's polygons as CAP values, at most {@code maxPolygons} of at most {@code maxVertices} pairs each. */
  public static Reduction of(FloodExtent extent, int maxVertices, int maxPolygons) {
    if (maxVertices < 4 || maxPolygons < 1) {
      throw new IllegalArgumentException("a CAP polygon has at least 4 pairs and an alert at least one polygon: "
          + maxVertices + ", " + maxPolygons);
    }
    List<String> values = new ArrayList<>();
    double kept = 0;
    List<FloodPolygon> largestFirst = new ArrayList<>(extent.polygons());
    largestFirst.sort((a, b) -> Double.compare(b.areaKm2(), a.areaKm2()));
    for (FloodPolygon polygon : largestFirst.subList(0, Math.min(maxPolygons, largestFirst.size()))) {
      values.add(format(outline(polygon.wgs84(), maxVertices)));
      kept += polygon.areaKm2();
    }
    double share = extent.floodedKm2() > 0 ? kept / extent.floodedKm2() : 1;
    return new Reduction(values, Math.max(0, largestFirst.size() - maxPolygons), Math.min(1, share));
  }

  /** The outer ring of {@code polygon} with at most {@code maxVertices} points (first = last counted twice). */
  static Coordinate[] outline(Polygon polygon, int maxVertices) {
    Polygon shell = WGS84.createPolygon(polygon.getExteriorRing().getCoordinates());
    Coordinate[] ring = shell.getCoordinates();
    var envelope = shell.getEnvelopeInternal();
    double tolerance = Math.max(envelope.getWidth(), envelope.getHeight()) / 1000;
    while (ring.length > maxVertices) {
      Geometry simplified = DouglasPeuckerSimplifier.simplify(shell, tolerance);
      if (simplified.isEmpty() || !(simplified instanceof Polygon)) {
        ring = WGS84.toGeometry(envelope).getCoordinates();
        break;
      }
      ring = ((Polygon) simplified).getExteriorRing().getCoordinates();
      tolerance *= 1.5;
    }
    return ring;
  }

  private static String format(Coordinate[] ring) {
    StringBuilder text = new StringBuilder();
    for (Coordinate c : ring) {
      if (!text.isEmpty()) {
        text.append(' ');
      }
      text.append(String.format(Locale.ROOT, "%.5f,%.5f", c.y, c.x));
    }
    return text.toString();
  }
}
