package org.geohazard.extent;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.geohazard.image.ImageDecoder;
import org.geohazard.image.ImageLimits;
import org.geohazard.image.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The flood mask models computed from Java (the project's ImageDecoder, RGB / 255, ONNX Runtime) give the probability
 * masks the Python reference gave with the same ONNX file (training/make_fidelity_fixtures.py: OpenCV's PNG reader and
 * a numpy ONNX interpreter independent of ONNX Runtime): at least 99.9 % of the pixels on the same side of the model's
 * own {@code mask_threshold}. The server's mask path will feed windows the same way. A small runner here rather than
 * the inference package's classes: those serve detectors, and this test must not depend on their restructuring.
 */
class MaskFidelityTest {

  private static final Path FIXTURES = Path.of("src", "test", "resources", "fidelity");
  private static final Path MODELS = Path.of("models");
  private static final double MIN_AGREEMENT = 0.999;

  /** Every fixture folder whose model is a mask model. */
  static List<Path> maskFixtures() throws Exception {
    try (Stream<Path> folders = Files.list(FIXTURES)) {
      return folders.filter(f -> Files.exists(f.resolve("expected.json")))
          .filter(f -> "segment".equals(read(f).path("task").asText())).sorted().toList();
    }
  }

  @Test
  void bothMaskModelsHaveFixtures() throws Exception {
    assertThat(maskFixtures()).extracting(f -> f.getFileName().toString())
        .contains("geohazard-s2seg", "geohazard-s1seg");
  }

  @ParameterizedTest
  @MethodSource("maskFixtures")
  void modelSaysItIsAMaskModelWithItsViewScaleAndThreshold(Path fixtures) throws Exception {
    Path model = MODELS.resolve(read(fixtures).get("model_file").asText());
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    try (OrtSession session = environment.createSession(model.toString(), new OrtSession.SessionOptions())) {
      Map<String, String> metadata = session.getMetadata().getCustomMetadata();
      assertThat(metadata).containsEntry("task", "segment").containsEntry("output", "mask")
          .containsKeys("view", "gsd_m", "mask_threshold", "imgsz", "version", "names");
      assertThat(Double.parseDouble(metadata.get("mask_threshold"))).isBetween(0.05, 0.95);
      assertThat(metadata.get("view")).isIn("swir_nir_green", "sar_vv_pair");
      NodeInfo output = session.getOutputInfo().get("mask");
      assertThat(((TensorInfo) output.getInfo()).getShape()).containsExactly(-1, 1, -1, -1);
      assertThat(((TensorInfo) session.getInputInfo().get("images").getInfo()).getShape())
          .containsExactly(-1, 3, -1, -1);
    }
  }

  @ParameterizedTest
  @MethodSource("maskFixtures")
  void javaMaskAgreesWithThePythonReferenceOnAtLeast999PerMilleOfPixels(Path fixtures) throws Exception {
    JsonNode expected = read(fixtures);
    Path model = MODELS.resolve(expected.get("model_file").asText());
    assertThat(sha256(model))
        .as("%s changed since its fixtures were written: rerun training/make_fidelity_fixtures.py", model)
        .isEqualTo(expected.get("model_sha256").asText());
    double threshold = expected.get("mask_threshold").asDouble();
    double scale = expected.get("mask_scale").asDouble();
    ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    long pixels = 0;
    long agreeing = 0;
    double largestDifference = 0;
    try (OrtSession session = environment.createSession(model.toString(), new OrtSession.SessionOptions())) {
      for (JsonNode image : expected.get("images")) {
        RgbImage rgb = decoder.decode(fixtures.resolve(image.get("file").asText()));
        float[] probabilities = run(environment, session, rgb);
        BufferedImage reference = ImageIO.read(fixtures.resolve(image.get("mask").asText()).toFile());
        assertThat(reference.getWidth()).isEqualTo(rgb.width());
        assertThat(reference.getHeight()).isEqualTo(rgb.height());
        for (int y = 0; y < rgb.height(); y++) {
          for (int x = 0; x < rgb.width(); x++) {
            double want = reference.getRaster().getSample(x, y, 0) / scale;
            double got = probabilities[y * rgb.width() + x];
            largestDifference = Math.max(largestDifference, Math.abs(want - got));
            agreeing += (want >= threshold) == (got >= threshold) ? 1 : 0;
            pixels++;
          }
        }
      }
    }
    double agreement = (double) agreeing / pixels;
    System.out.printf("mask fidelity %s: %d pixels, %.5f agree after thresholding at %s (limit %.3f), "
        + "largest probability difference %.2e%n", fixtures.getFileName(), pixels, agreement, threshold,
        MIN_AGREEMENT, largestDifference);
    assertThat(pixels).isGreaterThanOrEqualTo(3L * 192 * 192);
    assertThat(agreement).isGreaterThanOrEqualTo(MIN_AGREEMENT);
  }

  /** The model's flood probability for every pixel of {@code rgb} (its sides multiples of 32). */
  private static float[] run(OrtEnvironment environment, OrtSession session, RgbImage rgb) throws Exception {
    int plane = rgb.width() * rgb.height();
    float[] input = new float[3 * plane];
    byte[] pixels = rgb.rgb();
    for (int i = 0; i < plane; i++) {
      for (int c = 0; c < 3; c++) {
        input[c * plane + i] = (pixels[3 * i + c] & 0xFF) / 255f;
      }
    }
    long[] shape = {1, 3, rgb.height(), rgb.width()};
    try (OnnxTensor tensor = OnnxTensor.createTensor(environment, FloatBuffer.wrap(input), shape);
         OrtSession.Result result = session.run(Map.of("images", tensor))) {
      FloatBuffer out = ((OnnxTensor) result.get("mask").orElseThrow()).getFloatBuffer();
      float[] mask = new float[plane];
      out.get(mask);
      return mask;
    }
  }

  private static JsonNode read(Path fixtures) {
    try {
      return new ObjectMapper().readTree(fixtures.resolve("expected.json").toFile());
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + fixtures, e);
    }
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}
