package org.geohazard.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.geohazard.analysis.Analysis;
import org.geohazard.analysis.AnalyzedDetection;
import org.geohazard.analysis.Hazard;
import org.geohazard.analysis.HazardEvidence;
import org.geohazard.analysis.ModelUse;
import org.geohazard.analysis.RiskLevel;
import org.geohazard.bus.Alert;
import org.geohazard.bus.AlertState;
import org.geohazard.bus.BatchItem;
import org.geohazard.bus.BatchItemStatus;
import org.geohazard.bus.BatchProgress;
import org.geohazard.bus.Envelope;
import org.geohazard.bus.ImageResult;
import org.geohazard.bus.ImageStatus;
import org.geohazard.bus.ItemError;
import org.geohazard.bus.Location;
import org.geohazard.bus.Priority;
import org.geohazard.geo.GeoFootprint;
import org.geohazard.geo.LonLat;

/**
 * What a record costs on the event bus with the generic codec ({@link Envelope} over {@code RecordJson}: reflection
 * over record components, cached per class, the version in the envelope), for three representative payloads (a flat
 * alert; a result document with its analysis, 12 detections with footprints and an evidence section; a batch of 50
 * items): a wire round trip (encode to the buffer another node receives, decode it), and the encoding alone beside
 * the records' hand-written {@code toJson} (which remains for the REST answers) as the reference.
 *
 * <p>Before the per-record codecs were deleted this benchmark also ran them (their {@code toJson}/{@code fromJson}
 * round trip) and a vertx-service-proxy style local call (to JSON, the JSON codec's copy, and back): see the commit
 * that brought the generic codec and BENCHMARKS.md, "Event-bus codecs".
 *
 * <p>No JMH: after a warm-up, each round runs every case for {@code ROUND_MS} in turn; the figure is the median of
 * the rounds' operations per second. {@code scripts/bus-codec-bench.sh [rounds]}.
 */
public final class BusCodecBenchmark {

  private static final long ROUND_MS = 400;

