package org.geohazard.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The local stack's settings as {@code scripts/local-stack.sh up} writes them ({@code .stack/env}). */
public final class StackEnv {

  private StackEnv() {}

  /** The {@code NAME=value} lines of {@code file} (optionally {@code export}ed, optionally quoted). */
  public static Map<String, String> read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no stack settings at " + file.toAbsolutePath()
          + ": run `bash scripts/local-stack.sh up` first (InferenceBenchmark: or pass --raw-only)");
    }
    Map<String, String> values = new HashMap<>();
    for (String line : Files.readAllLines(file)) {
      String trimmed = line.strip();
      int eq = trimmed.indexOf('=');
      if (trimmed.isEmpty() || trimmed.startsWith("#") || eq < 0) {
        continue;
      }
      String value = trimmed.substring(eq + 1);
      if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
          || value.startsWith("'") && value.endsWith("'"))) {
        value = value.substring(1, value.length() - 1);
      }
      values.put(trimmed.substring(0, eq).replaceFirst("^export\\s+", ""), value);
    }
    return values;
  }
}
