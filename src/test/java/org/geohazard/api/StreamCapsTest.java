package org.geohazard.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StreamCapsTest {

  @Test
  void aClientHoldsAtMostTheCapAndAClosedStreamFreesItsPlace() {
    StreamCaps caps = new StreamCaps(2);
    assertThat(caps.tryOpen("key:1")).isTrue();
    assertThat(caps.tryOpen("key:1")).isTrue();
    assertThat(caps.tryOpen("key:1")).as("third stream of the same key").isFalse();
    assertThat(caps.held("key:1")).as("a refusal counts nothing").isEqualTo(2);
    assertThat(caps.tryOpen("ip:10.0.0.7")).as("another client has its own cap").isTrue();
    caps.closed("key:1");
    assertThat(caps.tryOpen("key:1")).isTrue();
    caps.closed("key:1");
    caps.closed("key:1");
    assertThat(caps.held("key:1")).isZero();
    caps.closed("key:1");
    assertThat(caps.held("key:1")).as("never below zero").isZero();
  }

  @Test
  void concurrentOpensNeverPassTheCap() throws Exception {
    StreamCaps caps = new StreamCaps(5);
    int[] opened = new int[8];
    Thread[] threads = new Thread[8];
    for (int t = 0; t < threads.length; t++) {
      int index = t;
      threads[t] = new Thread(() -> {
        for (int i = 0; i < 1000; i++) {
          if (caps.tryOpen("key:9")) {
            opened[index]++;
          }
        }
      });
      threads[t].start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    int total = 0;
    for (int n : opened) {
      total += n;
    }
    assertThat(total).isEqualTo(5);
    assertThat(caps.held("key:9")).isEqualTo(5);
  }
}
