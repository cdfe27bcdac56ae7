package org.geohazard.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {

  /** Draws the lowest value, or the highest, that {@code nextLong(bound)} may give. */
  private static RandomGenerator extreme(boolean highest) {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        throw new UnsupportedOperationException("only bounded draws are expected");
      }

      @Override
      public long nextLong(long bound) {
        return highest ? bound - 1 : 0;
      }
    };
  }

  @Test
  void withoutJitterTheDelayDoublesFromTheFirstUpToTheCap() {
    Backoff backoff = Backoff.exact(100, 1000);
    assertThat(new long[] {backoff.delayMs(1), backoff.delayMs(2), backoff.delayMs(3), backoff.delayMs(4),
        backoff.delayMs(5), backoff.delayMs(50)}).containsExactly(100, 200, 400, 800, 1000, 1000);
  }

  @Test
  void jitterMovesTheDelayByUpToItsFractionEitherWay() {
    Backoff half = new Backoff(1000, 60_000, 0.5);
    assertThat(half.delayMs(1, extreme(false))).isEqualTo(500);
    assertThat(half.delayMs(1, extreme(true))).isEqualTo(1500);
    assertThat(half.delayMs(3, extreme(false))).isEqualTo(2000);
    assertThat(half.delayMs(3, extreme(true))).isEqualTo(6000);
    Backoff full = new Backoff(10, 1000, 1.0);
    assertThat(full.delayMs(2, extreme(false))).isZero();
    assertThat(full.delayMs(2, extreme(true))).isEqualTo(40);
  }

  @Test
  void jitteredDelaysStayWithinTheirBoundsAndSpreadOverThem() {
    Backoff backoff = new Backoff(1000, 60_000, 0.5);
    SplittableRandom random = new SplittableRandom(42);
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (int i = 0; i < 10_000; i++) {
      long delay = backoff.delayMs(2, random);
      min = Math.min(min, delay);
      max = Math.max(max, delay);
    }
    assertThat(min).isBetween(1000L, 1050L);
    assertThat(max).isBetween(2950L, 3000L);
  }

  @Test
  void aHugeRetryCountStaysAtTheCapWithoutOverflow() {
    assertThat(Backoff.exact(1, Long.MAX_VALUE).delayMs(Integer.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
    assertThat(Backoff.exact(3, Long.MAX_VALUE - 1).delayMs(100)).isEqualTo(Long.MAX_VALUE - 1);
    assertThat(Backoff.exact(0, 0).delayMs(7)).isZero();
  }

  @Test
  void rejectsSettingsThatMakeNoSense() {
    assertThatThrownBy(() -> new Backoff(-1, 10, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(20, 10, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(1, 10, 1.5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(1, 10, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Backoff.exact(1, 10).delayMs(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
