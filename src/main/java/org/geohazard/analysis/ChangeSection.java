package org.geohazard.analysis;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code change} section of a before/after pair's analysis: what changed between the before scene and this
 * one, per rule, as WGS84 polygons with their area, and how the two scenes were put on one grid.
 *
 * @param beforeSha256 the before scene's content (SHA-256 of its bytes)
 * @param sensor {@code optical} or {@code radar}: which rules ran
 * @param resampling how the before scene was put on this scene's grid ({@code nearest})
 * @param overlapShare the share of this scene's pixels the before scene covers
 * @param gridWidth columns of the grid the rules ran on (this scene's, downsampled when larger than the limit)
 * @param gridHeight its rows
 * @param pixelM metres per grid pixel at the centre
 * @param waterBeforeShare the share of grid pixels that were water in the before scene
 * @param clearShare the share of compared pixels clear of cloud and haze in both scenes (optical water rule; 1 for
 *     radar and where the sample scale is unknown)
 * @param judged whether the water rule judged the pair (false: too little clear, {@code clearShare} below the
 *     limit; nothing confirmed, nothing refused, nothing set aside as permanent water)
 * @param layers one per rule that ran ({@code new_water}, {@code backscatter_drop}, {@code landslide})
 * @param changeMs time the change step took (reading, co-registration, rules, polygons)
 */
public record ChangeSection(String beforeSha256, String sensor, String resampling, double overlapShare,
                            int gridWidth, int gridHeight, double pixelM, double waterBeforeShare,
                            double clearShare, boolean judged, List<Layer> layers, double changeMs) {

  /** Areas keep six decimals of km² (1 m²): a small polygon must not read as 0. */
  private static final int AREA_DECIMALS = 6;

  public ChangeSection {
    layers = List.copyOf(layers);
  }

  /**
   * One rule's change.
   *
   * @param kind the rule: {@code new_water} (water index rose), {@code backscatter_drop} (radar VV fell to water),
   *     {@code landslide} (vegetation lost with brightening)
   * @param hazard the hazard it corroborates ({@code flood} or {@code landslide})
   * @param areaKm2 the polygons' total area
   * @param regions the changed regions found (before simplification; speckle below the minimum dropped)
   * @param polygons WGS84 polygons, largest first
   */
  public record Layer(String kind, String hazard, double areaKm2, int regions, List<Area> polygons) {
    public Layer {
      polygons = List.copyOf(polygons);
    }
  }

  /**
   * One polygon: its rings (the outer ring first, then holes), each a list of {longitude, latitude}, closed.
   */
  public record Area(List<List<double[]>> rings, double areaKm2) {
    public Area {
      rings = List.copyOf(rings);
    }
  }

  public JsonObject toJson() {
    JsonArray layerJson = new JsonArray();
    for (Layer layer : layers) {
      JsonArray polygons = new JsonArray();
      for (Area area : layer.polygons()) {
        JsonArray rings = new JsonArray();
        for (List<double[]> ring : area.rings()) {
          JsonArray points = new JsonArray();
          ring.forEach(p -> points.add(new JsonArray().add(AnalyzedDetection.round(p[0], 7))
              .add(AnalyzedDetection.round(p[1], 7))));
          rings.add(points);
        }
        polygons.add(new JsonObject().put("area_km2", AnalyzedDetection.round(area.areaKm2(), AREA_DECIMALS))
            .put("geometry", new JsonObject().put("type", "Polygon").put("coordinates", rings)));
      }
      layerJson.add(new JsonObject().put("kind", layer.kind()).put("hazard", layer.hazard())
          .put("area_km2", AnalyzedDetection.round(layer.areaKm2(), AREA_DECIMALS)).put("regions", layer.regions())
          .put("polygons", polygons));
    }
    return new JsonObject()
        .put("before_sha256", beforeSha256)
        .put("sensor", sensor)
        .put("resampling", resampling)
        .put("overlap_share", AnalyzedDetection.round(overlapShare, 4))
        .put("grid", new JsonObject().put("width", gridWidth).put("height", gridHeight)
            .put("pixel_m", AnalyzedDetection.round(pixelM, 3)))
        .put("water_before_share", AnalyzedDetection.round(waterBeforeShare, 4))
        .put("clear_share", AnalyzedDetection.round(clearShare, 4))
        .put("judged", judged)
        .put("layers", layerJson)
        .put("change_ms", AnalyzedDetection.round(changeMs, 2));
  }

  public static ChangeSection fromJson(JsonObject json) {
    List<Layer> layers = new ArrayList<>();
    for (Object item : json.getJsonArray("layers", new JsonArray())) {
      JsonObject layer = (JsonObject) item;
      List<Area> areas = new ArrayList<>();
      for (Object p : layer.getJsonArray("polygons", new JsonArray())) {
        JsonObject polygon = (JsonObject) p;
        List<List<double[]>> rings = new ArrayList<>();
        for (Object r : polygon.getJsonObject("geometry").getJsonArray("coordinates")) {
          List<double[]> ring = new ArrayList<>();
          for (Object point : (JsonArray) r) {
            JsonArray xy = (JsonArray) point;
            ring.add(new double[] {xy.getDouble(0), xy.getDouble(1)});
          }
          rings.add(ring);
        }
        areas.add(new Area(rings, polygon.getDouble("area_km2", 0.0)));
      }
      layers.add(new Layer(layer.getString("kind"), layer.getString("hazard"), layer.getDouble("area_km2", 0.0),
          layer.getInteger("regions", 0), areas));
    }
    JsonObject grid = json.getJsonObject("grid", new JsonObject());
    return new ChangeSection(json.getString("before_sha256"), json.getString("sensor"),
        json.getString("resampling", "nearest"), json.getDouble("overlap_share", 0.0), grid.getInteger("width", 0),
        grid.getInteger("height", 0), grid.getDouble("pixel_m", 0.0), json.getDouble("water_before_share", 0.0),
        json.getDouble("clear_share", 1.0), json.getBoolean("judged", true), layers, json.getDouble("change_ms", 0.0));
  }
}
