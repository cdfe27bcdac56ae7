package org.geohazard.api;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.geohazard.bus.UsageCount;

/**
 * Requests counted per client (API key, else address), endpoint (the contract's operation), status and hour, in
 * memory; {@link #drain} hands the counts over to be written in one batch (every few seconds), so that counting
 * costs no database write per request. Thread-safe.
 */
final class UsageCounter {

  private record Group(String hourStart, Long apiKeyId, String client, String endpoint, int status) {}

  private final Map<Group, LongAdder> counts = new ConcurrentHashMap<>();

  void count(Long apiKeyId, String client, String endpoint, int status, Instant at) {
    String hour = at.truncatedTo(ChronoUnit.HOURS).toString();
    counts.computeIfAbsent(new Group(hour, apiKeyId, client, endpoint, status), g -> new LongAdder()).increment();
  }

  /** The counts since the last drain; counts that arrive meanwhile wait for the next one. */
  List<UsageCount> drain() {
    List<UsageCount> out = new ArrayList<>();
    for (Group group : List.copyOf(counts.keySet())) {
      LongAdder adder = counts.remove(group);
      long n = adder == null ? 0 : adder.sumThenReset();
      if (n > 0) {
        out.add(new UsageCount(group.hourStart(), group.apiKeyId(), group.client(), group.endpoint(),
            group.status(), n));
      }
    }
    return out;
  }

  /** Counts a write could not store are counted again, to go with the next batch. */
  void restore(List<UsageCount> unsaved) {
    for (UsageCount c : unsaved) {
      counts.computeIfAbsent(new Group(c.hourStart(), c.apiKeyId(), c.client(), c.endpoint(), c.status()),
          g -> new LongAdder()).add(c.requests());
    }
  }
}
