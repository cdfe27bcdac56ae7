package org.geohazard.bench;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import io.vertx.core.buffer.Buffer;
import java.lang.management.ManagementFactory;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.geohazard.config.AppConfig;
import org.geohazard.config.ConfigLoader;
import org.geohazard.harness.BenchArgs;
import org.geohazard.image.ImageDecoder;
import org.geohazard.image.ImageLimits;
import org.geohazard.image.RgbImage;
import org.geohazard.inference.processing.Letterbox;
import org.geohazard.inference.runtime.OnnxDetector;

/**
 * CPU of each step an uploaded picture goes through on its way to ONNX Runtime and back, per image and per
 * benchmark image ({@link BenchImages#all()}), beside the model run itself, as the node does them for a picture
 * analysed whole: the copy out of the fetched {@code Buffer}, {@link ImageDecoder#decode}, {@link Letterbox#apply}
 * into the window's direct buffer (and, same sitting, {@link LegacyLetterbox}: the code before issue 26's one-pass
 * rows), the copy of the window into the batch input, {@link OnnxDetector#run} at the batch size asked for, and the
 * decoding of its output. Java steps are this thread's CPU time; the model run is the process's CPU time (ONNX
 * Runtime's own threads), divided by the batch size. Medians over rounds after a warm-up; bytes allocated per step
 * (this thread) beside them, since the node's GC time follows them.
 *
 * <p>It also checks that the letterbox writes exactly the floats the legacy one writes, for every image, at the
 * model's input size and at 640.
 *
 * <pre>bench_java org.geohazard.bench.AnalysisStepsBenchmark [--warmup 60] [--rounds 7] [--reps 20] [--batch 8]</pre>
 */
public final class AnalysisStepsBenchmark {

  private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private interface Step {
    void run() throws Exception;
  }

  private record Figure(double cpuMs, double minMs, double maxMs, double allocKb) {}

