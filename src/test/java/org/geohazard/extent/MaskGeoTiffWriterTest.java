package org.geohazard.extent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.geohazard.extent.MaskGeoTiffWriter.Encoding;
import org.geohazard.geo.GeoReference;
import org.geohazard.geo.LonLat;
import org.geohazard.image.GeoTiffRaster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaskGeoTiffWriterTest {

  private static final Path GDALINFO = Path.of("/usr/bin/gdalinfo");

  @TempDir
  Path dir;

  // 600 x 333: three by two tiles, the last ones partial.
  private static final int WIDTH = 600;
  private static final int HEIGHT = 333;

  private static SceneMask mask() {
    return SceneMask.ofProbabilities(WIDTH, HEIGHT, FloodMasks.realisticField(WIDTH, HEIGHT, 9));
  }

  @Test
  void theProjectsReaderReadsBackThePixelsAndTheGeoreference() throws Exception {
    SceneMask mask = mask();
    MaskGrid grid = FloodMasks.utmGrid(WIDTH, HEIGHT, 720_000, 4_370_000);
    Path file = dir.resolve("mask.tif");
    MaskGeoTiffWriter.write(file, mask, grid, Encoding.PROBABILITY, 0.5);
    // Less than the raw bytes of the image and its two overviews (300 × 167, 150 × 84), for this noisy test mask.
    assertThat(Files.size(file)).as("Deflate-compressed").isLessThan((long) WIDTH * HEIGHT + 300 * 167 + 150 * 84);
    try (GeoTiffRaster raster = GeoTiffRaster.open(file)) {
      assertThat(raster.width()).isEqualTo(WIDTH);
      assertThat(raster.height()).isEqualTo(HEIGHT);
      assertThat(raster.bandCount()).isEqualTo(1);
      assertThat(raster.tiled()).isTrue();
      float[] pixels = new float[WIDTH * HEIGHT];
      raster.readWindow(0, 0, WIDTH, HEIGHT, new int[] {0}, pixels);
      for (int y = 0; y < HEIGHT; y++) {
        for (int x = 0; x < WIDTH; x++) {
          assertThat((int) pixels[y * WIDTH + x]).isEqualTo(mask.level(x, y));
        }
      }
      GeoReference read = GeoReference.from(raster.geoTags()).orElseThrow();
      assertThat(read.epsg()).isEqualTo(32630);
      assertThat(read.projected()).isTrue();
      for (double[] point : new double[][] {{0, 0}, {WIDTH, HEIGHT}, {123.5, 77.25}}) {
        LonLat expected = grid.reference().toWgs84(point[0], point[1]);
        LonLat actual = read.toWgs84(point[0], point[1]);
        assertThat(actual.lon()).isCloseTo(expected.lon(), within(1e-9));
        assertThat(actual.lat()).isCloseTo(expected.lat(), within(1e-9));
      }
    }
  }

  @Test
  void theFloodedEncodingHoldsOnesWhereTheThresholdIsReached() throws Exception {
    SceneMask mask = mask();
    Path file = dir.resolve("flooded.tif");
    MaskGeoTiffWriter.write(file, mask, FloodMasks.utmGrid(WIDTH, HEIGHT, 0, 0), Encoding.FLOODED, 0.5);
    try (GeoTiffRaster raster = GeoTiffRaster.open(file)) {
      float[] pixels = new float[WIDTH * HEIGHT];
      raster.readWindow(0, 0, WIDTH, HEIGHT, new int[] {0}, pixels);
      long ones = 0;
      for (int i = 0; i < pixels.length; i++) {
        assertThat(pixels[i]).isIn(0f, 1f);
        ones += (long) pixels[i];
      }
      assertThat(ones).isEqualTo(mask.floodedPixels(SceneMask.thresholdLevel(0.5)));
    }
  }

  @Test
  void aGeographicGridIsWrittenWithItsGeographicCrs() throws Exception {
    // The Sen1Floods11 chips' grid: EPSG:4326, 8.983e-5 degree pixels.
    MaskGrid grid = new MaskGrid(WIDTH, HEIGHT,
        GeoReference.ofGeoTransform(4326, false, -0.8, 8.983152841195e-05, 0, 38.13, 0, -8.983152841195e-05));
    Path file = dir.resolve("geographic.tif");
    MaskGeoTiffWriter.write(file, mask(), grid, Encoding.PROBABILITY, 0.5);
    try (GeoTiffRaster raster = GeoTiffRaster.open(file)) {
      GeoReference read = GeoReference.from(raster.geoTags()).orElseThrow();
      assertThat(read.epsg()).isEqualTo(4326);
      assertThat(read.projected()).isFalse();
      assertThat(read.toWgs84(WIDTH, HEIGHT).lat()).isCloseTo(38.13 - HEIGHT * 8.983152841195e-05, within(1e-12));
    }
  }

  /** GDAL itself (gdalinfo from Debian gdal-bin, installed by scripts/local-stack.sh) opens the mask. */
  @Test
  void gdalOpensTheMaskWithTheSameGeoreferenceWithinHalfAPixel() throws Exception {
    assumeTrue(Files.isExecutable(GDALINFO), "gdalinfo is not installed (Debian gdal-bin): this check is skipped");
    MaskGrid grid = FloodMasks.utmGrid(WIDTH, HEIGHT, 720_000, 4_370_000);
    Path file = dir.resolve("gdal.tif");
    MaskGeoTiffWriter.write(file, mask(), grid, Encoding.PROBABILITY, 0.5);
    Process gdal = new ProcessBuilder(GDALINFO.toString(), "-json", file.toString()).redirectErrorStream(true).start();
    String out = new String(gdal.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(gdal.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(gdal.exitValue()).as(out).isZero();
    JsonNode info = new ObjectMapper().readTree(out);
    assertThat(info.at("/size/0").asInt()).isEqualTo(WIDTH);
    assertThat(info.at("/size/1").asInt()).isEqualTo(HEIGHT);
    assertThat(info.at("/bands/0/type").asText()).isEqualTo("Byte");
    assertThat(info.at("/bands/0/block/0").asInt()).isEqualTo(256);
    assertThat(info.at("/metadata/IMAGE_STRUCTURE/COMPRESSION").asText()).isEqualTo("DEFLATE");
    // Internal overviews, halving down to one tile: 600 × 333 → 300 × 167 → 150 × 84.
    assertThat(info.at("/bands/0/overviews").size()).as(out).isEqualTo(2);
    assertThat(info.at("/bands/0/overviews/0/size/0").asInt()).isEqualTo(300);
    assertThat(info.at("/bands/0/overviews/0/size/1").asInt()).isEqualTo(167);
    assertThat(info.at("/bands/0/overviews/1/size/0").asInt()).isEqualTo(150);
    assertThat(info.at("/coordinateSystem/wkt").asText()).contains("UTM zone 30N").contains("32630");
    JsonNode transform = info.get("geoTransform");
    double[] affine = grid.affine();
    double halfPixel = 5;
    assertThat(transform.get(0).asDouble()).isCloseTo(affine[2], within(halfPixel));
    assertThat(transform.get(3).asDouble()).isCloseTo(affine[5], within(halfPixel));
    assertThat(transform.get(1).asDouble()).isCloseTo(affine[0], within(1e-9));
    assertThat(transform.get(5).asDouble()).isCloseTo(affine[4], within(1e-9));
    // The far corner, where an error in the scale would show most.
    double farX = transform.get(0).asDouble() + WIDTH * transform.get(1).asDouble();
    double farY = transform.get(3).asDouble() + HEIGHT * transform.get(5).asDouble();
    double[] expected = grid.reference().toCrs(WIDTH, HEIGHT);
    assertThat(farX).isCloseTo(expected[0], within(halfPixel));
    assertThat(farY).isCloseTo(expected[1], within(halfPixel));
    // And GDAL decodes the same pixels: its statistics of the band match the mask's.
    Process stats = new ProcessBuilder(GDALINFO.toString(), "-json", "-stats", "-nomd", file.toString())
        .redirectErrorStream(true).start();
    String statsOut = new String(stats.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(stats.waitFor(60, TimeUnit.SECONDS)).isTrue();
    JsonNode band = new ObjectMapper().readTree(statsOut).at("/bands/0");
    SceneMask mask = mask();
    double sum = 0;
    for (int y = 0; y < HEIGHT; y++) {
      for (int x = 0; x < WIDTH; x++) {
        sum += mask.level(x, y);
      }
    }
    assertThat(band.get("mean").asDouble()).isCloseTo(sum / (WIDTH * HEIGHT), within(1e-3));
    Files.deleteIfExists(Path.of(file + ".aux.xml"));
  }
}
