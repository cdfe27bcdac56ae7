package org.geohazard.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.geohazard.analysis.Hazard;
import org.geohazard.analysis.RiskLevel;
import org.geohazard.bus.Alert;
import org.geohazard.bus.AlertFilter;
import org.geohazard.bus.AlertState;
import org.geohazard.bus.Envelope;
import org.junit.jupiter.api.Test;

/** Filters travel to other nodes with their webhooks; what arrives must select the same alerts. */
class AlertFilterTest {

  private static Alert alertAt(double latitude, double longitude, Hazard type, RiskLevel severity) {
    return new Alert("a-1", "i-1", type, severity, latitude, longitude, 5, 0.9, 0.9, "t", "d",
        "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z", 0, 1, null, AlertState.ACTIVE);
  }

  private static <T> T overTheWire(Class<T> type, T record) {
    Envelope.Codec codec = new Envelope.Codec();
    Buffer buffer = Buffer.buffer().appendString("header");
    codec.encodeToWire(buffer, Envelope.of(record));
    return codec.decodeFromWire("header".length(), buffer).read(type);
  }

  @Test
  void aSubscriptionWithoutAnyFilterCrossesTheWire() {
    // regression: a filter without a centre has no radius to read back as a number
    AlertFilter received = overTheWire(AlertFilter.class, AlertFilter.ALL);
    assertThat(received.latitude()).isNull();
    assertThat(received.accepts(alertAt(10, 10, Hazard.FLOOD, RiskLevel.LOW))).isTrue();
  }

  @Test
  void circleBoxTypeAndSeveritySurviveTheWireAndStillSelect() {
    AlertFilter circle = new AlertFilter(45.0, 7.0, 20, null, Hazard.FLOOD, RiskLevel.HIGH);
    AlertFilter circleBack = overTheWire(AlertFilter.class, circle);
    assertThat(circleBack.toJson()).isEqualTo(circle.toJson());
    assertThat(circleBack.accepts(alertAt(45.1, 7.0, Hazard.FLOOD, RiskLevel.CRITICAL))).isTrue();
    assertThat(circleBack.accepts(alertAt(45.1, 7.0, Hazard.FLOOD, RiskLevel.MEDIUM))).isFalse();
    assertThat(circleBack.accepts(alertAt(45.1, 7.0, Hazard.LANDSLIDE, RiskLevel.CRITICAL))).isFalse();
    assertThat(circleBack.accepts(alertAt(47.0, 7.0, Hazard.FLOOD, RiskLevel.CRITICAL))).isFalse();

    // a box across the antimeridian: 170 E to 170 W
    AlertFilter box = new AlertFilter(null, null, 50, new double[] {170, -20, -170, 0}, null, null);
    AlertFilter boxBack = overTheWire(AlertFilter.class, box);
    assertThat(boxBack.accepts(alertAt(-10, 179, Hazard.LANDSLIDE, RiskLevel.LOW))).isTrue();
    assertThat(boxBack.accepts(alertAt(-10, -175, Hazard.LANDSLIDE, RiskLevel.LOW))).isTrue();
    assertThat(boxBack.accepts(alertAt(-10, 0, Hazard.LANDSLIDE, RiskLevel.LOW))).isFalse();
  }
}
