package org.geohazard.inference.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.geohazard.config.AppConfig;
import org.geohazard.config.ConfigLoader;
import org.junit.jupiter.api.Test;

/**
 * The session a node builds follows its {@code model.*} configuration, GPU providers included, and
 * {@link OrtSessions} builds real sessions from it (a GPU one only where this ONNX Runtime build has the provider).
 */
class OrtSessionsTest {

  private static final Path STANDIN = Path.of("models/geohazard-standin.onnx");

  private static AppConfig.Model model(Map<String, String> environment) {
    return AppConfig.fromJson(ConfigLoader.load(null, environment, new Properties())).model();
  }

  @Test
  void aNodesSessionFollowsItsModelConfiguration() {
    SessionConfig cpu = SessionConfig.of(model(Map.of()), 0);

    assertThat(cpu.executionProvider()).isEqualTo(ExecutionProvider.CPU);
    assertThat(cpu.intraOpThreads()).isEqualTo(2);
    assertThat(cpu.interOpThreads()).isEqualTo(1);
    assertThat(cpu.allowSpinning()).isFalse();
    assertThat(cpu.optimization()).isEqualTo(SessionConfig.GraphOptimization.ALL);
    assertThat(cpu.memoryPatternOptimization()).isTrue();
    assertThat(cpu.cpuArenaAllocator()).isTrue();
  }

  @Test
  void aGpuProviderRunsOnTheDeviceItIsGiven() {
    SessionConfig tensorrt = SessionConfig.of(model(Map.of("GEOHAZARD_MODEL_EXECUTION_PROVIDER", "TensorRT",
        "GEOHAZARD_MODEL_INTRA_OP_THREADS", "4", "GEOHAZARD_MODEL_ALLOW_SPINNING", "true")), 3);

    assertThat(tensorrt.executionProvider()).isEqualTo(ExecutionProvider.TENSORRT);
    assertThat(tensorrt.executionProvider().fallbackChain())
        .containsExactly(ExecutionProvider.TENSORRT, ExecutionProvider.CUDA, ExecutionProvider.CPU);
    assertThat(tensorrt.cudaDeviceId()).isEqualTo(3);
    assertThat(tensorrt.intraOpThreads()).isEqualTo(4);
    assertThat(tensorrt.allowSpinning()).isTrue();
  }

  @Test
  void refusesWhatNoSessionCanBeBuiltWith() {
    assertThatThrownBy(() -> new SessionConfig(-1, 1, SessionConfig.GraphOptimization.ALL, ExecutionProvider.CPU, 0,
        true, true, false)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("thread counts");
    assertThatThrownBy(() -> new SessionConfig(0, 1, SessionConfig.GraphOptimization.ALL, ExecutionProvider.CUDA,
        -1, true, true, false)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cudaDeviceId");
    assertThatThrownBy(() -> new SessionConfig(0, 1, null, ExecutionProvider.CPU, 0, true, true, false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be set");
  }

  @Test
  void aCpuSessionIsBuiltAtEveryOptimisationLevelAndAGpuOneIsRefusedWithoutItsProvider() throws Exception {
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    for (SessionConfig.GraphOptimization level : SessionConfig.GraphOptimization.values()) {
      try (OrtSession session = OrtSessions.onCpu(environment, STANDIN, new SessionConfig(1, 1, level,
          ExecutionProvider.CPU, 0, false, false, false))) {
        assertThat(session.getInputNames()).containsExactly("images");
      }
    }
    // This build carries the CPU-only runtime (a -Pgpu build on a GPU host would make a session here).
    if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
      SessionConfig cuda = new SessionConfig(1, 1, SessionConfig.GraphOptimization.ALL, ExecutionProvider.CUDA, 0,
          true, true, false);
      assertThat(OrtSessions.onGpu(environment, STANDIN, cuda, ExecutionProvider.CUDA)).isNull();
      assertThat(OrtSessions.onGpu(environment, STANDIN, cuda, ExecutionProvider.TENSORRT)).isNull();
    }
  }
}
