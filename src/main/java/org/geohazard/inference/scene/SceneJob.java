package org.geohazard.inference.scene;

import org.geohazard.detection.Detection;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * One image on its way through the model: the windows it is seen as, which have been handed out, and
 * the detections of those that are done. Scenes up to {@code tileAboveSide} on their longer side are one
 * window, letterboxed whole as Ultralytics does; larger ones are model-sized tiles with overlap plus one
 * full view, and their detections are merged across the seams when the last window is done.
 * Single-threaded: the inference verticle touches it on its event loop only.
 */
public final class SceneJob {

  private final int width;
  private final int height;
  private final List<SceneWindow> windows;
  private final List<WindowDetections> done = new ArrayList<>();
  private final long startNanos;
  private int next;
  private int inFlight;
  /** The model's run time spent on this job's windows (each window's share of its batch). */
  private long modelNanos;
  private boolean failed;

  public SceneJob(int width, int height, List<SceneWindow> windows, long startNanos) {
    if (windows.isEmpty()) {
      throw new IllegalArgumentException("a scene needs at least one window");
    }
    this.width = width;
    this.height = height;
    this.windows = List.copyOf(windows);
    this.startNanos = startNanos;
  }

  /**
   * How scenes are cut for a model.
   *
   * @param tileAboveSide an image of unknown ground scale is letterboxed whole up to this longer side
   * @param overlap share of a tile seen again by its neighbour
   * @param maxTilesPerSideUnknownScale beyond that side, at most this many tiles along each axis
   */
  public record Slicing(int tileAboveSide, double overlap, int maxTilesPerSideUnknownScale) {
    public Slicing {
      if (tileAboveSide < 32 || !(overlap >= 0 && overlap < 0.9) || maxTilesPerSideUnknownScale < 1) {
        throw new IllegalArgumentException("invalid slicing " + tileAboveSide + ", " + overlap + ", "
            + maxTilesPerSideUnknownScale);
      }
    }
  }

  /**
   * The windows a model with a square input of {@code inputSide} sees of a {@code width × height} scene.
   *
   * <p>Known ground scale ({@code scale}: model pixels per image pixel, from the image's and the model's
   * ground sample distances): the scene is resampled to the model's scale, so objects are the size the
   * model learnt. One window when the resampled scene fits the input (with the overlap's margin);
   * otherwise tiles of {@code inputSide / scale} scene pixels, each shown at {@code inputSide}, plus a
   * full view. Imagery coarser than the model's scale is not upsampled (it adds no detail and multiplies
   * the tiles): it is used at its own scale.
   *
   * <p>Unknown scale (a photo without {@code gsd_m}): letterboxed whole up to {@code tileAboveSide}; a
   * larger picture is cut into at most {@code maxTilesPerSideUnknownScale} tiles per side, never smaller
   * than the input, plus a full view. Cutting a photo into native-resolution tiles far smaller than the
   * objects in it (a flood seen as 281 close-ups of roofs) finds water in roofs and trucks.
   *
   * <p>A raster source reads each window resampled to its output size; a decoded image gives the window at
   * its own size and the letterbox shrinks it (the same scale, as the tile's side maps to the input's).
   */
  public static List<SceneWindow> plan(int width, int height, OptionalDouble scale, int inputSide, Slicing slicing,
                                boolean readsDownsampled) {
    SceneWindow whole = new SceneWindow(0, 0, width, height, width, height);
    int longSide = Math.max(width, height);
    int tileSide;
    if (scale.isPresent()) {
      double s = Math.min(1.0, scale.getAsDouble());
      if (longSide * s <= inputSide * (1 + slicing.overlap())) {
        return List.of(readsDownsampled ? resampled(whole, s) : whole);
      }
      tileSide = (int) Math.round(inputSide / s);
    } else {
      if (longSide <= slicing.tileAboveSide()) {
        return List.of(whole);
      }
      int n = slicing.maxTilesPerSideUnknownScale();
      tileSide = Math.max(inputSide, (int) Math.ceil(longSide / (1 + (n - 1) * (1 - slicing.overlap()))));
    }
    TilePlan plan = new SceneTiler(tileSide, slicing.overlap()).plan(width, height);
    double tileScale = (double) inputSide / tileSide;
    List<SceneWindow> windows = new ArrayList<>(plan.tiles().size() + 1);
    for (SceneWindow tile : plan.tiles()) {
      windows.add(readsDownsampled ? resampled(tile, tileScale) : tile);
    }
    if (plan.overview().isPresent()) {
      windows.add(readsDownsampled ? resampled(whole, (double) inputSide / longSide) : whole);
    }
    return windows;
  }

  private static SceneWindow resampled(SceneWindow window, double scale) {
    if (scale >= 1) {
      return window;
    }
    return new SceneWindow(window.x(), window.y(), window.width(), window.height(),
        (int) Math.max(1, Math.min(window.width(), Math.round(window.width() * scale))),
        (int) Math.max(1, Math.min(window.height(), Math.round(window.height() * scale))));
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public long startNanos() {
    return startNanos;
  }

  public int windowCount() {
    return windows.size();
  }

  public int windowsDone() {
    return done.size();
  }

  public int inFlight() {
    return inFlight;
  }

  public boolean hasNextWindow() {
    return !failed && next < windows.size();
  }

  public SceneWindow takeNextWindow() {
    inFlight++;
    return windows.get(next++);
  }

  public void addModelNanos(long nanos) {
    modelNanos += nanos;
  }

  public long modelNanos() {
    return modelNanos;
  }

  /** A window's detections, in that window's own output pixels (already mapped back from the letterbox). */
  public void windowDone(SceneWindow window, List<Detection> detections) {
    inFlight--;
    done.add(new WindowDetections(window, detections.stream().map(window::toScene).toList()));
  }

  /** A window that will not be done (its read failed): the scene has failed. */
  public void windowFailed() {
    inFlight--;
    failed = true;
  }

  /** Another part of the scene failed: hand out no more windows (those in flight still come back). */
  public void abandon() {
    failed = true;
  }

  public boolean failed() {
    return failed;
  }

  public boolean complete() {
    return !failed && done.size() == windows.size();
  }

  /** Whether nothing of this scene is in flight any more, so its source can be closed. */
  public boolean settled() {
    return inFlight == 0 && (failed || complete());
  }

  /** The scene's detections in scene pixels: as they are for one window, merged across seams for several. */
  public List<Detection> detections(SeamMerger merger) {
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
