package org.geohazard.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecentObjectsTest {

  @Test
  void remembersWithinItsBudgetAndForgetsTheLeastRecentlyUsedFirst() {
    RecentObjects recent = new RecentObjects(10, 6);
    recent.remember("a", new byte[4]);
    recent.remember("b", new byte[4]);
    assertThat(recent.recall("a")).isPresent(); // a is now the most recently used
    recent.remember("c", new byte[4]);
    assertThat(recent.recall("b")).isEmpty();
    assertThat(recent.recall("a")).isPresent();
    assertThat(recent.recall("c")).isPresent();
    assertThat(recent.totalBytes()).isEqualTo(8);
  }

  @Test
  void objectsOverTheSizeLimitAreNotKept() {
    RecentObjects recent = new RecentObjects(100, 6);
    assertThat(recent.keeps(7)).isFalse();
    recent.remember("big", new byte[7]);
    assertThat(recent.recall("big")).isEmpty();
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
    assertThat(recent.recall("k")).isEmpty();
  }
}
