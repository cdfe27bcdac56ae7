package org.geohazard.geo;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.locationtech.jts.algorithm.locate.IndexedPointInAreaLocator;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.Location;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.index.strtree.STRtree;
import org.locationtech.jts.operation.overlayng.OverlayNG;
import org.locationtech.jts.operation.overlayng.OverlayNGRobust;

/**
 * Where the land is: the reference layer that tells the sea (permanent water) from land a flood can cover.
 *
 * <p>{@link #naturalEarth()} is Natural Earth's 1:10m land (public domain), as world-atlas 2.0.2 ships it
 * ({@code land-10m.json}, TopoJSON quantized to about 0.0036° × 0.0017°, some 400 × 190 m at the equator), copied
 * into the jar by the build from the dashboard's npm dependency. It holds coastlines only: lakes and rivers are
 * land in it, so permanent inland water is not told apart here (the before/after path does that).
 *
 * <p>{@link #landShare} samples the footprint on a {@value #SAMPLES}×{@value #SAMPLES} grid (bilinear between its
 * four corners) and tests each point against the polygons whose envelope holds it (an STR-tree of envelopes, then
 * an indexed point-in-polygon test per polygon): a share to within about 1/{@value #SAMPLES}² of the exact
 * area ratio, about 3 ms per box on a loaded 2-core machine, whatever the size of the continent's polygon.
 * Thread-safe after construction.
 */
public final class LandMask {

  /** Sample points per side of a footprint. */
  static final int SAMPLES = 16;
  /** Where the build puts the Natural Earth layer in the jar. */
  public static final String NATURAL_EARTH_RESOURCE = "/geohazard/land-10m.json";

  private static final GeometryFactory FACTORY = new GeometryFactory();

  private final STRtree index = new STRtree();
  /** The polygons themselves, for clipping (a flood extent to land). */
  private final STRtree shapes = new STRtree();
  private final int polygonCount;

  public LandMask(List<Polygon> land) {
    for (Polygon polygon : land) {
      IndexedPointInAreaLocator locator = new IndexedPointInAreaLocator(polygon);
      // Builds the locator's edge index now, once, rather than lazily under concurrent first calls.
      locator.locate(polygon.getEnvelopeInternal().centre());
      index.insert(polygon.getEnvelopeInternal(), locator);
      shapes.insert(polygon.getEnvelopeInternal(), polygon);
    }
    index.build();
    shapes.build();
    polygonCount = land.size();
  }

  /** Natural Earth 1:10m land from the jar, read once on first use. */
  public static LandMask naturalEarth() {
    return NaturalEarth.MASK;
  }

  private static final class NaturalEarth {
    static final LandMask MASK = load();

    private static LandMask load() {
      try (InputStream in = LandMask.class.getResourceAsStream(NATURAL_EARTH_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException(NATURAL_EARTH_RESOURCE + " is not in the jar (the build copies it from "
              + "web/node_modules/world-atlas; run the Maven build with the web step)");
        }
        JsonObject topology = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        return new LandMask(TopoJson.polygons(topology, "land"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  public int polygons() {
    return polygonCount;
  }

  /** Whether the point (longitude, latitude) is on land (a coastline point counts as land). */
  public boolean onLand(double lon, double lat) {
    Coordinate point = new Coordinate(lon, lat);
    @SuppressWarnings("unchecked")
    List<IndexedPointInAreaLocator> candidates = index.query(new Envelope(point));
    for (IndexedPointInAreaLocator locator : candidates) {
      if (locator.locate(point) != Location.EXTERIOR) {
        return true;
      }
    }
    return false;
  }

  /**
   * The land within {@code area} (WGS84 degrees): the layer's polygons cut to that rectangle (OverlayNG clips a
   * continent's polygon to the rectangle before the overlay, so this costs the part inside, not the continent),
   * empty when there is none. Thread-safe.
   */
  public Geometry landWithin(Envelope area) {
    Geometry rectangle = FACTORY.toGeometry(area);
    List<Geometry> parts = new ArrayList<>();
    @SuppressWarnings("unchecked")
    List<Polygon> candidates = shapes.query(area);
    for (Polygon polygon : candidates) {
      Geometry part = OverlayNGRobust.overlay(polygon, rectangle, OverlayNG.INTERSECTION);
      if (!part.isEmpty()) {
        parts.add(part);
      }
    }
    return parts.isEmpty() ? FACTORY.createPolygon() : OverlayNGRobust.union(parts);
  }

  /** The share (0..1) of a box footprint that lies on land. */
  public double landShare(GeoFootprint footprint) {
    List<LonLat> ring = footprint.ring();
    LonLat a = ring.get(0);
    LonLat b = ring.get(1);
    LonLat c = ring.get(2);
    LonLat d = ring.get(3);
    int onLand = 0;
    for (int i = 0; i < SAMPLES; i++) {
      double u = (i + 0.5) / SAMPLES;
      for (int j = 0; j < SAMPLES; j++) {
        double v = (j + 0.5) / SAMPLES;
        // Bilinear between the corners in ring order a, b, c, d: a→b along u, a→d along v.
        double lon = (1 - u) * (1 - v) * a.lon() + u * (1 - v) * b.lon() + u * v * c.lon() + (1 - u) * v * d.lon();
        double lat = (1 - u) * (1 - v) * a.lat() + u * (1 - v) * b.lat() + u * v * c.lat() + (1 - u) * v * d.lat();
        if (onLand(lon, lat)) {
          onLand++;
        }
      }
    }
    return onLand / (double) (SAMPLES * SAMPLES);
  }
}
