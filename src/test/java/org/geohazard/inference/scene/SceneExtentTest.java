package org.geohazard.inference.scene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.json.JsonArray;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.geohazard.analysis.AnalysisExtent;
import org.geohazard.change.PairChange;
import org.geohazard.extent.MaskGrid;
import org.geohazard.extent.SpeckFilter;
import org.geohazard.geo.GeoReference;
import org.geohazard.geo.LandMask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.GeometryFactory;

class SceneExtentTest {

  private static final GeometryFactory WGS84 = new GeometryFactory();

  @TempDir
  Path scratch;

  /** A geographic scene of 800 × 500 pixels of 1e-4° (about 8 × 11 m at 45° N) from (10° E, 45° N). */
  private static SceneMaskJob job(int[] floodedBox, int[] speck) throws Exception {
    GeoReference scene = GeoReference.ofGeoTransform(4326, false, 10.0, 1e-4, 0, 45.0, 0, -1e-4);
    double gsd = scene.groundSampleDistanceM(800, 500);
    MaskGrid grid = MaskGrid.atModelScale(scene, 800, 500, Math.max(10, gsd));
    SceneWindow whole = new SceneWindow(0, 0, 800, 500, 800, 500);
    SceneMaskJob job = new SceneMaskJob(800, 500, List.of(whole), grid, 0.5, 26);
    float[] p = new float[800 * 500];
    for (int y = 0; y < 500; y++) {
      for (int x = 0; x < 800; x++) {
        boolean flooded = x >= floodedBox[0] && x < floodedBox[2] && y >= floodedBox[1] && y < floodedBox[3];
        boolean inSpeck = x >= speck[0] && x < speck[0] + 3 && y >= speck[1] && y < speck[1] + 3;
        p[y * 800 + x] = flooded || inSpeck ? 0.9f : 0.05f;
      }
    }
    job.add(whole, 800, 500, p);
    return job;
  }

  @Test
  void specksAreDroppedThePolygonsCutToLandAndTheMaskWritten() throws Exception {
    // Land is west of 10.035° E: the flood (pixels 100..600 across, about 10.01°..10.06°) is half at sea.
    LandMask land = new LandMask(List.of(WGS84.createPolygon(new Coordinate[] {
        new Coordinate(9, 44), new Coordinate(10.035, 44), new Coordinate(10.035, 46), new Coordinate(9, 46),
        new Coordinate(9, 44)})));
    SceneExtent.Made made = SceneExtent.make(job(new int[] {100, 100, 600, 400}, new int[] {700, 450}), "s2seg-test",
        "a".repeat(64), scratch, land, null);
    AnalysisExtent extent = made.extent();
    assertThat(extent.droppedRegions()).isEqualTo(1);
    assertThat(extent.permanentWater()).isEqualTo("natural_earth_10m_land");
    assertThat(extent.polygons()).hasSize(1);
    double fullKm2 = extent.floodedKm2() + extent.seaKm2();
    // 500 × 300 pixels of 1e-4°: 0.05° × 0.03° at 45° N, about 3.94 km × 3.34 km.
    assertThat(fullKm2).isCloseTo(0.05 * 111.32 * Math.cos(Math.toRadians(44.985)) * 0.03 * 111.13,
        within(0.15));
    // The land keeps the part west of 10.035°: 250 of the 500 columns.
    assertThat(extent.floodedKm2() / fullKm2).isCloseTo(0.5, within(0.03));
    JsonArray ring = extent.polygons().get(0).geometry().getJsonArray("coordinates").getJsonArray(0);
    ring.forEach(position -> assertThat(((JsonArray) position).getDouble(0)).isLessThanOrEqualTo(10.035 + 1e-6));
    assertThat(extent.maskKey()).isEqualTo("masks/" + "a".repeat(64) + "/s2seg-test.tif");
    byte[] tiff = Files.readAllBytes(made.maskFile());
    assertThat(new String(tiff, 0, 2)).isEqualTo("II");
    assertThat(extent.sceneShare()).isCloseTo(500.0 * 300 / (800 * 500), within(0.02));
  }

  @Test
  void withoutTheLandLayerTheExtentIsUncutAndSaysSo() throws Exception {
    SceneExtent.Made made = SceneExtent.make(job(new int[] {100, 100, 600, 400}, new int[] {700, 450}), "m",
        "b".repeat(64), scratch, null, null);
    assertThat(made.extent().permanentWater()).isNull();
    assertThat(made.extent().seaKm2()).isZero();
    assertThat(made.extent().floodedKm2()).isGreaterThan(12);
    assertThat(made.extent().waterBeforeKm2()).as("no before scene was asked").isNull();
    assertThat(made.extent().toJson().containsKey("water_before_km2")).isTrue();
  }

