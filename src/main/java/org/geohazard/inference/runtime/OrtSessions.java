package org.geohazard.inference.runtime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.providers.OrtTensorRTProviderOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.geohazard.image.ContentHash;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds ONNX Runtime sessions from a {@link SessionConfig}: threads, optimisation, arena, spinning, and the
 * execution provider with its options (CUDA; TensorRT with its engine cache, and CUDA under it for what TensorRT
 * cannot run). Knows nothing of what the model computes: {@link OnnxDetector} wraps the session it returns.
 */
public final class OrtSessions {

  private static final Logger LOG = LoggerFactory.getLogger(OrtSessions.class);

  private OrtSessions() {}

  /** A session on the CPU. */
  static OrtSession onCpu(OrtEnvironment environment, Path modelFile, SessionConfig config) throws OrtException {
    try (SessionOptions options = options(config)) {
      return environment.createSession(modelFile.toString(), options);
    }
  }

  /**
   * A session on {@code provider} (CUDA or TensorRT) on the configured device, or null after the one warning that
   * says why it cannot be had (no such provider in this ONNX Runtime build, no device, a driver error) and which
   * provider of the chain is tried next.
   */
  static OrtSession onGpu(OrtEnvironment environment, Path modelFile, SessionConfig config,
                          ExecutionProvider provider) {
    String next = provider.fallbackChain().get(1).name();
    OrtProvider ortProvider = provider == ExecutionProvider.TENSORRT ? OrtProvider.TENSOR_RT : OrtProvider.CUDA;
    if (!OrtEnvironment.getAvailableProviders().contains(ortProvider)) {
      LOG.warn("{} was requested but this ONNX Runtime build has no {} provider (build with -Pgpu); trying {}",
          provider, provider, next);
      return null;
    }
    try (SessionOptions options = options(config);
         OrtTensorRTProviderOptions tensorrt = provider == ExecutionProvider.TENSORRT
             ? tensorrtOptions(config.cudaDeviceId(), modelFile) : null) {
      if (tensorrt != null) {
        options.addTensorrt(tensorrt);
      }
      // With TensorRT too: CUDA runs the operators TensorRT cannot.
      options.addCUDA(config.cudaDeviceId());
      return environment.createSession(modelFile.toString(), options);
    } catch (OrtException | IOException | RuntimeException | UnsatisfiedLinkError e) {
      LOG.warn("{} on device {} could not be used ({}); trying {}", provider, config.cudaDeviceId(), e.getMessage(),
          next);
      return null;
    }
  }

  /**
   * TensorRT with engines cached on disk: building one takes minutes, so only the first session on a
   * host (and each new input shape) pays for it. The cache folder is per model file content, since
   * TensorRT names engines after the graph and would reuse one built for other weights.
   */
  private static OrtTensorRTProviderOptions tensorrtOptions(int deviceId, Path modelFile)
      throws OrtException, IOException {
    Path cache = Path.of(System.getProperty("java.io.tmpdir"), "geohazard-tensorrt",
        ContentHash.sha256(modelFile).substring(0, 16));
    Files.createDirectories(cache);
    OrtTensorRTProviderOptions tensorrt = new OrtTensorRTProviderOptions(deviceId);
    try {
      tensorrt.add("trt_engine_cache_enable", "1");
      tensorrt.add("trt_engine_cache_path", cache.toString());
      return tensorrt;
    } catch (OrtException | RuntimeException e) {
      tensorrt.close();
      throw e;
    }
  }

  /** The options every session gets, whatever its provider. The caller closes them. */
  static SessionOptions options(SessionConfig config) throws OrtException {
    SessionOptions options = new SessionOptions();
    try {
      if (config.intraOpThreads() > 0) {
        options.setIntraOpNumThreads(config.intraOpThreads());
      }
      if (config.interOpThreads() > 0) {
        options.setInterOpNumThreads(config.interOpThreads());
      }
      options.setOptimizationLevel(config.optimization().ortLevel());
      options.setMemoryPatternOptimization(config.memoryPatternOptimization());
      options.setCPUArenaAllocator(config.cpuArenaAllocator());
      options.addConfigEntry("session.intra_op.allow_spinning", config.allowSpinning() ? "1" : "0");
      return options;
    } catch (OrtException | RuntimeException e) {
      options.close();
      throw e;
    }
  }
}
