package org.geohazard.inference.scene;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.geohazard.detection.Detection;
import org.junit.jupiter.api.Test;

/**
 * Objects placed across the seams of a real plan (1152 × 640 scene: tiles at x = 0 and x = 512, overlap 128 px),
 * with what each tile would see of them: the part inside the tile, cut at its edge.
 */
class SeamMergerTest {

  private static final int WIDTH = 1152;
  private static final int HEIGHT = 640;
  private final TilePlan plan = new SceneTiler(640).plan(WIDTH, HEIGHT);
  private final SceneWindow left = plan.tiles().get(0);
  private final SceneWindow right = plan.tiles().get(1);
  private final SeamMerger merger = new SeamMerger();

  /** What a tile reports for an object: its box clipped to the tile, or nothing if it is outside. */
  private static List<Detection> seenBy(SceneWindow tile, Detection... objects) {
    List<Detection> seen = new ArrayList<>();
    for (Detection o : objects) {
      float x1 = Math.max(o.x1(), tile.x());
      float x2 = Math.min(o.x2(), tile.x() + tile.width());
      float y1 = Math.max(o.y1(), tile.y());
      float y2 = Math.min(o.y2(), tile.y() + tile.height());
      if (x2 > x1 && y2 > y1) {
        seen.add(new Detection(o.classId(), o.score() - 0.01f * seen.size(), x1, y1, x2, y2));
      }
    }
    return seen;
  }

  private List<Detection> mergeAsTilesSee(Detection... objects) {
    return merger.merge(WIDTH, HEIGHT, List.of(
        new WindowDetections(left, seenBy(left, objects)),
        new WindowDetections(right, seenBy(right, objects))));
  }

  @Test
  void mergesDetectionsAcrossTileSeams() {
    // Whole in the right tile, cut by the left tile's edge at x = 640.
    Detection small = new Detection(0, 0.9f, 560, 100, 700, 200);
    assertThat(mergeAsTilesSee(small)).containsExactly(small);
  }

  @Test
  void objectWiderThanTheOverlapIsStillOneDetection() {
    // Each tile sees a part (200–640 and 512–1000); they share only the 128 px band: IoS 0.29, the seam rule joins.
    Detection wide = new Detection(0, 0.8f, 200, 300, 1000, 420);
    List<Detection> merged = mergeAsTilesSee(wide);
    assertThat(merged).hasSize(1);
    assertThat(merged.get(0)).isEqualTo(new Detection(0, 0.8f, 200, 300, 1000, 420));
  }

  @Test
  void twoDistinctNearbyObjectsStayTwo() {
    Detection first = new Detection(0, 0.9f, 560, 100, 600, 150);
    Detection second = new Detection(0, 0.85f, 610, 100, 660, 150);
    List<Detection> merged = mergeAsTilesSee(first, second);
    assertThat(merged).hasSize(2);
    assertThat(merged).extracting(Detection::x1).containsExactlyInAnyOrder(560f, 610f);
  }

  @Test
  void objectsOnBothSidesOfASeamThatMeetOnlyThereStayTwo() {
    // One ends before the left tile's edge, the other starts after the right tile's: neither is cut.
    Detection west = new Detection(0, 0.9f, 450, 100, 630, 200);
    Detection east = new Detection(0, 0.9f, 630, 100, 800, 200);
    assertThat(merger.merge(WIDTH, HEIGHT, List.of(
        new WindowDetections(left, List.of(west)), new WindowDetections(right, List.of(east))))).hasSize(2);
  }

  @Test
  void differentClassesAreNeverMerged() {
    Detection flood = new Detection(1, 0.9f, 560, 100, 700, 200);
    Detection landslide = new Detection(0, 0.7f, 560, 100, 700, 200);
    assertThat(mergeAsTilesSee(flood, landslide)).hasSize(2);
  }

  @Test
  void overviewDetectionAbsorbsTheTileFragmentsOfALargeObject() {
    SceneWindow overview = plan.overview().orElseThrow();
    Detection large = new Detection(0, 0.6f, 100, 50, 1100, 600);
    List<Detection> merged = merger.merge(WIDTH, HEIGHT, List.of(
        new WindowDetections(left, seenBy(left, large)),
        new WindowDetections(right, seenBy(right, large)),
        new WindowDetections(overview, List.of(large))));
    assertThat(merged).hasSize(1);
    assertThat(merged.get(0).x1()).isEqualTo(100);
    assertThat(merged.get(0).x2()).isEqualTo(1100);
  }

  @Test
  void verticalSeamsAreMergedToo() {
    TilePlan tall = new SceneTiler(640).plan(640, 1152);
    SceneWindow top = tall.tiles().get(0);
    SceneWindow bottom = tall.tiles().get(1);
    Detection object = new Detection(2, 0.7f, 100, 150, 300, 1050);
    List<Detection> merged = merger.merge(640, 1152, List.of(
        new WindowDetections(top, seenBy(top, object)), new WindowDetections(bottom, seenBy(bottom, object))));
    assertThat(merged).containsExactly(object);
  }
}
