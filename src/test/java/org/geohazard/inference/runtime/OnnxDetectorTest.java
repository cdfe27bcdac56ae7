package org.geohazard.inference.runtime;

import org.geohazard.detection.Detection;
import org.geohazard.image.RgbImage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import java.nio.FloatBuffer;
import java.util.Set;
import java.nio.file.Path;
import java.util.List;
import org.geohazard.inference.runtime.ExecutionProvider;
import org.geohazard.inference.processing.Postprocessing;
import org.geohazard.inference.runtime.OnnxDetector.RawOutput;
import org.geohazard.inference.runtime.SessionConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the stand-in model (tools/model/README.md) through ONNX Runtime. Maven runs tests from the
 * project root, where {@code models/} is.
 */
class OnnxDetectorTest {

  private static final Path STANDIN = Path.of("models", "geohazard-standin.onnx");
  private static final int WATER_BODY = 2;
  private static final int CELLS = 400;

  private static OnnxDetector detector;

  @BeforeAll
  static void loadModel() throws Exception {
    detector = OnnxDetector.open(STANDIN, SessionConfig.cpuDefaults(), Postprocessing.defaults(),
        ModelMetadata.Defaults.geohazard());
  }

  @AfterAll
  static void closeModel() throws Exception {
    detector.close();
  }

  @Test
  void readsInputOutputAndUltralyticsMetadataFromTheModel() {
    assertThat(detector.inputName()).isEqualTo("images");
    assertThat(detector.inputShape()).containsExactly(-1, 3, 640, 640);
    assertThat(detector.outputName()).isEqualTo("output0");
    assertThat(detector.outputShape()).containsExactly(-1, 8, CELLS);
    assertThat(detector.maxBatchSize()).isEqualTo(Integer.MAX_VALUE);
    assertThat(detector.executionProvider()).isEqualTo(ExecutionProvider.CPU);

    ModelMetadata metadata = detector.metadata();
    assertThat(metadata.classNames()).containsExactly("landslide", "flood", "water_body", "vegetation_loss");
    assertThat(metadata.inputWidth()).isEqualTo(640);
    assertThat(metadata.inputHeight()).isEqualTo(640);
    assertThat(metadata.stride()).isEqualTo(32);
    assertThat(metadata.task()).isEqualTo("detect");
    assertThat(metadata.version()).isEqualTo("standin-0.1");
    assertThat(metadata.fallbacksUsed()).isEmpty();
  }

  @Test
  void scoresSolidColoursAsTheModelReadmeDocuments() throws Exception {
    // Expected scores per class (landslide, flood, water_body, vegetation_loss), from the README's table.
    int[][] colours = {{30, 60, 160}, {125, 100, 65}, {200, 150, 90}, {165, 165, 60}, {128, 128, 128}};
    float[][] expected = {
        {0f, 0f, 1f, 0f},
        {0.0003f, 0.9820f, 0f, 0.0067f},
        {0.9991f, 0f, 0f, 0.0025f},
        {0.0474f, 0.0474f, 0f, 0.9820f},
        {0f, 0.0067f, 0.0003f, 0f}};
    FloatBuffer batch = detector.newInputBuffer(colours.length);
    for (int i = 0; i < colours.length; i++) {
      detector.letterbox().apply(solid(640, 640, colours[i]), batch, i * detector.floatsPerImage());
    }

    RawOutput output = detector.run(batch, colours.length);

    assertThat(output.shape()).containsExactly(colours.length, 8, CELLS);
    for (int image = 0; image < colours.length; image++) {
      int base = image * 8 * CELLS;
      for (int cell = 0; cell < CELLS; cell++) {
        for (int c = 0; c < 4; c++) {
          assertThat(output.data()[base + (4 + c) * CELLS + cell])
              .as("image %d cell %d class %d", image, cell, c)
              .isCloseTo(expected[image][c], within(0.001f));
        }
      }
    }
  }

