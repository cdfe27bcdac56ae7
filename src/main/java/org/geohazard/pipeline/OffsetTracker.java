package org.geohazard.pipeline;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which offsets may be committed when records of one partition finish out of order. A partition's
 * commit position only moves past a record once that record and every record before it are done:
 * committing record 7 while record 5 is still in inference would lose record 5 if the node died.
 *
 * @param <P> partition identity (e.g. Kafka's TopicPartition)
 */
public final class OffsetTracker<P> {

  private final Map<P, TreeMap<Long, Boolean>> inFlightByPartition = new HashMap<>();

  /** A record was handed out for processing. Offsets of one partition arrive in increasing order. */
  public void started(P partition, long offset) {
    inFlightByPartition.computeIfAbsent(partition, p -> new TreeMap<>()).put(offset, false);
  }

  /**
   * A record is done (stored, or sent to the dead-letter topic). Returns the offset to commit (the
   * next offset to read, Kafka's convention) when the partition's commit position moved.
   */
  public Optional<Long> finished(P partition, long offset) {
    TreeMap<Long, Boolean> inFlight = inFlightByPartition.get(partition);
    if (inFlight == null || !inFlight.containsKey(offset)) {
      return Optional.empty();
    }
    inFlight.put(offset, true);
    Long committable = null;
    while (!inFlight.isEmpty() && inFlight.firstEntry().getValue()) {
      committable = inFlight.pollFirstEntry().getKey() + 1;
    }
    return Optional.ofNullable(committable);
  }

  /** Forgets a partition (revoked in a rebalance): its unfinished records will be redelivered elsewhere. */
  public void forget(P partition) {
    inFlightByPartition.remove(partition);
  }

  public int inFlight() {
    int count = 0;
    for (TreeMap<Long, Boolean> offsets : inFlightByPartition.values()) {
      for (boolean done : offsets.values()) {
        if (!done) {
          count++;
        }
      }
    }
    return count;
  }
}