  private AnalysisStepsBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = BenchArgs.parse(args);
    int warmup = Integer.parseInt(options.getOrDefault("warmup", "60"));
    int rounds = Integer.parseInt(options.getOrDefault("rounds", "7"));
    int reps = Integer.parseInt(options.getOrDefault("reps", "20"));
    int batch = Integer.parseInt(options.getOrDefault("batch", "8"));
    AppConfig config = ConfigLoader.fromProcess();
    ImageDecoder decoder = new ImageDecoder(ImageLimits.of(config.limits()));
    if (options.containsKey("load-seconds")) {
      underLoad(config, decoder, Integer.parseInt(options.get("load-seconds")),
          Integer.parseInt(options.getOrDefault("threads", "2")));
      return;
    }
    try (OnnxDetector detector = RawOrtBenchmark.open(config.model())) {
      Letterbox letterbox = detector.letterbox();
      LegacyLetterbox legacy = new LegacyLetterbox(letterbox.dstWidth(), letterbox.dstHeight());
      int perImage = detector.floatsPerImage();
      FloatBuffer window = detector.newInputBuffer(1);
      FloatBuffer batchInput = detector.newInputBuffer(batch);
      List<BenchImages.BenchImage> images = BenchImages.all();
      checkSameFloats(images, decoder, letterbox.dstWidth(), letterbox.dstHeight());
      checkSameFloats(images, decoder, 640, 640);

      // Every image letterboxed once into the batch, for the model run and the output decoding.
      List<Letterbox.Placement> placements = new ArrayList<>();
      for (int i = 0; i < batch; i++) {
        RgbImage rgb = decoder.decode(images.get(i % images.size()).bytes());
        placements.add(letterbox.apply(rgb, batchInput, i * perImage));
      }
      OnnxDetector.RawOutput[] output = {detector.run(batchInput, batch)};

      System.out.printf(Locale.ROOT, "model %s, input %dx%d; %d rounds of %d after %d warm-up; CPU ms per image "
              + "(median, min-max), KB allocated per image%n", config.model().paths().get(0), letterbox.dstWidth(),
          letterbox.dstHeight(), rounds, reps, warmup);
      System.out.printf(Locale.ROOT, "%-32s %-28s %8s %15s %9s%n", "image", "step", "CPU ms", "min-max", "alloc KB");
      List<double[]> totals = new ArrayList<>();
      for (BenchImages.BenchImage image : images) {
        Buffer fetched = Buffer.buffer(image.bytes());
        RgbImage rgb = decoder.decode(image.bytes());
        Map<String, Step> steps = new LinkedHashMap<>();
        steps.put("bytes out of the Buffer", fetched::getBytes);
        steps.put("decode", () -> decoder.decode(image.bytes()));
        steps.put("letterbox, before", () -> legacy.apply(rgb.rgb(), rgb.width(), rgb.height(), window, 0));
        steps.put("letterbox, after", () -> letterbox.apply(rgb, window, 0));
        steps.put("window into batch input", () -> batchInput.put(0, window, 0, perImage));
        for (Map.Entry<String, Step> step : steps.entrySet()) {
          Figure figure = measure(step.getValue(), warmup, rounds, reps, 1, false);
          print(image.name(), step.getKey(), figure);
        }
      }
      Figure run = measure(() -> output[0] = detector.run(batchInput, batch), Math.max(3, warmup / 10), rounds,
          Math.max(2, reps / 4), batch, true);
      print("(batch of " + batch + ")", "ORT run, process CPU", run);
      Figure post = measure(() -> detector.postprocess(output[0], placements), warmup, rounds, reps, batch, false);
      print("(batch of " + batch + ")", "output decoding + NMS", post);
    }
  }

  /**
   * The collector's share: {@code threads} threads named as the node's preprocessing pool decode and letterbox the
   * benchmark images round-robin for {@code seconds} (after as long again of warm-up), and Linux's counters of this
   * JVM's threads ({@link CpuAccounting}) give CPU ms per image of the workers, the GC and the JIT; run it with the
   * JVM options to compare (heap size, G1 region size).
   */
  private static void underLoad(AppConfig config, ImageDecoder decoder, int seconds, int threads) throws Exception {
    List<BenchImages.BenchImage> images = BenchImages.all();
    Letterbox letterbox = new Letterbox(config.model().inputSize(), config.model().inputSize());
    java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int first = t;
      Thread worker = new Thread(() -> {
        FloatBuffer window = java.nio.ByteBuffer.allocateDirect(letterbox.floatsPerImage() * Float.BYTES)
            .order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
        try {
          for (int i = first; !stop.get(); i++) {
            letterbox.apply(decoder.decode(images.get(i % images.size()).bytes()), window, 0);
            done.incrementAndGet();
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, "geohazard-prep-bench-" + t);
      worker.start();
      workers.add(worker);
    }
    Thread.sleep(seconds * 1000L);
    CpuAccounting.Snapshot before = CpuAccounting.snapshot();
    long start = done.get();
    Thread.sleep(seconds * 1000L);
    CpuAccounting.Snapshot after = CpuAccounting.snapshot();
    long images1 = done.get() - start;
    stop.set(true);
    for (Thread worker : workers) {
      worker.join();
    }
    CpuAccounting.PerImage perImage = CpuAccounting.between(before, after, images1);
    System.out.printf(Locale.ROOT, "%d images in %d s on %d threads, JVM %s: CPU ms per image: decode+letterbox "
            + "%.2f, jvm gc %.2f, jvm jit %.2f, other threads %.2f%n", images1, seconds, threads,
        ManagementFactory.getRuntimeMXBean().getInputArguments(), perImage.msPerImage().get("decode+letterbox"),
        perImage.msPerImage().get("jvm gc"), perImage.msPerImage().get("jvm jit"),
        perImage.msPerImage().get("other node threads"));
  }

  private static void print(String image, String step, Figure figure) {
    System.out.printf(Locale.ROOT, "%-32s %-28s %8.3f %7.3f-%-7.3f %9.1f%n", image, step, figure.cpuMs(),
        figure.minMs(), figure.maxMs(), figure.allocKb());
  }

  /** Median over rounds of CPU per image; {@code process}: every thread's CPU, else this thread's. */
  private static Figure measure(Step step, int warmup, int rounds, int reps, int imagesPerRep, boolean process)
      throws Exception {
    for (int i = 0; i < warmup; i++) {
      step.run();
    }
    double[] perImage = new double[rounds];
    double[] alloc = new double[rounds];
    long thread = Thread.currentThread().getId();
    for (int round = 0; round < rounds; round++) {
      long bytes = THREADS.getThreadAllocatedBytes(thread);
      long start = process ? OS.getProcessCpuTime() : THREADS.getCurrentThreadCpuTime();
      for (int i = 0; i < reps; i++) {
        step.run();
      }
      long cpu = (process ? OS.getProcessCpuTime() : THREADS.getCurrentThreadCpuTime()) - start;
      perImage[round] = cpu / 1e6 / reps / imagesPerRep;
      alloc[round] = (THREADS.getThreadAllocatedBytes(thread) - bytes) / 1024.0 / reps / imagesPerRep;
    }
    double[] sorted = perImage.clone();
    Arrays.sort(sorted);
    Arrays.sort(alloc);
    return new Figure(sorted[rounds / 2], sorted[0], sorted[rounds - 1], alloc[rounds / 2]);
  }

  /** The letterbox must write exactly the legacy floats, pads included, into a buffer full of other values. */
  private static void checkSameFloats(List<BenchImages.BenchImage> images, ImageDecoder decoder, int width,
                                      int height) throws Exception {
    Letterbox letterbox = new Letterbox(width, height);
    LegacyLetterbox legacy = new LegacyLetterbox(width, height);
    for (BenchImages.BenchImage image : images) {
      RgbImage rgb = decoder.decode(image.bytes());
      float[] before = new float[letterbox.floatsPerImage()];
      float[] after = new float[letterbox.floatsPerImage()];
      Arrays.fill(before, -1f);
      Arrays.fill(after, -2f);
      legacy.apply(rgb.rgb(), rgb.width(), rgb.height(), FloatBuffer.wrap(before), 0);
      letterbox.apply(rgb, FloatBuffer.wrap(after), 0);
      if (!Arrays.equals(before, after)) {
        throw new IllegalStateException("the letterbox differs from the legacy one on " + image.name() + " at "
            + width + "x" + height);
      }
    }
  }
}
