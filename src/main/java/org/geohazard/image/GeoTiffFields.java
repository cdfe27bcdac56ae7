package org.geohazard.image;

import static org.geohazard.image.TiffTag.GDAL_NODATA;
import static org.geohazard.image.TiffTag.GEO_ASCII_PARAMS;
import static org.geohazard.image.TiffTag.GEO_DOUBLE_PARAMS;
import static org.geohazard.image.TiffTag.GEO_KEY_DIRECTORY;
import static org.geohazard.image.TiffTag.MODEL_PIXEL_SCALE;
import static org.geohazard.image.TiffTag.MODEL_TIEPOINT;
import static org.geohazard.image.TiffTag.MODEL_TRANSFORMATION;

import java.io.IOException;
import java.util.OptionalDouble;
import org.geohazard.geo.GeoTiffTags;

/** The GeoTIFF fields of a first image directory that a raster reports: its georeferencing and GDAL's no-data. */
final class GeoTiffFields {

  private GeoTiffFields() {}

  /**
   * The GDAL_NODATA value (tag 42113, ASCII) if present and a number; "nan" in either sign is NaN. A value that
   * does not parse is no no-data, as GDAL reads it.
   */
  static OptionalDouble noData(TiffDirectory directory) throws IOException, InvalidImageException {
    if (!directory.has(GDAL_NODATA)) {
      return OptionalDouble.empty();
    }
    String text = directory.ascii(GDAL_NODATA).trim();
    if (text.equalsIgnoreCase("nan") || text.equalsIgnoreCase("-nan")) {
      return OptionalDouble.of(Double.NaN);
    }
    try {
      return OptionalDouble.of(Double.parseDouble(text));
    } catch (NumberFormatException e) {
      return OptionalDouble.empty(); // GDAL ignores a nodata it cannot parse too
    }
  }

  /** The model tie points, scale or transformation and the GeoKey directory with its parameters; empty if absent. */
  static GeoTiffTags geoTags(TiffDirectory directory) throws IOException, InvalidImageException {
    double[] none = new double[0];
    long[] keys = directory.has(GEO_KEY_DIRECTORY) ? directory.longs(GEO_KEY_DIRECTORY) : new long[0];
    int[] keyShorts = new int[keys.length];
    for (int i = 0; i < keys.length; i++) {
      keyShorts[i] = (int) keys[i];
    }
    return new GeoTiffTags(
        directory.has(MODEL_PIXEL_SCALE) ? directory.doubles(MODEL_PIXEL_SCALE) : none,
        directory.has(MODEL_TIEPOINT) ? directory.doubles(MODEL_TIEPOINT) : none,
        directory.has(MODEL_TRANSFORMATION) ? directory.doubles(MODEL_TRANSFORMATION) : none,
        keyShorts,
        directory.has(GEO_DOUBLE_PARAMS) ? directory.doubles(GEO_DOUBLE_PARAMS) : none,
        directory.has(GEO_ASCII_PARAMS) ? directory.ascii(GEO_ASCII_PARAMS) : "");
  }
}
