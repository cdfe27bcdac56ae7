package org.geohazard.extent;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import org.geohazard.geo.DetectionGeometry;
import org.geohazard.geo.LonLat;
import org.geohazard.geo.PixelGeolocation;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.locationtech.jts.geom.util.GeometryFixer;
import org.locationtech.jts.index.strtree.STRtree;
import org.locationtech.jts.simplify.TopologyPreservingSimplifier;

/**
 * A scene mask → WGS84 flood polygons with holes, each with its area and mean probability.
 *
 * <p>Tracing: the boundaries between flooded and dry pixels are followed along pixel edges (each ring keeps the
 * flooded side on its right; at a vertex where two flooded pixels touch only diagonally the ring turns towards
 * its own pixel, so regions are 4-connected, as GDAL's polygonize does by default). Only the corners are kept.
 * Rings around flooded pixels are outer rings; rings around dry pixels enclosed by a region are its holes, given to
 * the smallest outer ring around them. Memory: one bit per pixel edge to mark what was traced (2 × 15 MB for a
 * 10 980² mask) besides the rings themselves.
 *
 * <p>Simplification: JTS's topology-preserving Douglas–Peucker at {@code toleranceM} converted to mask pixels (the
 * grid's ground sample distance at its centre); holes stay holes and rings do not cross. Regions smaller than
 * {@code minAreaPixels} are left out and counted. Areas: {@link DetectionGeometry#areaMetres2} of the WGS84 rings
 * (outer minus holes). Mean probability: over the mask pixels whose centres lie in the simplified polygon.
 */
public final class MaskPolygonizer {

  private static final int[] DX = {1, 0, -1, 0};
  private static final int[] DY = {0, 1, 0, -1};
  private static final int EAST = 0;
  private static final GeometryFactory PIXELS = new GeometryFactory();

  private final double toleranceM;
  private final int minAreaPixels;

  /**
   * @param toleranceM simplification tolerance in metres on the ground (0 keeps every pixel corner)
   * @param minAreaPixels regions of fewer mask pixels than this are dropped (1 keeps every region)
   */
  public MaskPolygonizer(double toleranceM, int minAreaPixels) {
    if (!(toleranceM >= 0) || minAreaPixels < 1) {
      throw new IllegalArgumentException("tolerance >= 0 m and minimum area >= 1 pixel, got " + toleranceM + " m, "
          + minAreaPixels + " pixels");
    }
    this.toleranceM = toleranceM;
    this.minAreaPixels = minAreaPixels;
  }

  /** The flood extent of {@code mask} at {@code threshold} (a probability), placed by {@code grid}. */
  public FloodExtent extent(SceneMask mask, MaskGrid grid, double threshold) {
    if (mask.width() != grid.width() || mask.height() != grid.height()) {
      throw new IllegalArgumentException("mask " + mask.width() + " x " + mask.height() + " on a grid of "
          + grid.width() + " x " + grid.height());
    }
    int level = SceneMask.thresholdLevel(threshold);
    double tolerancePx = toleranceM / grid.pixelSizeM();
    List<FloodPolygon> polygons = new ArrayList<>();
    int dropped = 0;
    for (Polygon traced : trace(mask, level)) {
      if (traced.getArea() < minAreaPixels) {
        dropped++;
        continue;
      }
      Geometry simplified = tolerancePx > 0 ? TopologyPreservingSimplifier.simplify(traced, tolerancePx) : traced;
      for (int i = 0; i < simplified.getNumGeometries(); i++) {
        Polygon pixels = (Polygon) simplified.getGeometryN(i);
        if (!pixels.isEmpty()) {
          polygons.add(place(pixels, mask, grid.reference()));
        }
      }
    }
    polygons.sort(Comparator.comparingDouble(FloodPolygon::areaKm2).reversed());
    double total = polygons.stream().mapToDouble(FloodPolygon::areaKm2).sum();
    double share = (double) mask.floodedPixels(level) / ((long) mask.width() * mask.height());
    return new FloodExtent(polygons, total, share, threshold, toleranceM, dropped);
  }

