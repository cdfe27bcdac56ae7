package org.geohazard.extent;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Polygon;

/**
 * Pixel-space polygons back to pixels: a pixel is inside when its centre is (even-odd rule over the outer ring and
 * the holes, as GDAL's rasteriser does by default). Used to measure what tracing and simplification changed (IoU
 * with the mask) and to average a polygon's probability.
 */
public final class PolygonRasterizer {

  /** Receives the inside pixels of one row as half-open column spans [from, to). */
  @FunctionalInterface
  public interface SpanConsumer {
    void span(int row, int from, int to);
  }

  private PolygonRasterizer() {
  }

  /**
   * Calls {@code consumer} for every run of inside pixels of {@code polygon} within a width × height grid, row by
   * row. Scan-line with an active edge list: each edge is visited only on the rows it spans.
   */
  public static void spans(Polygon polygon, int width, int height, SpanConsumer consumer) {
    List<double[]> edges = new ArrayList<>();
    addEdges(polygon.getExteriorRing(), edges);
    for (int h = 0; h < polygon.getNumInteriorRing(); h++) {
      addEdges(polygon.getInteriorRingN(h), edges);
    }
    edges.removeIf(e -> e[3] < 0 || e[2] >= height);
    edges.sort(Comparator.comparingDouble(e -> e[2]));
    List<double[]> active = new ArrayList<>();
    double[] crossings = new double[16];
    int next = 0;
    int row = edges.isEmpty() ? height : (int) Math.max(0, edges.get(0)[2]);
    while (row < height && (next < edges.size() || !active.isEmpty())) {
      while (next < edges.size() && edges.get(next)[2] <= row) {
        active.add(edges.get(next++));
      }
      final int current = row;
      active.removeIf(e -> e[3] < current);
      if (active.isEmpty()) {
        row = next < edges.size() ? (int) edges.get(next)[2] : height;
        continue;
      }
      if (active.size() > crossings.length) {
        crossings = new double[active.size() * 2];
      }
      int count = 0;
      for (double[] e : active) {
        crossings[count++] = e[0] + (row - e[2]) * e[1];
      }
      Arrays.sort(crossings, 0, count);
      for (int i = 0; i + 1 < count; i += 2) {
        // Pixel c is inside when its centre c + 0.5 lies in [left, right).
        int from = Math.max(0, (int) Math.ceil(crossings[i] - 0.5));
        int to = Math.min(width, (int) Math.ceil(crossings[i + 1] - 0.5));
        if (to > from) {
          consumer.span(row, from, to);
        }
      }
      row++;
    }
  }

  /** The pixels inside any of the polygons, as bits {@code row · width + column}. */
  public static BitSet rasterise(Collection<Polygon> polygons, int width, int height) {
    BitSet inside = new BitSet();
    for (Polygon polygon : polygons) {
      spans(polygon, width, height, (row, from, to) -> inside.set(row * width + from, row * width + to));
    }
    return inside;
  }

  /** Intersection over union of the polygons' pixels with the mask's pixels at or above {@code thresholdLevel}. */
  public static double iou(Collection<Polygon> polygons, SceneMask mask, int thresholdLevel) {
    BitSet drawn = rasterise(polygons, mask.width(), mask.height());
    long intersection = 0;
    long union = 0;
    for (int y = 0; y < mask.height(); y++) {
      for (int x = 0; x < mask.width(); x++) {
        boolean flooded = mask.flooded(x, y, thresholdLevel);
        boolean inside = drawn.get(y * mask.width() + x);
        if (flooded && inside) {
          intersection++;
        }
        if (flooded || inside) {
          union++;
        }
      }
    }
    return union == 0 ? 1.0 : (double) intersection / union;
  }

  /**
   * The ring's non-horizontal edges as {x at the first covered row's centre, dx per row, first row, last row}: an
   * edge covers the rows whose centre (row + 0.5) lies in [min y, max y), half-open so that a vertex on a centre
   * line counts once.
   */
  private static void addEdges(LinearRing ring, List<double[]> edges) {
    Coordinate[] points = ring.getCoordinates();
    for (int i = 0; i + 1 < points.length; i++) {
      Coordinate a = points[i];
      Coordinate b = points[i + 1];
      if (a.y == b.y) {
        continue;
      }
      Coordinate top = a.y < b.y ? a : b;
      Coordinate bottom = a.y < b.y ? b : a;
      int first = (int) Math.ceil(top.y - 0.5);
      int last = (int) Math.ceil(bottom.y - 0.5) - 1;
      if (last < first) {
        continue;
      }
      double slope = (bottom.x - top.x) / (bottom.y - top.y);
      edges.add(new double[] {top.x + (first + 0.5 - top.y) * slope, slope, first, last});
    }
  }
}
