package org.geohazard.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.Raster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.geohazard.SharedData;
import org.geohazard.image.GeoTiffRaster;
import org.geohazard.image.SampleType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Conformance against the real GeoTIFFs in {@code ../shared/data/geotiff/} and the coordinates its README lists,
 * computed with GDAL 3.6. Skips, saying why, where the folder is absent; the fixture-based tests cover the same
 * code on their own.
 */
class SharedGeoTiffConformanceTest {

  private static final String LANDSAT8 = "geotiff/r-cran-satellite/LC08_L1TP_195025_20130707_20170503_01_T1_";
  private static final String KAIKOURA = "geotiff/kaikoura-landslides/satellite_imagery/image_difference/";
  private static final List<String> REPORT = new ArrayList<>();

  static Stream<Arguments> files() {
    return Stream.of(
        Arguments.of("geotiff/rasterio/RGB.byte.tif", 791, 718, 3, SampleType.UINT8),
        Arguments.of("geotiff/rasterio/rgb-byte-tenth.tif", 79, 71, 3, SampleType.UINT8),
        Arguments.of("geotiff/rasterio/world.rgb.tif", 512, 256, 3, SampleType.UINT8),
        Arguments.of("geotiff/r-cran-stars/L7_ETMs.tif", 349, 352, 6, SampleType.UINT8),
        Arguments.of(LANDSAT8 + "B2.TIF", 41, 41, 1, SampleType.INT16),
        Arguments.of(LANDSAT8 + "B3.TIF", 41, 41, 1, SampleType.INT16),
        Arguments.of(LANDSAT8 + "B4.TIF", 41, 41, 1, SampleType.INT16),
        Arguments.of(LANDSAT8 + "B5.TIF", 41, 41, 1, SampleType.INT16),
        Arguments.of("geotiff/r-cran-terra/elev.tif", 95, 90, 1, SampleType.INT16),
        Arguments.of("geotiff/sen1floods11/sample/S2/Spain_7370579_S2Hand.tif", 512, 512, 13, SampleType.INT16),
        Arguments.of("geotiff/sen1floods11/sample/S1/Spain_7370579_S1Hand.tif", 512, 512, 2, SampleType.FLOAT32),
        Arguments.of("geotiff/sen1floods11/sample/Labels/Spain_7370579_LabelHand.tif", 512, 512, 1,
            SampleType.INT16),
        // The README says 514×516 for both change rasters; this one has 515 rows (GDAL and javax.imageio agree).
        Arguments.of(KAIKOURA + "diff_landslide_69.tif", 514, 515, 3, SampleType.FLOAT32),
        Arguments.of(KAIKOURA + "diff_landslide_70.tif", 514, 516, 3, SampleType.FLOAT32));
  }

