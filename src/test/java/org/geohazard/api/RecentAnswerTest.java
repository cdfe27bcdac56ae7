package org.geohazard.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RecentAnswerTest {

  @Test
  void aCheckRunsOnceAtATimeAndAtMostOncePerMaximumAge() {
    AtomicLong now = new AtomicLong();
    AtomicInteger runs = new AtomicInteger();
    AtomicReference<Promise<Integer>> running = new AtomicReference<>();
    RecentAnswer<Integer> answer = new RecentAnswer<>(() -> {
      runs.incrementAndGet();
      running.set(Promise.promise());
      return running.get().future();
    }, 1_000, now::get);

    Future<Integer> first = answer.get();
    // 200 callers while it runs, even past its maximum age: the same check.
    for (int i = 0; i < 200; i++) {
      now.addAndGet(10);
      assertThat(answer.get()).isSameAs(first);
    }
    assertThat(runs).hasValue(1);
    running.get().complete(7);
    // Done and older than the maximum age (2 000 > 1 000): the next caller starts another.
    Future<Integer> second = answer.get();
    assertThat(runs).hasValue(2);
    assertThat(second).isNotSameAs(first);
    running.get().complete(8);
    // Done and young: shared.
    now.addAndGet(999);
    assertThat(answer.get()).isSameAs(second);
    assertThat(answer.get().result()).isEqualTo(8);
    now.addAndGet(1);
    assertThat(answer.get()).isNotSameAs(second);
    assertThat(runs).hasValue(3);
  }
}
