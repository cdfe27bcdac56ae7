package org.geohazard.detection;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Decides which served models look at an image, through which bands, and at what ground scale: one
 * {@link Pass} per model that can see the image.
 *
 * <ul>
 *   <li>The caller named bands: one pass, with those bands, by the first colour model (the caller's
 *       choice is the view; it is not second-guessed).
 *   <li>A multispectral raster whose sensor is known (named by the caller, or a 13-band Sentinel-2 stack), or a
 *       radar raster (Sentinel-1, named or guessed from one or two floating-point bands): every model whose
 *       view the sensor's band recipe can make, each with its own bands. A radar scene no served model can
 *       see falls through to the colour models, which see its VV band as grey.
 *   <li>Otherwise (JPEG, PNG, a 1-3 band raster, or a stack of unknown layout): the colour models, with
 *       the node's default bands for rasters.
 * </ul>
 * Each pass resamples the image to its model's training ground sample distance when both are known, keeps
 * the image's own resolution when only the image's is known (scale 1), and leaves the scale unknown for
 * a picture without one (then the slicing rules for an unknown scale apply).
 */
public final class ViewPlanner {

  /** What the node knows of an image before its pixels are read. */
  public record ImageFacts(int bandCount, boolean raster, Optional<Sensor> sensor, String requestedBands,
                           OptionalDouble gsdM) {}

  /**
   * How one model sees the image.
   *
   * @param model index into the served models
   * @param bands 1-based bands for a raster, or null for the node's default choice (and for pictures)
   * @param scale model pixels per image pixel (image GSD / model GSD), empty when the image's is unknown
   */
  public record Pass(int model, int[] bands, OptionalDouble scale) {}

  private ViewPlanner() {}

  public static List<Pass> plan(List<ModelProfile> models, ImageFacts image) {
    if (models.isEmpty()) {
      throw new IllegalArgumentException("no models to plan for");
    }
    List<Pass> passes = new ArrayList<>();
    boolean multispectral = image.raster() && image.bandCount() > 3;
    Optional<Sensor> sensor = image.sensor().or(() -> multispectral ? Sensor.guess(image.bandCount()) : Optional.empty());
    boolean namedBands = image.requestedBands() != null && !image.requestedBands().isBlank();
    boolean radar = image.raster() && sensor.map(Sensor::radar).orElse(false);
    if (!namedBands && (multispectral || radar) && sensor.isPresent()) {
      for (int i = 0; i < models.size(); i++) {
        int model = i;
        sensor.get().bands(models.get(i).view(), image.bandCount())
            .ifPresent(bands -> passes.add(new Pass(model, bands, scale(models.get(model), image))));
      }
      if (!passes.isEmpty()) {
        return passes;
      }
    }
    for (int i = 0; i < models.size(); i++) {
      if (models.get(i).view().isColour()) {
        passes.add(new Pass(i, null, scale(models.get(i), image)));
        if (namedBands) {
          break;
        }
      }
    }
    if (passes.isEmpty()) {
      // Only spectral models are served and the image has no bands for them: the first one sees what there is.
      passes.add(new Pass(0, null, scale(models.get(0), image)));
    }
    return passes;
  }

  private static OptionalDouble scale(ModelProfile model, ImageFacts image) {
    if (image.gsdM().isEmpty()) {
      return OptionalDouble.empty();
    }
    // A scene of known scale keeps its own resolution for a model that states none (native tiles).
    return OptionalDouble.of(model.gsdM().isEmpty() ? 1.0 : image.gsdM().getAsDouble() / model.gsdM().getAsDouble());
  }
}
