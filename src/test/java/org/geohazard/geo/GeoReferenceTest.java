package org.geohazard.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.geohazard.image.GeoTiffFixture;
import org.geohazard.image.GeoTiffRaster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GeoTIFFs written by the test with known transforms in several CRSs; expected values from GDAL or formulas. */
class GeoReferenceTest {

  @TempDir
  Path folder;

  private GeoReference open(GeoTiffFixture fixture) throws Exception {
    try (GeoTiffRaster raster = GeoTiffRaster.open(fixture.write(folder.resolve("geo.tif")))) {
      return GeoReference.from(raster.geoTags()).orElseThrow();
    }
  }

  @Test
  void utmTiePointAndScaleMatchGdal() throws Exception {
    // RGB.byte.tif's grid (EPSG:32618); GDAL 3.6: pixel 0,0 → -78.958650, 25.506087; 791,718 → -76.574924, 23.605947.
    GeoReference reference = open(new GeoTiffFixture(8, 8)
        .georeferenced(32618, true, 101985, 2826915, 300.0379266750948, 300.041782729805));
    assertThat(reference.epsg()).isEqualTo(32618);
    assertThat(reference.projected()).isTrue();
    assertThat(reference.exact()).isTrue();
    LonLat corner = reference.toWgs84(0, 0);
    assertThat(corner.lon()).isCloseTo(-78.958650, within(1e-6));
    assertThat(corner.lat()).isCloseTo(25.506087, within(1e-6));
    LonLat far = reference.toWgs84(791, 718);
    assertThat(far.lon()).isCloseTo(-76.574924, within(1e-6));
    assertThat(far.lat()).isCloseTo(23.605947, within(1e-6));
  }

  @Test
  void pixelOfIsTheInverseOfToWgs84() throws Exception {
    // GDAL's pixel 791,718 of RGB.byte.tif's grid is at -76.574924, 23.605947 (above): back to the same pixel.
    GeoReference utm = GeoReference.ofGeoTransform(32618, true, 101985, 300.0379266750948, 0, 2826915, 0,
        -300.041782729805);
    double[] pixel = utm.pixelOf(new LonLat(-76.574924, 23.605947));
    assertThat(pixel[0]).isCloseTo(791, within(1e-3));
    assertThat(pixel[1]).isCloseTo(718, within(1e-3));
    // A rotated geographic grid: the affine part is inverted too.
    GeoReference rotated = GeoReference.ofGeoTransform(4326, false, 10, 0.001, 0.0002, 45, 0.0003, -0.001);
    for (double[] p : new double[][] {{0, 0}, {17.5, 3.25}, {-4, 900}}) {
      double[] back = rotated.pixelOf(rotated.toWgs84(p[0], p[1]));
      assertThat(back[0]).isCloseTo(p[0], within(1e-9));
      assertThat(back[1]).isCloseTo(p[1], within(1e-9));
    }
    // A point of another zone still has a pixel (off the raster); this is what places another scene's boxes.
    GeoReference zone30 = GeoReference.ofGeoTransform(32630, true, 600_000, 10, 0, 4_200_000, 0, -10);
    LonLat west = zone30.toWgs84(-50_000, 10);
    assertThat(zone30.pixelOf(west)[0]).isCloseTo(-50_000, within(1e-3));
  }

  @Test
  void southernUtmMatchesGdal() throws Exception {
    // diff_landslide_70.tif's grid (EPSG:32759): 257,258 → 173.518154, -42.309576.
    GeoReference reference = open(new GeoTiffFixture(8, 8).georeferenced(32759, true, 704970, 5315360, 10, 10));
    LonLat point = reference.toWgs84(257, 258);
    assertThat(point.lon()).isCloseTo(173.518154, within(1e-6));
    assertThat(point.lat()).isCloseTo(-42.309576, within(1e-6));
  }

  @Test
  void geographicCrsIsPassedThrough() throws Exception {
    GeoReference reference = open(new GeoTiffFixture(8, 8).georeferenced(4326, false, -180, 90, 0.703125, 0.703125));
    assertThat(reference.projected()).isFalse();
    assertThat(reference.toWgs84(256, 128)).isEqualTo(new LonLat(0, 0));
    assertThat(reference.toWgs84(0.5, 0.5)).isEqualTo(new LonLat(-180 + 0.3515625, 90 - 0.3515625));
  }