  /** The flooded regions (level at least {@code thresholdLevel}) as pixel-space polygons with holes, unsimplified. */
  public static List<Polygon> trace(SceneMask mask, int thresholdLevel) {
    int width = mask.width();
    int height = mask.height();
    BitSet horizontal = new BitSet(); // edge (x, y)-(x + 1, y) at index y · width + x
    BitSet vertical = new BitSet();   // edge (x, y)-(x, y + 1) at index y · (width + 1) + x
    List<LinearRing> shells = new ArrayList<>();
    List<Coordinate> shellPoints = new ArrayList<>();
    List<LinearRing> holes = new ArrayList<>();
    List<Coordinate> holePoints = new ArrayList<>();
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        // Every ring, outer or hole, has a top edge of a flooded pixel under a dry one: start there, heading east.
        if (mask.flooded(x, y, thresholdLevel) && !mask.flooded(x, y - 1, thresholdLevel)
            && !horizontal.get(y * width + x)) {
          List<Coordinate> corners = follow(mask, thresholdLevel, x, y, horizontal, vertical);
          LinearRing ring = PIXELS.createLinearRing(corners.toArray(Coordinate[]::new));
          if (signedArea(corners) > 0) {
            shells.add(ring);
            shellPoints.add(new Coordinate(x + 0.5, y + 0.5));  // the flooded pixel below the start edge
          } else {
            holes.add(ring);
            holePoints.add(new Coordinate(x + 0.5, y - 0.5));   // the dry pixel above it
          }
        }
      }
    }
    return assemble(shells, holes, holePoints);
  }

  /** Follows one ring from the top edge of pixel (x, y); returns its corners, closed. */
  private static List<Coordinate> follow(SceneMask mask, int level, int startX, int startY, BitSet horizontal,
                                         BitSet vertical) {
    int width = mask.width();
    List<Coordinate> corners = new ArrayList<>();
    corners.add(new Coordinate(startX, startY));
    int x = startX;
    int y = startY;
    int d = EAST;
    while (true) {
      switch (d) {
        case 0 -> horizontal.set(y * width + x);
        case 1 -> vertical.set(y * (width + 1) + x);
        case 2 -> horizontal.set(y * width + x - 1);
        default -> vertical.set((y - 1) * (width + 1) + x);
      }
      x += DX[d];
      y += DY[d];
      int next = turn(mask, level, x, y, d);
      if (x == startX && y == startY && next == EAST) {
        corners.add(new Coordinate(startX, startY));
        return corners;
      }
      if (next != d) {
        corners.add(new Coordinate(x, y));
      }
      d = next;
    }
  }

  /**
   * The direction to leave vertex (x, y) by, having arrived heading {@code d} (0 east, 1 south, 2 west, 3 north in
   * row-down pixel space) with the flooded side on the right: right if the pixel ahead on the right is dry (also at a
   * diagonal touch, which keeps regions 4-connected), straight if only the one ahead on the left is dry, else left.
   */
  private static int turn(SceneMask mask, int level, int x, int y, int d) {
    int rightX;
    int rightY;
    int leftX;
    int leftY;
    switch (d) {
      case 0 -> { rightX = x; rightY = y; leftX = x; leftY = y - 1; }
      case 1 -> { rightX = x - 1; rightY = y; leftX = x; leftY = y; }
      case 2 -> { rightX = x - 1; rightY = y - 1; leftX = x - 1; leftY = y; }
      default -> { rightX = x; rightY = y - 1; leftX = x - 1; leftY = y - 1; }
    }
    if (!mask.flooded(rightX, rightY, level)) {
      return (d + 1) % 4;
    }
    return mask.flooded(leftX, leftY, level) ? (d + 3) % 4 : d;
  }

  /** Shoelace area in row-down pixel space: positive for rings around flooded pixels. */
  private static double signedArea(List<Coordinate> ring) {
    double sum = 0;
    for (int i = 0; i + 1 < ring.size(); i++) {
      sum += ring.get(i).x * ring.get(i + 1).y - ring.get(i + 1).x * ring.get(i).y;
    }
    return sum / 2;
  }

  private static List<Polygon> assemble(List<LinearRing> shells, List<LinearRing> holes, List<Coordinate> holePoints) {
    STRtree index = new STRtree();
    List<PreparedGeometry> prepared = new ArrayList<>();
    List<List<LinearRing>> holesOf = new ArrayList<>();
    double[] areas = new double[shells.size()];
    for (int i = 0; i < shells.size(); i++) {
      Polygon outline = PIXELS.createPolygon(shells.get(i));
      areas[i] = outline.getArea();
      prepared.add(PreparedGeometryFactory.prepare(outline));
      holesOf.add(new ArrayList<>());
      index.insert(outline.getEnvelopeInternal(), i);
    }
    for (int h = 0; h < holes.size(); h++) {
      Coordinate inside = holePoints.get(h);
      var point = PIXELS.createPoint(inside);
      int best = -1;
      double bestArea = Double.MAX_VALUE;
      for (Object candidate : index.query(point.getEnvelopeInternal())) {
        int i = (Integer) candidate;
        if (areas[i] < bestArea && prepared.get(i).contains(point)) {
          best = i;
          bestArea = areas[i];
        }
      }
      if (best >= 0) {
        holesOf.get(best).add(holes.get(h));
      }
    }
    List<Polygon> polygons = new ArrayList<>(shells.size());
    for (int i = 0; i < shells.size(); i++) {
      Polygon polygon = PIXELS.createPolygon(shells.get(i), holesOf.get(i).toArray(LinearRing[]::new));
      if (polygon.isValid()) {
        polygons.add(polygon);
      } else {
        // A region touching itself at a corner (pinched ring): the fixer splits or rings it validly, same pixels.
        Geometry fixed = GeometryFixer.fix(polygon);
        for (int g = 0; g < fixed.getNumGeometries(); g++) {
          if (fixed.getGeometryN(g) instanceof Polygon part && !part.isEmpty()) {
            polygons.add(part);
          }
        }
      }
    }
    return polygons;
  }

  /** The pixel polygon in WGS84 with its area and mean probability. */
  private static FloodPolygon place(Polygon pixels, SceneMask mask, PixelGeolocation geolocation) {
    List<List<LonLat>> rings = new ArrayList<>();
    LinearRing shell = toWgs84(pixels.getExteriorRing(), geolocation, rings);
    LinearRing[] holes = new LinearRing[pixels.getNumInteriorRing()];
    for (int h = 0; h < holes.length; h++) {
      holes[h] = toWgs84(pixels.getInteriorRingN(h), geolocation, rings);
    }
    double areaM2 = DetectionGeometry.areaMetres2(rings.get(0));
    for (int h = 1; h < rings.size(); h++) {
      areaM2 -= DetectionGeometry.areaMetres2(rings.get(h));
    }
    double[] sumAndCount = new double[2];
    PolygonRasterizer.spans(pixels, mask.width(), mask.height(), (row, from, to) -> {
      for (int x = from; x < to; x++) {
        sumAndCount[0] += mask.probability(x, row);
      }
      sumAndCount[1] += to - from;
    });
    double mean = sumAndCount[1] > 0 ? sumAndCount[0] / sumAndCount[1] : 0;
    Polygon wgs84 = PIXELS.createPolygon(shell, holes);
    return new FloodPolygon(wgs84, pixels, Math.max(0, areaM2) / 1e6, mean);
  }

  private static LinearRing toWgs84(LinearRing ring, PixelGeolocation geolocation, List<List<LonLat>> rings) {
    Coordinate[] points = ring.getCoordinates();
    Coordinate[] placed = new Coordinate[points.length];
    List<LonLat> lonLats = new ArrayList<>(points.length);
    for (int i = 0; i < points.length; i++) {
      LonLat p = i == points.length - 1 ? lonLats.get(0) : geolocation.toWgs84(points[i].x, points[i].y);
      lonLats.add(p);
      placed[i] = new Coordinate(p.lon(), p.lat());
    }
    rings.add(lonLats);
    return PIXELS.createLinearRing(placed);
  }
}
