package org.geohazard.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.geohazard.analysis.Analysis;
import org.geohazard.analysis.AnalyzedDetection;
import org.geohazard.analysis.ModelUse;
import org.geohazard.analysis.RiskLevel;
import org.geohazard.bus.Envelope;
import org.geohazard.bus.Failure;
import org.geohazard.bus.ImageClaim;
import org.geohazard.bus.ImageService;
import org.geohazard.bus.ItemError;
import org.geohazard.bus.Location;
import org.geohazard.bus.Priority;
import org.geohazard.bus.RecordJson;
import org.junit.jupiter.api.Test;

class RecordJsonTest {

  record Nested(String name, Optional<Double> share, OptionalDouble scale, int[] bands) {}

  record Everything(String text, int count, long big, double ratio, boolean flag, Double maybe, Priority priority,
                    List<Nested> items, Map<String, Integer> counts, Instant at, JsonObject extra) {}

  /** What another node receives: encoded, through the wire codec's bytes, and decoded. */
  @SuppressWarnings("unchecked")
  private static <T> T overTheWire(Type type, Object value) {
    Envelope.Codec codec = new Envelope.Codec();
    Buffer wire = Buffer.buffer();
    codec.encodeToWire(wire, Envelope.of(value));
    return (T) codec.decodeFromWire(0, wire).read(type);
  }

  @Test
  void namesFieldsInSnakeCaseAndEnumsByWireName() {
    JsonObject json = (JsonObject) RecordJson.encode(new Location(38.1, -0.76));
    assertThat(json).isEqualTo(new JsonObject().put("latitude", 38.1).put("longitude", -0.76));
    JsonObject item = (JsonObject) RecordJson.encode(new ItemError("truncated_image", "ends early", "r-1"));
    assertThat(item.fieldNames()).containsExactly("code", "message", "request_id");
    assertThat(RecordJson.encode(RiskLevel.CRITICAL)).isEqualTo("critical");
    assertThat(RecordJson.encode(Failure.Code.INVALID_REQUEST)).isEqualTo("invalid_request");
  }

  @Test
  void everyKindOfComponentSurvivesTheWire() {
    Everything sent = new Everything("t", 3, 1L << 40, 0.25, true, null, Priority.HIGH,
        List.of(new Nested("a", Optional.of(0.5), OptionalDouble.of(2), new int[] {2, 3, 4}),
            new Nested("b", Optional.empty(), OptionalDouble.empty(), null)),
        Map.of("flood", 2), Instant.parse("2026-12-07T06:00:00.123Z"), new JsonObject().put("k", new JsonArray().add(1)));
    Everything received = overTheWire(Everything.class, sent);
    assertThat(received).usingRecursiveComparison().ignoringFields("extra").isEqualTo(sent);
    assertThat(received.extra()).isEqualTo(sent.extra());
    assertThat(received.items().get(1).share()).isEmpty();
    assertThat(received.maybe()).isNull();
  }

  @Test
  void anAnalysisReadsBackAsTheSameDocument() {
    Analysis analysis = new Analysis(0.1, 0.9, RiskLevel.LOW, RiskLevel.CRITICAL, 0, 1, Map.of("flood", 1), 0.9,
        RiskLevel.CRITICAL, List.of(new AnalyzedDetection(1, "flood", 0.9, 1, 2, 30, 40, null)), 12.5, "m1",
        List.of(new ModelUse("m1", "rgb", new int[] {1, 2, 3}, 10.0, null)), 64, 64, Analysis.Georeference.NONE, 1,
        Instant.parse("2026-12-07T06:00:00Z"));
    Analysis received = overTheWire(Analysis.class, analysis);
    assertThat(received.toJson()).isEqualTo(analysis.toJson());
  }

  @Test
  void aMissingFieldIsNullOrZeroAndAnUnknownOneIsIgnored() {
    Location read = RecordJson.decode(Location.class, new JsonObject().put("latitude", 1.5).put("altitude", 9));
    assertThat(read).isEqualTo(new Location(1.5, 0));
  }

  @Test
  void aRecordRefusesWhatItsConstructorRefuses() {
    JsonObject claim = new JsonObject().put("image_id", "i").put("sha256", "short").put("object_key", "k");
    assertThatThrownBy(() -> RecordJson.decode(ImageClaim.class, claim)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sha256");
    assertThatThrownBy(() -> RecordJson.decode(Priority.class, "urgent")).hasMessageContaining("unknown Priority 'urgent'");
  }

  @Test
  void callArgumentsAreReadByTheParameterTypes() throws Exception {
    Type[] parameters = ImageService.class.getMethod("renew", String.class, List.class, long.class)
        .getGenericParameterTypes();
    Envelope.Codec codec = new Envelope.Codec();
    Buffer wire = Buffer.buffer();
    codec.encodeToWire(wire, Envelope.of(new Object[] {"node-1", List.of("a", "b"), 30_000L}));
    assertThat(codec.decodeFromWire(0, wire).arguments(parameters))
        .containsExactly("node-1", List.of("a", "b"), 30_000L);
  }

  @Test
  void aPayloadOfAnotherVersionIsRefusedByName() {
    Buffer body = new JsonObject().put("v", Envelope.VERSION + 1).put("body", "x").toBuffer();
    Buffer wire = Buffer.buffer().appendInt(body.length()).appendBuffer(body);
    Envelope received = new Envelope.Codec().decodeFromWire(0, wire);
    assertThatThrownBy(() -> received.read(String.class)).isInstanceOf(Failure.class)
        .hasMessageContaining("version " + (Envelope.VERSION + 1))
        .satisfies(e -> assertThat(((Failure) e).code()).isEqualTo(Failure.Code.INCOMPATIBLE));
  }

  @Test
  void aFailureCrossesTheWireWithItsCodeMessageAndDetails() {
    Envelope.FailureCodec codec = new Envelope.FailureCodec();
    Buffer wire = Buffer.buffer();
    codec.encodeToWire(wire, new Failure(Failure.Code.CONFLICT, "alert a is resolved", new JsonObject().put("id", "a")));
    Failure received = codec.decodeFromWire(0, wire);
    assertThat(received.code()).isEqualTo(Failure.Code.CONFLICT);
    assertThat(received.getMessage()).isEqualTo("alert a is resolved");
    assertThat(received.details()).isEqualTo(new JsonObject().put("id", "a"));
    assertThat(received.operation()).isNull();
  }

  @Test
  void aFailureNamesTheOperationThatFailedOnTheWireAndInLogsButNotInItsMessage() {
    Failure failed = Failure.unavailable("database unavailable; retry later").at("persistence.images.renew");
    Envelope.FailureCodec codec = new Envelope.FailureCodec();
    Buffer wire = Buffer.buffer();
    codec.encodeToWire(wire, failed);
    Failure received = codec.decodeFromWire(0, wire);
    assertThat(received.operation()).isEqualTo("persistence.images.renew");
    // The message is what an HTTP client may see: the operation stays out of it.
    assertThat(received.getMessage()).isEqualTo("database unavailable; retry later");
    assertThat(received.toString()).isEqualTo(
        "Failure[unavailable in persistence.images.renew]: database unavailable; retry later");
    // The innermost operation is kept: a caller re-tagging the failure does not overwrite it.
    assertThat(received.at("persistence.images.start").operation()).isEqualTo("persistence.images.renew");
  }
}
