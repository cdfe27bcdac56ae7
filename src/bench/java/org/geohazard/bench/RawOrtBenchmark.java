package org.geohazard.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.geohazard.config.AppConfig;
import org.geohazard.image.ImageDecoder;
import org.geohazard.image.ImageLimits;
import org.geohazard.image.RgbImage;
import org.geohazard.inference.runtime.OnnxDetector;

/**
 * The limit the pipeline is measured against: {@link OnnxDetector#run} alone, on inputs that were
 * decoded and letterboxed once beforehand, in a direct buffer as the inference worker passes it. Nothing
 * else runs in the process meanwhile (the pipeline node is started only afterwards).
 */
final class RawOrtBenchmark implements AutoCloseable {

  /** Medians over rounds for one batch size. A run's latency is every image's latency in that batch. */
  record Row(int batchSize, double imagesPerSecond, double batchP50Ms, double batchP99Ms, double cpuMsPerImage) {
    double msPerImage() {
      return batchP50Ms / batchSize;
    }
  }

  private final OnnxDetector detector;
  private final List<float[]> letterboxed = new ArrayList<>();

  RawOrtBenchmark(AppConfig config, List<BenchImages.BenchImage> images) throws Exception {
    detector = open(config.model());
    ImageDecoder decoder = new ImageDecoder(new ImageLimits(config.limits().maxPixels(),
        config.limits().maxDimension()));
    for (BenchImages.BenchImage image : images) {
      RgbImage rgb = decoder.decode(image.bytes());
      float[] input = new float[detector.floatsPerImage()];
      detector.letterbox().apply(rgb, FloatBuffer.wrap(input), 0);
      letterboxed.add(input);
    }
  }

  /**
   * The session exactly as the node builds it for its first model (the one every picture is shown to),
   * on the first configured GPU when the provider is CUDA.
   */
  static OnnxDetector open(AppConfig.Model model) throws Exception {
    return OnnxDetector.open(model, model.paths().get(0), model.cudaDevices().get(0));
  }

  OnnxDetector detector() {
    return detector;
  }

  /**
   * Warms up for {@code warmupMs}, then runs {@code rounds} rounds of at least {@code roundMs} and three
   * runs each; reports the median over rounds of throughput, p50 and p99.
   */
  Row measure(int batchSize, int rounds, long warmupMs, long roundMs) throws Exception {
    int perImage = detector.floatsPerImage();
    FloatBuffer batch = detector.newInputBuffer(batchSize);
    for (int i = 0; i < batchSize; i++) {
      batch.put(i * perImage, letterboxed.get(i % letterboxed.size()), 0, perImage);
    }
    long warmupEnd = System.nanoTime() + warmupMs * 1_000_000L;
    int warmupRuns = 0;
    while (warmupRuns < 2 || System.nanoTime() < warmupEnd) {
      detector.run(batch, batchSize);
      warmupRuns++;
    }
    List<Double> throughputs = new ArrayList<>();
    List<Double> p50s = new ArrayList<>();
    List<Double> p99s = new ArrayList<>();
    long cpuBefore = processCpuNanos();
    long imagesRun = 0;
    for (int round = 0; round < rounds; round++) {
      List<Double> latenciesMs = new ArrayList<>();
      long start = System.nanoTime();
      long end = start + roundMs * 1_000_000L;
      long now = start;
      while (latenciesMs.size() < 3 || now < end) {
        long before = System.nanoTime();
        detector.run(batch, batchSize);
        now = System.nanoTime();
        latenciesMs.add((now - before) / 1e6);
      }
      throughputs.add(latenciesMs.size() * (double) batchSize / ((now - start) / 1e9));
      imagesRun += (long) latenciesMs.size() * batchSize;
      p50s.add(Stats.percentile(latenciesMs, 50));
      p99s.add(Stats.percentile(latenciesMs, 99));
    }
    long cpuNanos = processCpuNanos() - cpuBefore;
    return new Row(batchSize, Stats.median(throughputs), Stats.median(p50s), Stats.median(p99s),
        cpuBefore < 0 ? Double.NaN : cpuNanos / 1e6 / imagesRun);
  }

  /** CPU time of this whole process (every ORT thread included), or -1 where the JVM cannot tell. */
  private static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  @Override
  public void close() throws Exception {
    detector.close();
  }
}
