package org.geohazard.inference;

import java.util.ArrayList;
import java.util.List;
import org.geohazard.geo.SceneTiler;
import org.geohazard.geo.SceneWindow;
import org.geohazard.geo.SeamMerger;
import org.geohazard.geo.TilePlan;
import org.geohazard.geo.WindowDetections;

/**
 * One image on its way through the model: the windows it is seen as, which have been handed out, and
 * the detections of those that are done. Scenes up to {@code tileAboveSide} on their longer side are one
 * window, letterboxed whole as Ultralytics does; larger ones are model-sized tiles with overlap plus one
 * full view, and their detections are merged across the seams when the last window is done.
 * Single-threaded: the inference verticle touches it on its event loop only.
 */
final class SceneJob {

  private final int width;
  private final int height;
  private final List<SceneWindow> windows;
  private final List<WindowDetections> done = new ArrayList<>();
  private final long startNanos;
  private int next;
  private int inFlight;
  private boolean failed;

  SceneJob(int width, int height, List<SceneWindow> windows, long startNanos) {
    if (windows.isEmpty()) {
      throw new IllegalArgumentException("a scene needs at least one window");
    }
    this.width = width;
    this.height = height;
    this.windows = List.copyOf(windows);
    this.startNanos = startNanos;
  }

  /**
   * The windows of a {@code width × height} scene. The full view is a downsampled window when the source
   * can read one (a raster), otherwise the whole image, which the letterbox then shrinks.
   */
  static List<SceneWindow> plan(int width, int height, int tileAboveSide, SceneTiler tiler, boolean readsDownsampled) {
    SceneWindow whole = new SceneWindow(0, 0, width, height, width, height);
    if (Math.max(width, height) <= tileAboveSide) {
      return List.of(whole);
    }
    TilePlan plan = tiler.plan(width, height);
    List<SceneWindow> windows = new ArrayList<>(plan.tiles());
    if (plan.overview().isPresent()) {
      windows.add(readsDownsampled ? plan.overview().get() : whole);
    }
    return windows;
  }

  int width() {
    return width;
  }

  int height() {
    return height;
  }

  long startNanos() {
    return startNanos;
  }

  int windowCount() {
    return windows.size();
  }

  int windowsDone() {
    return done.size();
  }

  int inFlight() {
    return inFlight;
  }

  boolean hasNextWindow() {
    return !failed && next < windows.size();
  }

  SceneWindow takeNextWindow() {
    inFlight++;
    return windows.get(next++);
  }

  /** A window's detections, in that window's own output pixels (already mapped back from the letterbox). */
  void windowDone(SceneWindow window, List<Detection> detections) {
    inFlight--;
    done.add(new WindowDetections(window, detections.stream().map(window::toScene).toList()));
  }

  /** A window that will not be done (its read failed): the scene has failed. */
  void windowFailed() {
    inFlight--;
    failed = true;
  }

  boolean failed() {
    return failed;
  }

  boolean complete() {
    return !failed && done.size() == windows.size();
  }

  /** Whether nothing of this scene is in flight any more, so its source can be closed. */
  boolean settled() {
    return inFlight == 0 && (failed || complete());
  }

  /** The scene's detections in scene pixels: as they are for one window, merged across seams for several. */
  List<Detection> detections(SeamMerger merger) {
    if (!complete()) {
      throw new IllegalStateException("scene has " + done.size() + " of " + windows.size() + " windows done");
    }
    if (done.size() == 1) {
      // One window letterboxed whole: keep the model's own NMS result, exactly as Ultralytics would.
      return done.get(0).detections();
    }
    return merger.merge(width, height, done);
  }
}
