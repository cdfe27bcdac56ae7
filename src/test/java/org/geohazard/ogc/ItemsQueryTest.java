package org.geohazard.ogc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ItemsQueryTest {

  private static ItemsQuery parse(OgcCollection collection, Map<String, String> parameters) {
    return ItemsQuery.parse(collection, parameters::get);
  }

  @Test
  void bboxOfFourOrSixNumbersAndItsChecks() {
    assertThat(Bbox.parse("-10.5,20,30,40.25")).isEqualTo(new Bbox(-10.5, 20, 30, 40.25));
    assertThat(Bbox.parse("1,2,-100,3,4,100")).isEqualTo(new Bbox(1, 2, 3, 4));
    for (String bad : new String[] {"1,2,3", "1,2,3,4,5", "a,2,3,4", "1,2,3,", "-181,0,0,1", "0,-91,1,1",
        "0,10,1,5", "NaN,0,1,1", "0,0,Infinity,1"}) {
      assertThatThrownBy(() -> Bbox.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void bboxMeetsEnvelopesEdgesIncludedAndAcrossTheAntimeridian() {
    Bbox box = new Bbox(10, 40, 20, 50);
    assertThat(box.meets(15, 45, 15, 45)).isTrue();
    assertThat(box.meets(20, 50, 20, 50)).as("corner").isTrue();
    assertThat(box.meets(20.0001, 45, 20.0001, 45)).isFalse();
    assertThat(box.meets(5, 45, 10.5, 46)).as("overlapping envelope").isTrue();
    assertThat(box.meets(5, 35, 9, 39)).isFalse();
    Bbox pacific = new Bbox(170, -10, -170, 10);
    assertThat(pacific.crossesAntimeridian()).isTrue();
    assertThat(pacific.meets(175, 0, 175, 0)).isTrue();
    assertThat(pacific.meets(-175, 0, -175, 0)).isTrue();
    assertThat(pacific.meets(0, 0, 0, 0)).isFalse();
    assertThat(Bbox.parse(pacific.toQueryValue())).isEqualTo(pacific);
  }

  @Test
  void datetimeInstantsDatesAndOpenIntervals() {
    Instant at = Instant.parse("2026-12-01T10:00:00Z");
    TimeFilter instant = TimeFilter.parse("2026-12-01T11:00:00+01:00");
    assertThat(instant.start()).isEqualTo(at);
    assertThat(instant.end()).isEqualTo(at);
    TimeFilter day = TimeFilter.parse("2026-12-01");
    assertThat(day.contains(Instant.parse("2026-12-01T00:00:00Z"))).isTrue();
    assertThat(day.contains(Instant.parse("2026-12-01T23:59:59.999Z"))).isTrue();
    assertThat(day.contains(Instant.parse("2026-12-02T00:00:00Z"))).isFalse();
    TimeFilter after = TimeFilter.parse("2026-12-01T10:00:00Z/..");
    assertThat(after.start()).isEqualTo(at);
    assertThat(after.end()).isNull();
    assertThat(TimeFilter.parse("/2026-12-01T10:00:00Z").start()).isNull();
    assertThat(TimeFilter.parse("../2026-12-01T10:00:00Z").end()).isEqualTo(at);
    TimeFilter closed = TimeFilter.parse("2026-11-30T00:00:00Z/2026-12-01T10:00:00Z");
    assertThat(closed.contains(at)).isTrue();
    assertThat(closed.contains(at.plusMillis(1))).isFalse();
    for (String bad : new String[] {"", "..", "yesterday", "2026-12-01T10:00:00", "2026-13-01",
        "2026-12-02T00:00:00Z/2026-12-01T00:00:00Z", "a/b/c", "2026-12-01T10:00:00Z/nope",
        // years java.time takes whose milliseconds overflow a long (an ArithmeticException answered 503 before)
        "+300000000-01-01T00:00:00Z", "../-300000000-01-01T00:00:00Z", "+10000-01-01T00:00:00Z/.."}) {
      assertThatThrownBy(() -> TimeFilter.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void limitDefaultsIsClampedAndPagesByOffset() {
    assertThat(parse(OgcCollection.ALERTS, Map.of()).limit()).isEqualTo(ItemsQuery.DEFAULT_LIMIT);
    assertThat(parse(OgcCollection.ALERTS, Map.of("limit", "5000")).limit()).isEqualTo(ItemsQuery.MAX_LIMIT);
    for (String bad : new String[] {"0", "-1", "ten", "1.5"}) {
      assertThatThrownBy(() -> parse(OgcCollection.ALERTS, Map.of("limit", bad))).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
    }
    assertThatThrownBy(() -> parse(OgcCollection.ALERTS, Map.of("offset", "-1")))
        .isInstanceOf(IllegalArgumentException.class);
    ItemsQuery query = parse(OgcCollection.ALERTS, Map.of("limit", "10", "offset", "20"));
    assertThat(query.nextOffset(10, 31)).isEqualTo(30);
    assertThat(query.nextOffset(10, 30)).as("the last page").isEqualTo(-1);
    assertThat(query.nextOffset(0, 100)).as("an empty page past the end").isEqualTo(-1);
  }

  @Test
  void typeAndSeverityFilterAlertsOnly() {
    ItemsQuery query = parse(OgcCollection.ALERTS, Map.of("type", "flood", "severity", "high"));
    assertThat(query.type()).isEqualTo("flood");
    assertThat(query.severity()).isEqualTo("high");
    assertThatThrownBy(() -> parse(OgcCollection.ALERTS, Map.of("type", "fire")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> parse(OgcCollection.ALERTS, Map.of("severity", "low")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> parse(OgcCollection.DETECTIONS, Map.of("type", "flood")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alerts collection only");
  }

  @Test
  void theNextPageKeepsEveryFilterAndAdvancesTheOffset() {
    Map<String, String> parameters = new HashMap<>();
    parameters.put("bbox", "10,40,20.5,50");
    parameters.put("datetime", "2026-12-01T10:00:00+01:00/..");
    parameters.put("type", "landslide");
    parameters.put("limit", "2");
    ItemsQuery query = parse(OgcCollection.ALERTS, parameters);
    String next = query.queryString(2);
    assertThat(next).isEqualTo("bbox=10,40,20.5,50&datetime=2026-12-01T10%3A00%3A00%2B01%3A00%2F..&type=landslide"
        + "&limit=2&offset=2");
    Map<String, String> decoded = new HashMap<>();
    for (String pair : next.split("&")) {
      String[] nameValue = pair.split("=", 2);
      decoded.put(nameValue[0], java.net.URLDecoder.decode(nameValue[1], java.nio.charset.StandardCharsets.UTF_8));
    }
    ItemsQuery again = parse(OgcCollection.ALERTS, decoded);
    assertThat(again.bbox()).isEqualTo(query.bbox());
    assertThat(again.time().start()).isEqualTo(query.time().start());
    assertThat(again.offset()).isEqualTo(2);
  }
}
