package org.geohazard.bench;

import java.util.Arrays;
import java.util.List;

/** Percentiles of latency samples and medians over repeated rounds; nothing here reads a clock. */
final class Stats {

  private Stats() {}

  /** Nearest-rank percentile ({@code p} in [0, 100]) of the samples; NaN when there are none. */
  static double percentile(double[] samples, double p) {
    if (samples.length == 0) {
      return Double.NaN;
    }
    double[] sorted = samples.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  static double percentile(List<Double> samples, double p) {
    return percentile(samples.stream().mapToDouble(Double::doubleValue).toArray(), p);
  }

  /** The median of per-round figures: what the tables report, since single timings on a shared machine lie. */
  static double median(List<Double> perRound) {
    return percentile(perRound, 50);
  }
}