  @Test
  void aRegionThatWasWaterBeforeIsClearedItsAreaSaidAndAFloodReachingIntoItStaysWhole() throws Exception {
    // Scene pixels: a flood box 100..400 x 100..400 and a lake box 500..700 x 100..300, both drawn by the model.
    int[][] drawn = {{100, 100, 400, 400}, {500, 100, 700, 300}};
    double floodKm2 = extentOf(drawn, null, "d").floodedKm2();
    double lakeKm2 = extentOf(new int[][] {drawn[1]}, null, "e").floodedKm2();
    // Water in the before scene: the whole lake and the flood's western 100 columns (a third of it), on the pair's
    // own grid of 2 x 4 scene pixels (unequal steps: a swapped axis would miss the lake).
    boolean[] layer = new boolean[400 * 125];
    for (int y = 0; y < 125; y++) {
      for (int x = 0; x < 400; x++) {
        int sx = x * 2;
        int sy = y * 4;
        boolean lake = sx >= 500 && sx < 700 && sy >= 100 && sy < 300;
        boolean floodWest = sx >= 100 && sx < 200 && sy >= 100 && sy < 400;
        layer[y * 400 + x] = lake || floodWest;
      }
    }
    PairChange.WaterBefore before = new PairChange.WaterBefore(layer, new PairChange.Grid(400, 125,
        GeoReference.ofGeoTransform(4326, false, 10.0, 2e-4, 0, 45.0, 0, -4e-4), 2, 4));
    AnalysisExtent extent = extentOf(drawn, before, "f");
    // The lake goes whole and is said; the flood keeps the part that was wet before.
    assertThat(extent.waterBeforeKm2()).isCloseTo(lakeKm2, within(0.02 * lakeKm2));
    assertThat(extent.floodedKm2()).isCloseTo(floodKm2 - lakeKm2, within(0.02 * floodKm2));
    assertThat(extent.polygons()).hasSize(1);
    JsonArray ring = extent.polygons().get(0).geometry().getJsonArray("coordinates").getJsonArray(0);
    double west = ring.stream().mapToDouble(position -> ((JsonArray) position).getDouble(0)).min().orElseThrow();
    double east = ring.stream().mapToDouble(position -> ((JsonArray) position).getDouble(0)).max().orElseThrow();
    assertThat(west).isCloseTo(10.01, within(2e-4));
    assertThat(east).isCloseTo(10.04, within(2e-4));
    assertThat(extent.toJson().getDouble("water_before_km2")).isCloseTo(extent.waterBeforeKm2(), within(1e-4));
    assertThat(AnalysisExtent.fromJson(extent.toJson()).waterBeforeKm2())
        .isCloseTo(extent.waterBeforeKm2(), within(1e-4));
  }

  /** The extent of the boxes drawn (scene pixels x1, y1, x2, y2), with a before scene's water when given. */
  private AnalysisExtent extentOf(int[][] boxes, PairChange.WaterBefore before, String name) throws Exception {
    GeoReference scene = GeoReference.ofGeoTransform(4326, false, 10.0, 1e-4, 0, 45.0, 0, -1e-4);
    MaskGrid grid = MaskGrid.atModelScale(scene, 800, 500, Math.max(10, scene.groundSampleDistanceM(800, 500)));
    SceneWindow whole = new SceneWindow(0, 0, 800, 500, 800, 500);
    SceneMaskJob job = new SceneMaskJob(800, 500, List.of(whole), grid, 0.5, 26);
    float[] p = new float[800 * 500];
    for (int y = 0; y < 500; y++) {
      for (int x = 0; x < 800; x++) {
        boolean drawnHere = false;
        for (int[] b : boxes) {
          drawnHere |= x >= b[0] && x < b[2] && y >= b[1] && y < b[3];
        }
        p[y * 800 + x] = drawnHere ? 0.9f : 0.05f;
      }
    }
    job.add(whole, 800, 500, p);
    SpeckFilter.PixelTest onMask = before == null ? null
        : (column, row) -> before.at(column, row, 800.0 / grid.width(), 500.0 / grid.height());
    return SceneExtent.make(job, "m", name.repeat(64), scratch, null, onMask).extent();
  }

  @Test
  void theGeoJsonRingsFollowRfc7946Orientation() throws Exception {
    SceneExtent.Made made = SceneExtent.make(job(new int[] {100, 100, 600, 400}, new int[] {700, 450}), "m",
        "c".repeat(64), scratch, null, null);
    JsonArray ring = made.extent().polygons().get(0).geometry().getJsonArray("coordinates").getJsonArray(0);
    double twiceArea = 0;
    for (int i = 0; i + 1 < ring.size(); i++) {
      JsonArray a = ring.getJsonArray(i);
      JsonArray b = ring.getJsonArray(i + 1);
      twiceArea += a.getDouble(0) * b.getDouble(1) - b.getDouble(0) * a.getDouble(1);
    }
    assertThat(twiceArea).as("exterior ring counter-clockwise").isPositive();
    assertThat(ring.getJsonArray(0)).isEqualTo(ring.getJsonArray(ring.size() - 1));
  }
}
