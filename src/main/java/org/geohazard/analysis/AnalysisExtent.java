package org.geohazard.analysis;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.geohazard.extent.FloodExtent;
import org.geohazard.extent.FloodPolygon;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Polygon;

/**
 * A result's flood extent: the mask model's flooded polygons (GeoJSON geometry in WGS84, holes kept), what they add up
 * to, and how they were drawn. The mask itself (a single-band GeoTIFF) is in the object store, under
 * {@link #maskKey}, and served by {@code GET /api/v1/results/{id}/mask}.
 *
 * @param model the mask model's version
 * @param threshold the probability at which a pixel counts as flooded (the model's {@code mask_threshold})
 * @param toleranceM the polygons' simplification tolerance, metres
 * @param minAreaKm2 regions smaller than this were dropped before tracing
 * @param floodedKm2 the polygons' total area, km² (after the land clip)
 * @param sceneShare flooded mask pixels over all mask pixels (after dropping small regions, before the land clip)
 * @param droppedRegions regions below {@code minAreaKm2}, left out
 * @param permanentWater how permanent water was excluded (the layer), or null when it was not
 * @param seaKm2 flooded area cut away as sea by that layer, km²
 * @param waterBeforeKm2 flooded area cleared as regions that were mostly (90 %) water in the scene's before scene,
 *     each region whole, km² (at the mask's pixel size, before specks were dropped); null when there was no before
 *     scene to ask, its pair was not judged, or the result predates this field
 * @param maskWidth mask columns (the scene at the model's ground scale)
 * @param maskHeight mask rows
 * @param pixelSizeM metres per mask pixel at the scene's centre
 * @param maskKey where the mask GeoTIFF is stored
 * @param polygonsOmitted polygons beyond the {@value #MAX_POLYGONS} largest, not listed (their area is in
 *     {@code floodedKm2})
 * @param polygons the flooded regions, largest first
 */
