package org.geohazard.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RgbImageTest {

  @Test
  void acceptsThreeBytesPerPixel() {
    assertThat(new RgbImage(new byte[2 * 3 * 3], 2, 3).width()).isEqualTo(2);
  }

  @Test
  void rejectsAPixelArrayOfTheWrongLength() {
    assertThatThrownBy(() -> new RgbImage(new byte[17], 2, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs 18 bytes, got 17");
  }

  @Test
  void rejectsAnEmptySize() {
    assertThatThrownBy(() -> new RgbImage(new byte[0], 0, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positive");
  }
}
