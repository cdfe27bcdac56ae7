package org.geohazard.inference.scene;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.geohazard.detection.Detection;

/**
 * Merges the detections of all windows of a scene (tiles and overview, in scene pixels) so that one object cut by
 * tile seams is reported once. Greedy and class-wise, highest score first: a detection joins a group of its class
 * when
 * <ul>
 *   <li>its box and the group's overlap by at least {@code minOverlap} of the smaller box's area (intersection over
 *       the smaller, not IoU: a tile that sees a quarter of a landslide gives a small box inside the big one, whose
 *       IoU with it is small), or
 *   <li>both were cut by the same seam: one box ends at its tile's inner right (bottom) edge, the other starts at
 *       its tile's inner left (top) edge, they meet across the seam, and along the seam they overlap by at least
 *       {@code minOverlap} of the shorter side. This catches objects larger than the overlap band, whose two parts
 *       share only the band.
 * </ul>
 * A group's box is the union of its members' and its score their maximum. Groups whose grown boxes now meet are
 * merged again until none do. Cost: quadratic in the detections of one class, a few thousand at most per scene.
 */
public final class SeamMerger {

  public static final double DEFAULT_MIN_OVERLAP = 0.5;

  /** How close to a tile's inner edge a box must end to count as cut by it: boxes rarely end on the exact pixel. */
  static final float EDGE_MARGIN_PX = 4f;

  private static final int CUT_LEFT = 1;
  private static final int CUT_RIGHT = 2;
  private static final int CUT_TOP = 4;
  private static final int CUT_BOTTOM = 8;

  private final double minOverlap;

  public SeamMerger(double minOverlap) {
    if (!(minOverlap > 0 && minOverlap <= 1)) {
      throw new IllegalArgumentException("minOverlap must be in (0, 1], was " + minOverlap);
    }
    this.minOverlap = minOverlap;
  }

  public SeamMerger() {
    this(DEFAULT_MIN_OVERLAP);
  }

  /** One merged detection per object, highest score first. */
  public List<Detection> merge(int sceneWidth, int sceneHeight, List<WindowDetections> windows) {
    List<Group> candidates = new ArrayList<>();
    for (WindowDetections window : windows) {
      for (Detection detection : window.detections()) {
        candidates.add(new Group(detection, cutsOf(detection, window.window(), sceneWidth, sceneHeight)));
      }
    }
    // Highest score first; equal scores in a fixed order of place and class, so that the merge (and the answer) does
    // not depend on which window happened to finish first.
    candidates.sort(Comparator.comparingDouble((Group g) -> g.score).reversed()
        .thenComparingDouble(g -> g.y1).thenComparingDouble(g -> g.x1).thenComparingInt(g -> g.classId)
        .thenComparingDouble(g -> g.y2).thenComparingDouble(g -> g.x2));
    List<Group> groups = new ArrayList<>();
    for (Group candidate : candidates) {
      Group home = null;
      for (Group group : groups) {
        if (joins(group, candidate)) {
          home = group;
          break;
        }
      }
      if (home == null) {
        groups.add(candidate);
      } else {
        home.absorb(candidate);
      }
    }
    boolean merged = true;
    while (merged) {
      merged = false;
      for (int i = 0; i < groups.size() && !merged; i++) {
        for (int j = i + 1; j < groups.size(); j++) {
          if (joins(groups.get(i), groups.get(j))) {
            groups.get(i).absorb(groups.remove(j));
            merged = true;
            break;
          }
        }
      }
    }
    List<Detection> result = new ArrayList<>(groups.size());
    for (Group group : groups) {
      result.add(new Detection(group.classId, group.score, group.x1, group.y1, group.x2, group.y2));
    }
    result.sort(Comparator.comparingDouble(Detection::score).reversed().thenComparingDouble(Detection::y1)
        .thenComparingDouble(Detection::x1).thenComparingInt(Detection::classId).thenComparingDouble(Detection::y2)
        .thenComparingDouble(Detection::x2));
    return result;
  }

  private boolean joins(Group a, Group b) {
    if (a.classId != b.classId) {
      return false;
    }
    float ix = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
    float iy = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
    if (ix > 0 && iy > 0) {
      float smaller = Math.min(a.area(), b.area());
      if (smaller > 0 && ix * iy >= minOverlap * smaller) {
        return true;
      }
    }
    boolean acrossVerticalSeam = ((a.cuts & CUT_RIGHT) != 0 && (b.cuts & CUT_LEFT) != 0)
        || ((a.cuts & CUT_LEFT) != 0 && (b.cuts & CUT_RIGHT) != 0);
    if (acrossVerticalSeam && ix > -EDGE_MARGIN_PX && iy > 0
        && iy >= minOverlap * Math.min(a.y2 - a.y1, b.y2 - b.y1)) {
      return true;
    }
    boolean acrossHorizontalSeam = ((a.cuts & CUT_BOTTOM) != 0 && (b.cuts & CUT_TOP) != 0)
        || ((a.cuts & CUT_TOP) != 0 && (b.cuts & CUT_BOTTOM) != 0);
    return acrossHorizontalSeam && iy > -EDGE_MARGIN_PX && ix > 0
        && ix >= minOverlap * Math.min(a.x2 - a.x1, b.x2 - b.x1);
  }

  /** Which of its window's edges cut the box: edges inside the scene only (the scene's own edge cuts nothing). */
  private static int cutsOf(Detection d, SceneWindow w, int sceneWidth, int sceneHeight) {
    if (w.downsampled()) {
      return 0; // the full view: nothing is cut, and its coarse boxes are not trusted to meet seams
    }
    int cuts = 0;
    if (w.x() > 0 && d.x1() <= w.x() + EDGE_MARGIN_PX) {
      cuts |= CUT_LEFT;
    }
    if (w.x() + w.width() < sceneWidth && d.x2() >= w.x() + w.width() - EDGE_MARGIN_PX) {
      cuts |= CUT_RIGHT;
    }
    if (w.y() > 0 && d.y1() <= w.y() + EDGE_MARGIN_PX) {
      cuts |= CUT_TOP;
    }
    if (w.y() + w.height() < sceneHeight && d.y2() >= w.y() + w.height() - EDGE_MARGIN_PX) {
      cuts |= CUT_BOTTOM;
    }
    return cuts;
  }

  /** A growing union of detections of one class. */
  private static final class Group {
    final int classId;
    float score;
    float x1;
    float y1;
    float x2;
    float y2;
    int cuts;

    Group(Detection d, int cuts) {
      this.classId = d.classId();
      this.score = d.score();
      this.x1 = d.x1();
      this.y1 = d.y1();
      this.x2 = d.x2();
      this.y2 = d.y2();
      this.cuts = cuts;
    }

    float area() {
      return Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
    }

    void absorb(Group other) {
      score = Math.max(score, other.score);
      x1 = Math.min(x1, other.x1);
      y1 = Math.min(y1, other.y1);
      x2 = Math.max(x2, other.x2);
      y2 = Math.max(y2, other.y2);
      cuts |= other.cuts;
    }
  }
}
