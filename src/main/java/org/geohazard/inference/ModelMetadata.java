package org.geohazard.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import org.geohazard.detection.HazardThresholds;
import org.geohazard.detection.SceneView;

/**
 * What the server needs to know about a detection model, read from the custom metadata an Ultralytics
 * export writes ({@code names}, {@code imgsz}, {@code stride}, {@code task}, {@code version}), with the
 * operator's configuration filling in whatever is absent or malformed. Every such substitution is listed
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

    List<String> names = read(properties, "names", ModelMetadata::parseNames, fallbacks,
        "config's " + defaults.classNames().size() + " classes").orElse(defaults.classNames());

    int[] size = read(properties, "imgsz", ModelMetadata::parseImageSize, fallbacks,
        "config's " + defaults.inputWidth() + "x" + defaults.inputHeight())
        .orElse(new int[] {defaults.inputHeight(), defaults.inputWidth()});

    int stride = read(properties, "stride", ModelMetadata::parseStride, fallbacks,
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

  /**
   * Parses Ultralytics' {@code names}: a Python dict literal from class id to name, such as
   * {@code {0: 'landslide', 1: "farmer's field"}} (as Python's {@code repr} writes it, with either
   * quote and backslash escapes), or a plain list {@code ['a', 'b']}. Ids must be exactly 0..n-1.
   *
   * @throws IllegalArgumentException naming the offending position
   */
  public static List<String> parseNames(String literal) {
    return new PythonLiteralReader(literal).readNames();
  }

  /**
   * Parses {@code imgsz}: {@code [h, w]} or {@code (h, w)}, or one number for a square input.
   *
   * @return {@code {height, width}}
   */
  public static int[] parseImageSize(String text) {
    String inner = text.strip();
    if ((inner.startsWith("[") && inner.endsWith("]")) || (inner.startsWith("(") && inner.endsWith(")"))) {
      inner = inner.substring(1, inner.length() - 1);
    }
    String[] parts = inner.split(",");
    if (parts.length == 1) {
      int side = positiveInt(parts[0]);
      return new int[] {side, side};
    }
    if (parts.length == 2) {
      return new int[] {positiveInt(parts[0]), positiveInt(parts[1])};
    }
    throw new IllegalArgumentException("expected [height, width], got " + text);
  }

  /** Parses {@code stride}: one number, or a list of strides of which the largest counts. */
  public static int parseStride(String text) {
    String inner = text.strip();
    if (inner.startsWith("[") && inner.endsWith("]")) {
      inner = inner.substring(1, inner.length() - 1);
    }
    int largest = 0;
    for (String part : inner.split(",")) {
      largest = Math.max(largest, positiveInt(part));
    }
    return largest;
  }

  private static int positiveInt(String text) {
    String trimmed = text.strip();
    // Exporters write whole numbers, sometimes as floats ("32.0").
    if (trimmed.endsWith(".0")) {
      trimmed = trimmed.substring(0, trimmed.length() - 2);
    }
    try {
      int value = Integer.parseInt(trimmed);
      if (value <= 0) {
        throw new IllegalArgumentException("expected a positive number, got '" + text.strip() + "'");
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a number, got '" + text.strip() + "'");
    }
  }

  /** A reader for the small subset of Python literals that {@code names} uses. */
  private static final class PythonLiteralReader {
    private final String text;
    private int pos;

    PythonLiteralReader(String text) {
      this.text = text;
    }

    List<String> readNames() {
      skipSpaces();
      List<String> names;
      if (peek() == '{') {
        names = readDict();
      } else if (peek() == '[') {
        names = readList();
      } else {
        throw error("expected '{' or '['");
      }
      skipSpaces();
      if (pos != text.length()) {
        throw error("unexpected text after the literal");
      }
      if (names.isEmpty()) {
        throw error("no class names");
      }
      return names;
    }

    private List<String> readDict() {
      TreeMap<Integer, String> byId = new TreeMap<>();
      expect('{');
      skipSpaces();
      while (peek() != '}') {
        int idAt = pos;
        int id = readInt();
        skipSpaces();
        expect(':');
        skipSpaces();
        String name = readString();
        if (byId.put(id, name) != null) {
          pos = idAt;
          throw error("class id " + id + " appears twice");
        }
        skipSpacesAndComma('}');
      }
      expect('}');
      // Ids index the model's score rows, so a gap would shift every later name onto the wrong class.
      if (!byId.isEmpty() && (byId.firstKey() != 0 || byId.lastKey() != byId.size() - 1)) {
        throw new IllegalArgumentException("class ids must be 0.." + (byId.size() - 1) + ", got " + byId.keySet());
      }
      return new ArrayList<>(byId.values());
    }

    private List<String> readList() {
      List<String> names = new ArrayList<>();
      expect('[');
      skipSpaces();
      while (peek() != ']') {
        names.add(readString());
        skipSpacesAndComma(']');
      }
      expect(']');
      return names;
    }

    private void skipSpacesAndComma(char closing) {
      skipSpaces();
      if (peek() == ',') {
        pos++;
        skipSpaces();
      } else if (peek() != closing) {
        throw error("expected ',' or '" + closing + "'");
      }
    }

    private int readInt() {
      int start = pos;
      while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
        pos++;
      }
      if (start == pos) {
        throw error("expected a class id");
      }
      try {
        return Integer.parseInt(text.substring(start, pos));
      } catch (NumberFormatException e) {
        pos = start;
        throw error("class id out of range");
      }
    }

    private String readString() {
      char quote = peek();
      if (quote != '\'' && quote != '"') {
        throw error("expected a quoted name");
      }
      pos++;
      StringBuilder name = new StringBuilder();
      while (true) {
        if (pos >= text.length()) {
          throw error("unterminated name");
        }
        char c = text.charAt(pos++);
        if (c == quote) {
          return name.toString();
        }
        if (c == '\\') {
          readEscape(name);
        } else {
          name.append(c);
        }
      }
    }

    private void readEscape(StringBuilder out) {
      if (pos >= text.length()) {
        throw error("unterminated escape");
      }
      char c = text.charAt(pos++);
      switch (c) {
        case '\\', '\'', '"' -> out.append(c);
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case 'x' -> out.appendCodePoint(readHex(2));
        case 'u' -> out.appendCodePoint(readHex(4));
        case 'U' -> out.appendCodePoint(readHex(8));
        // Python keeps unknown escapes as written.
        default -> out.append('\\').append(c);
      }
    }

    private int readHex(int digits) {
      if (pos + digits > text.length()) {
        throw error("truncated escape");
      }
      try {
        int value = Integer.parseInt(text.substring(pos, pos + digits), 16);
        if (!Character.isValidCodePoint(value)) {
          throw error("invalid escape");
        }
        pos += digits;
        return value;
      } catch (NumberFormatException e) {
        throw error("invalid escape");
      }
    }

    private void skipSpaces() {
      while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
        pos++;
      }
    }

    private char peek() {
      if (pos >= text.length()) {
        throw error("unexpected end");
      }
      return text.charAt(pos);
    }

    private void expect(char c) {
      if (peek() != c) {
        throw error("expected '" + c + "'");
      }
      pos++;
    }

    private IllegalArgumentException error(String what) {
      return new IllegalArgumentException(what + " at position " + pos + " of " + text);
    }
  }
}
