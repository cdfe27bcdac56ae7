package org.geohazard.retry;

import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff: the delay before retry {@code n} (1 for the first) is {@code firstMs * 2^(n-1)}, at most
 * {@code maxMs}, then moved at random by up to {@code jitter} of itself either way, so that callers that failed
 * together (two deadlocked transactions, a webhook receiver's many deliveries) do not all come back together.
 *
 * @param firstMs the delay before the first retry, in ms
 * @param maxMs the longest delay before jitter, in ms
 * @param jitter the fraction of the delay added or taken at random, 0..1: 0 is exact, 0.5 between half and one and
 *     a half times the delay, 1 between nothing and twice
 */
public record Backoff(long firstMs, long maxMs, double jitter) {

  public Backoff {
    if (firstMs < 0 || maxMs < firstMs) {
      throw new IllegalArgumentException("need 0 <= firstMs <= maxMs, got " + firstMs + " and " + maxMs);
    }
    if (!(jitter >= 0 && jitter <= 1)) {
      throw new IllegalArgumentException("jitter must be 0..1, got " + jitter);
    }
  }

  /** Without jitter: the same delays every time. */
  public static Backoff exact(long firstMs, long maxMs) {
    return new Backoff(firstMs, maxMs, 0);
  }

  /** The delay before retry {@code retry} (1-based), its jitter drawn from the thread's own generator. */
  public long delayMs(int retry) {
    return delayMs(retry, ThreadLocalRandom.current());
  }

  /** The delay before retry {@code retry} (1-based), its jitter drawn from {@code random}. */
  public long delayMs(int retry, RandomGenerator random) {
    if (retry < 1) {
      throw new IllegalArgumentException("retries count from 1, got " + retry);
    }
    long delay = firstMs;
    for (int i = 1; i < retry && delay < maxMs; i++) {
      // Doubling stops at the cap, so it never overflows.
      delay = delay > maxMs / 2 ? maxMs : delay * 2;
    }
    long spread = (long) (delay * jitter);
    return spread == 0 ? delay : delay - spread + random.nextLong(2 * spread + 1);
  }
}