public record AnalysisExtent(String model, double threshold, double toleranceM, double minAreaKm2, double floodedKm2,
                             double sceneShare, int droppedRegions, String permanentWater, double seaKm2,
                             Double waterBeforeKm2, int maskWidth, int maskHeight, double pixelSizeM, String maskKey,
                             int polygonsOmitted,
                             List<Region> polygons) {

  /** Polygons listed in a result at most: a speckled scene's thousands would swell every read of the document. */
  public static final int MAX_POLYGONS = 500;
  private static final GeometryFactory WGS84 = new GeometryFactory();

  /** One flooded region: its GeoJSON Polygon geometry, area and mean flood probability. */
  public record Region(JsonObject geometry, double areaKm2, double meanProbability) {

    /** A region of a WGS84 polygon: its GeoJSON geometry ({@link AnalysisExtent#geometryOf}), area and mean probability. */
    public static Region of(Polygon polygon, double areaKm2, double meanProbability) {
      return new Region(geometryOf(polygon), areaKm2, meanProbability);
    }

    JsonObject toJson() {
      return new JsonObject().put("geometry", geometry)
          .put("area_km2", AnalyzedDetection.round(areaKm2, 4))
          .put("mean_probability", AnalyzedDetection.round(meanProbability, 4));
    }

    static Region fromJson(JsonObject json) {
      return new Region(json.getJsonObject("geometry"), json.getDouble("area_km2"),
          json.getDouble("mean_probability"));
    }
  }

  /** A GeoJSON Polygon (RFC 7946: outer ring counter-clockwise, holes clockwise; 6 decimals, about 0.1 m). */
  public static JsonObject geometryOf(Polygon polygon) {
    Polygon oriented = (Polygon) polygon.copy();
    oriented.normalize(); // JTS: shell clockwise, holes counter-clockwise; reversed below
    JsonArray rings = new JsonArray();
    rings.add(ring(oriented.getExteriorRing(), true));
    for (int h = 0; h < oriented.getNumInteriorRing(); h++) {
      rings.add(ring(oriented.getInteriorRingN(h), true));
    }
    return new JsonObject().put("type", "Polygon").put("coordinates", rings);
  }

  private static JsonArray ring(LineString ring, boolean reverse) {
    Coordinate[] points = ring.getCoordinates();
    JsonArray out = new JsonArray();
    for (int i = 0; i < points.length; i++) {
      Coordinate c = points[reverse ? points.length - 1 - i : i];
      out.add(new JsonArray().add(round(c.x)).add(round(c.y)));
    }
    return out;
  }

  private static double round(double degrees) {
    return Math.round(degrees * 1e6) / 1e6;
  }

  public AnalysisExtent {
    polygons = List.copyOf(polygons);
  }

  /** This extent with its mask stored under {@code key} (null: not stored). */
  public AnalysisExtent withMaskKey(String key) {
    return new AnalysisExtent(model, threshold, toleranceM, minAreaKm2, floodedKm2, sceneShare, droppedRegions,
        permanentWater, seaKm2, waterBeforeKm2, maskWidth, maskHeight, pixelSizeM, key, polygonsOmitted, polygons);
  }

  /**
   * The listed polygons as an {@link FloodExtent} in WGS84 (no pixel polygons: for CAP reduction and other uses
   * of the ground geometry).
   */
  public FloodExtent toFloodExtent() {
    List<FloodPolygon> list = new ArrayList<>(polygons.size());
    for (Region region : polygons) {
      list.add(new FloodPolygon(polygon(region.geometry()), null, region.areaKm2(), region.meanProbability()));
    }
    return new FloodExtent(list, floodedKm2, sceneShare, threshold, toleranceM, droppedRegions);
  }

  private static Polygon polygon(JsonObject geometry) {
    JsonArray rings = geometry.getJsonArray("coordinates");
    LinearRing shell = ring(rings.getJsonArray(0));
    LinearRing[] holes = new LinearRing[rings.size() - 1];
    for (int i = 1; i < rings.size(); i++) {
      holes[i - 1] = ring(rings.getJsonArray(i));
    }
    return WGS84.createPolygon(shell, holes);
  }

  private static LinearRing ring(JsonArray positions) {
    Coordinate[] points = new Coordinate[positions.size()];
    for (int i = 0; i < points.length; i++) {
      JsonArray position = positions.getJsonArray(i);
      points[i] = new Coordinate(position.getDouble(0), position.getDouble(1));
    }
    return WGS84.createLinearRing(points);
  }

  public JsonObject toJson() {
    JsonArray regions = new JsonArray();
    polygons.forEach(r -> regions.add(r.toJson()));
    return new JsonObject()
        .put("model", model)
        .put("threshold", threshold)
        .put("tolerance_m", AnalyzedDetection.round(toleranceM, 3))
        .put("min_area_km2", AnalyzedDetection.round(minAreaKm2, 6))
        .put("flooded_km2", AnalyzedDetection.round(floodedKm2, 4))
        .put("scene_share", AnalyzedDetection.round(sceneShare, 6))
        .put("dropped_regions", droppedRegions)
        .put("permanent_water", permanentWater)
        .put("sea_km2", AnalyzedDetection.round(seaKm2, 4))
        .put("water_before_km2", waterBeforeKm2 == null ? null : AnalyzedDetection.round(waterBeforeKm2, 4))
        .put("mask_width", maskWidth)
        .put("mask_height", maskHeight)
        .put("pixel_size_m", AnalyzedDetection.round(pixelSizeM, 3))
        .put("mask_key", maskKey)
        .put("polygons_omitted", polygonsOmitted)
        .put("polygons", regions);
  }

  public static AnalysisExtent fromJson(JsonObject json) {
    List<Region> regions = new ArrayList<>();
    for (Object item : json.getJsonArray("polygons", new JsonArray())) {
      regions.add(Region.fromJson((JsonObject) item));
    }
    return new AnalysisExtent(json.getString("model"), json.getDouble("threshold"), json.getDouble("tolerance_m"),
        json.getDouble("min_area_km2"), json.getDouble("flooded_km2"), json.getDouble("scene_share"),
        json.getInteger("dropped_regions", 0), json.getString("permanent_water"), json.getDouble("sea_km2", 0.0),
        json.getDouble("water_before_km2"), json.getInteger("mask_width"), json.getInteger("mask_height"),
        json.getDouble("pixel_size_m"),
        json.getString("mask_key"), json.getInteger("polygons_omitted", 0), regions);
  }
}
