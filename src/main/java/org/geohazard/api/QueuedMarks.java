package org.geohazard.api;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Group commit of the "claim queued" marks: the images whose claims went to Kafka within a short window are marked in
 * one {@code UPDATE ... WHERE id IN (...)} instead of one statement (and one event-bus request) per upload. Nothing
 * waits for a mark: a claim not yet marked is at worst sent once more by the lost-claim sweep, which the idempotent
 * writes absorb, so holding one for a few milliseconds costs nothing but a sweep's chance to skip it. Used on the
 * owning verticle's event loop.
 */
final class QueuedMarks {

  private final Vertx vertx;
  private final long windowMs;
  private final int maxIds;
  private final Consumer<List<String>> mark;
  private List<String> pending = new ArrayList<>();
  private long timer = -1;

  /**
   * @param windowMs how long the first mark of a group waits for company
   * @param maxIds a group this large is marked at once
   * @param mark marks a group (the persistence request; its failure is the sweep's to absorb)
   */
  QueuedMarks(Vertx vertx, long windowMs, int maxIds, Consumer<List<String>> mark) {
    if (windowMs < 1 || maxIds < 1) {
      throw new IllegalArgumentException("windowMs and maxIds must be positive");
    }
    this.vertx = vertx;
    this.windowMs = windowMs;
    this.maxIds = maxIds;
    this.mark = mark;
  }

  void add(String imageId) {
    pending.add(imageId);
    if (pending.size() >= maxIds) {
      flush();
    } else if (timer == -1) {
      timer = vertx.setTimer(windowMs, id -> {
        timer = -1;
        flush();
      });
    }
  }

  /** Marks what is pending now (also on shutdown, so that no mark is left behind). */
  void flush() {
    if (timer != -1) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    if (pending.isEmpty()) {
      return;
    }
    List<String> group = pending;
    pending = new ArrayList<>();
    mark.accept(List.copyOf(group));
  }
}
