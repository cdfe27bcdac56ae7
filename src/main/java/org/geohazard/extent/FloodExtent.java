package org.geohazard.extent;

import java.util.List;

/**
 * A scene's flood extent: its polygons (largest first) and what they add up to.
 *
 * @param polygons the flooded regions, largest area first
 * @param floodedKm2 the sum of their areas, km²
 * @param sceneShare flooded mask pixels over all mask pixels (before simplification)
 * @param threshold the probability at which a pixel counts as flooded (the model's {@code mask_threshold})
 * @param toleranceM the simplification tolerance the polygons were drawn with, metres
 * @param droppedRegions regions below the minimum area, left out of {@code polygons}
 */
public record FloodExtent(List<FloodPolygon> polygons, double floodedKm2, double sceneShare, double threshold,
                          double toleranceM, int droppedRegions) {

  public FloodExtent {
    polygons = List.copyOf(polygons);
  }
}
