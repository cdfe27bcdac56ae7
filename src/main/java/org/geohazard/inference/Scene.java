package org.geohazard.inference;

import org.geohazard.inference.scene.SceneJob;
import org.geohazard.inference.scene.SceneSource;
import io.vertx.core.eventbus.Message;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.geohazard.bus.ImageClaim;
import org.geohazard.detection.ViewPlanner;
import org.geohazard.geo.PixelGeolocation;
import org.geohazard.inference.scene.SceneWindow;

/**
 * One image being analysed: the requests waiting for it (a retry of a request that timed out joins the
 * work in progress instead of starting it again), where its pixels come from, and one {@link Pass} per
 * model that looks at it, each with its own windows. Windows are handed out round-robin across the
 * passes. Touched on the inference worker's event loop only.
 */
final class Scene {

  /** One model's look at the scene: its view (bands, scale), the reader that makes it, its windows. */
  record Pass(ServedModel model, ViewPlanner.Pass plan, SceneSource.Reader reader, SceneJob job) {}

  /** A window handed out, with the pass it belongs to. */
  record Work(Pass pass, SceneWindow window) {}

  final List<Message<ImageClaim>> requests = new ArrayList<>(1);
  final ImageClaim claim;
  final SceneSource source;
  /** Scratch copy of a TIFF on disk, deleted when the scene closes; null for pictures decoded from memory. */
  final Path file;
  final Optional<PixelGeolocation> georeference;
  final long startNanos;
  final List<Pass> passes;
  private int nextPass;
  long lastProgressMs;
  boolean answered;
  boolean closed;

  Scene(ImageClaim claim, SceneSource source, Path file, Optional<PixelGeolocation> georeference,
        List<Pass> passes, long startNanos) {
    if (passes.isEmpty()) {
      throw new IllegalArgumentException("a scene needs at least one pass");
    }
    this.claim = claim;
    this.source = source;
    this.file = file;
    this.georeference = georeference;
    this.passes = List.copyOf(passes);
    this.startNanos = startNanos;
  }

  boolean hasNextWindow() {
    return passes.stream().anyMatch(p -> p.job().hasNextWindow());
  }

  Work takeNextWindow() {
    for (int i = 0; i < passes.size(); i++) {
      Pass pass = passes.get((nextPass + i) % passes.size());
      if (pass.job().hasNextWindow()) {
        nextPass = (nextPass + i + 1) % passes.size();
        return new Work(pass, pass.job().takeNextWindow());
      }
    }
    throw new IllegalStateException("no window left");
  }

  /** A window that will not be done: the whole scene has failed, and no pass hands out more windows. */
  void windowFailed(Pass pass) {
    pass.job().windowFailed();
    passes.forEach(p -> p.job().abandon());
  }

  int windowCount() {
    return passes.stream().mapToInt(p -> p.job().windowCount()).sum();
  }

  int windowsDone() {
    return passes.stream().mapToInt(p -> p.job().windowsDone()).sum();
  }

  boolean complete() {
    return passes.stream().allMatch(p -> p.job().complete());
  }

  /** Whether nothing of this scene is in flight any more, so its source can be closed. */
  boolean settled() {
    return passes.stream().allMatch(p -> p.job().settled());
  }
}
