package org.geohazard.inference.scene;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How one scene is cut for the model: full-resolution tiles in row-major order (the order that lets the raster
 * reader's block cache serve the overlaps) and, for scenes larger than one tile, a downscaled full view for objects
 * larger than a tile.
 */
public record TilePlan(int sceneWidth, int sceneHeight, List<SceneWindow> tiles, Optional<SceneWindow> overview) {

  public TilePlan {
    tiles = List.copyOf(tiles);
  }

  /** Tiles, then the overview if any: everything the batcher gets for this scene (progress = done / size). */
  public List<SceneWindow> windows() {
    List<SceneWindow> all = new ArrayList<>(tiles);
    overview.ifPresent(all::add);
    return all;
  }
}
