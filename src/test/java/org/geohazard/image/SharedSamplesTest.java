package org.geohazard.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Probes and decodes the real images kept beside the project in the shared data folder. That folder is not part
 * of the repository, so these tests skip, saying why, where it is absent; the other tests cover the same code
 * with fixtures of their own.
 */
class SharedSamplesTest {

  /**
   * The shared data folder: {@code -Dgeohazard.sharedData=...}, else the project machines' path, else beside the
   * repository (a worktree may sit elsewhere, hence the first two).
   */
  static Path sharedData() {
    String configured = System.getProperty("geohazard.sharedData");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    Path onProjectMachines = Path.of("/work/shared/data");
    return Files.isDirectory(onProjectMachines) ? onProjectMachines : Path.of("..", "shared", "data");
  }

  private final ImageProbe probe = new ImageProbe(ImageLimits.DEFAULT);
  private final ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);

  static Stream<Arguments> samples() {
    return Stream.of(
        Arguments.of("samples/landsat7-bahamas-rgb.jpg", new ImageInfo(ImageFormat.JPEG, 791, 718, 3, 8)),
        Arguments.of("samples/landsat7-olinda-rgb.jpg", new ImageInfo(ImageFormat.JPEG, 349, 352, 3, 8)),
        Arguments.of("samples/sentinel2-spain-flood-rgb.jpg", new ImageInfo(ImageFormat.JPEG, 512, 512, 3, 8)),
        Arguments.of("samples/sentinel2-spain-flood-rgb.png", new ImageInfo(ImageFormat.PNG, 512, 512, 3, 8)));
  }

  /** GeoTIFFs with the layouts the TIFF path must cope with: strips and tiles, LZW and DEFLATE, int16 and float. */
  static Stream<Arguments> geoTiffs() {
    return Stream.of(
        Arguments.of("geotiff/rasterio/RGB.byte.tif", new ImageInfo(ImageFormat.TIFF, 791, 718, 3, 8)),
        Arguments.of("geotiff/rasterio/world.rgb.tif", new ImageInfo(ImageFormat.TIFF, 512, 256, 3, 8)),
        Arguments.of("geotiff/r-cran-stars/L7_ETMs.tif", new ImageInfo(ImageFormat.TIFF, 349, 352, 6, 8)),
        Arguments.of("geotiff/r-cran-terra/elev.tif", new ImageInfo(ImageFormat.TIFF, 95, 90, 1, 16)),
        Arguments.of("geotiff/sen1floods11/sample/S2/Spain_7370579_S2Hand.tif",
            new ImageInfo(ImageFormat.TIFF, 512, 512, 13, 16)),
        Arguments.of("geotiff/kaikoura-landslides/satellite_imagery/image_difference/diff_landslide_70.tif",
            new ImageInfo(ImageFormat.TIFF, 514, 516, 3, 32)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void probesAndDecodesSampleImage(String relativePath, ImageInfo expected) throws Exception {
    assertProbesAndDecodes(relativePath, expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("geoTiffs")
  void probesAndDecodesRealGeoTiff(String relativePath, ImageInfo expected) throws Exception {
    assertProbesAndDecodes(relativePath, expected);
  }

  private void assertProbesAndDecodes(String relativePath, ImageInfo expected) throws Exception {
    Path file = sharedData().resolve(relativePath);
    assumeTrue(Files.isRegularFile(file), "shared data not available: " + file.toAbsolutePath().normalize()
        + " is absent (set -Dgeohazard.sharedData to the folder that holds samples/ and geotiff/)");

    assertThat(probe.probe(file)).isEqualTo(expected);
    assertThat(probe.probe(Files.readAllBytes(file))).isEqualTo(expected);

    RgbImage decoded = decoder.decode(file);
    assertThat(decoded.width()).isEqualTo(expected.width());
    assertThat(decoded.height()).isEqualTo(expected.height());
    assertThat(hasContrast(decoded)).as("decoded image is not blank").isTrue();
  }

  private static boolean hasContrast(RgbImage image) {
    int min = 255;
    int max = 0;
    for (byte sample : image.rgb()) {
      min = Math.min(min, sample & 0xFF);
      max = Math.max(max, sample & 0xFF);
    }
    return max - min > 64;
  }
}
