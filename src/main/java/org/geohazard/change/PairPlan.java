package org.geohazard.change;

import java.util.Locale;
import java.util.Optional;
import org.geohazard.detection.SceneView;
import org.geohazard.detection.Sensor;
import org.geohazard.geo.GeoReference;
import org.geohazard.geo.UnsupportedGeoReferenceException;
import org.geohazard.image.GeoTiffRaster;
import org.geohazard.image.SampleType;

/**
 * Whether two scenes make a before/after pair the node can compare, and how: the one check the API makes before
 * accepting {@code before_image_id} (a refusal is a 4xx, nothing stored) and inference makes again when it reads
 * the pair. Plain and immutable.
 *
 * <p>Both scenes must be georeferenced rasters in one CRS, the before scene covering at least
 * {@link #MIN_OVERLAP} of the after scene, and of one sensor family: radar (Sentinel-1 VV; both dB/linear floats
 * or both 8-bit renderings) or one optical stack the node knows the bands of (Sentinel-2 L1C/L2A, Landsat 8/9, 7:
 * {@link Sensor#bands}) with the same band count. The rules run on the after scene's grid, downsampled when a
 * side is longer than {@link #MAX_GRID_SIDE} (bounded memory: at most 4 Mpx per band).
 *
 * @param radar a radar pair (else optical)
 * @param eightBit radar samples are an 8-bit rendering (else dB or linear floats)
 * @param swirNirGreen optical: 1-based SWIR, NIR, green bands
 * @param red optical: 1-based red band
 * @param grid the grid the rules run on
 * @param coRegistration the grid's pixels in the before scene
 * @param overlapShare the share of the grid the before scene covers
 */
public record PairPlan(boolean radar, boolean eightBit, int[] swirNirGreen, int red, PairChange.Grid grid,
                       CoRegistration coRegistration, double overlapShare) {

  /** The before scene must cover at least this share of the after scene. */
  public static final double MIN_OVERLAP = 0.5;
  public static final int MAX_GRID_SIDE = 2048;

  /**
   * One scene as the check sees it: its size, bands, whether samples are floats, the sensor the caller named (or
   * none), and its georeference (empty: none this node reads).
   */
  public record SceneFacts(int width, int height, int bands, boolean floatingPoint, Optional<Sensor> namedSensor,
                           Optional<GeoReference> georeference) {}

  /** The facts the check reads of a raster: its header only, no pixels. */
  public static SceneFacts factsOf(GeoTiffRaster raster, Optional<Sensor> named) {
    Optional<GeoReference> reference;
    try {
      reference = GeoReference.from(raster.geoTags());
    } catch (UnsupportedGeoReferenceException e) {
      reference = Optional.empty();
    }
    boolean floating = raster.sampleType() == SampleType.FLOAT32 || raster.sampleType() == SampleType.FLOAT64;
    return new SceneFacts(raster.width(), raster.height(), raster.bandCount(), floating, named, reference);
  }

  /**
   * The plan for comparing {@code after} with {@code before}.
   *
   * @throws CoRegistration.Refused with the reason the two cannot be compared (a 4xx for the caller)
   */
  public static PairPlan of(SceneFacts after, SceneFacts before) throws CoRegistration.Refused {
    GeoReference afterRef = after.georeference().orElseThrow(() -> new CoRegistration.Refused(
        "this scene has no georeference this node reads; a before/after pair needs two georeferenced GeoTIFFs"));
    GeoReference beforeRef = before.georeference().orElseThrow(() -> new CoRegistration.Refused(
        "the before scene has no georeference this node reads; a before/after pair needs two georeferenced GeoTIFFs"));
    Optional<Sensor> afterSensor = after.namedSensor().or(() -> Sensor.guess(after.bands(), after.floatingPoint()));
    // The before upload's own hint, else its layout, else the after's hint when the layouts are alike.
    Optional<Sensor> beforeSensor = before.namedSensor().or(() -> Sensor.guess(before.bands(), before.floatingPoint()))
        .or(() -> before.bands() == after.bands() ? afterSensor : Optional.empty());
    boolean radar = afterSensor.map(Sensor::radar).orElse(false);
    if (radar != beforeSensor.map(Sensor::radar).orElse(false)) {
      throw new CoRegistration.Refused("the two scenes are of different sensor families ("
          + (radar ? "radar" : "optical") + " now, " + (radar ? "optical" : "radar") + " before); a pair compares"
          + " radar with radar or one optical stack with the same stack");
    }
    int[] snG = null;
    int red = 0;
    if (radar) {
      if (after.floatingPoint() != before.floatingPoint()) {
        throw new CoRegistration.Refused("one radar scene is in floats (dB) and the other an 8-bit rendering; they"
            + " cannot be compared");
      }
    } else {
      Sensor sensor = afterSensor.orElseThrow(() -> new CoRegistration.Refused("the node does not know which bands"
          + " of this " + after.bands() + "-band scene are green, NIR and SWIR; a before/after pair needs a"
          + " Sentinel-2 (12 or 13 bands) or Landsat stack, or Sentinel-1 radar (name it with 'sensor')"));
      if (before.bands() != after.bands() || beforeSensor.orElse(null) != sensor) {
        throw new CoRegistration.Refused("the before scene is not the same stack (" + before.bands() + " bands, "
            + beforeSensor.map(Sensor::wireName).orElse("unknown sensor") + ") as this scene (" + after.bands()
            + " bands, " + sensor.wireName() + ")");
      }
      snG = sensor.bands(SceneView.SWIR_NIR_GREEN, after.bands()).orElseThrow(() -> new CoRegistration.Refused(
          "a " + after.bands() + "-band " + sensor.wireName() + " stack has no SWIR/NIR/green bands the node knows"));
      red = sensor.bands(SceneView.TRUE_COLOUR, after.bands()).map(b -> b[0]).orElse(0);
    }
    double factor = Math.min(1.0, (double) MAX_GRID_SIDE / Math.max(after.width(), after.height()));
    int width = Math.max(1, (int) Math.round(after.width() * factor));
    int height = Math.max(1, (int) Math.round(after.height() * factor));
    double stepX = (double) after.width() / width;
    double stepY = (double) after.height() / height;
    GeoReference gridRef;
    try {
      double[] origin = afterRef.toCrs(0, 0);
      double[] right = afterRef.toCrs(stepX, 0);
      double[] down = afterRef.toCrs(0, stepY);
      gridRef = GeoReference.ofGeoTransform(afterRef.epsg(), afterRef.projected(), origin[0], right[0] - origin[0],
          down[0] - origin[0], origin[1], right[1] - origin[1], down[1] - origin[1]);
    } catch (UnsupportedGeoReferenceException e) {
      throw new CoRegistration.Refused("this scene's CRS cannot be used: " + e.getMessage());
    }
    CoRegistration coRegistration = CoRegistration.of(gridRef, width, height, beforeRef, before.width(),
        before.height());
    double overlap = coRegistration.overlapShare();
    if (overlap < MIN_OVERLAP) {
      throw new CoRegistration.Refused(String.format(Locale.ROOT, "the before scene covers %.0f %% of"
          + " this scene; a pair needs at least %.0f %%", overlap * 100, MIN_OVERLAP * 100));
    }
    return new PairPlan(radar, radar && !after.floatingPoint(), snG, red,
        new PairChange.Grid(width, height, gridRef, stepX, stepY), coRegistration, overlap);
  }
}
