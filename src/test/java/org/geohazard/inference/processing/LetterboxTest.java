package org.geohazard.inference.processing;

import org.geohazard.detection.Detection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LetterboxTest {

  private static final float PAD = 114 / 255f;

  @Test
  void placesOddLandscapeShapeWithUltralyticsPads() {
    Letterbox.Placement placement = new Letterbox(640, 640).place(791, 718);

    assertThat(placement.resizedWidth()).isEqualTo(640);
    assertThat(placement.resizedHeight()).isEqualTo(581);
    assertThat(placement.padTop()).isEqualTo(29);
    assertThat(placement.padBottom()).isEqualTo(30);
    assertThat(placement.padLeft()).isZero();
    assertThat(placement.padRight()).isZero();
    assertThat(placement.scale()).isEqualTo(640.0 / 791);
  }

  @Test
  void placesOddPortraitShapeWithTheExtraPixelOnTheRight() {
    Letterbox.Placement placement = new Letterbox(640, 640).place(718, 791);

    assertThat(placement.resizedWidth()).isEqualTo(581);
    assertThat(placement.resizedHeight()).isEqualTo(640);
    assertThat(placement.padLeft()).isEqualTo(29);
    assertThat(placement.padRight()).isEqualTo(30);
    assertThat(placement.padTop()).isZero();
    assertThat(placement.padBottom()).isZero();
  }

  @Test
  void upscalesSmallImagesLikeUltralyticsDefault() {
    Letterbox.Placement placement = new Letterbox(640, 640).place(320, 240);

    assertThat(placement.scale()).isEqualTo(2.0);
    assertThat(placement.resizedWidth()).isEqualTo(640);
    assertThat(placement.resizedHeight()).isEqualTo(480);
    assertThat(placement.padTop()).isEqualTo(80);
    assertThat(placement.padBottom()).isEqualTo(80);
  }

  @Test
  void roundsResizedSizeHalfToEvenLikePython() {
    // 2 * 1.25 = 2.5: Python's round gives 2 (Math.round would give 3); the odd border of 3 splits 1 + 2.
    Letterbox.Placement placement = new Letterbox(5, 5).place(2, 4);

    assertThat(placement.resizedWidth()).isEqualTo(2);
    assertThat(placement.resizedHeight()).isEqualTo(5);
    assertThat(placement.padLeft()).isEqualTo(1);
    assertThat(placement.padRight()).isEqualTo(2);
  }

  @Test
  void copiesPixelsWithoutResamplingWhenOnlyPaddingIsNeeded() {
    // 4x2 into 4x4: scale 1, one grey row above and below.
    byte[] rgb = new byte[4 * 2 * 3];
    for (int i = 0; i < rgb.length; i++) {
      rgb[i] = (byte) (i * 10);
    }
    FloatBuffer out = FloatBuffer.allocate(3 * 16);

    Letterbox.Placement placement = new Letterbox(4, 4).apply(rgb, 4, 2, out, 0);

    assertThat(placement.padTop()).isEqualTo(1);
    assertThat(placement.padBottom()).isEqualTo(1);
    float[][] planes = planes(out, 0, 4, 4);
    for (int c = 0; c < 3; c++) {
      for (int x = 0; x < 4; x++) {
        assertThat(planes[c][x]).isEqualTo(PAD);
        assertThat(planes[c][12 + x]).isEqualTo(PAD);
        assertThat(planes[c][4 + x]).isEqualTo((x * 3 + c) * 10 / 255f);
        assertThat(planes[c][8 + x]).isEqualTo(((4 + x) * 3 + c) * 10 / 255f);
      }
    }
  }

  @Test
  void upsamplesBilinearlyWithHalfPixelCentresAsComputedByHand() {
    // Red is [0 100; 200 40]; green 0 and blue 255 everywhere. 2x2 -> 4x4 samples source positions
    // -0.25 (clamped), 0.25, 0.75, 1.25 (clamped) on both axes; OpenCV's 11-bit weights are exact here.
    byte[] rgb = {
        0, 0, (byte) 255, 100, 0, (byte) 255,
        (byte) 200, 0, (byte) 255, 40, 0, (byte) 255};
    FloatBuffer out = FloatBuffer.allocate(3 * 16);

    new Letterbox(4, 4).apply(rgb, 2, 2, out, 0);

    float[][] planes = planes(out, 0, 4, 4);
    assertThat(levels(planes[0])).containsExactly(
        0, 25, 75, 100,
        50, 59, 76, 85, // 0.75 * 25 + 0.25 * 160 = 58.75 -> 59
        150, 126, 79, 55,
        200, 160, 80, 40);
    assertThat(levels(planes[1])).containsOnly(0);
    assertThat(levels(planes[2])).containsOnly(255);
  }

  @Test
  void halvingAveragesEachTwoByTwoBlockWithRoundHalfUp() {
    byte[] rgb = new byte[4 * 4 * 3];
    int[] red = {
        10, 20, 0, 0,
        30, 41, 0, 2,
        255, 255, 7, 8,
        255, 254, 9, 9};
    for (int i = 0; i < red.length; i++) {
      rgb[i * 3] = (byte) red[i];
    }
    FloatBuffer out = FloatBuffer.allocate(3 * 4);

    new Letterbox(2, 2).apply(rgb, 4, 4, out, 0);

    // (10+20+30+41)/4 = 25.25 -> 25; (0+0+0+2)/4 = 0.5 -> 1; 254.75 -> 255; 8.25 -> 8.
    assertThat(levels(planes(out, 0, 2, 2)[0])).containsExactly(25, 1, 255, 8);
  }

  @Test
  void writesAtTheGivenOffsetAndLeavesTheRestOfTheBatchBufferAlone() {
    Letterbox letterbox = new Letterbox(4, 4);
    FloatBuffer batch = FloatBuffer.allocate(2 * letterbox.floatsPerImage());
    for (int i = 0; i < batch.capacity(); i++) {
      batch.put(i, -1f);
    }
    batch.position(5).limit(batch.capacity());
    byte[] white = new byte[4 * 4 * 3];
    Arrays.fill(white, (byte) 255);

    letterbox.apply(white, 4, 4, batch, letterbox.floatsPerImage());

    for (int i = 0; i < letterbox.floatsPerImage(); i++) {
      assertThat(batch.get(i)).isEqualTo(-1f);
      assertThat(batch.get(letterbox.floatsPerImage() + i)).isEqualTo(1f);
    }
    assertThat(batch.position()).isEqualTo(5);
  }

  @Test
  void mapsBoxesBackThroughPadAndScaleAndClipsToTheImage() {
    Letterbox.Placement placement = new Letterbox(640, 640).place(791, 718);
    double scale = 640.0 / 791;
    Detection inModel = new Detection(2, 0.9f, 100f, 29f + 50f, 300f, 29f + 250f);

    Detection original = placement.mapBack(inModel);

    assertThat(original.classId()).isEqualTo(2);
    assertThat(original.score()).isEqualTo(0.9f);
    assertThat(original.x1()).isCloseTo((float) (100 / scale), within(1e-3f));
    assertThat(original.y1()).isCloseTo((float) (50 / scale), within(1e-3f));
    assertThat(original.x2()).isCloseTo((float) (300 / scale), within(1e-3f));
    assertThat(original.y2()).isCloseTo((float) (250 / scale), within(1e-3f));

    Detection intoThePad = placement.mapBack(new Detection(0, 0.5f, -10f, 5f, 700f, 639f));
    assertThat(intoThePad.x1()).isZero();
    assertThat(intoThePad.y1()).isZero();
    assertThat(intoThePad.x2()).isEqualTo(791f);
    assertThat(intoThePad.y2()).isEqualTo(718f);
  }

  @Test
  void rejectsPixelArraysThatDoNotMatchTheSize() {
    assertThatThrownBy(() -> new Letterbox(4, 4).apply(new byte[10], 2, 2, FloatBuffer.allocate(48), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("12 RGB bytes");
  }

  @Test
  void rejectsABufferTooSmallForTheImageAtThatOffset() {
    Letterbox letterbox = new Letterbox(4, 4);
    FloatBuffer buffer = FloatBuffer.allocate(letterbox.floatsPerImage());

    assertThatThrownBy(() -> letterbox.apply(new byte[12], 2, 2, buffer, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("offset 1");
  }

  /** The three CHW planes of the image at {@code offset}. */
  private static float[][] planes(FloatBuffer buffer, int offset, int width, int height) {
    float[][] planes = new float[3][width * height];
    for (int c = 0; c < 3; c++) {
      buffer.get(offset + c * width * height, planes[c]);
    }
    return planes;
  }

  /** Back to 8-bit levels; exact because every value is level / 255f. */
  private static int[] levels(float[] plane) {
    int[] levels = new int[plane.length];
    for (int i = 0; i < plane.length; i++) {
      levels[i] = Math.round(plane[i] * 255f);
    }
    return levels;
  }
}
