package org.geohazard.inference.runtime;

import java.util.List;
import java.util.Locale;

/** Where a model runs: the CPU, or a GPU through CUDA or TensorRT. */
public enum ExecutionProvider {
  CPU, CUDA, TENSORRT;

  /** Parses a configuration value, {@code "cpu"}, {@code "cuda"} or {@code "tensorrt"} in any case. */
  public static ExecutionProvider fromConfig(String value) {
    try {
      return valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException(
          "execution provider must be 'cpu', 'cuda' or 'tensorrt', got '" + value + "'");
    }
  }

  /** Whether sessions run on a GPU, one per device. */
  public boolean usesGpu() {
    return this != CPU;
  }

  /** The providers tried in order when this one is configured; the CPU, which needs nothing, is last. */
  public List<ExecutionProvider> fallbackChain() {
    return switch (this) {
      case TENSORRT -> List.of(TENSORRT, CUDA, CPU);
      case CUDA -> List.of(CUDA, CPU);
      case CPU -> List.of(CPU);
    };
  }
}
