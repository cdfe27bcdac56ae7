package org.geohazard.change;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.geohazard.analysis.AnalysisBuilder;
import org.geohazard.analysis.ChangeSection;
import org.geohazard.analysis.HazardEvidence;
import org.geohazard.detection.Detection;
import org.geohazard.detection.LandslideChange;
import org.geohazard.extent.FloodExtent;
import org.geohazard.extent.FloodPolygon;
import org.geohazard.extent.MaskGrid;
import org.geohazard.extent.MaskPolygonizer;
import org.geohazard.extent.SceneMask;
import org.geohazard.geo.GeoReference;
import org.geohazard.image.SampleType;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.LineString;
import org.locationtech.jts.geom.Polygon;

/**
 * What changed between a before scene and a scene, from their bands on one grid ({@link CoRegistration}), and what
 * that means for the scene's analysis: the {@code change} section (polygons with areas per rule), corroborations
 * of the models' boxes ({@link HazardEvidence.CorroborationSource#CHANGE_RULE}) and the water that was already
 * there (a flood box on it is permanent water). Plain work on a preprocessing thread.
 *
 * <p>Rules ({@link ChangeRules}): optical pairs get new water (MNDWI from green and SWIR, or NDWI from green and
 * NIR when there is no SWIR band) and, with red and NIR, landslides ({@link LandslideChange}: NDVI loss with
 * brightening of the visible bands, never on pixels that are water now); radar pairs get the VV backscatter drop. Each layer's regions below
 * its rule's smallest region ({@link ChangeRules#MIN_PIXELS} for water, {@link LandslideChange.Rule#minPixels} for
 * landslides) are dropped; each region left corroborates the models' boxes of its hazard that it
 * overlaps by half the smaller box ({@link AnalysisBuilder}); the polygons come from {@link MaskPolygonizer}.
 *
 * <p>Cloud and haze ({@link ChangeRules#hazy}, either date) are judged neither way by the water rule: no new water
 * there (nothing corroborated) and no water before (no box set aside as permanent water on a cloud). A pair with
 * too little clear ({@link ChangeRules#MIN_CLEAR_SHARE}) is not judged at all ({@code judged: false} in the
 * section): its flood boxes stay as a scene without a before scene would leave them (capped, unverified, at
 * medium), neither confirmed nor refused.
 */
public final class PairChange {

  /** Optical bands on the grid (null where the scene has no such band). */
  public record Optical(float[] green, float[] swir, float[] nir, float[] red) {}

  /**
   * The grid the rules ran on: {@code width × height} pixels placed by {@code reference}, each covering
   * {@code sceneStep} scene pixels on a side (1 at full resolution).
   */
  public record Grid(int width, int height, GeoReference reference, double sceneStepX, double sceneStepY) {}

  /**
   * What a pair adds to an analysis.
   *
   * @param waterBefore the grid's pixels that were water in the before scene (cloud and haze never are)
   */
  public record Result(ChangeSection section, List<AnalysisBuilder.Corroboration> corroborations,
                       WaterBefore waterBefore) {

    /** Per detection, the share of its box that was water before (a flood box on water is permanent water). */
    public ToDoubleFunction<Detection> waterBeforeShare() {
      return waterBefore::share;
    }
  }

  /** The water a before scene already had, on the pair's grid. */
  public record WaterBefore(boolean[] layer, Grid grid) {

    /**
     * Whether the pixel (column, row) of another grid over the same scene was water before, each of its pixels
     * covering {@code sceneStepX × sceneStepY} scene pixels (a flood mask at its model's scale): the pair grid's pixel
     * under its centre (nearest, as the pair's own resampling). Asked per pixel: a 10 980² mask needs no copy of the
     * layer at its size.
     */
    public boolean at(int column, int row, double sceneStepX, double sceneStepY) {
      int y = (int) Math.floor((row + 0.5) * sceneStepY / grid.sceneStepY());
      int x = (int) Math.floor((column + 0.5) * sceneStepX / grid.sceneStepX());
      return y >= 0 && y < grid.height() && x >= 0 && x < grid.width() && layer[y * grid.width() + x];
    }

