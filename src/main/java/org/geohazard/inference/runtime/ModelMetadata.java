package org.geohazard.inference.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.geohazard.detection.HazardThresholds;
import org.geohazard.detection.SceneView;

/**
 * What the server needs to know about a detection model, read from the custom metadata an Ultralytics
 * export writes ({@code names}, {@code imgsz}, {@code stride}, {@code task}, {@code version}), with the
 * operator's configuration filling in whatever is absent or malformed. The Python literals of those values are
 * read by {@link MetadataLiterals}. Every such substitution is listed
 * in {@link #fallbacksUsed()} so that the owner can log it at startup.
 *
 * @param classNames class names by class id
 * @param inputWidth model input width in pixels
 * @param inputHeight model input height in pixels
 * @param stride the model's largest stride in pixels (input sizes should be multiples of it)
 * @param task Ultralytics task ({@code detect}, {@code segment}, ...); {@code "detect"} when absent
 * @param version the exporter's version string, empty when absent
 * @param view the scene view the model expects ({@code view}; {@link SceneView#RGB} when absent)
 * @param gsdM ground sample distance of its training imagery in metres ({@code gsd_m}), when stated
 * @param thresholds per-class thresholds ({@code thresholds}), {@link HazardThresholds#NONE} when absent
 * @param fallbacksUsed one sentence per value taken from the defaults instead of the model
 */
public record ModelMetadata(List<String> classNames, int inputWidth, int inputHeight, int stride, String task,
                            String version, SceneView view, OptionalDouble gsdM, HazardThresholds thresholds,
                            List<String> fallbacksUsed) {

  public ModelMetadata {
    classNames = List.copyOf(classNames);
    fallbacksUsed = List.copyOf(fallbacksUsed);
    if (classNames.isEmpty()) {
      throw new IllegalArgumentException("a model needs at least one class name");
    }
    if (inputWidth <= 0 || inputHeight <= 0 || stride <= 0) {
      throw new IllegalArgumentException("input size and stride must be positive");
    }
  }

  /**
   * Values used when the model does not carry them; they come from configuration.
   *
   * @param classNames class names by id
   * @param inputWidth model input width in pixels
   * @param inputHeight model input height in pixels
   * @param stride largest stride in pixels
   */
  public record Defaults(List<String> classNames, int inputWidth, int inputHeight, int stride) {
    public Defaults {
      classNames = List.copyOf(classNames);
      if (classNames.isEmpty()) {
        throw new IllegalArgumentException("default class names must not be empty");
      }
      if (inputWidth <= 0 || inputHeight <= 0 || stride <= 0) {
        throw new IllegalArgumentException("default input size and stride must be positive");
      }
    }

    /** The project's classes at Ultralytics' default input size. */
    public static Defaults geohazard() {
      return new Defaults(List.of("landslide", "flood", "water_body", "vegetation_loss"), 640, 640, 32);
    }
  }

  public int numClasses() {
    return classNames.size();
  }

  /** The name of a class id, or {@code class_<id>} for an id the model does not name. */
  public String className(int classId) {
    return classId >= 0 && classId < classNames.size() ? classNames.get(classId) : "class_" + classId;
  }

  /** Reads the model's custom metadata, taking each missing or unreadable value from {@code defaults}. */
  public static ModelMetadata fromProperties(Map<String, String> properties, Defaults defaults) {
    List<String> fallbacks = new ArrayList<>();

    List<String> names = read(properties, "names", MetadataLiterals::names, fallbacks,
        "config's " + defaults.classNames().size() + " classes").orElse(defaults.classNames());

    int[] size = read(properties, "imgsz", MetadataLiterals::imageSize, fallbacks,
        "config's " + defaults.inputWidth() + "x" + defaults.inputHeight())
        .orElse(new int[] {defaults.inputHeight(), defaults.inputWidth()});

    int stride = read(properties, "stride", MetadataLiterals::stride, fallbacks,
        "config's " + defaults.stride()).orElse(defaults.stride());

    String task = properties.getOrDefault("task", "detect").strip();
    String version = properties.getOrDefault("version", "").strip();
    // A model for another view would be shown the wrong bands: an unknown view stops the node.
    SceneView view = SceneView.fromMetadata(properties.get("view"));
    OptionalDouble gsd = properties.containsKey("gsd_m")
        ? read(properties, "gsd_m", ModelMetadata::parseGsd, fallbacks, "image's own scale")
            .map(OptionalDouble::of).orElse(OptionalDouble.empty())
        : OptionalDouble.empty();
    HazardThresholds thresholds = properties.containsKey("thresholds")
        ? read(properties, "thresholds", HazardThresholds::fromMetadata, fallbacks, "node's default thresholds")
            .orElse(HazardThresholds.NONE)
        : HazardThresholds.NONE;
    return new ModelMetadata(names, size[1], size[0], stride, task, version, view, gsd, thresholds, fallbacks);
  }

  /** A copy with another input size (the session's fixed input shape wins over {@code imgsz}). */
  public ModelMetadata withInputSize(int width, int height, List<String> notes) {
    return new ModelMetadata(classNames, width, height, stride, task, version, view, gsdM, thresholds, notes);
  }

  private static double parseGsd(String text) {
    try {
      double value = Double.parseDouble(text.strip());
      if (!(value > 0 && value < 10_000)) {
        throw new IllegalArgumentException("expected metres in (0, 10000), got " + text.strip());
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a number of metres, got '" + text.strip() + "'");
    }
  }

  private interface Parser<T> {
    T parse(String text);
  }

  private static <T> Optional<T> read(Map<String, String> properties, String key, Parser<T> parser,
                                      List<String> fallbacks, String fallbackDescription) {
    String text = properties.get(key);
    if (text == null || text.isBlank()) {
      fallbacks.add("model metadata has no '" + key + "'; using the " + fallbackDescription);
      return Optional.empty();
    }
    try {
      return Optional.of(parser.parse(text));
    } catch (IllegalArgumentException e) {
      fallbacks.add("model metadata '" + key + "' is unreadable (" + e.getMessage() + "); using the "
          + fallbackDescription);
      return Optional.empty();
    }
  }
}
