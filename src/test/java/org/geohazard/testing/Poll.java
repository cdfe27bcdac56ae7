package org.geohazard.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Polling with a deadline, for tests that wait on something outside them (a database row, an analysis, a batch):
 * the probe runs again after each interval until its answer satisfies the condition, and the test fails with the
 * last answer once the deadline passes. The one place the tests wait between probes.
 */
public final class Poll {

  private Poll() {
  }

  /** A probe that may throw (a blocking client call). */
  @FunctionalInterface
  public interface Probe<T> extends Callable<T> {
  }

  /**
   * @return the first answer that satisfies {@code done}
   * @throws AssertionError naming {@code what} and the last answer when {@code timeout} passes first
   */
  public static <T> T until(String what, Probe<T> probe, Predicate<? super T> done, Duration timeout,
                            Duration interval) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      T answer = probe.call();
      if (done.test(answer)) {
        return answer;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + " not reached in " + timeout + "; last: " + answer);
      }
      CompletableFuture.runAsync(() -> { },
          CompletableFuture.delayedExecutor(interval.toNanos(), TimeUnit.NANOSECONDS)).join();
    }
  }
}