    /** The share of a detection's box (scene pixels) on the pair's grid that was water before. */
    public double share(Detection d) {
      return ChangeRules.boxShare(layer, grid.width(), grid.height(), d.x1() / grid.sceneStepX(),
          d.y1() / grid.sceneStepY(), d.x2() / grid.sceneStepX(), d.y2() / grid.sceneStepY());
    }
  }

  private PairChange() {}

  /**
   * OMBRIA's 8-bit levels per sample for the cloud and haze mask ({@link ChangeRules#hazy}), from how both scenes
   * store their samples: 1 for 8-bit composites; {@link ChangeRules#SENTINEL2_LEVELS_PER_DN} for a Sentinel-2 stack
   * (12 or 13 bands) in 16-bit integers (reflectance x 10 000); NaN otherwise (Landsat digital numbers, floats of
   * unknown scale, two different storages): no mask, the pair judged as before the mask existed.
   */
  public static double levelsPerSample(SampleType after, SampleType before, int bands) {
    if (after != before) {
      return Double.NaN;
    }
    if (after == SampleType.UINT8) {
      return 1.0;
    }
    if ((after == SampleType.UINT16 || after == SampleType.INT16) && (bands == 12 || bands == 13)) {
      return ChangeRules.SENTINEL2_LEVELS_PER_DN;
    }
    return Double.NaN;
  }

  /**
   * The change of an optical pair; {@code levelsPerSample} ({@link #levelsPerSample}) puts samples on the cloud and
   * haze mask's levels, NaN for no mask.
   */
  public static Result optical(Grid grid, Optical after, Optical before, double levelsPerSample, String beforeSha256,
                               double overlapShare, long startNanos) {
    List<Found> found = new ArrayList<>();
    boolean swir = after.swir() != null && before.swir() != null;
    ChangeRules.Layers water = swir
        ? ChangeRules.newWater(after.green(), after.swir(), before.green(), before.swir(), grid.width(),
            grid.height(), levelsPerSample)
        : ChangeRules.newWater(after.green(), after.nir(), before.green(), before.nir(), grid.width(),
            grid.height(), levelsPerSample);
    found.add(found("new_water", AnalysisBuilder.FLOOD, water.changed(), grid));
    if (after.red() != null && after.nir() != null && before.red() != null && before.nir() != null) {
      int n = grid.width() * grid.height();
      float[] ndviChange = new float[n];
      float[] brightening = new float[n];
      float[] other = swir ? after.swir() : after.nir();
      for (int i = 0; i < n; i++) {
        // Water now is not a landslide (a flood also loses NDVI, and turbid water can brighten the visible bands).
        boolean waterNow = ChangeRules.waterIndex(after.green()[i], other[i]) >= ChangeRules.WATER_INDEX;
        ndviChange[i] = waterNow ? Float.NaN
            : ndvi(after.nir()[i], after.red()[i]) - ndvi(before.nir()[i], before.red()[i]);
        brightening[i] = (after.red()[i] + after.green()[i]) / 2 - (before.red()[i] + before.green()[i]) / 2;
      }
      LandslideChange.Result slides = LandslideChange.detect(ndviChange, brightening, grid.width(), grid.height(),
          LandslideChange.Rule.DEFAULT);
      found.add(new Found("landslide", AnalysisBuilder.LANDSLIDE, slides, LandslideChange.Rule.DEFAULT.minPixels(),
          grid));
    }
    return result(grid, found, water.waterBefore(), water.clearShare(), beforeSha256, "optical", overlapShare,
        startNanos);
  }

  /** The change of a radar pair (VV after and before; {@code eightBit}: an 8-bit rendering, else dB or linear). */
  public static Result radar(Grid grid, float[] vvAfter, float[] vvBefore, boolean eightBit, String beforeSha256,
                             double overlapShare, long startNanos) {
    ChangeRules.Layers drop = ChangeRules.backscatterDrop(vvAfter, vvBefore, eightBit, grid.width(),
        grid.height());
    return result(grid, List.of(found("backscatter_drop", AnalysisBuilder.FLOOD, drop.changed(), grid)),
        drop.waterBefore(), drop.clearShare(), beforeSha256, "radar", overlapShare, startNanos);
  }