  private BusCodecBenchmark() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
    Envelope.Codec envelopes = new Envelope.Codec();
    System.out.printf("%-10s %18s %18s %18s %10s%n", "payload", "generic wire rt/s", "generic encode/s",
        "toJson encode/s", "enc ratio");
    report("alert", alert(), Alert::toJson, Alert.class, envelopes, rounds);
    report("result", result(), ImageResult::toJson, ImageResult.class, envelopes, rounds);
    report("batch-50", batch(), BatchProgress::toJson, BatchProgress.class, envelopes, rounds);
  }

  private static <T> void report(String name, T value, Function<T, JsonObject> toJson, Class<T> type,
                                 Envelope.Codec envelopes, int rounds) {
    UnaryOperator<Object> roundTrip = record -> {
      Buffer wire = Buffer.buffer();
      envelopes.encodeToWire(wire, Envelope.of(record));
      return envelopes.decodeFromWire(0, wire).read(type);
    };
    UnaryOperator<Object> genericEncode = record -> {
      Buffer wire = Buffer.buffer();
      envelopes.encodeToWire(wire, Envelope.of(record));
      return wire;
    };
    @SuppressWarnings("unchecked")
    UnaryOperator<Object> handEncode = record -> toJson.apply((T) record).toBuffer();
    if (!toJson.apply(value).equals(toJson.apply(type.cast(roundTrip.apply(value))))) {
      throw new IllegalStateException("the codec changed the record: " + toJson.apply(value).encode());
    }
    List<UnaryOperator<Object>> cases = List.of(roundTrip, genericEncode, handEncode);
    for (UnaryOperator<Object> c : cases) {
      opsPerSecond(c, value, 3 * ROUND_MS); // warm-up
    }
    List<List<Double>> perRound = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (int round = 0; round < rounds; round++) {
      // The cases take turns within each round, so that a burst of load from elsewhere hits all of them.
      for (int c = 0; c < cases.size(); c++) {
        perRound.get(c).add(opsPerSecond(cases.get(c), value, ROUND_MS));
      }
    }
    double wire = Stats.median(perRound.get(0));
    double generic = Stats.median(perRound.get(1));
    double hand = Stats.median(perRound.get(2));
    System.out.printf("%-10s %18.0f %18.0f %18.0f %10.2f%n", name, wire, generic, hand, generic / hand);
  }

  private static double opsPerSecond(UnaryOperator<Object> operation, Object value, long millis) {
    Object sink = null;
    long start = System.nanoTime();
    long end = start + millis * 1_000_000;
    long operations = 0;
    long now;
    do {
      for (int i = 0; i < 16; i++) {
        sink = operation.apply(value);
      }
      operations += 16;
      now = System.nanoTime();
    } while (now < end);
    if (sink == null) {
      throw new IllegalStateException("no result");
    }
    return operations / ((now - start) / 1e9);
  }

  private static Alert alert() {
    return new Alert("7f1c2f8e-6a57-4f0c-9e0c-0b8f2f0d1a11", "c3d2a1b0-1111-4222-8333-944455556666", Hazard.FLOOD,
        RiskLevel.HIGH, 38.1, -0.76, 4.2, 0.82, 0.77, "Flood detected near 38.1, -0.76",
        "A flood was detected in an uploaded satellite image.", "2026-12-07T06:00:00Z", "2026-12-08T06:00:00Z",
        1.7, 3, "2026-12-07T06:30:00Z", AlertState.ACTIVE, new JsonObject().put("level", "high").put("verified", true));
  }

  private static ImageResult result() {
    List<AnalyzedDetection> detections = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      List<LonLat> ring = List.of(new LonLat(-0.76 + i * 1e-3, 38.1), new LonLat(-0.75 + i * 1e-3, 38.1),
          new LonLat(-0.75 + i * 1e-3, 38.11), new LonLat(-0.76 + i * 1e-3, 38.11), new LonLat(-0.76 + i * 1e-3, 38.1));
      detections.add(new AnalyzedDetection(i % 2, i % 2 == 0 ? "landslide" : "flood", 0.5 + i * 0.03,
          10 + i, 20 + i, 110 + i, 140 + i, new GeoFootprint(ring, new LonLat(-0.755, 38.105), 8.9e5, 530, false),
          i % 2));
    }
    Map<String, HazardEvidence> evidence = new LinkedHashMap<>();
    evidence.put("flood", new HazardEvidence(RiskLevel.HIGH, RiskLevel.HIGH, true, true,
        List.of(HazardEvidence.CorroborationSource.INDEPENDENT_VIEW), 0.91, RiskLevel.HIGH, List.of("sen1floods11"),
        0, "verified by the model card", List.of(new HazardEvidence.Sighting("flood-s2", "multispectral", 6, 0.83,
            RiskLevel.HIGH, RiskLevel.HIGH, true)), 0));
    Analysis analysis = new Analysis(0.64, 0.83, RiskLevel.MEDIUM, RiskLevel.HIGH, 6, 6,
        Map.of("landslide", 6, "flood", 6), 0.8, RiskLevel.HIGH, detections, 812.5, "flood-s2+landslide-rgb",
        List.of(new ModelUse("flood-s2", "multispectral", new int[] {2, 3, 4, 8}, 10.0, 1.0),
            new ModelUse("landslide-rgb", "rgb", null, 10.0, 1.0)), 1024, 1024, Analysis.Georeference.APPROXIMATE, 4,
        Instant.parse("2026-12-07T06:00:01Z"), evidence);
    return new ImageResult("c3d2a1b0-1111-4222-8333-944455556666", ImageStatus.COMPLETED,
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "spain.tif", "image/tiff", 4_718_592,
        1024, 1024, Priority.HIGH, new Location(38.1, -0.76), "2026-12-07T06:00:00Z", "2026-12-07T06:00:02Z",
        "2026-12-07T06:00:02Z", 1, null, null, analysis);
  }

  private static BatchProgress batch() {
    List<BatchItem> items = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      items.add(new BatchItem(i, "scene-" + i + ".jpg", i % 10 == 9 ? null : "image-" + i,
          i % 10 == 9 ? BatchItemStatus.REJECTED : BatchItemStatus.COMPLETED,
          i % 10 == 9 ? new ItemError("truncated_image", "the file ends inside its header", "") : null));
    }
    return new BatchProgress("batch-1", 50, 0, 0, 45, 0, 5, true, 1.0, items, "2026-12-07T06:00:00Z", 7L);
  }
}
