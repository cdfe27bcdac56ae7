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
  /** Commit positions that moved since {@link #takeCommittable()} last handed them out. */
  private final Map<P, Long> committable = new HashMap<>();

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
    Long next = null;
    while (!inFlight.isEmpty() && inFlight.firstEntry().getValue()) {
      next = inFlight.pollFirstEntry().getKey() + 1;
    }
    if (next != null) {
      committable.put(partition, next);
    }
    return Optional.ofNullable(next);
  }

  /**
   * The commit positions that moved since the last call, one per partition (the furthest), for a
   * consumer that commits finished work together every so often instead of record by record.
   */
  public Map<P, Long> takeCommittable() {
    Map<P, Long> taken = Map.copyOf(committable);
    committable.clear();
    return taken;
  }

  /**
   * Gives back positions taken for a commit that failed. A partition that was forgotten meanwhile is
   * skipped (it is no longer ours to commit), and a position that moved further meanwhile wins.
   */
  public void restoreCommittable(Map<P, Long> positions) {
    positions.forEach((partition, position) -> {
      if (inFlightByPartition.containsKey(partition)) {
        committable.merge(partition, position, Math::max);
      }
    });
  }

  /**
   * Forgets a partition (revoked in a rebalance): its unfinished records will be redelivered elsewhere.
   * Take its committable position first if it should still be committed.
   */
  public void forget(P partition) {
    inFlightByPartition.remove(partition);
    committable.remove(partition);
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
