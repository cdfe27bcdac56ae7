package org.geohazard.inference.processing;

import org.geohazard.detection.Detection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.geohazard.inference.processing.YoloOutputDecoder.Layout;
import org.junit.jupiter.api.Test;

class YoloOutputDecoderTest {

  @Test
  void decodesV8RowsOfCentreSizeAndClassScores() {
    // [1, 4 + 2, 3]: one row per quantity, one column per candidate.
    float[] data = {
        10, 50, 90, // cx
        20, 60, 100, // cy
        4, 10, 20, // w
        6, 10, 40, // h
        0.9f, 0.1f, 0.4f, // class 0
        0.1f, 0.2f, 0.8f}; // class 1

    List<List<Detection>> images = new YoloOutputDecoder(2, Layout.AUTO).decode(data, new long[] {1, 6, 3}, 0.25f);

    assertThat(images).hasSize(1);
    assertThat(images.get(0)).containsExactly(
        new Detection(0, 0.9f, 8, 17, 12, 23),
        new Detection(1, 0.8f, 80, 80, 100, 120));
  }

  @Test
  void decodesV5ScoringObjectnessTimesClassProbability() {
    // [1, 2, 5 + 2]: cx, cy, w, h, objectness, class probabilities.
    float[] data = {
        50, 50, 20, 10, 0.5f, 0.9f, 0.2f,
        10, 10, 4, 4, 0.9f, 0.1f, 0.2f};

    List<Detection> found = new YoloOutputDecoder(2, Layout.AUTO).decode(data, new long[] {1, 2, 7}, 0.25f).get(0);

    assertThat(found).containsExactly(new Detection(0, 0.45f, 40, 45, 60, 55));
  }

  @Test
  void decodesEndToEndCornersScoresAndClassIds() {
    float[] data = {
        1, 2, 3, 4, 0.9f, 1,
        5, 6, 7, 8, 0.1f, 0};

    List<Detection> found = new YoloOutputDecoder(4, Layout.AUTO).decode(data, new long[] {1, 2, 6}, 0.25f).get(0);

    assertThat(found).containsExactly(new Detection(1, 0.9f, 1, 2, 3, 4));
  }

  @Test
  void keepsEachImageOfTheBatchApart() {
    // [2, 4 + 1, 2]
    float[] data = {
        10, 20, 10, 20, 2, 2, 2, 2, 0.9f, 0.1f,
        30, 40, 30, 40, 2, 2, 2, 2, 0.1f, 0.7f};

    List<List<Detection>> images = new YoloOutputDecoder(1, Layout.AUTO).decode(data, new long[] {2, 5, 2}, 0.25f);

    assertThat(images).hasSize(2);
    assertThat(images.get(0)).containsExactly(new Detection(0, 0.9f, 9, 9, 11, 11));
    assertThat(images.get(1)).containsExactly(new Detection(0, 0.7f, 39, 39, 41, 41));
  }

  @Test
  void dropsCandidatesScoringExactlyTheThreshold() {
    float[] data = {0, 0, 0, 0, 0.25f};

    assertThat(new YoloOutputDecoder(1, Layout.V8).decode(data, new long[] {1, 5, 1}, 0.25f).get(0)).isEmpty();
  }

  @Test
  void picksTheFirstClassWhenScoresTie() {
    float[] data = {0, 0, 2, 2, 0.6f, 0.6f};

    assertThat(new YoloOutputDecoder(2, Layout.V8).decode(data, new long[] {1, 6, 1}, 0.25f).get(0))
        .extracting(Detection::classId).containsExactly(0);
  }

  @Test
  void detectsEachLayoutFromTheShape() {
    assertThat(YoloOutputDecoder.detect(new long[] {1, 8, 8400}, 4)).isEqualTo(Layout.V8);
    assertThat(YoloOutputDecoder.detect(new long[] {-1, 8, 400}, 4)).isEqualTo(Layout.V8);
    assertThat(YoloOutputDecoder.detect(new long[] {1, 25200, 9}, 4)).isEqualTo(Layout.V5);
    assertThat(YoloOutputDecoder.detect(new long[] {1, 300, 6}, 4)).isEqualTo(Layout.END_TO_END);
    assertThat(YoloOutputDecoder.detect(new long[] {1, 5, 8400}, 1)).isEqualTo(Layout.V8);
  }

  @Test
  void refusesASingleClassV5ShapeAsAmbiguousWithEndToEnd() {
    assertThatThrownBy(() -> YoloOutputDecoder.detect(new long[] {1, 25200, 6}, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ambiguous")
        .hasMessageContaining("V5")
        .hasMessageContaining("END_TO_END");
  }

  @Test
  void anExplicitLayoutSettlesAnAmbiguousShape() {
    assertThat(new YoloOutputDecoder(1, Layout.V5).resolve(new long[] {1, 25200, 6})).isEqualTo(Layout.V5);
    assertThat(new YoloOutputDecoder(1, Layout.END_TO_END).resolve(new long[] {1, 300, 6}))
        .isEqualTo(Layout.END_TO_END);
  }

  @Test
  void refusesAShapeThatMatchesNoLayoutForTheClassCount() {
    assertThatThrownBy(() -> YoloOutputDecoder.detect(new long[] {1, 10, 8400}, 4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("class names");
  }

  @Test
  void refusesAnExplicitLayoutTheShapeContradicts() {
    assertThatThrownBy(() -> new YoloOutputDecoder(4, Layout.V5).resolve(new long[] {1, 8, 8400}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("V5");
  }

  @Test
  void refusesAnEndToEndClassIdTheNamesDoNotCover() {
    float[] data = {1, 2, 3, 4, 0.9f, 7};

    assertThatThrownBy(() -> new YoloOutputDecoder(4, Layout.AUTO).decode(data, new long[] {1, 1, 6}, 0.25f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("class names");
  }

  @Test
  void refusesDataShorterThanItsShape() {
    assertThatThrownBy(() -> new YoloOutputDecoder(1, Layout.AUTO).decode(new float[9], new long[] {2, 5, 1}, 0.25f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs 10 values");
  }

  @Test
  void refusesNonThreeDimensionalOutputs() {
    assertThatThrownBy(() -> new YoloOutputDecoder(4, Layout.AUTO).resolve(new long[] {8, 8400}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("3-D");
  }
}
