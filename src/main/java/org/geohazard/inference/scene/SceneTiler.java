package org.geohazard.inference.scene;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Plans sliced inference over a scene: tiles of the model's input size that overlap by a fraction of a tile (so
 * an object cut by one tile's edge is whole, or at least large, in its neighbour), with the last row and column
 * flush with the scene's edge instead of hanging over it, plus one downscaled view of the whole scene.
 */
public final class SceneTiler {

  /** 20 %: 128 px of a 640 tile; objects up to that size are whole in some tile, at ~1.6× the tiles of no overlap. */
  public static final double DEFAULT_OVERLAP = 0.2;

  private final int tileSize;
  private final double overlap;

  /**
   * @param tileSize the model's input side in pixels (640 for the shipped model)
   * @param overlap fraction of a tile shared with each neighbour, in [0, 0.9]
   */
  public SceneTiler(int tileSize, double overlap) {
    if (tileSize <= 0) {
      throw new IllegalArgumentException("tileSize must be positive, was " + tileSize);
    }
    if (!(overlap >= 0 && overlap <= 0.9)) {
      throw new IllegalArgumentException("overlap must be in [0, 0.9], was " + overlap);
    }
    this.tileSize = tileSize;
    this.overlap = overlap;
  }

  public SceneTiler(int tileSize) {
    this(tileSize, DEFAULT_OVERLAP);
  }

  public TilePlan plan(int width, int height) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("scene size must be positive: " + width + "×" + height);
    }
    int[] columns = origins(width);
    int[] rows = origins(height);
    int tileWidth = Math.min(tileSize, width);
    int tileHeight = Math.min(tileSize, height);
    List<SceneWindow> tiles = new ArrayList<>(columns.length * rows.length);
    for (int y : rows) {
      for (int x : columns) {
        tiles.add(new SceneWindow(x, y, tileWidth, tileHeight, tileWidth, tileHeight));
      }
    }
    Optional<SceneWindow> overview = Optional.empty();
    if (width > tileSize || height > tileSize) {
      double scale = (double) tileSize / Math.max(width, height);
      overview = Optional.of(new SceneWindow(0, 0, width, height,
          (int) Math.max(1, Math.min(tileSize, Math.round(width * scale))),
          (int) Math.max(1, Math.min(tileSize, Math.round(height * scale)))));
    }
    return new TilePlan(width, height, tiles, overview);
  }

  /** Tile starts along one axis: a fixed stride, then one tile flush with the end. */
  private int[] origins(int length) {
    if (length <= tileSize) {
      return new int[] {0};
    }
    int stride = Math.max(1, (int) Math.round(tileSize * (1 - overlap)));
    int count = (length - tileSize + stride - 1) / stride + 1;
    int[] origins = new int[count];
    for (int i = 0; i < count - 1; i++) {
      origins[i] = i * stride;
    }
    origins[count - 1] = length - tileSize;
    return origins;
  }
}
