package org.geohazard.inference.runtime;

import org.geohazard.detection.Detection;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.geohazard.config.AppConfig;
import org.geohazard.config.ConfigLoader;
import org.geohazard.inference.processing.Postprocessing;
import org.geohazard.inference.processing.YoloOutputDecoder;
import org.geohazard.inference.runtime.SessionConfig;
import org.geohazard.image.ImageDecoder;
import org.geohazard.image.ImageLimits;
import org.geohazard.image.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The server's inference path (ImageDecoder, Letterbox, ONNX Runtime, YoloOutputDecoder, NonMaxSuppression,
 * Placement.mapBack) must find in the fidelity images exactly what the Python reference path found with the
 * same ONNX file: the training letterbox with OpenCV, the graph run by a numpy interpreter, the same decoding
 * and NMS, each class held to its calibrated threshold (training/make_fidelity_fixtures.py, models/README.md),
 * for every model the node ships. A preprocessing difference between training and serving, the usual way a
 * deployed YOLO model silently loses accuracy, fails this test.
 */
class ModelFidelityTest {

  private static final Path FIXTURES = Path.of("src", "test", "resources", "fidelity");
  private static final double MIN_IOU = 0.99;
  private static final double MAX_SCORE_DIFFERENCE = 1e-3;

  /** Every model the node serves by default (conf/application.yaml), each with its own fixtures. */
  static List<Path> allShippedModels() {
    return AppConfig.fromJson(ConfigLoader.load(null, Map.of(), new Properties())).model().paths();
  }

  /** The shipped detectors: the mask models (fixtures with task=segment) are MaskFidelityTest's. */
  static List<Path> shippedModels() throws Exception {
    List<Path> detectors = new ArrayList<>();
    for (Path model : allShippedModels()) {
      if (!"segment".equals(read(model).path("task").asText())) {
        detectors.add(model);
      }
    }
    return detectors;
  }

  private static Path fixturesOf(Path model) {
    String file = model.getFileName().toString();
    return FIXTURES.resolve(file.substring(0, file.length() - ".onnx".length()));
  }

  @Test
  void everyShippedModelHasFixtures() throws Exception {
    assertThat(allShippedModels()).isNotEmpty().allSatisfy(model ->
        assertThat(fixturesOf(model).resolve("expected.json")).as("fidelity fixtures of %s", model).exists());
  }

  @ParameterizedTest
  @MethodSource("shippedModels")
  void modelPresentsItselfAsAnUltralyticsDetectExportWithItsView(Path model) throws Exception {
    try (OnnxDetector detector = open(model, read(model))) {
      ModelMetadata metadata = detector.metadata();
      assertThat(metadata.fallbacksUsed()).isEmpty();
      assertThat(metadata.task()).isEqualTo("detect");
      assertThat(metadata.stride()).isEqualTo(32);
      assertThat(metadata.gsdM()).isPresent();
      assertThat(metadata.thresholds().byClass()).as("calibrated thresholds").isNotEmpty();
      assertThat(detector.inputShape()).containsExactly(-1, 3, -1, -1);
      assertThat(detector.outputShape()[1]).isEqualTo(4 + metadata.numClasses());
    }
  }

  @ParameterizedTest
  @MethodSource("shippedModels")
  void javaPathFindsWhatThePythonReferenceFindsInEveryFixture(Path model) throws Exception {
    JsonNode expected = read(model);
    Path fixtures = fixturesOf(model);
    ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);
    List<RgbImage> images = new ArrayList<>();
    for (JsonNode image : expected.get("images")) {
      RgbImage rgb = decoder.decode(fixtures.resolve(image.get("file").asText()));
      assertThat(rgb.width()).isEqualTo(image.get("width").asInt());
      assertThat(rgb.height()).isEqualTo(image.get("height").asInt());
      images.add(rgb);
    }
    assertThat(images).hasSizeGreaterThanOrEqualTo(3);

    List<List<Detection>> found;
    try (OnnxDetector detector = open(model, expected)) {
      // One batch for all fixtures: images of different sizes share a run, as in the server.
      found = detector.detect(images);
    }

    int compared = 0;
    double worstIou = 1;
    double worstScore = 0;
    for (int i = 0; i < images.size(); i++) {
      JsonNode image = expected.get("images").get(i);
      String name = image.get("file").asText();
      List<Detection> actual = found.get(i);
      JsonNode wanted = image.get("detections");
      assertThat(actual).as("%s: number of detections", name).hasSize(wanted.size());
      List<Detection> unmatched = new ArrayList<>(actual);
      for (JsonNode want : wanted) {
        Detection reference = toDetection(want);
        Detection best = null;
        double bestIou = -1;
        for (Detection candidate : unmatched) {
          double iou = candidate.classId() == reference.classId() ? iou(candidate, reference) : -1;
          if (iou > bestIou) {
            bestIou = iou;
            best = candidate;
          }
        }
        assertThat(best).as("%s: a %s detection like %s", name, reference.classId(), reference).isNotNull();
        assertThat(bestIou).as("%s: IoU with the reference box %s, got %s", name, reference, best)
            .isGreaterThanOrEqualTo(MIN_IOU);
        assertThat((double) Math.abs(best.score() - reference.score()))
            .as("%s: score of %s against the reference %s", name, best, reference)
            .isLessThanOrEqualTo(MAX_SCORE_DIFFERENCE);
        unmatched.remove(best);
        worstIou = Math.min(worstIou, bestIou);
        worstScore = Math.max(worstScore, Math.abs(best.score() - reference.score()));
        compared++;
      }
    }
    assertThat(compared).as("detections compared over all fixtures").isGreaterThanOrEqualTo(3);
    // The margins actually measured, for the model card.
    System.out.printf("fidelity %s: %d detections in %d images, lowest IoU %.5f, largest score difference %.2e%n",
        model.getFileName(), compared, images.size(), worstIou, worstScore);
  }

  private static JsonNode read(Path model) throws Exception {
    JsonNode expected = new ObjectMapper().readTree(fixturesOf(model).resolve("expected.json").toFile());
    assertThat(sha256(model))
        .as("%s changed since its fixtures were written: rerun training/make_fidelity_fixtures.py", model)
        .isEqualTo(expected.get("model_sha256").asText());
    return expected;
  }

  private static OnnxDetector open(Path model, JsonNode expected) throws Exception {
    Postprocessing postprocessing = new Postprocessing((float) expected.get("conf_threshold").asDouble(),
        (float) expected.get("iou_threshold").asDouble(), expected.get("max_detections").asInt(),
        YoloOutputDecoder.Layout.AUTO);
    return OnnxDetector.open(model, SessionConfig.cpuDefaults(), postprocessing, ModelMetadata.Defaults.geohazard());
  }

  private static Detection toDetection(JsonNode json) {
    JsonNode box = json.get("box");
    return new Detection(json.get("class_id").asInt(), (float) json.get("score").asDouble(),
        (float) box.get(0).asDouble(), (float) box.get(1).asDouble(),
        (float) box.get(2).asDouble(), (float) box.get(3).asDouble());
  }

  private static double iou(Detection a, Detection b) {
    double iw = Math.min(a.x2(), b.x2()) - Math.max(a.x1(), b.x1());
    double ih = Math.min(a.y2(), b.y2()) - Math.max(a.y1(), b.y1());
    if (iw <= 0 || ih <= 0) {
      return 0;
    }
    double intersection = iw * ih;
    return intersection / ((double) a.area() + b.area() - intersection);
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}
