package org.geohazard.inference.scene;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.geohazard.extent.MaskGrid;
import org.geohazard.extent.MaskStitcher;
import org.geohazard.extent.SceneMask;

/**
 * A mask model's look at a scene, stitched as its windows come back: each window's probabilities (at the size it
 * was read) are resampled onto the part of the {@link MaskGrid} the window covers and blended in by a
 * {@link MaskStitcher}. Windows finish in any order (batches of several scenes and models interleave), but the
 * stitcher takes them in row order: a window that comes back early waits here until those before it are in. It
 * waits for at most the windows in flight, so memory stays bounded by the read-ahead, not by the scene.
 * Touched on the inference worker's event loop only (like {@link SceneJob}); {@link #finish} after the last window.
 */
public final class SceneMaskJob {

  private final int sceneWidth;
  private final int sceneHeight;
  private final MaskGrid grid;
  private final double threshold;
  private final MaskStitcher stitcher;
  private final Map<SceneWindow, Integer> order = new HashMap<>();
  private final List<SceneWindow> windows;
  private final TreeMap<Integer, float[]> early = new TreeMap<>();
  private int next;
  private int mostWaiting;

  /**
   * @param windows the pass's windows, in row order (as {@link SceneTiler} cuts them)
   * @param grid the mask's grid: the scene at the model's ground scale
   * @param threshold the model's flood threshold
   * @param rampPx the blending ramp at window edges, in mask pixels
   */
  public SceneMaskJob(int sceneWidth, int sceneHeight, List<SceneWindow> windows, MaskGrid grid, double threshold,
                      int rampPx) {
    this.sceneWidth = sceneWidth;
    this.sceneHeight = sceneHeight;
    this.grid = grid;
    this.threshold = threshold;
    this.windows = List.copyOf(windows);
    for (int i = 0; i < windows.size(); i++) {
      order.put(windows.get(i), i);
    }
    this.stitcher = new MaskStitcher(grid.width(), grid.height(), rampPx);
  }

  public MaskGrid grid() {
    return grid;
  }

  public double threshold() {
    return threshold;
  }

  /**
   * One window's probabilities, {@code readWidth × readHeight} row by row, the window read at that size. Resampled
   * (nearest) to the window's cells of the mask grid now, so what waits is already at the mask's scale.
   */
  public void add(SceneWindow window, int readWidth, int readHeight, float[] probabilities) {
    Integer index = order.get(window);
    if (index == null) {
      throw new IllegalArgumentException("not a window of this mask: " + window);
    }
    early.put(index, resample(window, readWidth, readHeight, probabilities));
    mostWaiting = Math.max(mostWaiting, early.size());
    while (!early.isEmpty() && early.firstKey() == next) {
      float[] cells = early.pollFirstEntry().getValue();
      SceneWindow in = windows.get(next++);
      int x0 = column(in.x());
      int y0 = row(in.y());
      int w = column(in.x() + in.width()) - x0;
      int h = row(in.y() + in.height()) - y0;
      if (w > 0 && h > 0) {
        stitcher.add(x0, y0, w, h, cells);
      }
    }
  }

  /** The stitched mask; call once, after every window was added. */
  public SceneMask finish() {
    if (next != windows.size()) {
      throw new IllegalStateException(next + " of " + windows.size() + " mask windows are in");
    }
    return stitcher.finish();
  }

  /** The most windows that waited for an earlier one at once (what bounds this job's own memory). */
  public int mostWaiting() {
    return mostWaiting;
  }

  private float[] resample(SceneWindow window, int readWidth, int readHeight, float[] probabilities) {
    if (probabilities.length != readWidth * readHeight) {
      throw new IllegalArgumentException("a " + readWidth + " x " + readHeight + " window has "
          + probabilities.length + " probabilities");
    }
    int x0 = column(window.x());
    int y0 = row(window.y());
    int w = column(window.x() + window.width()) - x0;
    int h = row(window.y() + window.height()) - y0;
    if (w == readWidth && h == readHeight) {
      return probabilities;
    }
    float[] cells = new float[Math.max(0, w) * Math.max(0, h)];
    for (int y = 0; y < h; y++) {
      int from = Math.min(readHeight - 1, (int) ((y + 0.5) * readHeight / h)) * readWidth;
      for (int x = 0; x < w; x++) {
        cells[y * w + x] = probabilities[from + Math.min(readWidth - 1, (int) ((x + 0.5) * readWidth / w))];
      }
    }
    return cells;
  }

  /** The mask column where scene column {@code x} falls (edges of cells, rounded). */
  private int column(int x) {
    return (int) Math.round((double) x * grid.width() / sceneWidth);
  }

  private int row(int y) {
    return (int) Math.round((double) y * grid.height() / sceneHeight);
  }
}
