package org.geohazard.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

  @Test
  void commitsOnlyPastTheOldestUnfinishedRecord() {
    OffsetTracker<String> tracker = new OffsetTracker<>();
    tracker.started("p0", 5);
    tracker.started("p0", 6);
    tracker.started("p0", 7);
    assertThat(tracker.finished("p0", 7)).isEmpty();
    assertThat(tracker.finished("p0", 6)).isEmpty();
    assertThat(tracker.inFlight()).isEqualTo(1);
    assertThat(tracker.finished("p0", 5)).contains(8L);
    assertThat(tracker.inFlight()).isZero();
  }

  @Test
  void partitionsAreIndependent() {
    OffsetTracker<String> tracker = new OffsetTracker<>();
    tracker.started("p0", 1);
    tracker.started("p1", 10);
    assertThat(tracker.finished("p1", 10)).contains(11L);
    assertThat(tracker.inFlight()).isEqualTo(1);
  }

  @Test
  void forgottenPartitionsIgnoreLateCompletions() {
    OffsetTracker<String> tracker = new OffsetTracker<>();
    tracker.started("p0", 1);
    tracker.forget("p0");
    assertThat(tracker.finished("p0", 1)).isEmpty();
    assertThat(tracker.inFlight()).isZero();
  }

  @Test
  void committablePositionsAreHandedOutOncePerMoveAndOnlyTheFurthest() {
    OffsetTracker<String> tracker = new OffsetTracker<>();
    tracker.started("p0", 1);
    tracker.started("p0", 2);
    tracker.started("p0", 3);
    tracker.started("p1", 7);
    tracker.finished("p0", 1);
    tracker.finished("p0", 2);
    tracker.finished("p1", 7);
    assertThat(tracker.takeCommittable()).containsOnly(entry("p0", 3L), entry("p1", 8L));
    assertThat(tracker.takeCommittable()).isEmpty();
    // Offset 3 is still running: nothing moved.
    tracker.started("p0", 4);
    tracker.finished("p0", 4);
    assertThat(tracker.takeCommittable()).isEmpty();
    tracker.finished("p0", 3);
    assertThat(tracker.takeCommittable()).containsOnly(entry("p0", 5L));
  }

  @Test
  void aForgottenPartitionHasNothingToCommit() {
    OffsetTracker<String> tracker = new OffsetTracker<>();
    tracker.started("p0", 1);
    tracker.finished("p0", 1);
    tracker.forget("p0");
    assertThat(tracker.takeCommittable()).isEmpty();
  }

  @Test
  void positionsOfAFailedCommitComeBackUnlessOvertakenOrForgotten() {
    OffsetTracker<String> tracker = new OffsetTracker<>();
    tracker.started("p0", 1);
    tracker.started("p0", 2);
    tracker.started("p1", 5);
    tracker.started("p2", 9);
    tracker.finished("p0", 1);
    tracker.finished("p1", 5);
    tracker.finished("p2", 9);
    var taken = tracker.takeCommittable();
    assertThat(taken).containsOnly(entry("p0", 2L), entry("p1", 6L), entry("p2", 10L));
    // Meanwhile p0 moved on and p2 was revoked; then the commit of `taken` failed.
    tracker.finished("p0", 2);
    tracker.forget("p2");
    tracker.restoreCommittable(taken);
    assertThat(tracker.takeCommittable()).containsOnly(entry("p0", 3L), entry("p1", 6L));
  }
}
