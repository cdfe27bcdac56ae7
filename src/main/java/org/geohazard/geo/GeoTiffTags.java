package org.geohazard.geo;

/**
 * The georeferencing fields of a GeoTIFF exactly as stored, for {@code org.geohazard.geo.GeoReference} to
 * interpret. Absent fields are empty arrays (or an empty string); the arrays are the reader's own copies.
 *
 * @param modelPixelScale ModelPixelScaleTag (33550): ScaleX, ScaleY, ScaleZ
 * @param modelTiepoints ModelTiepointTag (33922): groups of I, J, K, X, Y, Z
 * @param modelTransformation ModelTransformationTag (34264): a 4 × 4 matrix, row by row
 * @param geoKeyDirectory GeoKeyDirectoryTag (34735): header of 4 shorts, then 4 shorts per key
 * @param geoDoubleParams GeoDoubleParamsTag (34736)
 * @param geoAsciiParams GeoAsciiParamsTag (34737)
 */
public record GeoTiffTags(double[] modelPixelScale, double[] modelTiepoints, double[] modelTransformation,
                          int[] geoKeyDirectory, double[] geoDoubleParams, String geoAsciiParams) {

  public static final GeoTiffTags NONE =
      new GeoTiffTags(new double[0], new double[0], new double[0], new int[0], new double[0], "");

  public GeoTiffTags {
    if (modelPixelScale == null || modelTiepoints == null || modelTransformation == null || geoKeyDirectory == null
        || geoDoubleParams == null || geoAsciiParams == null) {
      throw new IllegalArgumentException("absent GeoTIFF fields are empty, not null");
    }
  }

  /** Whether the file places its pixels on the earth at all (tie point and scale, or a transformation). */
  public boolean georeferenced() {
    return modelTransformation.length >= 16 || (modelTiepoints.length >= 6 && modelPixelScale.length >= 2);
  }
}
