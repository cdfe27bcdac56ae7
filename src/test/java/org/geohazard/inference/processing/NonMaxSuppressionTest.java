package org.geohazard.inference.processing;

import org.geohazard.detection.Detection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NonMaxSuppressionTest {

  private final NonMaxSuppression nms = new NonMaxSuppression(0.45f, 300);

  @Test
  void keepsTheBestOfOverlappingBoxesOfOneClass() {
    Detection best = new Detection(0, 0.9f, 0, 0, 10, 10);
    Detection shifted = new Detection(0, 0.8f, 1, 1, 11, 11); // IoU 81/119 = 0.68
    Detection apart = new Detection(0, 0.7f, 20, 20, 30, 30);

    assertThat(nms.apply(List.of(shifted, apart, best))).containsExactly(best, apart);
  }

  @Test
  void neverSuppressesAcrossClasses() {
    Detection flood = new Detection(1, 0.9f, 0, 0, 10, 10);
    Detection landslide = new Detection(0, 0.6f, 0, 0, 10, 10);

    assertThat(nms.apply(List.of(landslide, flood))).containsExactly(flood, landslide);
  }

  @Test
  void keepsABoxWhoseOverlapEqualsTheThreshold() {
    // Two 10x10 boxes sharing a 10x5 strip: IoU = 50 / 150 = 1/3.
    NonMaxSuppression atOneThird = new NonMaxSuppression(1f / 3f, 300);
    Detection a = new Detection(0, 0.9f, 0, 0, 10, 10);
    Detection b = new Detection(0, 0.8f, 0, 5, 10, 15);

    assertThat(atOneThird.apply(List.of(a, b))).containsExactly(a, b);
    assertThat(new NonMaxSuppression(0.3f, 300).apply(List.of(a, b))).containsExactly(a);
  }

  @Test
  void ordersEqualScoresByInputPosition() {
    Detection first = new Detection(0, 0.5f, 0, 0, 1, 1);
    Detection second = new Detection(1, 0.5f, 0, 0, 1, 1);
    Detection third = new Detection(2, 0.5f, 0, 0, 1, 1);

    assertThat(nms.apply(List.of(first, second, third))).containsExactly(first, second, third);
  }

  @Test
  void capsTheNumberOfDetectionsKeepingTheBest() {
    List<Detection> candidates = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      candidates.add(new Detection(0, i / 10f, i * 20, 0, i * 20 + 10, 10));
    }

    assertThat(new NonMaxSuppression(0.45f, 3).apply(candidates))
        .extracting(Detection::score).containsExactly(0.9f, 0.8f, 0.7f);
  }

  @Test
  void dropsCandidatesWithoutAScore() {
    Detection real = new Detection(0, 0.5f, 0, 0, 1, 1);

    assertThat(nms.apply(List.of(new Detection(0, Float.NaN, 0, 0, 1, 1), real))).containsExactly(real);
  }

  @Test
  void handlesNoCandidates() {
    assertThat(nms.apply(List.of())).isEmpty();
  }

  @Test
  void agreesWithAStraightforwardImplementationOnThousandsOfRandomBoxes() {
    Random random = new Random(42);
    List<Detection> candidates = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      float x = random.nextFloat() * 600;
      float y = random.nextFloat() * 600;
      float size = 10 + random.nextFloat() * 60;
      // Quantised scores so that ties occur and the ordering rule is exercised.
      candidates.add(new Detection(random.nextInt(4), random.nextInt(100) / 100f, x, y, x + size, y + size));
    }

    assertThat(nms.apply(candidates)).containsExactlyElementsOf(reference(candidates, 0.45f, 300));
  }

  @Test
  void rejectsThresholdsOutsideTheUnitInterval() {
    assertThatThrownBy(() -> new NonMaxSuppression(1.5f, 10)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new NonMaxSuppression(0.5f, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  /** The textbook algorithm on objects, as an oracle. */
  private static List<Detection> reference(List<Detection> candidates, float iou, int max) {
    List<Detection> remaining = new ArrayList<>(candidates);
    remaining.sort(Comparator.comparing(Detection::score).reversed()); // List.sort is stable
    List<Detection> kept = new ArrayList<>();
    while (!remaining.isEmpty() && kept.size() < max) {
      Detection best = remaining.remove(0);
      kept.add(best);
      remaining.removeIf(other -> other.classId() == best.classId() && best.iou(other) > iou);
    }
    return kept;
  }
}
