package org.geohazard.geo;

import java.util.Optional;
import org.geohazard.detection.Detection;

/**
 * A detection with its class name and, where the image is placed on the earth, its footprint. The pixel box is kept
 * in every case: it is what the model saw, and the only output for an image without georeferencing.
 */
public record GeoDetection(Detection box, String className, Optional<GeoFootprint> footprint) {

  public GeoDetection {
    if (box == null || className == null || footprint == null) {
      throw new IllegalArgumentException("box, className and footprint (possibly empty) are required");
    }
  }

  /** Places a pixel detection with {@code placement}, if there is one. */
  public static GeoDetection of(Detection box, String className, Optional<? extends PixelGeolocation> placement) {
    return new GeoDetection(box, className, placement.map(p ->
        DetectionGeometry.footprint(box.x1(), box.y1(), box.x2(), box.y2(), p)));
  }
}
