package org.geohazard.inference;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which files an admin call may load as a model: ONNX files inside a directory that holds one of the configured
 * models ({@code model.paths}; {@code models/} by default). An API call never reads any other file of the host.
 */
final class ModelFiles {

  private ModelFiles() {}

  /**
   * The absolute, normalised path of {@code requested} (relative to the working directory, as {@code model.paths}
   * are).
   *
   * @throws IllegalArgumentException naming why it is refused
   */
  static Path resolve(String requested, List<Path> configured) {
    Path path;
    try {
      path = Path.of(requested).toAbsolutePath().normalize();
    } catch (java.nio.file.InvalidPathException notAPath) {
      throw new IllegalArgumentException("not a file path: " + requested);
    }
    // A root ("/") has no file name.
    if (path.getFileName() == null || !path.getFileName().toString().endsWith(".onnx")) {
      throw new IllegalArgumentException("a model file must end in .onnx: " + requested);
    }
    Set<Path> allowed = new LinkedHashSet<>();
    for (Path model : configured) {
      Path parent = model.toAbsolutePath().normalize().getParent();
      if (parent != null) {
        allowed.add(parent);
      }
    }
    if (allowed.stream().noneMatch(dir -> path.getParent() != null && path.getParent().equals(dir))) {
      throw new IllegalArgumentException("model files are loaded only from " + allowed + ", not " + requested);
    }
    if (!Files.isRegularFile(path)) {
      throw new IllegalArgumentException("no model file " + requested);
    }
    return path;
  }
}
