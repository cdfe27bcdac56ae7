package org.geohazard.api;

/**
 * The file name stored and answered for an upload: what the client sent, without path components or control
 * characters, and at most {@link #MAX_CHARACTERS} characters (Unicode code points, as the database column counts
 * them). A longer name is shortened in the middle of its stem, keeping its extension, so that it stays
 * recognisable ("sentinel2_…_T45RVL.tif"): a file is never refused for its name.
 */
final class UploadNames {

  static final int MAX_CHARACTERS = 255;
  private static final int MAX_EXTENSION = 16;
  private static final String ELLIPSIS = "…";

  private UploadNames() {}

  /** The name to keep, or null when nothing usable is left. */
  static String forStorage(String sent) {
    if (sent == null) {
      return null;
    }
    String name = sent.substring(Math.max(sent.lastIndexOf('/'), sent.lastIndexOf('\\')) + 1);
    StringBuilder clean = new StringBuilder(name.length());
    name.codePoints()
        .filter(c -> !Character.isISOControl(c) && !(c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) && c != 0xFFFD
            && Character.getType(c) != Character.FORMAT)
        .forEach(clean::appendCodePoint);
    String kept = clean.toString().strip();
    if (kept.isEmpty()) {
      return null;
    }
    int length = kept.codePointCount(0, kept.length());
    if (length <= MAX_CHARACTERS) {
      return kept;
    }
    int dot = kept.lastIndexOf('.');
    String extension = dot > 0 && kept.length() - dot <= MAX_EXTENSION ? kept.substring(dot) : "";
    String stem = kept.substring(0, kept.length() - extension.length());
    int room = MAX_CHARACTERS - extension.codePointCount(0, extension.length()) - 1;
    int head = room * 2 / 3;
    int tail = room - head;
    int stemLength = stem.codePointCount(0, stem.length());
    String start = stem.substring(0, stem.offsetByCodePoints(0, head));
    String end = stem.substring(stem.offsetByCodePoints(0, stemLength - tail));
    return start + ELLIPSIS + end + extension;
  }
}
