package org.geohazard.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class CacheKeysTest {

  private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

  @Test
  void perImageKeysArePrefixedByWhatTheyHold() {
    assertThat(CacheKeys.analysis(SHA)).isEqualTo("analysis:" + SHA);
    assertThat(CacheKeys.result("img-1")).isEqualTo("result:img-1");
    assertThat(CacheKeys.progress("img-1")).isEqualTo("progress:img-1");
    assertThat(CacheKeys.rateWindow("key-7", 29_123_456L)).isEqualTo("ratelimit:key-7:29123456");
  }

  @Test
  void oneImageIdGivesDistinctKeysPerKindOfEntry() {
    assertThat(CacheKeys.result("x")).isNotEqualTo(CacheKeys.progress("x")).isNotEqualTo(CacheKeys.analysis("x"));
  }

  @Test
  void activeAlertQueriesWithinAboutAMetreShareAnEntry() {
    String key = CacheKeys.activeAlerts(3, 46.000001, 7.5, 25, 100);
    assertThat(key).isEqualTo("alerts:active:3:46.00000:7.50000:25.000:100");
    assertThat(CacheKeys.activeAlerts(3, 46.0000049, 7.5000001, 25.0001, 100)).isEqualTo(key);
    assertThat(CacheKeys.activeAlerts(3, 46.00002, 7.5, 25, 100)).isNotEqualTo(key);
  }

  @Test
  void aNewAlertGenerationMakesEveryCachedQueryAMiss() {
    assertThat(CacheKeys.activeAlerts(4, 46, 7.5, 25, 100)).isNotEqualTo(CacheKeys.activeAlerts(3, 46, 7.5, 25, 100));
    assertThat(CacheKeys.ALERTS_GENERATION).isEqualTo("alerts:generation")
        .doesNotStartWith("alerts:active:");
  }

  @Test
  void alertKeysDoNotDependOnTheDefaultLocale() {
    Locale before = Locale.getDefault();
    try {
      Locale.setDefault(Locale.GERMANY); // a decimal comma would give another key on every German-configured node
      assertThat(CacheKeys.activeAlerts(1, -33.5, 151.25, 10, 20)).isEqualTo("alerts:active:1:-33.50000:151.25000:10.000:20");
    } finally {
      Locale.setDefault(before);
    }
  }
}
