package org.geohazard.analysis;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The analysis of one image, with the seed's field names on the wire. Sections only some analyses have are null
 * otherwise: {@code change} (a before/after pair), {@code extent} (a mask model drew the flood) and
 * {@code otherSensor} (made with a scene of the same place by the other sensor family).
 */
public record Analysis(
    double landslideProbability,
    double floodProbability,
    RiskLevel landslideRisk,
    RiskLevel floodRisk,
    int landslideCount,
    int floodCount,
    Map<String, Integer> detectionCounts,
    double confidenceScore,
    RiskLevel riskLevel,
    List<AnalyzedDetection> detections,
    double processingTimeMs,
    String modelVersion,
    List<ModelUse> models,
    int imageWidth,
    int imageHeight,
    Georeference georeference,
    int tiles,
    Instant analyzedAt,
    Map<String, HazardEvidence> evidence,
    ChangeSection change,
    AnalysisExtent extent,
    OtherSensorSection otherSensor) {

  /** Where the detections' ground positions come from. */
  public enum Georeference {
    /** The file's own georeferencing (GeoTIFF). */
    EXACT,
    /** The caller's latitude/longitude and ground sample distance. */
    APPROXIMATE,
    /** No ground positions. */
    NONE;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public Analysis {
    detectionCounts = Map.copyOf(detectionCounts);
    detections = List.copyOf(detections);
    models = List.copyOf(models);
    // Insertion order kept (landslide, then flood): the same analysis reads the same on every node.
    evidence = Collections.unmodifiableMap(new LinkedHashMap<>(evidence));
  }

  /** An analysis of a scene alone (no before scene, so no {@code change} section) without a flood extent. */
  public Analysis(double landslideProbability, double floodProbability, RiskLevel landslideRisk, RiskLevel floodRisk,
                  int landslideCount, int floodCount, Map<String, Integer> detectionCounts, double confidenceScore,
                  RiskLevel riskLevel, List<AnalyzedDetection> detections, double processingTimeMs,
                  String modelVersion, List<ModelUse> models, int imageWidth, int imageHeight,
                  Georeference georeference, int tiles, Instant analyzedAt, Map<String, HazardEvidence> evidence) {
    this(landslideProbability, floodProbability, landslideRisk, floodRisk, landslideCount, floodCount,
        detectionCounts, confidenceScore, riskLevel, detections, processingTimeMs, modelVersion, models, imageWidth,
        imageHeight, georeference, tiles, analyzedAt, evidence, null, null, null);
  }

  /** This analysis with the change found against a before scene. */
  public Analysis withChange(ChangeSection section) {
    return new Analysis(landslideProbability, floodProbability, landslideRisk, floodRisk, landslideCount, floodCount,
        detectionCounts, confidenceScore, riskLevel, detections, processingTimeMs, modelVersion, models, imageWidth,
        imageHeight, georeference, tiles, analyzedAt, evidence, section, extent, otherSensor);
  }

  /** This analysis with {@code extent} as its flood extent. */
  public Analysis withExtent(AnalysisExtent extent) {
    return new Analysis(landslideProbability, floodProbability, landslideRisk, floodRisk, landslideCount, floodCount,
        detectionCounts, confidenceScore, riskLevel, detections, processingTimeMs, modelVersion, models, imageWidth,
        imageHeight, georeference, tiles, analyzedAt, evidence, change, extent, otherSensor);
  }

  /** This analysis with what a scene of the same place by the other sensor family saw. */
  public Analysis withOtherSensor(OtherSensorSection section) {
    return new Analysis(landslideProbability, floodProbability, landslideRisk, floodRisk, landslideCount, floodCount,
        detectionCounts, confidenceScore, riskLevel, detections, processingTimeMs, modelVersion, models, imageWidth,
        imageHeight, georeference, tiles, analyzedAt, evidence, change, extent, section);
  }

  /** The flood extent, when a mask model drew one. */
  public Optional<AnalysisExtent> floodExtent() {
    return Optional.ofNullable(extent);
  }

  /** An analysis without an evidence section (stored before the evidence rule existed, or made by hand in tests). */
  public Analysis(double landslideProbability, double floodProbability, RiskLevel landslideRisk, RiskLevel floodRisk,
                  int landslideCount, int floodCount, Map<String, Integer> detectionCounts, double confidenceScore,
                  RiskLevel riskLevel, List<AnalyzedDetection> detections, double processingTimeMs,
                  String modelVersion, List<ModelUse> models, int imageWidth, int imageHeight,
                  Georeference georeference, int tiles, Instant analyzedAt) {
    this(landslideProbability, floodProbability, landslideRisk, floodRisk, landslideCount, floodCount,
        detectionCounts, confidenceScore, riskLevel, detections, processingTimeMs, modelVersion, models, imageWidth,
        imageHeight, georeference, tiles, analyzedAt, Map.of());
  }

  /** The evidence behind one hazard's level, when the hazard was seen (or set aside as permanent water). */
  public Optional<HazardEvidence> evidenceOf(String hazard) {
    return Optional.ofNullable(evidence.get(hazard));
  }

  /** The risk level of one hazard ({@code landslide} or {@code flood}); LOW for anything else. */
  public RiskLevel hazardRisk(String hazard) {
    return switch (hazard) {
      case AnalysisBuilder.LANDSLIDE -> landslideRisk;
      case AnalysisBuilder.FLOOD -> floodRisk;
      default -> RiskLevel.LOW;
    };
  }

  /**
   * Whether every model that made this analysis is among {@code served} (model versions): then the same models
   * would make it again, and it answers a repeated upload. An analysis by a retired model does not. An empty
   * {@code served} (not known yet: no worker heard from) trusts the analysis.
   */
  public boolean madeBy(Collection<String> served) {
    List<String> versions = new ArrayList<>(models.isEmpty() ? List.of(modelVersion)
        : models.stream().map(ModelUse::version).toList());
    if (otherSensor != null) {
      // The other sensor's scene was looked at by models too: another model there would give other corroboration.
      versions.addAll(List.of(otherSensor.modelVersion().split(";")));
    }
    return made(versions, served);
  }

  /**
   * {@link #madeBy} on an analysis as JSON, reading only which models made it: a cached answer is checked on the
   * event loop without decoding its detections.
   */
  public static boolean madeBy(JsonObject analysis, Collection<String> served) {
    JsonArray uses = analysis.getJsonArray("models");
    List<String> versions = new ArrayList<>();
    if (uses == null || uses.isEmpty()) {
      versions.add(analysis.getString("model_version"));
    } else {
      uses.forEach(use -> versions.add(((JsonObject) use).getString("version")));
    }
    JsonObject other = analysis.getJsonObject("other_sensor");
    if (other != null && other.getString("model_version") != null) {
      versions.addAll(List.of(other.getString("model_version").split(";")));
    }
    return made(versions, served);
  }

  private static boolean made(List<String> versions, Collection<String> served) {
    return served.isEmpty() || served.containsAll(versions);
  }

  public JsonObject toJson() {
    JsonObject counts = new JsonObject();
    // Sorted: Map.copyOf iterates in an order that differs from JVM to JVM, and the same analysis must read the
    // same on every node (a redelivered result compared with the first, a cached answer with the stored one).
    new TreeMap<>(detectionCounts).forEach(counts::put);
    JsonArray boxes = new JsonArray();
    detections.forEach(d -> boxes.add(d.toJson()));
    JsonArray modelList = new JsonArray();
    models.forEach(m -> modelList.add(m.toJson()));
    JsonObject json = new JsonObject()
        .put("landslide_probability", AnalyzedDetection.round(landslideProbability, 4))
        .put("flood_probability", AnalyzedDetection.round(floodProbability, 4))
        .put("landslide_risk", landslideRisk.wireName())
        .put("flood_risk", floodRisk.wireName())
        .put("landslide_count", landslideCount)
        .put("flood_count", floodCount)
        .put("detection_counts", counts)
        .put("detections_count", detections.size())
        .put("confidence_score", AnalyzedDetection.round(confidenceScore, 4))
        .put("risk_level", riskLevel.wireName())
        .put("detections", boxes)
        .put("processing_time_ms", AnalyzedDetection.round(processingTimeMs, 2))
        .put("model_version", modelVersion)
        .put("models", modelList)
        .put("image_width", imageWidth)
        .put("image_height", imageHeight)
        .put("georeference", georeference.wireName())
        .put("tiles", tiles)
        .put("analyzed_at", analyzedAt.toString())
        .put("evidence", evidenceJson());
    // Only a pair's analysis has the section: a scene alone reads as before.
    if (change != null) {
      json.put("change", change.toJson());
    }
    if (extent != null) {
      // Only when drawn: documents without one read exactly as before.
      json.put("extent", extent.toJson());
    }
    if (otherSensor != null) {
      json.put("other_sensor", otherSensor.toJson());
    }
    return json;
  }

  private JsonObject evidenceJson() {
    JsonObject json = new JsonObject();
    evidence.forEach((hazard, e) -> json.put(hazard, e.toJson()));
    return json;
  }

  public static Analysis fromJson(JsonObject json) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    JsonObject countJson = json.getJsonObject("detection_counts", new JsonObject());
    for (String name : countJson.fieldNames()) {
      counts.put(name, countJson.getInteger(name));
    }
    Georeference georeference = Georeference.valueOf(
        json.getString("georeference", "none").toUpperCase(Locale.ROOT));
    List<AnalyzedDetection> detections = new ArrayList<>();
    for (Object item : json.getJsonArray("detections", new JsonArray())) {
      detections.add(AnalyzedDetection.fromJson((JsonObject) item, georeference == Georeference.EXACT));
    }
    List<ModelUse> models = new ArrayList<>();
    for (Object item : json.getJsonArray("models", new JsonArray())) {
      models.add(ModelUse.fromJson((JsonObject) item));
    }
    Map<String, HazardEvidence> evidence = new LinkedHashMap<>();
    JsonObject evidenceJson = json.getJsonObject("evidence", new JsonObject());
    for (String hazard : evidenceJson.fieldNames()) {
      evidence.put(hazard, HazardEvidence.fromJson(evidenceJson.getJsonObject(hazard)));
    }
    double landslide = json.getDouble("landslide_probability");
    double flood = json.getDouble("flood_probability");
    return new Analysis(
        landslide,
        flood,
        // Results stored before per-hazard levels existed: the default probability bands.
        json.containsKey("landslide_risk") ? RiskLevel.fromWire(json.getString("landslide_risk"))
            : RiskLevel.forProbability(landslide),
        json.containsKey("flood_risk") ? RiskLevel.fromWire(json.getString("flood_risk"))
            : RiskLevel.forProbability(flood),
        json.getInteger("landslide_count"),
        json.getInteger("flood_count"),
        counts,
        json.getDouble("confidence_score"),
        RiskLevel.fromWire(json.getString("risk_level")),
        detections,
        json.getDouble("processing_time_ms"),
        json.getString("model_version"),
        models,
        json.getInteger("image_width"),
        json.getInteger("image_height"),
        georeference,
        json.getInteger("tiles", 1),
        Instant.parse(json.getString("analyzed_at")),
        evidence,
        json.containsKey("change") ? ChangeSection.fromJson(json.getJsonObject("change")) : null,
        json.getJsonObject("extent") == null ? null : AnalysisExtent.fromJson(json.getJsonObject("extent")),
        json.getJsonObject("other_sensor") == null ? null
            : OtherSensorSection.fromJson(json.getJsonObject("other_sensor")));
  }
}
