package org.geohazard.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.geohazard.bus.UsageCount;
import org.junit.jupiter.api.Test;

class UsageCounterTest {

  @Test
  void countsPerClientEndpointStatusAndHourAndHandsThemOverOnce() {
    UsageCounter counter = new UsageCounter();
    Instant t = Instant.parse("2026-12-01T20:15:00Z");
    counter.count(7L, "key:7", "analyzeSingle", 202, t);
    counter.count(7L, "key:7", "analyzeSingle", 202, t.plusSeconds(60));
    counter.count(7L, "key:7", "analyzeSingle", 202, Instant.parse("2026-12-01T21:00:00Z"));
    counter.count(null, "10.0.0.1", "getResult", 404, t);
    List<UsageCount> drained = counter.drain();
    assertThat(drained).containsExactlyInAnyOrder(
        new UsageCount("2026-12-01T20:00:00Z", 7L, "key:7", "analyzeSingle", 202, 2),
        new UsageCount("2026-12-01T21:00:00Z", 7L, "key:7", "analyzeSingle", 202, 1),
        new UsageCount("2026-12-01T20:00:00Z", null, "10.0.0.1", "getResult", 404, 1));
    assertThat(counter.drain()).isEmpty();
  }

  @Test
  void countsThatCouldNotBeWrittenGoWithTheNextBatch() {
    UsageCounter counter = new UsageCounter();
    Instant t = Instant.parse("2026-12-01T20:15:00Z");
    counter.count(1L, "key:1", "getResult", 200, t);
    List<UsageCount> unsaved = counter.drain();
    counter.count(1L, "key:1", "getResult", 200, t);
    counter.restore(unsaved);
    assertThat(counter.drain()).containsExactly(
        new UsageCount("2026-12-01T20:00:00Z", 1L, "key:1", "getResult", 200, 2));
  }
}
