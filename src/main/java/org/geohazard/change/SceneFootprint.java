package org.geohazard.change;

import java.util.Locale;
import java.util.Objects;

/**
 * Where a stored scene lies and what took it, as kept with each upload so that a later scene of the same place can
 * be paired with it automatically ({@link AutoPairing}): its CRS, its envelope in that CRS (the four corners' bounds,
 * in the CRS's units), and its pairing family ({@link AutoPairing#familyOf}: two scenes of different families are
 * never compared).
 *
 * @param family e.g. {@code sentinel2-13} (an optical stack and its band count) or {@code sentinel1-float}
 * @param epsg the scene's CRS
 */
public record SceneFootprint(String family, int epsg, double minX, double minY, double maxX, double maxY) {

  public SceneFootprint {
    Objects.requireNonNull(family, "family");
    if (!(minX < maxX && minY < maxY)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "an empty footprint: x %s..%s, y %s..%s",
          minX, maxX, minY, maxY));
    }
  }

  public double area() {
    return (maxX - minX) * (maxY - minY);
  }

  /** The area this footprint and {@code other} share (0 when they do not meet). */
  public double sharedArea(SceneFootprint other) {
    double width = Math.min(maxX, other.maxX) - Math.max(minX, other.minX);
    double height = Math.min(maxY, other.maxY) - Math.max(minY, other.minY);
    return width <= 0 || height <= 0 ? 0 : width * height;
  }
}
