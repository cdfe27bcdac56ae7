package org.geohazard.inference.scene;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.geohazard.analysis.AnalysisBuilder;
import org.geohazard.analysis.AnalysisExtent;
import org.geohazard.change.PairChange;
import org.geohazard.extent.FloodExtent;
import org.geohazard.extent.FloodPolygon;
import org.geohazard.extent.MaskGeoTiffWriter;
import org.geohazard.extent.MaskGrid;
import org.geohazard.extent.MaskPolygonizer;
import org.geohazard.extent.SceneMask;
import org.geohazard.extent.SpeckFilter;
import org.geohazard.geo.DetectionGeometry;
import org.geohazard.geo.LandMask;
import org.geohazard.geo.LonLat;
import org.geohazard.storage.ObjectStore;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.geom.prep.PreparedGeometry;
import org.locationtech.jts.geom.prep.PreparedGeometryFactory;
import org.locationtech.jts.operation.overlayng.OverlayNG;
import org.locationtech.jts.operation.overlayng.OverlayNGRobust;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A mask model's stitched look at a scene → its flood extent and mask file. Pure work on a preprocessing thread:
 * <ol>
 *   <li>with a before scene, a flooded region that was mostly water already (at least
 *       {@link AnalysisBuilder#MIN_WATER_BEFORE_SHARE} of its pixels water in the before scene, its pair's judgement:
 *       {@link PairChange.WaterBefore}) is cleared from the mask, as a flood box on it is set aside: a lake or river
 *       is not flood because a model sees water there, and the before scene is the one source that tells them apart
 *       inland (the land layer below knows only the sea). A region that spills beyond the water stays whole. The
 *       area cleared is said in the result ({@code water_before_km2});
 *   <li>regions below {@link #MIN_AREA_M2} are dropped from the byte mask before tracing ({@link SpeckFilter}: tracing
 *       the rings of specks only to throw them away was most of the polygon step's time);
 *   <li>the rest is traced and simplified to {@link #TOLERANCE_M} ({@link MaskPolygonizer}: holes kept, WGS84, area
 *       and mean probability each);
 *   <li>permanent water is excluded where the land layer knows it: the polygons are cut to Natural Earth's land
 *       ({@link LandMask}), so sea the mask marks is not alerted as flood; inland lakes and rivers are land in that
 *       layer and stay (the before/after path is what tells them apart);
 *   <li>the mask (probability levels, specks and water-before regions cleared) is written as a tiled,
 *       Deflate-compressed GeoTIFF.
 * </ol>
 */
public final class SceneExtent {

  /** Simplification tolerance: one pixel of the 10 m mask models (rasterised back, IoU 0.978 on a 1024² mask). */
  public static final double TOLERANCE_M = 10;
  /** Regions below one hectare (100 pixels at 10 m) are specks, not a flood worth a polygon. */
  public static final double MIN_AREA_M2 = 10_000;
  private static final Logger LOG = LoggerFactory.getLogger(SceneExtent.class);
  static final String LAND_LAYER = "natural_earth_10m_land";

  /** The extent for the result, and the mask file to store (the caller deletes it). */
  public record Made(AnalysisExtent extent, Path maskFile) {}

  private SceneExtent() {
  }

  /** Natural Earth land for the permanent-water cut; null (said in the result) when it cannot be read. */
  public static LandMask landLayer() {
    try {
      return LandMask.naturalEarth();
    } catch (RuntimeException | ExceptionInInitializerError | NoClassDefFoundError e) {
      LOG.warn("flood extent not cut to land: the land layer cannot be read ({})", e.toString());
      return null;
    }
  }

  /**
   * The water a scene's before scene already had, on the mask's grid, or null when the scene has no before scene or
   * its pair was not judged (too little clear in either scene: then nothing is known of the water before, as for its
   * boxes).
   */
  public static SpeckFilter.PixelTest waterBefore(Optional<ScenePair> pair, int sceneWidth, int sceneHeight,
                                                 MaskGrid grid) {
    double stepX = (double) sceneWidth / grid.width();
    double stepY = (double) sceneHeight / grid.height();
    return pair.map(ScenePair::change).filter(change -> change.section().judged())
        .<SpeckFilter.PixelTest>map(change -> (column, row) -> change.waterBefore().at(column, row, stepX, stepY))
        .orElse(null);
  }

  /**
   * @param land the permanent-water layer, or null to leave the extent unclipped (said in the result)
   * @param waterBefore the mask grid's pixels that were water in a before scene ({@link #waterBefore}), or null
   *     without one
   */
  public static Made make(SceneMaskJob job, String modelVersion, String sha256, Path scratch, LandMask land,
                          SpeckFilter.PixelTest waterBefore) throws IOException {
    SceneMask mask = job.finish();
    MaskGrid grid = job.grid();
    double pixelM = grid.pixelSizeM();
    int minPixels = Math.max(1, (int) Math.ceil(MIN_AREA_M2 / (pixelM * pixelM)));
    int level = SceneMask.thresholdLevel(job.threshold());
    Double waterBeforeKm2 = waterBefore == null ? null
        : SpeckFilter.removeMostlyMarked(mask, level, waterBefore, AnalysisBuilder.MIN_WATER_BEFORE_SHARE)
            * pixelM * pixelM / 1e6;
    int dropped = SpeckFilter.removeBelow(mask, level, minPixels);
    FloodExtent extent = new MaskPolygonizer(TOLERANCE_M, 1).extent(mask, grid, job.threshold());
    List<AnalysisExtent.Region> regions = new ArrayList<>();
    double total = 0;
    double sea = 0;
    Geometry onLand = land == null || extent.polygons().isEmpty() ? null : land.landWithin(envelope(extent.polygons()));
    PreparedGeometry prepared = onLand == null || onLand.isEmpty() ? null : PreparedGeometryFactory.prepare(onLand);
    for (FloodPolygon polygon : extent.polygons()) {
      List<Polygon> kept = onLand == null ? List.of(polygon.wgs84()) : clip(polygon.wgs84(), onLand, prepared);
      double keptKm2 = 0;
      for (Polygon part : kept) {
        double km2 = kept.size() == 1 && part == polygon.wgs84() ? polygon.areaKm2() : areaKm2(part);
        keptKm2 += km2;
        regions.add(AnalysisExtent.Region.of(part, km2, polygon.meanProbability()));
      }
      total += keptKm2;
      sea += Math.max(0, polygon.areaKm2() - keptKm2);
    }
    regions.sort((a, b) -> Double.compare(b.areaKm2(), a.areaKm2()));
    int omitted = Math.max(0, regions.size() - AnalysisExtent.MAX_POLYGONS);
    String key = ObjectStore.maskKey(sha256, modelVersion);
    Path file = Files.createTempFile(scratch, "mask-", ".tif");
    try {
      MaskGeoTiffWriter.write(file, mask, grid, MaskGeoTiffWriter.Encoding.PROBABILITY, job.threshold());
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(file);
      throw e;
    }
    return new Made(new AnalysisExtent(modelVersion, job.threshold(), TOLERANCE_M, MIN_AREA_M2 / 1e6, total,
        extent.sceneShare(), dropped, land == null ? null : LAND_LAYER, sea, waterBeforeKm2, grid.width(),
        grid.height(), pixelM,
        key, omitted, regions.subList(0, regions.size() - omitted)), file);
  }

  /** The part of {@code polygon} on land: itself when the land covers it (the usual inland case, no overlay). */
  private static List<Polygon> clip(Polygon polygon, Geometry land, PreparedGeometry prepared) {
    if (prepared == null) {
      return List.of();
    }
    if (prepared.covers(polygon)) {
      return List.of(polygon);
    }
    Geometry part = OverlayNGRobust.overlay(polygon, land, OverlayNG.INTERSECTION);
    List<Polygon> parts = new ArrayList<>();
    for (int i = 0; i < part.getNumGeometries(); i++) {
      if (part.getGeometryN(i) instanceof Polygon piece && !piece.isEmpty()) {
        parts.add(piece);
      }
    }
    return parts;
  }

  private static Envelope envelope(List<FloodPolygon> polygons) {
    Envelope all = new Envelope();
    polygons.forEach(p -> all.expandToInclude(p.wgs84().getEnvelopeInternal()));
    return all;
  }

  /** Ellipsoidal area of a WGS84 polygon, outer ring minus holes, km². */
  static double areaKm2(Polygon polygon) {
    double m2 = DetectionGeometry.areaMetres2(lonLats(polygon.getExteriorRing()));
    for (int h = 0; h < polygon.getNumInteriorRing(); h++) {
      m2 -= DetectionGeometry.areaMetres2(lonLats(polygon.getInteriorRingN(h)));
    }
    return Math.max(0, m2) / 1e6;
  }

  private static List<LonLat> lonLats(LineString ring) {
    List<LonLat> points = new ArrayList<>(ring.getNumPoints());
    for (Coordinate c : ring.getCoordinates()) {
      points.add(new LonLat(c.x, c.y));
    }
    return points;
  }

  /** For logs: "12.3 km² in 4 polygons". */
  public static String describe(AnalysisExtent extent) {
    return String.format(Locale.ROOT, "%.3f km² in %d polygon(s)", extent.floodedKm2(), extent.polygons().size());
  }
}
