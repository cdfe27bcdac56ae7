package org.geohazard.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.geohazard.inference.DynamicBatcher.Priority;
import org.junit.jupiter.api.Test;

class DynamicBatcherTest {

  /** Starts far from zero so that nothing relies on the clock's origin. */
  private long nowNanos = 1_000_000_000_000L;

  private final DynamicBatcher<String> batcher = new DynamicBatcher<>(3, 10, () -> nowNanos);

  private void advanceMillis(long millis) {
    nowNanos += TimeUnit.MILLISECONDS.toNanos(millis);
  }

  @Test
  void hasNoBatchAndNoDeadlineWhenEmpty() {
    assertThat(batcher.pollReady()).isEmpty();
    assertThat(batcher.nextDeadlineNanos()).isEmpty();
    assertThat(batcher.millisUntilNextDeadline()).isEmpty();
  }

  @Test
  void releasesAFullBatchAtOnce() {
    batcher.offer("a", Priority.NORMAL);
    batcher.offer("b", Priority.NORMAL);
    assertThat(batcher.pollReady()).isEmpty();

    batcher.offer("c", Priority.NORMAL);

    assertThat(batcher.millisUntilNextDeadline()).hasValue(0);
    assertThat(batcher.pollReady()).containsExactly("a", "b", "c");
    assertThat(batcher.isEmpty()).isTrue();
  }

  @Test
  void releasesAPartialBatchWhenTheOldestItemHasWaitedMaxDelayAndNotBefore() {
    batcher.offer("a", Priority.NORMAL);
    advanceMillis(4);
    batcher.offer("b", Priority.NORMAL);

    nowNanos += TimeUnit.MILLISECONDS.toNanos(6) - 1;
    assertThat(batcher.pollReady()).isEmpty();

    nowNanos += 1;
    assertThat(batcher.pollReady()).containsExactly("a", "b");
  }

  @Test
  void servesTheHighPriorityLaneFirst() {
    batcher.offer("n1", Priority.NORMAL);
    batcher.offer("n2", Priority.NORMAL);
    batcher.offer("h1", Priority.HIGH);

    assertThat(batcher.pollReady()).containsExactly("h1", "n1", "n2");
  }

  @Test
  void keepsArrivalOrderWithinEachLaneAcrossBatches() {
    for (String item : new String[] {"n1", "h1", "n2", "h2", "n3", "h3", "n4"}) {
      batcher.offer(item, item.startsWith("h") ? Priority.HIGH : Priority.NORMAL);
    }

    assertThat(batcher.pollReady()).containsExactly("h1", "h2", "h3");
    assertThat(batcher.pollReady()).containsExactly("n1", "n2", "n3");
    assertThat(batcher.pollReady()).isEmpty();
    advanceMillis(10);
    assertThat(batcher.pollReady()).containsExactly("n4");
  }

  @Test
  void deadlineFollowsTheOldestItemInEitherLane() {
    long start = nowNanos;
    batcher.offer("n1", Priority.NORMAL);
    advanceMillis(3);
    batcher.offer("h1", Priority.HIGH);

    assertThat(batcher.nextDeadlineNanos()).hasValue(start + TimeUnit.MILLISECONDS.toNanos(10));
    assertThat(batcher.millisUntilNextDeadline()).hasValue(7);
  }

  @Test
  void roundsTheWaitUpSoATimerNeverFiresEarly() {
    batcher.offer("a", Priority.NORMAL);
    nowNanos += TimeUnit.MICROSECONDS.toNanos(500);

    assertThat(batcher.millisUntilNextDeadline()).hasValue(10);
  }

  @Test
  void releasesSeveralDueBatchesOnSuccessivePolls() {
    for (int i = 0; i < 7; i++) {
      batcher.offer("i" + i, Priority.NORMAL);
    }
    advanceMillis(10);

    assertThat(batcher.pollReady()).hasSize(3);
    assertThat(batcher.pollReady()).hasSize(3);
    assertThat(batcher.pollReady()).containsExactly("i6");
    assertThat(batcher.pollReady()).isEmpty();
  }

  @Test
  void withoutDelayReleasesWhateverWaitsAtEachPoll() {
    DynamicBatcher<String> eager = new DynamicBatcher<>(8, 0, () -> nowNanos);
    eager.offer("a", Priority.NORMAL);

    assertThat(eager.pollReady()).containsExactly("a");
  }

  @Test
  void pollFullReleasesOnlyAFullBatchHoweverLongItemsHaveWaited() {
    batcher.offer("a", Priority.NORMAL);
    batcher.offer("b", Priority.NORMAL);
    advanceMillis(60_000);
    // Past its deadline, but a batch queued behind a running one should still gather companions.
    assertThat(batcher.pollFull()).isEmpty();
    batcher.offer("c", Priority.NORMAL);
    batcher.offer("d", Priority.HIGH);
    assertThat(batcher.pollFull()).containsExactly("d", "a", "b");
    assertThat(batcher.pollFull()).isEmpty();
    advanceMillis(10);
    assertThat(batcher.pollReady()).containsExactly("c");
  }

  @Test
  void drainsEverythingHighLaneFirstForShutdown() {
    batcher.offer("n1", Priority.NORMAL);
    batcher.offer("h1", Priority.HIGH);

    assertThat(batcher.drainAll()).containsExactly("h1", "n1");
    assertThat(batcher.size()).isZero();
  }

  @Test
  void rejectsKnobsOutsideTheirRange() {
    assertThatThrownBy(() -> new DynamicBatcher<String>(0, 10, () -> 0L))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBatch");
    assertThatThrownBy(() -> new DynamicBatcher<String>(4, -1, () -> 0L))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxDelayMs");
    assertThatThrownBy(() -> new DynamicBatcher<String>(4, 3_600_000, () -> 0L))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxDelayMs");
  }
}
