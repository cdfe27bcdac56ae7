package org.geohazard.inference;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.geohazard.bus.ImageClaim;
import org.geohazard.config.AppConfig;
import org.geohazard.image.ImageLimits;
import org.geohazard.image.RgbImage;
import org.geohazard.inference.processing.Letterbox;
import org.geohazard.inference.runtime.OnnxDetector;
import org.geohazard.inference.scene.Scene;
import org.geohazard.inference.scene.ScenePlanner;
import org.geohazard.inference.scene.SceneSource;

/**
 * The two halves of a scene's analysis measured apart, for the scene benchmark ({@code ScenePipelineBenchmark}):
 * every window read and letterboxed with no model running, and every model run over as many windows as the plan
 * gives it with no reading. A pipeline that overlaps them perfectly takes the longer of the two; on shared cores it
 * cannot beat their CPU time summed over the cores.
 *
 * <p>Why it is here, in main: it must plan a scene exactly as a node does, with the package's own
 * {@code ServedModel} (models loaded and warmed as a node loads them), which is package-private on purpose. It used
 * to sit in src/bench under this package's name to reach it, which split the package across two source sets. This
 * one public class, with nothing of the node depending on it, is the smaller opening.
 */
public final class SceneStages implements AutoCloseable {

  /** Wall and CPU (this process, every thread) seconds of one stage, and the windows it handled. */
  public record Timing(double wallSeconds, double cpuSeconds, int windows) {}

  private final AppConfig config;
  private final List<ServedModel> models;

  private SceneStages(AppConfig config, List<ServedModel> models) {
    this.config = config;
    this.models = models;
  }

  /** Loads and warms the configured models, as a node does. */
  public static SceneStages load(AppConfig config) throws Exception {
    return new SceneStages(config, ServedModel.loadAll(config.model(), config.model().paths(), 0, config.batcher()));
  }

  /** Windows each model's looks at the scene take, by model version, as a node plans them. */
  public Map<String, Integer> plan(Path file, String bands) throws Exception {
    try (SceneSource source = SceneSource.open(file, ImageLimits.of(config.limits()))) {
      Map<String, Integer> windows = new LinkedHashMap<>();
      for (Scene.Pass<ServedModel> pass : plan(source, bands).passes()) {
        windows.merge(pass.model().profile().version(), pass.job().windowCount(), Integer::sum);
      }
      return windows;
    }
  }

  /**
   * Decoding alone: every window of every look read and letterboxed into its model's input buffer on
   * {@code threads} threads (the node's preprocessing pool), nothing run.
   */
  public Timing decodeAlone(Path file, String bands, int threads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (SceneSource source = SceneSource.open(file, ImageLimits.of(config.limits()))) {
      long cpu = processCpuNanos();
      long start = System.nanoTime();
      Scene<ServedModel> scene = plan(source, bands);
      List<Future<?>> reads = new ArrayList<>();
      AtomicInteger windows = new AtomicInteger();
      // Reused input buffers per model, as the node's models keep them (nothing runs to hand them back here).
      Map<ServedModel, ConcurrentLinkedQueue<FloatBuffer>> spare = new ConcurrentHashMap<>();
      while (scene.hasNextWindow()) {
        Scene.Work<ServedModel> work = scene.takeNextWindow();
        reads.add(pool.submit(() -> {
          RgbImage image = work.pass().reader().read(work.window());
          OnnxDetector detector = work.pass().model().detector();
          ConcurrentLinkedQueue<FloatBuffer> buffers = spare.computeIfAbsent(work.pass().model(),
              m -> new ConcurrentLinkedQueue<>());
          FloatBuffer input = buffers.poll();
          if (input == null) {
            input = detector.newInputBuffer(1);
          }
          detector.letterbox().apply(image.rgb(), image.width(), image.height(), input, 0);
          buffers.offer(input);
          windows.incrementAndGet();
          return null;
        }));
      }
      for (Future<?> read : reads) {
        read.get();
      }
      return new Timing((System.nanoTime() - start) / 1e9, (processCpuNanos() - cpu) / 1e9, windows.get());
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Inference alone: each model run over as many windows as it sees in the scene, in full batches of
   * {@code batcher.maxBatch} (the last one partial) and with its boxes decoded, from inputs letterboxed from the
   * scene's first windows before the clock starts.
   */
  public Timing inferenceAlone(Path file, String bands) throws Exception {
    int maxBatch = config.batcher().maxBatch();
    Map<ServedModel, Integer> windowsPerModel = new LinkedHashMap<>();
    Map<ServedModel, FloatBuffer> batchInputs = new LinkedHashMap<>();
    Map<ServedModel, List<Letterbox.Placement>> placements = new LinkedHashMap<>();
    try (SceneSource source = SceneSource.open(file, ImageLimits.of(config.limits()))) {
      Scene<ServedModel> scene = plan(source, bands);
      while (scene.hasNextWindow()) {
        Scene.Work<ServedModel> work = scene.takeNextWindow();
        ServedModel model = work.pass().model();
        windowsPerModel.merge(model, 1, Integer::sum);
        List<Letterbox.Placement> filled = placements.computeIfAbsent(model, m -> new ArrayList<>());
        if (filled.size() < maxBatch) {
          FloatBuffer input = batchInputs.computeIfAbsent(model, m -> m.detector().newInputBuffer(maxBatch));
          RgbImage image = work.pass().reader().read(work.window());
          filled.add(model.detector().letterbox().apply(image.rgb(), image.width(), image.height(), input,
              filled.size() * model.detector().floatsPerImage()));
        }
      }
    }
    long cpu = processCpuNanos();
    long start = System.nanoTime();
    int windows = 0;
    for (Map.Entry<ServedModel, Integer> entry : windowsPerModel.entrySet()) {
      OnnxDetector detector = entry.getKey().detector();
      List<Letterbox.Placement> filled = placements.get(entry.getKey());
      for (int left = entry.getValue(); left > 0; ) {
        int size = Math.min(left, filled.size());
        detector.postprocess(detector.run(batchInputs.get(entry.getKey()), size), filled.subList(0, size));
        left -= size;
        windows += size;
      }
    }
    return new Timing((System.nanoTime() - start) / 1e9, (processCpuNanos() - cpu) / 1e9, windows);
  }

  /** CPU time of every thread of this process, ONNX Runtime's native ones included. */
  public static long processCpuNanos() {
    return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private Scene<ServedModel> plan(SceneSource source, String bands) throws Exception {
    ImageClaim claim = OfflineAnalyzer.claimFor("scene", new OfflineAnalyzer.Hints(null, null, null, bands, null));
    String defaultBands = bands != null ? bands : config.scenes().defaultBands();
    long start = System.nanoTime();
    return new Scene<>(claim, source, null, source.georeference(), new ScenePlanner(config.scenes())
        .servingPasses(models, ScenePlanner.factsOf(claim, source), source, defaultBands, start), start);
  }

  @Override
  public void close() throws Exception {
    for (ServedModel model : models) {
      model.close();
    }
  }
}
