package org.geohazard.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Polygon;

/** The TopoJSON decoder on small hand-made topologies whose polygons are known. */
class TopoJsonTest {

  /**
   * A quantized topology (scale 0.5 and 0.25, translated by (-10, 20)): a 10 × 10 quantized square island made of
   * two arcs, with a square lake (a hole) referenced through a reversed arc, and a second island (a triangle) in a
   * MultiPolygon. In degrees the island spans lon -10..-5, lat 20..22.5; the lake lon -8..-7, lat 21..21.5.
   */
  static final String QUANTIZED = """
      {"type": "Topology",
       "transform": {"scale": [0.5, 0.25], "translate": [-10, 20]},
       "arcs": [
         [[0, 0], [10, 0], [0, 10]],
         [[10, 10], [-10, 0], [0, -10]],
         [[4, 4], [0, 2], [2, 0], [0, -2], [-2, 0]],
         [[20, 0], [4, 0], [-2, 4], [-2, -4]]
       ],
       "objects": {"land": {"type": "GeometryCollection", "geometries": [
         {"type": "MultiPolygon", "arcs": [[[0, 1], [-3]], [[3]]]}
       ]}}}""";

  @Test
  void decodesAQuantizedTopologyWithHolesReversedArcsAndMultiPolygons() {
    List<Polygon> land = TopoJson.polygons(new JsonObject(QUANTIZED), "land");
    assertThat(land).hasSize(2);
    Polygon island = land.get(0);
    assertThat(island.getNumInteriorRing()).isEqualTo(1);
    assertThat(island.getExteriorRing().getEnvelopeInternal().getMinX()).isEqualTo(-10.0);
    assertThat(island.getExteriorRing().getEnvelopeInternal().getMaxX()).isEqualTo(-5.0);
    assertThat(island.getExteriorRing().getEnvelopeInternal().getMaxY()).isEqualTo(22.5);
    // 5 × 2.5 square less the 1 × 0.5 lake.
    assertThat(island.getArea()).isCloseTo(12.5 - 0.5, within(1e-9));
    assertThat(island.getExteriorRing().getNumPoints()).isEqualTo(5); // the shared end point kept once
    // The triangle (quantized (20,0), (24,0), (22,4)): lon 0..2, lat 20..21.
    assertThat(land.get(1).getArea()).isCloseTo(0.5 * 2 * 1, within(1e-9));

    LandMask mask = new LandMask(land);
    assertThat(mask.onLand(-9, 20.5)).isTrue();
    assertThat(mask.onLand(-7.5, 21.25)).as("in the lake").isFalse();
    assertThat(mask.onLand(1, 20.2)).as("on the triangle").isTrue();
    assertThat(mask.onLand(-4, 21)).as("east of the island").isFalse();
  }

  @Test
  void decodesAnUnquantizedPolygon() {
    List<Polygon> land = TopoJson.polygons(new JsonObject("""
        {"type": "Topology", "arcs": [[[1.5, 1.5], [2.5, 1.5], [2.5, 2.5], [1.5, 2.5], [1.5, 1.5]]],
         "objects": {"land": {"type": "Polygon", "arcs": [[0]]}}}"""), "land");
    assertThat(land).hasSize(1);
    assertThat(land.get(0).getArea()).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void refusesWhatIsNotAPolygonLayer() {
    assertThatThrownBy(() -> TopoJson.polygons(new JsonObject(QUANTIZED), "countries"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no object 'countries'");
    assertThatThrownBy(() -> TopoJson.polygons(new JsonObject("""
        {"type": "Topology", "arcs": [[[0, 0], [1, 1]]], "objects": {"rivers": {"type": "LineString", "arcs": [0]}}}"""),
        "rivers")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("LineString");
    assertThatThrownBy(() -> TopoJson.polygons(new JsonObject("{\"type\": \"FeatureCollection\"}"), "land"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a TopoJSON topology");
  }
}
