package org.geohazard.inference.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import org.geohazard.config.AppConfig;
import org.geohazard.config.ConfigException;
import org.geohazard.image.ContentHash;

/** Opens a configured model and names its version: metadata version plus the file's hash prefix. */
public final class ModelLoader {

  public record Loaded(OnnxDetector detector, String modelVersion, Path path) {}

  private ModelLoader() {}

  public static Loaded open(AppConfig.Model model, Path path, int cudaDeviceId) throws Exception {
    if (!Files.isRegularFile(path)) {
      throw new ConfigException("model.paths: no model file at " + path.toAbsolutePath());
    }
    OnnxDetector detector = OnnxDetector.open(model, path, cudaDeviceId);
    String declared = detector.metadata().version();
    String name = declared == null || declared.isBlank() ? path.getFileName().toString() : declared;
    // The hash makes the version change whenever the weights do, even if the metadata does not:
    // predictions are unique per (image, model version).
    return new Loaded(detector, name + "+" + ContentHash.sha256(path).substring(0, 12), path);
  }
}
