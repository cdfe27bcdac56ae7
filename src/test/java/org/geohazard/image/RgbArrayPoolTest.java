package org.geohazard.image;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RgbArrayPoolTest {

  @Test
  void handsOutAKeptArrayOfExactlyTheLengthAskedForZeroed() {
    RgbArrayPool pool = new RgbArrayPool(1000);
    byte[] small = {1, 2, 3};
    byte[] large = {4, 5, 6, 7, 8, 9};
    pool.giveBack(small);
    pool.giveBack(large);

    byte[] taken = pool.take(6);

    assertThat(taken).isSameAs(large).containsOnly(0);
    assertThat(pool.take(6)).as("nothing of that length is kept any more").isNotSameAs(large).hasSize(6);
    assertThat(pool.keptBytes()).isEqualTo(3);
    assertThat(pool.reused()).isEqualTo(1);
    assertThat(pool.taken()).isEqualTo(2);
  }

  @Test
  void keepsAtMostItsBoundDroppingTheLongestUnusedFirst() {
    RgbArrayPool pool = new RgbArrayPool(10);
    byte[] first = new byte[4];
    byte[] second = new byte[4];
    byte[] third = new byte[4];
    pool.giveBack(first);
    pool.giveBack(second);
    pool.giveBack(third);

    assertThat(pool.keptBytes()).isEqualTo(8);
    assertThat(pool.take(4)).isSameAs(third);
    assertThat(pool.take(4)).isSameAs(second);
    assertThat(pool.take(4)).as("the first was dropped").isNotSameAs(first);

    pool.giveBack(new byte[11]);
    assertThat(pool.keptBytes()).as("an array over the bound alone is not kept").isZero();
  }

  @Test
  void keepsAtMostItsNumberOfArraysHoweverSmall() {
    RgbArrayPool pool = new RgbArrayPool(1 << 20);
    for (int i = 0; i < RgbArrayPool.MAX_ARRAYS + 44; i++) {
      pool.giveBack(new byte[1]);
    }

    assertThat(pool.keptBytes()).isEqualTo(RgbArrayPool.MAX_ARRAYS);
  }

  @Test
  void keepsAnArrayGivenBackTwiceOnlyOnce() {
    RgbArrayPool pool = new RgbArrayPool(100);
    byte[] array = new byte[5];
    pool.giveBack(array);
    pool.giveBack(array);

    assertThat(pool.take(5)).isSameAs(array);
    assertThat(pool.take(5)).isNotSameAs(array);
  }

  @Test
  void keepsNothingWithABoundOfZero() {
    RgbArrayPool pool = new RgbArrayPool(0);
    pool.giveBack(new byte[3]);

    assertThat(pool.keptBytes()).isZero();
  }
}
