package org.geohazard.extent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.geohazard.geo.LonLat;
import org.junit.jupiter.api.Test;
import org.locationtech.jts.geom.Polygon;

class MaskPolygonizerTest {

  // UTM 30N, near Valencia: the Sen1Floods11 Spain chip's zone.
  private static final double X0 = 720_000;
  private static final double Y0 = 4_370_000;

  private static SceneMask blocks(int width, int height, String... rows) {
    float[] p = new float[width * height];
    for (int y = 0; y < rows.length; y++) {
      for (int x = 0; x < rows[y].length(); x++) {
        p[y * width + x] = rows[y].charAt(x) == '#' ? 0.9f : 0.1f;
      }
    }
    return SceneMask.ofProbabilities(width, height, p);
  }

  @Test
  void aRingKeepsItsHoleAndIslandsAreTheirOwnPolygons() throws Exception {
    SceneMask mask = blocks(7, 7,
        "#####..",
        "#...#..",
        "#.#.#..",
        "#...#..",
        "#####..",
        ".......",
        "......#");
    List<Polygon> traced = MaskPolygonizer.trace(mask, SceneMask.thresholdLevel(0.5));
    assertThat(traced).hasSize(3);
    Polygon ring = traced.stream().filter(p -> p.getNumInteriorRing() == 1).findFirst().orElseThrow();
    assertThat(ring.getArea()).isEqualTo(16);   // 25 - 9: the hole is out
    assertThat(ring.getExteriorRing().getNumPoints()).isEqualTo(5);
    assertThat(traced).extracting(Polygon::getArea).containsExactlyInAnyOrder(16.0, 1.0, 1.0);
    assertThat(PolygonRasterizer.iou(traced, mask, SceneMask.thresholdLevel(0.5))).isEqualTo(1.0);
  }

  @Test
  void pixelsTouchingOnlyAtACornerAreSeparateRegions() {
    SceneMask mask = blocks(4, 4,
        "##..",
        "##..",
        "..##",
        "..##");
    List<Polygon> traced = MaskPolygonizer.trace(mask, SceneMask.thresholdLevel(0.5));
    assertThat(traced).hasSize(2).allSatisfy(p -> assertThat(p.getArea()).isEqualTo(4));
    assertThat(traced).allSatisfy(p -> assertThat(p.isValid()).isTrue());
  }

  @Test
  void aOneKilometreSquareMeasuresOneSquareKilometreInWgs84() throws Exception {
    float[] p = new float[120 * 120];
    for (int y = 10; y < 110; y++) {
      for (int x = 10; x < 110; x++) {
        p[y * 120 + x] = 0.8f;
      }
    }
    MaskGrid grid = FloodMasks.utmGrid(120, 120, X0, Y0);
    FloodExtent extent = new MaskPolygonizer(20, 1).extent(SceneMask.ofProbabilities(120, 120, p), grid, 0.5);
    assertThat(extent.polygons()).hasSize(1);
    FloodPolygon square = extent.polygons().get(0);
    // 100 x 100 pixels of 10 m; UTM's scale factor at 0.43 % of the zone's width makes the ground 0.02 % larger.
    assertThat(square.areaKm2()).isCloseTo(1.0, within(0.003));
    assertThat(extent.floodedKm2()).isEqualTo(square.areaKm2());
    assertThat(extent.sceneShare()).isCloseTo(10_000.0 / 14_400, within(1e-9));
    assertThat(square.meanProbability()).isCloseTo(0.8, within(0.003));
    // Its corners are where the grid puts them, in longitude/latitude.
    LonLat corner = grid.reference().toWgs84(10, 10);
    assertThat(square.wgs84().getEnvelopeInternal().getMinX()).isCloseTo(corner.lon(), within(1e-3));
    assertThat(square.wgs84().getEnvelopeInternal().getMaxY()).isCloseTo(corner.lat(), within(1e-3));
    assertThat(square.wgs84().getEnvelopeInternal().getMinY()).isBetween(39.0, 40.0);
  }

  @Test
  void simplifiedPolygonsOfARealisticMaskRasteriseBackWithIouAtLeast097() throws Exception {
    int size = 1024;
    SceneMask mask = SceneMask.ofProbabilities(size, size, FloodMasks.realisticField(size, size, 42));
    MaskGrid grid = FloodMasks.utmGrid(size, size, X0, Y0);
    int level = SceneMask.thresholdLevel(0.5);
    FloodExtent extent = new MaskPolygonizer(10, 1).extent(mask, grid, 0.5);
    List<Polygon> pixels = extent.polygons().stream().map(FloodPolygon::pixels).toList();
    double iou = PolygonRasterizer.iou(pixels, mask, level);
    long vertices = pixels.stream().mapToLong(Polygon::getNumPoints).sum();
    long holes = pixels.stream().mapToLong(Polygon::getNumInteriorRing).sum();
    System.out.printf("realistic mask %d^2: %d polygons, %d holes, %d vertices, %.1f %% flooded, "
            + "rasterised IoU %.4f (limit 0.97) at 10 m tolerance%n", size, pixels.size(), holes, vertices,
        100 * extent.sceneShare(), iou);
    assertThat(extent.sceneShare()).as("a mask with floods and dry land").isBetween(0.1, 0.9);
    assertThat(holes).as("holes kept").isPositive();
    assertThat(iou).isGreaterThanOrEqualTo(0.97);
    // Simplification did something: fewer corners than the pixel staircase has.
    double unsimplified = MaskPolygonizer.trace(mask, level).stream().mapToLong(Polygon::getNumPoints).sum();
    assertThat(vertices).isLessThan((long) (unsimplified * 0.7));
    assertThat(pixels).allSatisfy(p -> assertThat(p.isValid()).isTrue());
    // Areas add up to the flooded pixels' ground (100 m² each) within what simplification moved.
    double pixelKm2 = mask.floodedPixels(level) * 100 / 1e6;
    assertThat(extent.floodedKm2()).isCloseTo(pixelKm2, within(pixelKm2 * 0.03));
  }

  @Test
  void smallRegionsAreDroppedAndCounted() throws Exception {
    SceneMask mask = blocks(6, 3,
        "#...##",
        "....##",
        "......");
    FloodExtent extent = new MaskPolygonizer(0, 2).extent(mask, FloodMasks.utmGrid(6, 3, X0, Y0), 0.5);
    assertThat(extent.polygons()).hasSize(1);
    assertThat(extent.droppedRegions()).isEqualTo(1);
  }
}
