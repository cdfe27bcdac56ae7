package org.geohazard.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.geohazard.harness.BenchArgs;
import org.geohazard.image.ImageDecoder;
import org.geohazard.image.ImageLimits;

/**
 * CPU one {@link ImageDecoder#decode} costs, per benchmark image ({@link BenchImages#all()}): this thread's CPU time
 * (not wall time, so other processes on the cores inflate it much less than a JMH average time), median of rounds
 * after a warm-up. The figure to compare before and after a change of the decoder on a shared machine.
 *
 * <pre>java -cp ... org.geohazard.bench.DecodeCpuBenchmark [--warmup 150] [--rounds 7] [--decodes 30]</pre>
 */
public final class DecodeCpuBenchmark {

  private DecodeCpuBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = BenchArgs.parse(args);
    int warmup = Integer.parseInt(options.getOrDefault("warmup", "150"));
    int rounds = Integer.parseInt(options.getOrDefault("rounds", "7"));
    int decodes = Integer.parseInt(options.getOrDefault("decodes", "30"));
    ImageDecoder decoder = new ImageDecoder(ImageLimits.DEFAULT);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (BenchImages.BenchImage image : BenchImages.all()) {
      for (int i = 0; i < warmup; i++) {
        decoder.decode(image.bytes());
      }
    }
    System.out.printf(Locale.ROOT, "%-32s %14s %20s%n", "image", "CPU ms/decode", "rounds min-max");
    for (BenchImages.BenchImage image : BenchImages.all()) {
      double[] perDecode = new double[rounds];
      for (int round = 0; round < rounds; round++) {
        long start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < decodes; i++) {
          decoder.decode(image.bytes());
        }
        perDecode[round] = (threads.getCurrentThreadCpuTime() - start) / 1e6 / decodes;
      }
      Arrays.sort(perDecode);
      System.out.printf(Locale.ROOT, "%-32s %14.2f %11.2f-%.2f%n", image.name(), perDecode[rounds / 2], perDecode[0],
          perDecode[rounds - 1]);
    }
  }
}