  @Test
  void reportsOneCellSizedBoxPerGridCellInRowMajorOrder() throws Exception {
    FloatBuffer batch = detector.newInputBuffer(1);
    detector.letterbox().apply(solid(640, 640, new int[] {128, 128, 128}), batch, 0);

    float[] data = detector.run(batch, 1).data();

    int cell = 3 * 20 + 5; // row 3, column 5
    assertThat(data[cell]).isEqualTo(5 * 32 + 16f); // cx
    assertThat(data[CELLS + cell]).isEqualTo(3 * 32 + 16f); // cy
    assertThat(data[2 * CELLS + cell]).isEqualTo(32f); // w
    assertThat(data[3 * CELLS + cell]).isEqualTo(32f); // h
  }

  @Test
  void findsAPaintedWaterSquareAndNothingOnGrey() throws Exception {
    // 800x600 letterboxes at scale 0.8 with 80 px of grey above and below; the square covers model
    // pixels x 160..313.6, y 200..353.6, i.e. at least the 4x4 whole cells from (160, 224) to (288, 352).
    int[] grey = {128, 128, 128};
    RgbImage water = paint(solid(800, 600, grey), 200, 150, 192, new int[] {30, 60, 160});
    RgbImage plain = solid(500, 700, grey);
    Detection square = new Detection(WATER_BODY, 1f, 200, 150, 392, 342);

    List<List<Detection>> results = detector.detect(List.of(water, plain));

    assertThat(results).hasSize(2);
    List<Detection> found = results.get(0);
    assertThat(found).hasSizeGreaterThanOrEqualTo(16);
    assertThat(found).allSatisfy(d -> {
      assertThat(d.classId()).isEqualTo(WATER_BODY);
      assertThat(d.iou(square)).isPositive();
    });
    assertThat(found).filteredOn(d -> d.score() >= 0.8f)
        .anySatisfy(d -> assertThat(insideOf(d, square)).isTrue());
    assertThat(results.get(1)).isEmpty();
  }

  @Test
  void yieldsOneDetectionPerCellOfAGridAlignedRegion() throws Exception {
    // The README's fixture example: x 64..159, y 96..191 of a 640x640 image covers cells 2..4 x 3..5.
    RgbImage image = paint(solid(640, 640, new int[] {128, 128, 128}), 64, 96, 96, new int[] {30, 60, 160});

    List<Detection> found = detector.detect(List.of(image)).get(0);

    assertThat(found).hasSize(9).allSatisfy(d -> {
      assertThat(d.classId()).isEqualTo(WATER_BODY);
      assertThat(d.score()).isGreaterThanOrEqualTo(0.99f);
      assertThat(d.width()).isEqualTo(32f);
      assertThat(insideOf(d, new Detection(WATER_BODY, 1f, 64, 96, 160, 192))).isTrue();
    });
  }

  @Test
  void eachProviderFallsBackAlongItsChainEndingOnTheCpu() {
    assertThat(ExecutionProvider.TENSORRT.fallbackChain())
        .containsExactly(ExecutionProvider.TENSORRT, ExecutionProvider.CUDA, ExecutionProvider.CPU);
    assertThat(ExecutionProvider.CUDA.fallbackChain()).containsExactly(ExecutionProvider.CUDA, ExecutionProvider.CPU);
    assertThat(ExecutionProvider.CPU.fallbackChain()).containsExactly(ExecutionProvider.CPU);
  }

  @Test
  void tensorrtOnABuildWithoutGpuProvidersRunsOnTheCpu() throws Exception {
    Set<OrtProvider> available = OrtEnvironment.getAvailableProviders();
    assumeTrue(!available.contains(OrtProvider.TENSOR_RT) && !available.contains(OrtProvider.CUDA),
        "this ONNX Runtime build has a GPU provider (-Pgpu); the CPU fallback is not what it would show");
    SessionConfig tensorrt = new SessionConfig(1, 1, SessionConfig.GraphOptimization.ALL, ExecutionProvider.TENSORRT,
        0, true, true, false);
    try (OnnxDetector fallback = OnnxDetector.open(STANDIN, tensorrt, Postprocessing.defaults(),
        ModelMetadata.Defaults.geohazard())) {
      assertThat(fallback.executionProvider()).isEqualTo(ExecutionProvider.CPU);
      FloatBuffer batch = fallback.newInputBuffer(1);
      fallback.letterbox().apply(solid(64, 64, new int[] {0, 0, 0}), batch, 0);
      assertThat(fallback.run(batch, 1).shape()).containsExactly(1, 8, CELLS);
    }
  }

