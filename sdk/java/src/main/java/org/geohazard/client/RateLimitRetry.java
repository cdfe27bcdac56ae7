package org.geohazard.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Calls an SDK operation again when the server answers {@code 429 rate_limited}, after the {@code Retry-After} it
 * sends. Hand-written beside the generated SDK (the generator's native client has no retry of its own).
 *
 * <p>The whole call is repeated, not the HTTP request: the generated client streams multipart uploads through a
 * pipe that cannot be sent twice, so only a new call re-sends the file.
 *
 * <pre>{@code
 * RateLimitRetry retry = new RateLimitRetry(5, Duration.ofSeconds(30));
 * ImageResult result = retry.call(() -> results.getResult(imageId, null));
 * }</pre>
 */
public final class RateLimitRetry {

  /** An SDK call: any generated API method. */
  @FunctionalInterface
  public interface Call<T> {
    T run() throws ApiException;
  }

  private static final Duration WITHOUT_RETRY_AFTER = Duration.ofSeconds(1);

  private final int maxAttempts;
  private final Duration maxWait;

  /**
   * @param maxAttempts calls in all, the first included
   * @param maxWait the longest wait between two calls, whatever {@code Retry-After} says
   */
  public RateLimitRetry(int maxAttempts, Duration maxWait) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
    this.maxAttempts = maxAttempts;
    this.maxWait = maxWait;
  }

  /** Runs the call, waiting and calling again on 429 until it succeeds, fails otherwise, or attempts run out. */
  public <T> T call(Call<T> call) throws ApiException {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.run();
      } catch (ApiException e) {
        if (e.getCode() != 429 || attempt >= maxAttempts) {
          throw e;
        }
        sleep(waitFor(e.getResponseHeaders() == null ? null : e.getResponseHeaders().map()));
      }
    }
  }

  /** The server's Retry-After (whole seconds, the form geohazard sends), capped at maxWait. */
  Duration waitFor(Map<String, List<String>> headers) {
    Duration wait = WITHOUT_RETRY_AFTER;
    if (headers != null) {
      for (Map.Entry<String, List<String>> header : headers.entrySet()) {
        if ("retry-after".equalsIgnoreCase(header.getKey()) && !header.getValue().isEmpty()) {
          try {
            wait = Duration.ofSeconds(Math.max(0, Long.parseLong(header.getValue().get(0).trim())));
          } catch (NumberFormatException notSeconds) {
            // An HTTP date instead of seconds: keep the default wait.
          }
        }
      }
    }
    return wait.compareTo(maxWait) > 0 ? maxWait : wait;
  }

  private static void sleep(Duration wait) throws ApiException {
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(e);
    }
  }
}
