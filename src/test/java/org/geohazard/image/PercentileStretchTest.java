package org.geohazard.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BandedSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import org.junit.jupiter.api.Test;

class PercentileStretchTest {

  @Test
  void mapsSecondAndNinetyEighthPercentilesToBlackAndWhite() {
    WritableRaster ramp = Raster.createBandedRaster(DataBuffer.TYPE_USHORT, 1000, 1, 1, null);
    for (int x = 0; x < 1000; x++) {
      ramp.setSample(x, 0, 0, x); // percentiles of 0..999: 2nd = 20, 98th = 979
    }

    RgbImage rgb = PercentileStretch.toRgb(ramp);

    assertThat(rgb.rgbAt(0, 0)).isZero();
    assertThat(rgb.rgbAt(20, 0)).isZero();
    assertThat(rgb.rgbAt(500, 0)).isEqualTo(128 * 0x010101); // (500 - 20) * 255 / 959 = 127.6
    assertThat(rgb.rgbAt(979, 0)).isEqualTo(0xFFFFFF);
    assertThat(rgb.rgbAt(999, 0)).isEqualTo(0xFFFFFF);
  }

  @Test
  void stretchesEachOfTheFirstThreeBandsOnItsOwn() {
    WritableRaster raster = Raster.createBandedRaster(DataBuffer.TYPE_INT, 101, 1, 4, null);
    for (int x = 0; x <= 100; x++) {
      raster.setSample(x, 0, 0, x); // 0..100
      raster.setSample(x, 0, 1, 1_000_000 - 10 * x); // descending, another range
      raster.setSample(x, 0, 2, x < 50 ? 0 : 7); // two values
      raster.setSample(x, 0, 3, 123 * x); // ignored
    }

    RgbImage rgb = PercentileStretch.toRgb(raster);

    assertThat(rgb.rgbAt(0, 0)).isEqualTo(0x00FF00);
    assertThat(rgb.rgbAt(100, 0)).isEqualTo(0xFF00FF);
  }

  @Test
  void paintsConstantBandAndNonFiniteValuesBlack() {
    WritableRaster raster = Raster.createWritableRaster(new BandedSampleModel(DataBuffer.TYPE_FLOAT, 4, 1, 3), null);
    float[] nanAndInfinity = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
    for (int x = 0; x < 4; x++) {
      raster.setSample(x, 0, 0, 3.5f);
      raster.setSample(x, 0, 1, nanAndInfinity[x]);
      raster.setSample(x, 0, 2, x);
    }

    RgbImage rgb = PercentileStretch.toRgb(raster);

    assertThat(rgb.rgbAt(0, 0)).isEqualTo(0x000000);
    assertThat(rgb.rgbAt(3, 0)).isEqualTo(0x0000FF);
  }

  @Test
  void estimatesPercentilesFromASampleOfALargeBand() {
    int width = 2000;
    int height = 1000; // two million pixels, several times the sample size
    WritableRaster raster = Raster.createBandedRaster(DataBuffer.TYPE_USHORT, width, height, 1, null);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        raster.setSample(x, y, 0, x * 10);
      }
    }

    RgbImage rgb = PercentileStretch.toRgb(raster);

    assertThat(rgb.rgbAt(10, 500) & 0xFF).isZero();
    assertThat(rgb.rgbAt(1000, 500) & 0xFF).isBetween(125, 131);
    assertThat(rgb.rgbAt(1990, 500) & 0xFF).isEqualTo(255);
  }
}
