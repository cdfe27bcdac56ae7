package org.geohazard.inference.scene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.geohazard.geo.PixelGeolocation;
import org.geohazard.image.GeoTiffFixture;
import org.geohazard.image.GeoTiffRaster;
import org.geohazard.image.RgbImage;
import org.geohazard.image.SampleType;
import org.geohazard.reference.ReferenceRasters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Separate single-band rasters at 10 and 20 m read as one scene on the 20 m grid. */
class BandStackSceneTest {

  @TempDir
  Path dir;

  /** A band of {@code side}² pixels of {@code metres}, each sample {@code base + 100 x + y}. */
  private GeoTiffRaster band(String name, int side, double metres, int base) throws Exception {
    Path file = new GeoTiffFixture(side, side).bands(1, SampleType.UINT16).tiles(16)
        .georeferenced(32630, true, 500_000, 4_200_000, metres, metres)
        .samples((band, x, y) -> base + 100 * x + y).write(Files.createTempFile(dir, name, ".tif"));
    return GeoTiffRaster.open(file);
  }

  @Test
  void aFinerBandIsSampledEveryFactorthPixelOnTheCoarseGrid() throws Exception {
    try (BandStackScene scene = new BandStackScene(new ReferenceRasters(List.of(band("B08", 8, 10, 0),
        band("B11", 4, 20, 5_000)), new int[] {2, 1}, List.of(1L, 1L)))) {
      assertThat(scene.width()).isEqualTo(4);
      assertThat(scene.height()).isEqualTo(4);
      assertThat(scene.bandCount()).isEqualTo(2);
      assertThat(scene.raster()).isTrue();
      // Window (1, 1, 2, 2) of the 20 m grid: 10 m pixels (3, 3), (5, 3), (3, 5), (5, 5), nearest to the centres.
      float[] samples = scene.read(new int[] {0, 1}, 1, 1, 2, 2, 2, 2);
      assertThat(samples).containsExactly(303, 503, 305, 505, 5_101, 5_201, 5_102, 5_202);
      // An overview of the whole scene: one output pixel of each band.
      assertThat(scene.read(new int[] {1, 0}, 0, 0, 4, 4, 1, 1)).containsExactly(5_202, 404);
      Object placed = scene.georeference().orElseThrow();
      assertThat(placed).isInstanceOf(PixelGeolocation.class);
    }
  }

  @Test
  void aFinerBandShortOfTheCoarseExtentIsReadToItsEdge() throws Exception {
    // 7 px of 10 m beside 4 px of 20 m: the last 20 m column has one 10 m column under it.
    try (BandStackScene scene = new BandStackScene(new ReferenceRasters(List.of(band("B03", 7, 10, 0),
        band("B11", 4, 20, 5_000)), new int[] {2, 1}, List.of(1L, 1L)))) {
      assertThat(scene.read(new int[] {0}, 3, 0, 1, 1, 1, 1)).containsExactly(601);
    }
  }

  @Test
  void theReaderStretchesTheChosenBandsOnceForTheScene() throws Exception {
    try (BandStackScene scene = new BandStackScene(new ReferenceRasters(List.of(band("B11", 4, 20, 0),
        band("B08", 8, 10, 1_000), band("B03", 8, 10, 2_000)), new int[] {1, 2, 2}, List.of(1L, 1L, 1L)))) {
      SceneSource.Reader reader = scene.reader(null, "1,2,3");
      assertThat(reader.bands()).containsExactly(1, 2, 3);
      RgbImage window = reader.read(new SceneWindow(0, 0, 4, 4, 4, 4));
      assertThat(window.width()).isEqualTo(4);
      // The stretch maps each band's 2nd..98th percentile onto 0..255: the lowest corner is dark, the highest bright.
      assertThat(window.rgb()[0] & 0xff).isLessThan(window.rgb()[3 * 15] & 0xff);
      assertThatThrownBy(() -> scene.reader(new int[] {4}, null)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("bands 1..3");
    }
  }

  @Test
  void aStackTakesSingleBandRastersWithOneOnTheCommonGrid() throws Exception {
    GeoTiffRaster fine = band("B08", 8, 10, 0);
    assertThatThrownBy(() -> new BandStackScene(new ReferenceRasters(List.of(fine), new int[] {2}, List.of(1L))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("factor 1");
    fine.close();
  }
}