  @Test
  void webMercatorMatchesTheSphericalFormula() throws Exception {
    GeoReference reference = open(new GeoTiffFixture(8, 8).georeferenced(3857, true, 1_000_000, 6_000_000, 100, 100));
    LonLat point = reference.toWgs84(10, 20);
    double r = 6_378_137;
    assertThat(point.lon()).isCloseTo(Math.toDegrees(1_001_000 / r), within(1e-9));
    assertThat(point.lat()).isCloseTo(Math.toDegrees(Math.atan(Math.sinh(5_998_000 / r))), within(1e-9));
  }

  @Test
  void pixelIsPointMovesTheGridHalfAPixelAsGdalDoes() throws Exception {
    GeoReference point = open(new GeoTiffFixture(8, 8).doubles(33922, 0, 0, 0, 500_000, 4_000_000, 0)
        .doubles(33550, 10, 10, 0).geoKeys(32633, true, true));
    // The tie point names the centre of pixel 0,0, so its corner is half a pixel up-left.
    assertThat(point.toCrs(0, 0)).containsExactly(499_995, 4_000_005);
    assertThat(point.toCrs(0.5, 0.5)).containsExactly(500_000, 4_000_000);
  }

  @Test
  void modelTransformationAllowsRotation() throws Exception {
    double[] matrix = {2, 1, 0, 1000, 0.5, -3, 0, 2000, 0, 0, 0, 0, 0, 0, 0, 1};
    GeoReference reference = open(new GeoTiffFixture(8, 8).doubles(34264, matrix).geoKeys(32633, true, false));
    assertThat(reference.toCrs(10, 20)).containsExactly(2 * 10 + 20 + 1000, 0.5 * 10 - 3 * 20 + 2000);
    GeoReference point = open(new GeoTiffFixture(8, 8).doubles(34264, matrix).geoKeys(32633, true, true));
    assertThat(point.toCrs(10.5, 20.5)).containsExactly(2 * 10 + 20 + 1000, 0.5 * 10 - 3 * 20 + 2000);
  }

  @Test
  void imageWithoutGeoreferencingHasNone() throws Exception {
    try (GeoTiffRaster raster = GeoTiffRaster.open(new GeoTiffFixture(4, 4).write(folder.resolve("plain.tif")))) {
      assertThat(GeoReference.from(raster.geoTags())).isEmpty();
    }
  }

  @Test
  void userDefinedCrsIsRefusedWithAReason() throws Exception {
    GeoTiffFixture fixture = new GeoTiffFixture(4, 4).georeferenced(32767, true, 0, 0, 1, 1);
    try (GeoTiffRaster raster = GeoTiffRaster.open(fixture.write(folder.resolve("custom.tif")))) {
      assertThatThrownBy(() -> GeoReference.from(raster.geoTags()))
          .isInstanceOf(UnsupportedGeoReferenceException.class).hasMessageContaining("user-defined");
    }
  }

  @Test
  void unknownEpsgCodeIsRefusedWithAReason() throws Exception {
    GeoTiffFixture fixture = new GeoTiffFixture(4, 4).georeferenced(1, true, 0, 0, 1, 1);
    try (GeoTiffRaster raster = GeoTiffRaster.open(fixture.write(folder.resolve("unknown.tif")))) {
      assertThatThrownBy(() -> GeoReference.from(raster.geoTags()))
          .isInstanceOf(UnsupportedGeoReferenceException.class).hasMessageContaining("EPSG:1");
    }
  }

  /**
   * A scene's tiles are placed from several threads sharing one georeference: every point must land where it lands
   * alone (proj4j's transforms keep state between calls, and a shared instance once put a scene's boxes at sea).
   */
  @Test
  void placesPointsFromManyThreadsAsItDoesFromOne() throws Exception {
    GeoReference utm = GeoReference.ofGeoTransform(32633, true, 500_000, 10, 0, 2_876_000, 0, -10);
    int points = 2_000;
    LonLat[] alone = new LonLat[points];
    for (int i = 0; i < points; i++) {
      alone[i] = utm.toWgs84(i * 7 % 2400, i * 13 % 1600);
    }
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> mismatches = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        mismatches.add(threads.submit(() -> {
          int wrong = 0;
          for (int round = 0; round < 20; round++) {
            for (int i = 0; i < points; i++) {
              LonLat p = utm.toWgs84(i * 7 % 2400, i * 13 % 1600);
              if (p.lon() != alone[i].lon() || p.lat() != alone[i].lat()) {
                wrong++;
              }
            }
          }
          return wrong;
        }));
      }
      for (Future<Integer> wrong : mismatches) {
        assertThat(wrong.get()).isZero();
      }
    } finally {
      threads.shutdownNow();
    }
  }
}
