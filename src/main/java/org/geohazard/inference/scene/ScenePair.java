package org.geohazard.inference.scene;

import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalDouble;
import org.geohazard.bus.ImageClaim;
import org.geohazard.change.CoRegistration;
import org.geohazard.change.PairChange;
import org.geohazard.change.PairPlan;
import org.geohazard.detection.Sensor;
import org.geohazard.image.BandStretch;
import org.geohazard.image.GeoTiffRaster;
import org.geohazard.image.InvalidImageException;
import org.geohazard.image.RgbImage;
import org.geohazard.image.SarComposite;

/**
 * A scene with its before scene: the bands the change rules need, both read onto the scene's grid
 * ({@link PairPlan}: downsampled past 2048 pixels a side; the before scene co-registered on the georeference,
 * nearest neighbour), the change found ({@link PairChange}), and for radar the before VV the radar model sees
 * beside the scene's ({@link SarComposite#pair}: its trained pair form). Read once on a preprocessing thread when
 * the scene opens; the before file can go as soon as this exists.
 */
public final class ScenePair {

  private final PairPlan plan;
  private final PairChange.Result change;
  /** Radar: the before VV on the grid (NaN outside the before scene), and its own stretch; null for optical. */
  private final float[] beforeVv;
  private final BandStretch beforeStretch;

  private ScenePair(PairPlan plan, PairChange.Result change, float[] beforeVv, BandStretch beforeStretch) {
    this.plan = plan;
    this.change = change;
    this.beforeVv = beforeVv;
    this.beforeStretch = beforeStretch;
  }

  /** What the pair's change adds to the analysis. */
  public PairChange.Result change() {
    return change;
  }

  /**
   * Reads the pair and finds its change.
   *
   * @throws CoRegistration.Refused when the two scenes cannot be compared (the API checks this before accepting)
   */
  public static ScenePair read(ImageClaim claim, SceneSource after, GeoTiffRaster before, String beforeSha256,
                               long startNanos) throws IOException, InvalidImageException, CoRegistration.Refused {
    if (!(after instanceof SceneSource.RasterScene scene)) {
      throw new CoRegistration.Refused("this scene is not a GeoTIFF the window reader takes; a pair needs two");
    }
    GeoTiffRaster raster = scene.geoTiff();
    PairPlan plan = PairPlan.of(PairPlan.factsOf(raster, Optional.ofNullable(claim.sensor()).map(Sensor::fromWire)),
        PairPlan.factsOf(before, Optional.empty()));
    PairChange.Grid grid = plan.grid();
    int[] bands = plan.radar() ? new int[] {0} : plan.red() > 0
        ? new int[] {plan.swirNirGreen()[2] - 1, plan.swirNirGreen()[0] - 1, plan.swirNirGreen()[1] - 1, plan.red() - 1}
        : new int[] {plan.swirNirGreen()[2] - 1, plan.swirNirGreen()[0] - 1, plan.swirNirGreen()[1] - 1};
    int n = grid.width() * grid.height();
    float[] now = new float[n * bands.length];
    raster.readWindow(0, 0, raster.width(), raster.height(), bands, grid.width(), grid.height(), now);
    missing(now, raster.noData());
    float[][] was = beforeOnGrid(plan, before, bands);
    float[][] is = new float[bands.length][];
    for (int b = 0; b < bands.length; b++) {
      is[b] = Arrays.copyOfRange(now, b * n, (b + 1) * n);
    }
    if (plan.radar()) {
      PairChange.Result change = PairChange.radar(grid, is[0], was[0], plan.eightBit(), beforeSha256,
          plan.overlapShare(), startNanos);
      BandStretch stretch = BandStretch.fromSamples(new int[] {0}, was[0], n, before.sampleType(),
          OptionalDouble.empty());
      return new ScenePair(plan, change, was[0], stretch);
    }
    PairChange.Optical afterBands = new PairChange.Optical(is[0], is[1], is[2], bands.length > 3 ? is[3] : null);
    PairChange.Optical beforeBands = new PairChange.Optical(was[0], was[1], was[2], bands.length > 3 ? was[3] : null);
    double levels = PairChange.levelsPerSample(raster.sampleType(), before.sampleType(), raster.bandCount());
    return new ScenePair(plan, PairChange.optical(grid, afterBands, beforeBands, levels, beforeSha256,
        plan.overlapShare(), startNanos), null, null);
  }

  /** The before scene's bands on the grid: the window it covers read at about the grid's scale, then resampled. */
  private static float[][] beforeOnGrid(PairPlan plan, GeoTiffRaster before, int[] bands)
      throws IOException, InvalidImageException {
    CoRegistration co = plan.coRegistration();
    int[] window = co.beforeWindow();
    // Read at no more than twice the grid's side (a larger before scene is sampled, never read whole at full size).
    double shrink = Math.min(1.0, 2.0 * PairPlan.MAX_GRID_SIDE / Math.max(window[2], window[3]));
    int ow = Math.max(1, (int) Math.round(window[2] * shrink));
    int oh = Math.max(1, (int) Math.round(window[3] * shrink));
    float[] samples = new float[ow * oh * bands.length];
    before.readWindow(window[0], window[1], window[2], window[3], bands, ow, oh, samples);
    missing(samples, before.noData());
    float[][] out = new float[bands.length][];
    for (int b = 0; b < bands.length; b++) {
      out[b] = co.resample(Arrays.copyOfRange(samples, b * ow * oh, (b + 1) * ow * oh), window[0], window[1],
          window[2], window[3], ow, oh);
    }
    return out;
  }

  private static void missing(float[] samples, OptionalDouble noData) {
    if (noData.isPresent()) {
      float value = (float) noData.getAsDouble();
      for (int i = 0; i < samples.length; i++) {
        if (samples[i] == value) {
          samples[i] = Float.NaN;
        }
      }
    }
  }

  /** Whether the radar model should see this pair's before VV (a radar pair). */
  boolean radar() {
    return plan.radar();
  }

  /**
   * The radar view of a window with the before scene: the scene's VV (as {@code vv} reads it) beside the before
   * VV sampled at the same ground (nearest grid pixel), stretched on its own as the training tiles were.
   */
  RgbImage radarView(RgbImage vv, SceneWindow window) {
    PairChange.Grid grid = plan.grid();
    int ow = window.outputWidth();
    int oh = window.outputHeight();
    float[] samples = new float[ow * oh];
    double sx = (double) window.width() / ow;
    double sy = (double) window.height() / oh;
    for (int oy = 0; oy < oh; oy++) {
      int gy = Math.min(grid.height() - 1, (int) ((window.y() + (oy + 0.5) * sy) / grid.sceneStepY()));
      for (int ox = 0; ox < ow; ox++) {
        int gx = Math.min(grid.width() - 1, (int) ((window.x() + (ox + 0.5) * sx) / grid.sceneStepX()));
        samples[oy * ow + ox] = beforeVv[gy * grid.width() + gx];
      }
    }
    return SarComposite.pair(vv, beforeStretch.toRgb(samples, ow, oh));
  }
}
