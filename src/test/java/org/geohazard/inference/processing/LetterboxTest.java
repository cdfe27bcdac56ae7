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

  /**
   * The row-at-a-time resize (cached horizontal rows, one array per channel, vectorised blend) against a
   * pixel-at-a-time transcription of OpenCV's INTER_LINEAR with nothing cached: the same floats, pads included, on
   * random pictures shrunk (by 1.1 to 5.3), enlarged and stretched unevenly, into a direct batch buffer at an offset.
   */
  @Test
  void resizedFloatsEqualAPixelByPixelTranscriptionOfOpenCv() {
    java.util.Random random = new java.util.Random(26);
    int[][] cases = {{791, 718, 320, 320}, {1280, 720, 320, 320}, {352, 349, 320, 320}, {97, 61, 320, 320},
        {1700, 300, 320, 256}, {300, 1700, 256, 320}, {513, 511, 64, 96}, {5, 3, 16, 16}};
    for (int[] size : cases) {
      int width = size[0];
      int height = size[1];
      byte[] rgb = new byte[width * height * 3];
      random.nextBytes(rgb);
      Letterbox letterbox = new Letterbox(size[2], size[3]);
      int offset = 7;
      FloatBuffer out = java.nio.ByteBuffer.allocateDirect((offset + letterbox.floatsPerImage()) * Float.BYTES)
          .order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();

      Letterbox.Placement placement = letterbox.apply(rgb, width, height, out, offset);

      float[] expected = referenceLetterbox(rgb, width, height, placement, size[2], size[3]);
      float[] actual = new float[expected.length];
      out.get(offset, actual);
      // Arrays.mismatch, not containsExactly: AssertJ takes seconds to compare 300 000 floats.
      assertThat(Arrays.mismatch(actual, expected)).as("first differing float, %dx%d into %dx%d", width, height,
          size[2], size[3]).isEqualTo(-1);
    }
  }

  /** OpenCV's generic 8-bit bilinear resize for one output sample at a time, then Ultralytics' grey pads. */
  private static float[] referenceLetterbox(byte[] rgb, int width, int height, Letterbox.Placement placement,
                                            int dstWidth, int dstHeight) {
    int newWidth = placement.resizedWidth();
    int newHeight = placement.resizedHeight();
    float[] out = new float[3 * dstWidth * dstHeight];
    Arrays.fill(out, 114 / 255f);
    double scaleX = 1.0 / ((double) newWidth / width);
    double scaleY = 1.0 / ((double) newHeight / height);
    for (int dy = 0; dy < newHeight; dy++) {
      float fy = (float) ((dy + 0.5) * scaleY - 0.5);
      int sy = (int) Math.floor(fy);
      fy -= sy;
      int row0 = Math.max(0, Math.min(sy, height - 1));
      int row1 = Math.max(0, Math.min(sy + 1, height - 1));
      int b0 = (int) Math.rint((1f - fy) * 2048);
      int b1 = (int) Math.rint(fy * 2048);
      for (int dx = 0; dx < newWidth; dx++) {
        float fx = (float) ((dx + 0.5) * scaleX - 0.5);
        int sx = (int) Math.floor(fx);
        fx -= sx;
        if (sx < 0) {
          fx = 0;
          sx = 0;
        }
        if (sx >= width - 1) {
          fx = 0;
          sx = width - 1;
        }
        int sx1 = Math.min(sx + 1, width - 1);
        int a0 = (int) Math.rint((1f - fx) * 2048);
        int a1 = (int) Math.rint(fx * 2048);
        for (int c = 0; c < 3; c++) {
          int upper = (rgb[(row0 * width + sx) * 3 + c] & 0xFF) * a0 + (rgb[(row0 * width + sx1) * 3 + c] & 0xFF) * a1;
          int lower = (rgb[(row1 * width + sx) * 3 + c] & 0xFF) * a0 + (rgb[(row1 * width + sx1) * 3 + c] & 0xFF) * a1;
          int level = (((b0 * (upper >> 4)) >> 16) + ((b1 * (lower >> 4)) >> 16) + 2) >> 2;
          int y = placement.padTop() + dy;
          int x = placement.padLeft() + dx;
          out[c * dstWidth * dstHeight + y * dstWidth + x] = level / 255f;
        }
      }
    }
    return out;
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
