package org.geohazard.extent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CapPolygonsTest {

  private static FloodExtent extent() throws Exception {
    int size = 512;
    SceneMask mask = SceneMask.ofProbabilities(size, size, FloodMasks.realisticField(size, size, 17));
    return new MaskPolygonizer(10, 4).extent(mask, FloodMasks.utmGrid(size, size, 720_000, 4_370_000), 0.5);
  }

  @Test
  void polygonsAreLatLonPairsClosedAndWithinTheVertexCap() throws Exception {
    FloodExtent extent = extent();
    CapPolygons.Reduction cap = CapPolygons.of(extent, 100, 5);
    assertThat(extent.polygons().get(0).wgs84().getExteriorRing().getNumPoints())
        .as("the largest region needs reducing").isGreaterThan(100);
    assertThat(cap.polygons()).hasSize(Math.min(5, extent.polygons().size()));
    assertThat(cap.droppedPolygons()).isEqualTo(Math.max(0, extent.polygons().size() - 5));
    assertThat(cap.keptAreaShare()).isBetween(0.5, 1.0);
    for (String polygon : cap.polygons()) {
      String[] pairs = polygon.split(" ");
      assertThat(pairs.length).isBetween(4, 100);
      assertThat(pairs[0]).isEqualTo(pairs[pairs.length - 1]);
      for (String pair : pairs) {
        String[] latLon = pair.split(",");
        assertThat(latLon).hasSize(2);
        // UTM 30N at 4370 km north: latitude about 39.4, longitude about -0.4 (latitude comes first in CAP).
        assertThat(Double.parseDouble(latLon[0])).isBetween(39.0, 40.0);
        assertThat(Double.parseDouble(latLon[1])).isBetween(-1.0, 0.0);
      }
    }
  }

  @Test
  void aReducedOutlineStillCoversMostOfItsRegion() throws Exception {
    FloodPolygon largest = extent().polygons().get(0);
    var outline = CapPolygons.outline(largest.wgs84(), 100);
    var reduced = largest.wgs84().getFactory().createPolygon(outline);
    var shell = largest.wgs84().getFactory().createPolygon(largest.wgs84().getExteriorRing().getCoordinates());
    double overlap = reduced.intersection(shell).getArea() / reduced.union(shell).getArea();
    assertThat(overlap).isGreaterThan(0.85);
  }

  @Test
  void refusesCapsBelowCapsOwnMinimum() {
    assertThatThrownBy(() -> CapPolygons.of(extent(), 3, 1)).isInstanceOf(IllegalArgumentException.class);
  }
}
