package org.geohazard.bench;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.geohazard.image.RgbImage;
import org.geohazard.inference.processing.Postprocessing;
import org.geohazard.inference.runtime.ExecutionProvider;
import org.geohazard.inference.runtime.ModelMetadata;
import org.geohazard.inference.runtime.OnnxDetector;
import org.geohazard.inference.runtime.SessionConfig;

/**
 * Measures a model's latency through ONNX Runtime on this machine's CPU, for the model card: one letterboxed
 * image per run (batch 1) and batches of 8, after a warm-up, median and 90th percentile of the session run
 * alone, plus the whole {@link OnnxDetector#detect} path (letterbox, run, decode, NMS) for one image.
 * Run it by hand,
 * <pre>
 *   mvn -B -q -Pbench test-compile
 *   java -cp target/bench-classes:target/test-classes:target/classes:$(cat target/bench.classpath) \
 *       org.geohazard.bench.ModelLatency models/geohazard-rgb.onnx [intraOpThreads]
 * </pre>
 */
public final class ModelLatency {

  private ModelLatency() {
  }

  public static void main(String[] args) throws Exception {
    Path model = Path.of(args.length > 0 ? args[0] : "models/geohazard-rgb.onnx");
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    SessionConfig config = new SessionConfig(threads, 1, SessionConfig.GraphOptimization.ALL,
        ExecutionProvider.CPU, 0, true, true, true);
    try (OnnxDetector detector = OnnxDetector.open(model, config, Postprocessing.defaults(),
        ModelMetadata.Defaults.geohazard())) {
      Random random = new Random(1);
      byte[] pixels = new byte[640 * 480 * 3];
      random.nextBytes(pixels);
      RgbImage image = new RgbImage(640, 480, pixels);
      for (int batch : new int[] {1, 8}) {
        FloatBuffer input = detector.newInputBuffer(batch);
        for (int i = 0; i < batch; i++) {
          detector.letterbox().apply(image, input, i * detector.floatsPerImage());
        }
        for (int i = 0; i < 5; i++) {
          detector.run(input, batch);
        }
        double[] ms = new double[batch == 1 ? 60 : 15];
        for (int i = 0; i < ms.length; i++) {
          long t0 = System.nanoTime();
          detector.run(input, batch);
          ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf("run, batch %d at %dx%d: median %.1f ms, p90 %.1f ms (%.1f ms per image)%n", batch,
            detector.inputWidth(), detector.inputHeight(), ms[ms.length / 2], ms[(int) (ms.length * 0.9)],
            ms[ms.length / 2] / batch);
      }
      double[] ms = new double[30];
      for (int i = 0; i < ms.length; i++) {
        long t0 = System.nanoTime();
        detector.detect(List.of(image));
        ms[i] = (System.nanoTime() - t0) / 1e6;
      }
      Arrays.sort(ms);
      System.out.printf("detect (letterbox 640x480 + run + decode + NMS), 1 image: median %.1f ms%n",
          ms[ms.length / 2]);
    }
  }
}
