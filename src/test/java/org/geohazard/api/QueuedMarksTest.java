package org.geohazard.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Marks grouped by time and by size, on a real Vert.x event loop and its timers. */
@ExtendWith(VertxExtension.class)
class QueuedMarksTest {

  @Test
  void marksWithinTheWindowGoInOneGroupAfterIt(Vertx vertx, VertxTestContext test) {
    List<List<String>> groups = new ArrayList<>();
    vertx.runOnContext(v -> {
      long start = System.nanoTime();
      QueuedMarks marks = new QueuedMarks(vertx, 50, 100, group -> test.verify(() -> {
        groups.add(group);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(groups).containsExactly(List.of("a", "b", "c"));
        // Nothing more comes: a later add starts a new window.
        vertx.setTimer(120, id -> test.verify(() -> {
          assertThat(groups).hasSize(1);
          test.completeNow();
        }));
      }));
      marks.add("a");
      marks.add("b");
      marks.add("c");
      test.verify(() -> assertThat(groups).as("nothing marked before the window ends").isEmpty());
    });
  }

  @Test
  void aFullGroupIsMarkedAtOnceAndTheRestAfterTheWindow(Vertx vertx, VertxTestContext test) {
    List<List<String>> groups = new ArrayList<>();
    vertx.runOnContext(v -> {
      QueuedMarks marks = new QueuedMarks(vertx, 30, 2, group -> {
        groups.add(group);
        if (groups.size() == 3) {
          test.verify(() -> {
            assertThat(groups).containsExactly(List.of("1", "2"), List.of("3", "4"), List.of("5"));
            test.completeNow();
          });
        }
      });
      marks.add("1");
      marks.add("2");
      test.verify(() -> assertThat(groups).containsExactly(List.of("1", "2")));
      marks.add("3");
      marks.add("4");
      marks.add("5");
      test.verify(() -> assertThat(groups).hasSize(2));
    });
  }

  @Test
  void flushMarksWhatIsPendingOnceAndNothingWhenEmpty(Vertx vertx, VertxTestContext test) {
    List<List<String>> groups = new ArrayList<>();
    vertx.runOnContext(v -> {
      QueuedMarks marks = new QueuedMarks(vertx, 40, 100, groups::add);
      marks.flush();
      marks.add("x");
      marks.flush();
      marks.flush();
      // The window's timer was cancelled by the flush: no second, empty or repeated group after it.
      vertx.setTimer(100, id -> test.verify(() -> {
        assertThat(groups).containsExactly(List.of("x"));
        test.completeNow();
      }));
    });
  }

  @Test
  void refusesAWindowOrGroupSizeBelowOne(Vertx vertx) {
    assertThatThrownBy(() -> new QueuedMarks(vertx, 0, 10, g -> { })).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new QueuedMarks(vertx, 5, 0, g -> { })).isInstanceOf(IllegalArgumentException.class);
  }
}
