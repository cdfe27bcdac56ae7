package org.geohazard.inference.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Reads the values of an Ultralytics export's custom metadata, which the exporter writes as Python literals
 * ({@code str()} of a dict, list or tuple): class names, input size and stride. Only the small subset of Python
 * those values use is understood; anything else is refused with the position where reading stopped, so that
 * {@link ModelMetadata} can fall back to the configuration and say why.
 */
public final class MetadataLiterals {

  private MetadataLiterals() {}

  /**
   * Parses Ultralytics' {@code names}: a Python dict literal from class id to name, such as
   * {@code {0: 'landslide', 1: "farmer's field"}} (as Python's {@code repr} writes it, with either
   * quote and backslash escapes), or a plain list {@code ['a', 'b']}. Ids must be exactly 0..n-1.
   *
   * @throws IllegalArgumentException naming the offending position
   */
  public static List<String> names(String literal) {
    return new PythonLiteralReader(literal).readNames();
  }

  /**
   * Parses {@code imgsz}: {@code [h, w]} or {@code (h, w)}, or one number for a square input.
   *
   * @return {@code {height, width}}
   */
  public static int[] imageSize(String text) {
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
  public static int stride(String text) {
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
