package org.geohazard.harness;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A node started from the fat jar as a child process against the local stack, for the fault suite and the soak. */
public final class NodeProcess implements AutoCloseable {

  public final Process process;

  private NodeProcess(Process process) {
    this.process = process;
  }

  /** The stack's settings ({@code .stack/env}, written by {@code scripts/local-stack.sh up}). */
  public static Map<String, String> stackEnv() throws Exception {
    return StackEnv.read(Path.of(".stack/env"));
  }

  /**
   * Starts {@code target/geohazard.jar} (or {@code GEOHAZARD_BENCH_NODE_JAR}) with the stack's settings, then {@code settings} (GEOHAZARD_* names), the
   * stand-in model unless they name another, no effective rate limit, and the log in {@code .stack/logs/<log>.log}.
   */
  public static NodeProcess start(Map<String, String> settings, String heap, String log) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx" + heap,
        // As the launchers start a node (scripts/lib/jar-and-stack.sh, docker/Dockerfile): the JIT compiles the
        // contract validator's 9 290-byte SchemaValidatorImpl.validate instead of interpreting it on every request.
        "-XX:-DontCompileHugeMethods"));
    // GEOHAZARD_BENCH_NODE_JAVA_OPTS: extra JVM options for the node, e.g. a flight recording to profile it.
    String extra = System.getenv("GEOHAZARD_BENCH_NODE_JAVA_OPTS");
    if (extra != null && !extra.isBlank()) {
      command.addAll(List.of(extra.trim().split("\\s+")));
    }
    // GEOHAZARD_BENCH_NODE_JAR: another build of the node (e.g. the previous commit's, for before/after in one sitting).
    String jar = System.getenv().getOrDefault("GEOHAZARD_BENCH_NODE_JAR", "target/geohazard.jar");
    command.addAll(List.of("-jar", jar));
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    env.putAll(stackEnv());
    env.put("GEOHAZARD_MODEL_PATHS", "models/geohazard-standin.onnx");
    // No effective limit: a million per 60 s window was hit by the read benchmark itself once the node answered
    // ~48 000 cached reads a second (its sixth round became 429s, 2026-12-07 20:13).
    env.put("GEOHAZARD_RATE_LIMIT_REQUESTS_PER_WINDOW", "1000000000");
    env.putAll(settings);
    Files.createDirectories(Path.of(".stack/logs"));
    return new NodeProcess(builder.redirectErrorStream(true)
        .redirectOutput(new File(".stack/logs/" + log + ".log")).start());
  }

  /** Waits until the node answers its readiness check. */
  public NodeProcess awaitReady(LoadClient client, String log) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!client.ready()) {
      if (System.nanoTime() > until || !process.isAlive()) {
        throw new IllegalStateException("the node did not become ready; see .stack/logs/" + log + ".log");
      }
      Thread.sleep(500);
    }
    return this;
  }

  public long pid() {
    return process.pid();
  }

  /** Resident set size from /proc, in bytes (-1 where there is no /proc). */
  public long rssBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (Exception e) {
      // not Linux, or the process is gone
    }
    return -1;
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
