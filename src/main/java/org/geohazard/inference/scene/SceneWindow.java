package org.geohazard.inference.scene;

import org.geohazard.detection.Detection;

/**
 * One image the model sees of a scene: the scene pixels {@code (x, y, width, height)} resampled to
 * {@code outputWidth × outputHeight}. A tile has output = window (full resolution); the overview has the whole
 * scene shrunk to fit the model input.
 */
public record SceneWindow(int x, int y, int width, int height, int outputWidth, int outputHeight) {

  public SceneWindow {
    if (x < 0 || y < 0 || width <= 0 || height <= 0 || outputWidth <= 0 || outputHeight <= 0
        || outputWidth > width || outputHeight > height) {
      throw new IllegalArgumentException("invalid window " + x + "," + y + " " + width + "×" + height + " → "
          + outputWidth + "×" + outputHeight);
    }
  }

  /** Whether this window is downsampled (the full view), rather than a full-resolution tile. */
  public boolean downsampled() {
    return outputWidth != width || outputHeight != height;
  }

  /** A detection in this window's output pixels, moved to scene pixels. */
  public Detection toScene(Detection local) {
    double sx = (double) width / outputWidth;
    double sy = (double) height / outputHeight;
    return new Detection(local.classId(), local.score(),
        (float) (x + local.x1() * sx), (float) (y + local.y1() * sy),
        (float) (x + local.x2() * sx), (float) (y + local.y2() * sy));
  }
}