  /** The README's table: file, pixel (col,row), projected x, y (NaN where not given), lon, lat. */
  static Stream<Arguments> referencePoints() {
    double none = Double.NaN;
    return Stream.of(
        Arguments.of("geotiff/rasterio/RGB.byte.tif", 0, 0, 101985, 2826915, -78.958650, 25.506087),
        Arguments.of("geotiff/rasterio/RGB.byte.tif", 395, 359, 220499.981, 2719200, -77.759386, 24.561556),
        Arguments.of("geotiff/rasterio/RGB.byte.tif", 791, 718, 339315, 2611485, -76.574924, 23.605947),
        Arguments.of(KAIKOURA + "diff_landslide_70.tif", 0, 0, 704970, 5315360, 173.486086, -42.287042),
        Arguments.of(KAIKOURA + "diff_landslide_70.tif", 257, 258, 707540, 5312780, 173.518154, -42.309576),
        Arguments.of(KAIKOURA + "diff_landslide_70.tif", 514, 516, 710110, 5310200, 173.550244, -42.332100),
        Arguments.of(LANDSAT8 + "B4.TIF", 0, 0, 483285, 5628525, 8.762768, 50.808216),
        Arguments.of(LANDSAT8 + "B4.TIF", 41, 41, 484515, 5627295, 8.780277, 50.797190),
        Arguments.of("geotiff/r-cran-stars/L7_ETMs.tif", 0, 0, 288776.25, 9120760.75, -34.916166, -7.949822),
        Arguments.of("geotiff/r-cran-stars/L7_ETMs.tif", 349, 352, 298722.75, 9110728.75, -34.826369, -8.040927),
        Arguments.of("geotiff/sen1floods11/sample/S2/Spain_7370579_S2Hand.tif", 256, 256, none, none, -0.758897,
            38.105816),
        Arguments.of("geotiff/r-cran-terra/elev.tif", 95, 90, none, none, 6.533333, 49.441667),
        // Not in the README: the tenth-size copy shares RGB.byte.tif's tie point, so its corner is GDAL's 0,0 there.
        // It spells WGS 84 / UTM 18N as a user-defined CRS (UTM projection code 16018 on the WGS84 ellipsoid).
        Arguments.of("geotiff/rasterio/rgb-byte-tenth.tif", 0, 0, 101985, 2826915, -78.958650, 25.506087));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void readsEveryListedFileWithItsSizeBandsAndSampleTypeAndTheSamePixelsAsImageIo(String relativePath, int width,
      int height, int bands, SampleType type) throws Exception {
    Path file = SharedData.require(relativePath);
    try (GeoTiffRaster raster = GeoTiffRaster.open(file)) {
      assertThat(raster.width()).isEqualTo(width);
      assertThat(raster.height()).isEqualTo(height);
      assertThat(raster.bandCount()).isEqualTo(bands);
      assertThat(raster.sampleType()).isEqualTo(type);
      assertThat(raster.geoTags().georeferenced()).isTrue();
      assertThat(GeoReference.from(raster.geoTags())).isPresent();

      // Every sample of every band, against javax.imageio's decoder (an independent LZW/DEFLATE implementation).
      Raster expected = imageIoRaster(file);
      int[] all = new int[bands];
      for (int b = 0; b < bands; b++) {
        all[b] = b;
      }
      float[] ours = new float[width * height * bands];
      raster.readWindow(0, 0, width, height, all, ours);
      float[] row = new float[width];
      for (int b = 0; b < bands; b++) {
        for (int y = 0; y < height; y++) {
          expected.getSamples(0, y, width, 1, b, row);
          for (int x = 0; x < width; x++) {
            float theirs = type == SampleType.INT16 ? (short) row[x] : row[x]; // ImageIO may widen int16 unsigned
            float mine = ours[(b * height + y) * width + x];
            if (!(Float.isNaN(theirs) && Float.isNaN(mine))) {
              assertThat(mine).as("%s band %d pixel %d,%d", relativePath, b, x, y).isEqualTo(theirs);
            }
          }
        }
      }
    }
  }

  @ParameterizedTest(name = "{0} pixel {1},{2}")
  @MethodSource("referencePoints")
  void mapsPixelsToWgs84AsGdalDoes(String relativePath, int column, int row, double x, double y, double lon,
      double lat) throws Exception {
    Path file = SharedData.require(relativePath);
    try (GeoTiffRaster raster = GeoTiffRaster.open(file)) {
      GeoReference reference = GeoReference.from(raster.geoTags()).orElseThrow();
      if (!Double.isNaN(x)) {
        double[] crs = reference.toCrs(column, row);
        assertThat(crs[0]).isCloseTo(x, within(0.01));
        assertThat(crs[1]).isCloseTo(y, within(0.01));
      }
      LonLat position = reference.toWgs84(column, row);
      double error = Math.max(Math.abs(position.lon() - lon), Math.abs(position.lat() - lat));
      synchronized (REPORT) {
        REPORT.add(String.format(Locale.ROOT, "%-60s %4d,%-4d EPSG:%-5d max error %.2e°", relativePath, column, row,
            reference.epsg(), error));
      }
      assertThat(position.lon()).isCloseTo(lon, within(1e-6));
      assertThat(position.lat()).isCloseTo(lat, within(1e-6));
    }
  }

  @AfterAll
  static void printErrors() {
    // The per-point errors, for the closing note of a change to the geo code.
    REPORT.forEach(line -> System.out.println("[conformance] " + line));
  }

  private static Raster imageIoRaster(Path file) throws Exception {
    ImageReader reader = ImageIO.getImageReadersByFormatName("tiff").next();
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      reader.setInput(in);
      return reader.read(0).getRaster();
    } finally {
      reader.dispose();
    }
  }
}
