package org.geohazard.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecentObjectsTest {

  @Test
  void remembersWithinItsBudgetAndForgetsTheOldestFirst() {
    RecentObjects recent = new RecentObjects(10, 6);
    recent.remember("a", new byte[4]);
    recent.remember("b", new byte[4]);
    recent.remember("c", new byte[4]);
    assertThat(recent.take("a")).isEmpty();
    assertThat(recent.take("b")).isPresent();
    assertThat(recent.take("c")).isPresent();
  }

  @Test
  void aCopyIsHandedOutOnceAndItsBytesAreFreed() {
    RecentObjects recent = new RecentObjects(10, 6);
    byte[] bytes = {1, 2, 3};
    recent.remember("a", bytes);
    recent.remember("b", new byte[4]);
    assertThat(recent.totalBytes()).isEqualTo(7);
    assertThat(recent.take("a")).containsSame(bytes);
    assertThat(recent.take("a")).isEmpty();
    assertThat(recent.totalBytes()).isEqualTo(4);
    // The room it left is used again: two more objects of 3 fit beside b.
    recent.remember("c", new byte[3]);
    recent.remember("d", new byte[3]);
    assertThat(recent.take("b")).isPresent();
  }

  @Test
  void anObjectStoredAgainCountsAsTheNewest() {
    RecentObjects recent = new RecentObjects(8, 6);
    recent.remember("a", new byte[4]);
    recent.remember("b", new byte[4]);
    recent.remember("a", new byte[4]);
    recent.remember("c", new byte[4]);
    assertThat(recent.take("b")).isEmpty();
    assertThat(recent.take("a")).isPresent();
    assertThat(recent.take("c")).isPresent();
  }

  @Test
  void objectsOverTheSizeLimitAreNotKept() {
    RecentObjects recent = new RecentObjects(100, 6);
    assertThat(recent.keeps(7)).isFalse();
    recent.remember("big", new byte[7]);
    assertThat(recent.take("big")).isEmpty();
    assertThat(recent.totalBytes()).isZero();
  }

  @Test
  void rememberingTheSameKeyAgainDoesNotCountItTwice() {
    RecentObjects recent = new RecentObjects(100, 50);
    recent.remember("k", new byte[10]);
    recent.remember("k", new byte[10]);
    assertThat(recent.totalBytes()).isEqualTo(10);
  }

  @Test
  void aZeroBudgetKeepsNothing() {
    RecentObjects recent = new RecentObjects(0, 0);
    recent.remember("k", new byte[1]);
    assertThat(recent.take("k")).isEmpty();
  }
}
