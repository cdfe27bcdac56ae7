package org.geohazard.inference.runtime;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import org.geohazard.config.AppConfig;

/**
 * How an ONNX Runtime session is built.
 *
 * @param intraOpThreads threads one operator may use; 0 lets ONNX Runtime pick (one per core). On a
 *     node that also decodes images, leave cores for the decoders.
 * @param interOpThreads threads running independent operators in parallel; 0 lets ONNX Runtime pick.
 *     YOLO graphs are mostly sequential, so 1 is usually enough.
 * @param optimization graph optimisation level
 * @param executionProvider CPU, CUDA or TensorRT; a GPU provider falls back along
 *     {@link ExecutionProvider#fallbackChain()} when it cannot be used
 * @param cudaDeviceId the GPU to run on when the provider is CUDA or TensorRT
 * @param memoryPatternOptimization pre-plan allocations from the first run's shapes; helps a fixed
 *     batch size, costs re-planning when batch sizes vary
 * @param cpuArenaAllocator keep freed CPU memory in an arena for reuse (faster, higher resident memory)
 * @param allowSpinning let idle intra-op threads spin-wait for the next run: lowest latency on a
 *     dedicated inference host, but on a small machine the spinning steals the cycles that decoding
 *     and the event loops need
 */
public record SessionConfig(int intraOpThreads, int interOpThreads, GraphOptimization optimization,
                            ExecutionProvider executionProvider, int cudaDeviceId,
                            boolean memoryPatternOptimization, boolean cpuArenaAllocator, boolean allowSpinning) {

  /** ONNX Runtime graph optimisation level; ALL fuses the most operators and is the usual choice. */
  public enum GraphOptimization {
    NONE(OptLevel.NO_OPT), BASIC(OptLevel.BASIC_OPT), EXTENDED(OptLevel.EXTENDED_OPT), ALL(OptLevel.ALL_OPT);

    private final OptLevel ortLevel;

    GraphOptimization(OptLevel ortLevel) {
      this.ortLevel = ortLevel;
    }

    OptLevel ortLevel() {
      return ortLevel;
    }
  }

  public SessionConfig {
    if (intraOpThreads < 0 || interOpThreads < 0) {
      throw new IllegalArgumentException("thread counts must be 0 (automatic) or positive");
    }
    if (optimization == null || executionProvider == null) {
      throw new IllegalArgumentException("optimization and executionProvider must be set");
    }
    if (cudaDeviceId < 0) {
      throw new IllegalArgumentException("cudaDeviceId must not be negative, got " + cudaDeviceId);
    }
  }

  /** CPU, automatic intra-op threads, one inter-op thread, all optimisations, arena and patterns on. */
  public static SessionConfig cpuDefaults() {
    return new SessionConfig(0, 1, GraphOptimization.ALL, ExecutionProvider.CPU, 0, true, true, true);
  }

  /** The session a node builds from its {@code model.*} configuration, on GPU {@code cudaDeviceId} if any. */
  public static SessionConfig of(AppConfig.Model model, int cudaDeviceId) {
    return new SessionConfig(model.intraOpThreads(), model.interOpThreads(), GraphOptimization.ALL,
        ExecutionProvider.fromConfig(model.executionProvider()), cudaDeviceId, true, true, model.allowSpinning());
  }
}
