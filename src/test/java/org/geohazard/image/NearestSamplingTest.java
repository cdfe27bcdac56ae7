package org.geohazard.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NearestSamplingTest {

  @Test
  void eachOutputPixelTakesTheSourceNearestItsCentre() {
    assertThat(NearestSampling.sources(5, 4, 4)).as("full resolution").containsExactly(5, 6, 7, 8);
    assertThat(NearestSampling.sources(0, 400, 100)).startsWith(2, 6, 10).endsWith(398);
    assertThat(NearestSampling.sources(10, 3, 2)).containsExactly(10, 12);
    assertThat(NearestSampling.sources(0, 5, 1)).containsExactly(2);
  }

  @Test
  void firstAtOrAfterFindsWhereTheNextBlockStarts() {
    int[] sources = {2, 6, 10, 14, 18};
    assertThat(NearestSampling.firstAtOrAfter(sources, 0, 8)).isEqualTo(2);
    assertThat(NearestSampling.firstAtOrAfter(sources, 2, 10)).isEqualTo(2);
    assertThat(NearestSampling.firstAtOrAfter(sources, 2, 11)).isEqualTo(3);
    assertThat(NearestSampling.firstAtOrAfter(sources, 3, 100)).isEqualTo(5);
  }

  @Test
  void windowArgumentsAreCheckedAgainstTheImage() {
    float[] room = new float[200];
    assertThatCode(() -> NearestSampling.requireWindow(20, 10, 2, 10, 0, 10, 10, new int[] {0, 1}, 10, 10, room))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> NearestSampling.requireWindow(20, 10, 2, 11, 0, 10, 10, new int[] {0}, 10, 10, room))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not inside the 20×10 image");
    assertThatThrownBy(() -> NearestSampling.requireWindow(20, 10, 2, 0, 0, 10, 10, new int[] {0}, 11, 10, room))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most the window");
    assertThatThrownBy(() -> NearestSampling.requireWindow(20, 10, 2, 0, 0, 10, 10, new int[] {}, 10, 10, room))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one band");
    assertThatThrownBy(() -> NearestSampling.requireWindow(20, 10, 2, 0, 0, 10, 10, new int[] {2}, 10, 10, room))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("band index 2 outside 0..1");
    assertThatThrownBy(() -> NearestSampling.requireWindow(20, 10, 2, 0, 0, 10, 10, new int[] {0, 1, 0}, 10, 10,
        room)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("300 needed");
  }
}