  @Test
  void fallsBackToCpuWhenCudaIsUnavailable() throws Exception {
    SessionConfig cuda = new SessionConfig(1, 1, SessionConfig.GraphOptimization.ALL, ExecutionProvider.CUDA, 0,
        true, true, false);
    try (OnnxDetector fallback = OnnxDetector.open(STANDIN, cuda, Postprocessing.defaults(),
        ModelMetadata.Defaults.geohazard())) {
      // The default build carries the CPU-only runtime; with -Pgpu on a GPU host the session may use CUDA.
      if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
        assertThat(fallback.executionProvider()).isEqualTo(ExecutionProvider.CPU);
      }
      FloatBuffer batch = fallback.newInputBuffer(1);
      fallback.letterbox().apply(solid(64, 64, new int[] {0, 0, 0}), batch, 0);
      assertThat(fallback.run(batch, 1).shape()).containsExactly(1, 8, CELLS);
    }
  }

  @Test
  void refusesToRunAfterClose() throws Exception {
    OnnxDetector closing = OnnxDetector.open(STANDIN, SessionConfig.cpuDefaults(), Postprocessing.defaults(),
        ModelMetadata.Defaults.geohazard());
    FloatBuffer batch = closing.newInputBuffer(1);
    closing.close();
    closing.close();

    assertThatThrownBy(() -> closing.run(batch, 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void refusesABatchLargerThanTheBuffer() {
    FloatBuffer batch = detector.newInputBuffer(1);

    assertThatThrownBy(() -> detector.run(batch, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 images");
  }

  @Test
  void namesTheMissingModelFile() {
    assertThatThrownBy(() -> OnnxDetector.open(Path.of("models", "missing.onnx"), SessionConfig.cpuDefaults(),
        Postprocessing.defaults(), ModelMetadata.Defaults.geohazard()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing.onnx");
  }

  @Test
  void parsesTheExecutionProviderFromConfig() {
    assertThat(ExecutionProvider.fromConfig(" Cuda ")).isEqualTo(ExecutionProvider.CUDA);
    assertThatThrownBy(() -> ExecutionProvider.fromConfig("tpu"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'cpu', 'cuda' or 'tensorrt'");
    assertThat(ExecutionProvider.fromConfig("tensorrt")).isEqualTo(ExecutionProvider.TENSORRT);
    assertThat(ExecutionProvider.TENSORRT.usesGpu()).isTrue();
    assertThat(ExecutionProvider.CPU.usesGpu()).isFalse();
  }

  private static RgbImage solid(int width, int height, int[] rgb) {
    byte[] pixels = new byte[width * height * 3];
    for (int i = 0; i < pixels.length; i += 3) {
      pixels[i] = (byte) rgb[0];
      pixels[i + 1] = (byte) rgb[1];
      pixels[i + 2] = (byte) rgb[2];
    }
    return new RgbImage(width, height, pixels);
  }

  private static RgbImage paint(RgbImage image, int left, int top, int side, int[] rgb) {
    byte[] pixels = image.rgb();
    for (int y = top; y < top + side; y++) {
      for (int x = left; x < left + side; x++) {
        int i = (y * image.width() + x) * 3;
        pixels[i] = (byte) rgb[0];
        pixels[i + 1] = (byte) rgb[1];
        pixels[i + 2] = (byte) rgb[2];
      }
    }
    return image;
  }

  private static boolean insideOf(Detection inner, Detection outer) {
    return inner.x1() >= outer.x1() && inner.y1() >= outer.y1() && inner.x2() <= outer.x2()
        && inner.y2() <= outer.y2();
  }
}
