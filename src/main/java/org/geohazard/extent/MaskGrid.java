package org.geohazard.extent;

import org.geohazard.geo.GeoReference;
import org.geohazard.geo.UnsupportedGeoReferenceException;

/**
 * The pixel grid of a scene's flood mask and where it lies: the mask is computed at the model's ground sample
 * distance, so its grid is the scene's grid scaled, with a georeference of its own in the scene's CRS.
 *
 * @param width mask columns
 * @param height mask rows
 * @param reference mask pixel (GDAL convention: (0, 0) the upper-left corner) → CRS → WGS84
 */
public record MaskGrid(int width, int height, GeoReference reference) {

  public MaskGrid {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("a mask grid has at least one pixel: " + width + " x " + height);
    }
    if (reference == null) {
      throw new IllegalArgumentException("a mask grid needs its georeference");
    }
  }

  /**
   * The grid of a {@code sceneWidth} × {@code sceneHeight} scene resampled to {@code modelGsdM} metres per pixel
   * (the scene's own ground sample distance is measured at its centre, as the detection pass does). The mask covers
   * the same ground as the scene: its pixels are the scene's extent divided into the rounded pixel counts.
   */
  public static MaskGrid atModelScale(GeoReference scene, int sceneWidth, int sceneHeight, double modelGsdM)
      throws UnsupportedGeoReferenceException {
    if (!(modelGsdM > 0)) {
      throw new IllegalArgumentException("the model's ground sample distance must be positive: " + modelGsdM);
    }
    double factor = scene.groundSampleDistanceM(sceneWidth, sceneHeight) / modelGsdM;
    int width = Math.max(1, (int) Math.round(sceneWidth * factor));
    int height = Math.max(1, (int) Math.round(sceneHeight * factor));
    return new MaskGrid(width, height, scaled(scene, (double) sceneWidth / width, (double) sceneHeight / height));
  }

  /** A grid whose pixel (c, r) is the scene's point (c · columnStep, r · rowStep). */
  static GeoReference scaled(GeoReference scene, double columnStep, double rowStep)
      throws UnsupportedGeoReferenceException {
    double[] origin = scene.toCrs(0, 0);
    double[] right = scene.toCrs(columnStep, 0);
    double[] down = scene.toCrs(0, rowStep);
    return GeoReference.ofGeoTransform(scene.epsg(), scene.projected(), origin[0], right[0] - origin[0],
        down[0] - origin[0], origin[1], right[1] - origin[1], down[1] - origin[1]);
  }

  /** The CRS affine {a, b, c, d, e, f}: x = a·column + b·row + c, y = d·column + e·row + f. */
  double[] affine() {
    double[] origin = reference.toCrs(0, 0);
    double[] right = reference.toCrs(1, 0);
    double[] down = reference.toCrs(0, 1);
    return new double[] {right[0] - origin[0], down[0] - origin[0], origin[0],
        right[1] - origin[1], down[1] - origin[1], origin[1]};
  }

  /** Metres on the ground per mask pixel at the grid's centre. */
  public double pixelSizeM() {
    return reference.groundSampleDistanceM(width, height);
  }
}
