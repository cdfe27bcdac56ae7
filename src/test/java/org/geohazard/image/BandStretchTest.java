package org.geohazard.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.OptionalDouble;
import org.geohazard.image.GeoTiffFixture.Compression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BandStretchTest {

  @TempDir
  Path folder;

  @Test
  void parsesOneBasedBandSettingsAndDefaults() {
    assertThat(BandStretch.parseBands("4,3,2", 13)).containsExactly(3, 2, 1);
    assertThat(BandStretch.parseBands(" 1 ", 1)).containsExactly(0);
    assertThat(BandStretch.parseBands(null, 6)).containsExactly(0, 1, 2);
    assertThat(BandStretch.parseBands("", 2)).containsExactly(0);
    assertThatThrownBy(() -> BandStretch.parseBands("4,3", 13)).hasMessageContaining("1 band");
    assertThatThrownBy(() -> BandStretch.parseBands("4,3,14", 13)).hasMessageContaining("bands 1..13");
    assertThatThrownBy(() -> BandStretch.parseBands("B4,3,2", 13)).hasMessageContaining("not a number");
  }

  @Test
  void stretchesTheSecondToNinetyEighthPercentileAndIgnoresNoData() {
    // 100 values 1000..1099 plus 50 nodata zeros: percentiles from the 100 only.
    float[] samples = new float[150];
    for (int i = 0; i < 100; i++) {
      samples[i] = 1000 + i;
    }
    BandStretch stretch = BandStretch.fromSamples(new int[] {0}, samples, 150, SampleType.UINT16,
        OptionalDouble.of(0));
    assertThat(stretch.range(0)[0]).isEqualTo(1002f); // rank round(0.02 × 99) = 2
    assertThat(stretch.range(0)[1]).isEqualTo(1097f, org.assertj.core.data.Offset.offset(0.01f));
    RgbImage rgb = stretch.toRgb(new float[] {1002, 1097, 5000, 0}, 4, 1);
    assertThat(rgb.rgbAt(0, 0)).isEqualTo(0x000000);
    assertThat(rgb.rgbAt(1, 0)).isEqualTo(0xFFFFFF); // grey replicated to R, G, B
    assertThat(rgb.rgbAt(2, 0)).isEqualTo(0xFFFFFF); // clipped
    assertThat(rgb.rgbAt(3, 0)).isEqualTo(0x000000); // nodata is black
  }

  @Test
  void floatBandsAreSortedAndNanIsLeftOut() {
    float[] samples = new float[102];
    for (int i = 0; i < 100; i++) {
      samples[i] = -1f + i / 50f;
    }
    samples[100] = Float.NaN;
    samples[101] = Float.POSITIVE_INFINITY;
    BandStretch stretch = BandStretch.fromSamples(new int[] {0}, samples, 102, SampleType.FLOAT32,
        OptionalDouble.empty());
    assertThat(stretch.range(0)[0]).isEqualTo(-1f + 2 / 50f);
    assertThat(stretch.toRgb(new float[] {Float.NaN}, 1, 1).rgbAt(0, 0)).isZero();
  }

  @Test
  void everyTileOfASceneUsesTheSameStretch() throws Exception {
    // Left half dark (100), right half bright (3000): per-tile stretches would make both halves look alike.
    Path file = new GeoTiffFixture(400, 200).bands(4, SampleType.UINT16).tiles(64).compression(Compression.DEFLATE)
        .samples((band, x, y) -> x < 200 ? 100 + band : 3000 + band).write(folder.resolve("halves.tif"));
    try (GeoTiffRaster raster = GeoTiffRaster.open(file)) {
      BandStretch stretch = BandStretch.fromScene(raster, BandStretch.parseBands("3,2,1", 4));
      RgbImage dark = stretch.read(raster, 0, 0, 100, 100, 100, 100);
      RgbImage bright = stretch.read(raster, 300, 100, 100, 100, 100, 100);
      assertThat(dark.rgbAt(50, 50)).isEqualTo(0x000000);
      assertThat(bright.rgbAt(50, 50)).isEqualTo(0xFFFFFF);
      RgbImage overview = stretch.read(raster, 0, 0, 400, 200, 40, 20);
      assertThat(overview.width()).isEqualTo(40);
      assertThat(overview.rgbAt(0, 0)).isEqualTo(0x000000);
      assertThat(overview.rgbAt(39, 19)).isEqualTo(0xFFFFFF);
    }
  }
}
