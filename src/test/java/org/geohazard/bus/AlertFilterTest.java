package org.geohazard.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.geohazard.analysis.RiskLevel;
import org.junit.jupiter.api.Test;

/** Filters travel to other nodes inside webhook records; what arrives must select the same alerts. */
class AlertFilterTest {

  private static Alert alertAt(double latitude, double longitude, String type, RiskLevel severity) {
    return new Alert("a-1", "i-1", type, severity, latitude, longitude, 5, 0.9, 0.9, "t", "d",
        "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z", 0, 1, null, "active");
  }

  private static <T> T overTheWire(Class<T> type, java.util.function.Function<T, io.vertx.core.json.JsonObject> toJson,
                                   java.util.function.Function<io.vertx.core.json.JsonObject, T> fromJson, T record) {
    Messages.JsonRecordCodec<T> codec = new Messages.JsonRecordCodec<>(type, toJson, fromJson);
    Buffer buffer = Buffer.buffer().appendString("header");
    codec.encodeToWire(buffer, record);
    return codec.decodeFromWire("header".length(), buffer);
  }

  @Test
  void aSubscriptionWithoutAnyFilterCrossesTheWire() {
    // regression: toJson writes radius_km null when there is no centre, and the decoder read that as a number
    WebhookCreate create = new WebhookCreate(7, "https://example.org/hook", "secret", AlertFilter.ALL);
    WebhookCreate received = overTheWire(WebhookCreate.class, WebhookCreate::toJson, WebhookCreate::fromJson, create);
    assertThat(received.filter().latitude()).isNull();
    assertThat(received.filter().accepts(alertAt(10, 10, "flood", RiskLevel.LOW))).isTrue();
    assertThat(received.url()).isEqualTo(create.url());
  }

  @Test
  void circleBoxTypeAndSeveritySurviveTheWireAndStillSelect() {
    AlertFilter circle = new AlertFilter(45.0, 7.0, 20, null, "flood", RiskLevel.HIGH);
    AlertFilter circleBack = overTheWire(AlertFilter.class, AlertFilter::toJson, AlertFilter::fromJson, circle);
    assertThat(circleBack.toJson()).isEqualTo(circle.toJson());
    assertThat(circleBack.accepts(alertAt(45.1, 7.0, "flood", RiskLevel.CRITICAL))).isTrue();
    assertThat(circleBack.accepts(alertAt(45.1, 7.0, "flood", RiskLevel.MEDIUM))).isFalse();
    assertThat(circleBack.accepts(alertAt(45.1, 7.0, "landslide", RiskLevel.CRITICAL))).isFalse();
    assertThat(circleBack.accepts(alertAt(47.0, 7.0, "flood", RiskLevel.CRITICAL))).isFalse();

    // a box across the antimeridian: 170 E to 170 W
    AlertFilter box = new AlertFilter(null, null, 50, new double[] {170, -20, -170, 0}, null, null);
    AlertFilter boxBack = overTheWire(AlertFilter.class, AlertFilter::toJson, AlertFilter::fromJson, box);
    assertThat(boxBack.accepts(alertAt(-10, 179, "landslide", RiskLevel.LOW))).isTrue();
    assertThat(boxBack.accepts(alertAt(-10, -175, "landslide", RiskLevel.LOW))).isTrue();
    assertThat(boxBack.accepts(alertAt(-10, 0, "landslide", RiskLevel.LOW))).isFalse();
  }
}
