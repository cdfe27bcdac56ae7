package org.geohazard.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real services the integration tests talk to, brought up by the project's own
 * {@code scripts/local-stack.sh} (the same script the README and CI use) and described by the
 * {@code .stack/env} file it writes.
 */
final class LocalStack {

  private static Map<String, String> env;

  private LocalStack() {}

  static Path repoRoot() {
    String configured = System.getProperty("geohazard.repo");
    return configured == null ? Path.of("").toAbsolutePath() : Path.of(configured);
  }

  /**
   * Connection settings of the running stack, starting it first when needed. With
   * {@code -Dgeohazard.stackEnv=FILE} the tests use a stack that is already running elsewhere and
   * described by that file (same format as {@code .stack/env}).
   */
  static synchronized Map<String, String> env() {
    if (env == null) {
      String external = System.getProperty("geohazard.stackEnv");
      if (external == null || external.isBlank()) {
        up();
        env = read(repoRoot().resolve(".stack/env"));
      } else {
        env = read(Path.of(external));
      }
    }
    return env;
  }

  private static void up() {
    Path root = repoRoot();
    try {
      Process process = new ProcessBuilder(List.of("bash", root.resolve("scripts/local-stack.sh").toString(), "up"))
          .directory(root.toFile())
          .redirectErrorStream(true)
          .redirectOutput(root.resolve("target").toFile().isDirectory()
              ? ProcessBuilder.Redirect.appendTo(root.resolve("target/local-stack.log").toFile())
              : ProcessBuilder.Redirect.INHERIT)
          .start();
      if (!process.waitFor(10, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException("scripts/local-stack.sh up did not finish in 10 minutes");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException("scripts/local-stack.sh up failed (exit " + process.exitValue()
            + "); see target/local-stack.log and .stack/logs/");
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run scripts/local-stack.sh: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> read(Path file) {
    try {
      Map<String, String> values = new HashMap<>();
      for (String line : Files.readAllLines(file)) {
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#") || !trimmed.contains("=")) {
          continue;
        }
        int eq = trimmed.indexOf('=');
        String key = trimmed.substring(0, eq).replaceFirst("^export\\s+", "");
        String value = trimmed.substring(eq + 1);
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
            || value.startsWith("'") && value.endsWith("'"))) {
          value = value.substring(1, value.length() - 1);
        }
        values.put(key, value);
      }
      return values;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
