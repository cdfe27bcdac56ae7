package org.geohazard.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SarCompositeTest {

  private static RgbImage grey(int... values) {
    byte[] rgb = new byte[values.length * 3];
    for (int i = 0; i < values.length; i++) {
      rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = (byte) values[i];
    }
    return new RgbImage(values.length, 1, rgb);
  }

  @Test
  void aSceneAloneIsItsVvTwiceAndAFlatChange() {
    RgbImage view = SarComposite.single(grey(0, 37, 255));
    assertThat(view.rgbAt(0, 0)).isEqualTo(0x000080);
    assertThat(view.rgbAt(1, 0)).isEqualTo(0x252580);
    assertThat(view.rgbAt(2, 0)).isEqualTo(0xFFFF80);
  }

  @Test
  void aPairShowsDarkeningAsLowBlueFlooredLikePython() {
    // after, before: water appeared (200 -> 20), water receded (20 -> 200), odd differences floor towards -inf.
    RgbImage view = SarComposite.pair(grey(20, 200, 10, 255, 0), grey(200, 20, 13, 0, 255));
    assertThat(view.rgbAt(0, 0) & 0xFF).isEqualTo(128 + Math.floorDiv(20 - 200, 2)).isEqualTo(38);
    assertThat(view.rgbAt(1, 0) & 0xFF).isEqualTo(218);
    assertThat(view.rgbAt(2, 0) & 0xFF).isEqualTo(126);  // (10 - 13) // 2 = -2 in Python, not -1
    assertThat(view.rgbAt(3, 0) & 0xFF).isEqualTo(255);
    assertThat(view.rgbAt(4, 0) & 0xFF).isEqualTo(0);
    assertThat(view.rgbAt(0, 0) >> 8).isEqualTo(20 << 8 | 200);
  }

  @Test
  void aPairOfDifferentSizesIsRefused() {
    assertThatThrownBy(() -> SarComposite.pair(grey(1, 2), grey(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one size");
  }
}
