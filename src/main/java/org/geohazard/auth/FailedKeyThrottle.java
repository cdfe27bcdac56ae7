package org.geohazard.auth;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits how often one client address may present keys that do not exist. Each failed attempt counts in a fixed
 * window; over the budget the address is refused at once, before any lookup, so that guessing keys costs the
 * guesser a 429 and the database nothing. Per node, in memory (a guesser spread over many nodes gets the budget
 * on each, still a small multiple); bounded in size.
 */
public final class FailedKeyThrottle {

  private static final int MAX_ADDRESSES = 100_000;

  private record Window(long startMs, int failures) {}

  private final int budget;
  private final long windowMs;
  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

  public FailedKeyThrottle(int budget, long windowMs) {
    this.budget = budget;
    this.windowMs = windowMs;
  }

  /** Whether {@code address} has used its failed attempts of the current window. */
  public boolean blocked(String address, long nowMs) {
    Window window = windows.get(address);
    return window != null && nowMs - window.startMs() < windowMs && window.failures() >= budget;
  }

  /** Seconds until {@code address} may try again (at least 1). */
  public long retryAfterSeconds(String address, long nowMs) {
    Window window = windows.get(address);
    long left = window == null ? 0 : window.startMs() + windowMs - nowMs;
    return Math.max(1, (left + 999) / 1000);
  }

  /** Counts one failed attempt of {@code address}. */
  public void failed(String address, long nowMs) {
    if (windows.size() >= MAX_ADDRESSES) {
      windows.entrySet().removeIf(e -> nowMs - e.getValue().startMs() >= windowMs);
      if (windows.size() >= MAX_ADDRESSES) {
        windows.clear();
      }
    }
    windows.compute(address, (key, window) -> window == null || nowMs - window.startMs() >= windowMs
        ? new Window(nowMs, 1) : new Window(window.startMs(), window.failures() + 1));
  }
}
