package org.geohazard.api;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many alert streams each client (its key, else its address) holds open on this node, against a cap
 * ({@code rateLimit.streamsPerClient}): a stream is a connection held for hours, so one client could otherwise hold
 * every connection a node can take. One per node, shared by its API verticle instances (connections are spread over
 * them), so it is thread-safe. A client reaching several nodes gets the cap on each.
 */
final class StreamCaps implements Shareable {

  private final int cap;
  private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();

  StreamCaps(int cap) {
    this.cap = cap;
  }

  /** The node's one instance (Vert.x local shared data, as {@code Admission#failedKeyThrottle}). */
  static StreamCaps of(Vertx vertx, int cap) {
    LocalMap<String, StreamCaps> shared = vertx.sharedData().getLocalMap("geohazard.streams");
    StreamCaps fresh = new StreamCaps(cap);
    StreamCaps existing = shared.putIfAbsent("caps", fresh);
    return existing == null ? fresh : existing;
  }

  /** Counts one more stream of {@code client}; false (and nothing counted) when it holds the cap already. */
  boolean tryOpen(String client) {
    boolean[] opened = {false};
    open.compute(client, (k, held) -> {
      int now = held == null ? 0 : held;
      if (now >= cap) {
        return held;
      }
      opened[0] = true;
      return now + 1;
    });
    return opened[0];
  }

  /** One stream of {@code client} ended (call once per successful {@link #tryOpen}). */
  void closed(String client) {
    open.computeIfPresent(client, (k, held) -> held <= 1 ? null : held - 1);
  }

  int cap() {
    return cap;
  }

  int held(String client) {
    return open.getOrDefault(client, 0);
  }
}