  private static float ndvi(float nir, float red) {
    float sum = nir + red;
    return sum > 0 ? (nir - red) / sum : Float.NaN;
  }

  /** One rule's regions (speckle dropped) on the grid; {@code minPixels} is the rule's smallest region. */
  private record Found(String kind, String hazard, LandslideChange.Result regions, int minPixels, Grid grid) {}

  private static Found found(String kind, String hazard, boolean[] changed, Grid grid) {
    return new Found(kind, hazard, LandslideChange.regions(changed, null, grid.width(), grid.height(),
        ChangeRules.MIN_PIXELS), ChangeRules.MIN_PIXELS, grid);
  }

  private static Result result(Grid grid, List<Found> found, boolean[] waterBefore, double clearShare,
                               String beforeSha256, String sensor, double overlapShare, long startNanos) {
    MaskGrid maskGrid = new MaskGrid(grid.width(), grid.height(), grid.reference());
    double pixelM = maskGrid.pixelSizeM();
    List<ChangeSection.Layer> layers = new ArrayList<>();
    List<AnalysisBuilder.Corroboration> corroborations = new ArrayList<>();
    for (Found f : found) {
      // Simplified at one grid pixel (the outline keeps the shape a pixel wide, without a vertex per pixel corner);
      // the rule's own smallest region, so that every region the layer counts is drawn (landslides keep 20 px).
      MaskPolygonizer polygonizer = new MaskPolygonizer(pixelM, f.minPixels());
      float[] levels = new float[grid.width() * grid.height()];
      boolean[] mask = f.regions().mask();
      for (int i = 0; i < levels.length; i++) {
        levels[i] = mask[i] ? 1f : 0f;
      }
      FloodExtent extent = polygonizer.extent(SceneMask.ofProbabilities(grid.width(), grid.height(), levels),
          maskGrid, 0.5);
      List<ChangeSection.Area> areas = new ArrayList<>();
      for (FloodPolygon polygon : extent.polygons()) {
        areas.add(new ChangeSection.Area(rings(polygon.wgs84()), polygon.areaKm2()));
      }
      layers.add(new ChangeSection.Layer(f.kind(), f.hazard(), extent.floodedKm2(), f.regions().regions().size(),
          areas));
      for (LandslideChange.Region region : f.regions().regions()) {
        corroborations.add(new AnalysisBuilder.Corroboration(f.hazard(), region.x1() * grid.sceneStepX(),
            region.y1() * grid.sceneStepY(), region.x2() * grid.sceneStepX(), region.y2() * grid.sceneStepY(),
            HazardEvidence.CorroborationSource.CHANGE_RULE));
      }
    }
    long water = 0;
    for (boolean w : waterBefore) {
      water += w ? 1 : 0;
    }
    ChangeSection section = new ChangeSection(beforeSha256, sensor, "nearest", overlapShare, grid.width(),
        grid.height(), pixelM, (double) water / waterBefore.length, clearShare,
        clearShare >= ChangeRules.MIN_CLEAR_SHARE, layers, (System.nanoTime() - startNanos) / 1e6);
    return new Result(section, corroborations, new WaterBefore(waterBefore, grid));
  }

  /** A WGS84 polygon's rings as {longitude, latitude} points, outer ring first. */
  private static List<List<double[]>> rings(Polygon polygon) {
    List<List<double[]>> rings = new ArrayList<>();
    rings.add(points(polygon.getExteriorRing()));
    for (int i = 0; i < polygon.getNumInteriorRing(); i++) {
      rings.add(points(polygon.getInteriorRingN(i)));
    }
    return rings;
  }

  private static List<double[]> points(LineString ring) {
    List<double[]> points = new ArrayList<>();
    for (Coordinate c : ring.getCoordinates()) {
      points.add(new double[] {c.x, c.y});
    }
    return points;
  }
}
