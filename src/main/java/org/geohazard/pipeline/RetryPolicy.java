package org.geohazard.pipeline;

import org.geohazard.bus.Failure;
import org.geohazard.retry.Backoff;

/**
 * How often and how soon a failed record is tried again, the n-th retry after {@code baseBackoffMs * 2^(n-1)}
 * capped at {@code maxBackoffMs} (a {@link Backoff} without jitter). Three kinds of failure:
 * <ul>
 *   <li>what retrying cannot fix (a corrupt image, an unknown id): not retried;</li>
 *   <li>an outage of something the pipeline needs ({@link Failure#UNAVAILABLE}: the database, the object store,
 *       Kafka): retried for as long as {@code outageRetryMs} from the first attempt, however many attempts that
 *       takes. A 30-second database outage must not fail the images that were in flight: only a broken record
 *       should use up the attempts;</li>
 *   <li>anything else that may pass on a second try ({@link Failure#INTERNAL}): {@code maxAttempts} in all.</li>
 * </ul>
 */
public record RetryPolicy(int maxAttempts, long baseBackoffMs, long maxBackoffMs, long outageRetryMs) {

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1");
    }
    if (baseBackoffMs < 0 || maxBackoffMs < baseBackoffMs) {
      throw new IllegalArgumentException("need 0 <= baseBackoffMs <= maxBackoffMs");
    }
    if (outageRetryMs < 0) {
      throw new IllegalArgumentException("outageRetryMs must be >= 0");
    }
  }

  /**
   * Whether attempt number {@code attempt} (1-based), which just failed with {@code failure}, {@code elapsedMs}
   * after the first attempt began, should be followed by another.
   */
  public boolean shouldRetry(int attempt, Failure.Code failure, long elapsedMs) {
    if (!failure.retryable()) {
      return false;
    }
    if (failure == Failure.Code.UNAVAILABLE) {
      return elapsedMs < outageRetryMs || attempt < maxAttempts;
    }
    return attempt < maxAttempts;
  }

  /** Delay before attempt {@code nextAttempt} (2-based: the first retry is attempt 2); the same every time. */
  public long backoffMs(int nextAttempt) {
    return nextAttempt <= 1 ? 0 : Backoff.exact(baseBackoffMs, maxBackoffMs).delayMs(nextAttempt - 1);
  }
}
