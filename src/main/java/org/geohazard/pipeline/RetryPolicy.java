package org.geohazard.pipeline;

/**
 * How often and how soon a failed record is tried again: {@code maxAttempts} in all, the n-th retry
 * after {@code baseBackoffMs * 2^(n-1)} capped at {@code maxBackoffMs}. Failures that retrying cannot
 * fix (a corrupt image, an unknown id) are not retried at all.
 */
public record RetryPolicy(int maxAttempts, long baseBackoffMs, long maxBackoffMs) {

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1");
    }
    if (baseBackoffMs < 0 || maxBackoffMs < baseBackoffMs) {
      throw new IllegalArgumentException("need 0 <= baseBackoffMs <= maxBackoffMs");
    }
  }

  /** Whether attempt number {@code attempt} (1-based) that just failed should be followed by another. */
  public boolean shouldRetry(int attempt, boolean retryable) {
    return retryable && attempt < maxAttempts;
  }

  /** Delay before attempt {@code nextAttempt} (2-based: the first retry is attempt 2). */
  public long backoffMs(int nextAttempt) {
    if (nextAttempt <= 1) {
      return 0;
    }
    long delay = baseBackoffMs;
    for (int i = 2; i < nextAttempt && delay < maxBackoffMs; i++) {
      delay *= 2;
    }
    return Math.min(delay, maxBackoffMs);
  }
}
