package org.geohazard.analysis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.geohazard.detection.Detection;
import org.geohazard.detection.HazardThresholds;
import org.geohazard.geo.DetectionGeometry;
import org.geohazard.geo.GeoFootprint;
import org.geohazard.geo.PixelGeolocation;

/**
 * Turns the boxes of the models that looked at an image into the analysis a client reads: per-hazard
 * probabilities and risk levels, counts, an overall confidence and a risk level.
 *
 * <p>Rules (decided here, documented in the README): a hazard's probability is the highest confidence
 * among its detections from any model (several weak boxes do not add up to a strong one; the detector
 * already scores each region). A detection's risk level comes from its model's calibrated thresholds
 * for that class ({@link HazardThresholds}: the lowest score at which validation images reached the
 * wanted precision for medium, high, critical), or from the default probability bands
 * ({@link RiskLevel#forProbability}) for a class the model did not calibrate; a hazard's level is the
 * highest among its detections, and the image's risk the higher of landslide and flood.
 * {@code water_body} and {@code vegetation_loss} are reported and counted but do not raise the risk on
 * their own, because permanent water and seasonal vegetation change are not hazards. The confidence
 * score is the mean confidence of the reported detections (0 when there are none).
 */
public final class AnalysisBuilder {

  public static final String LANDSLIDE = "landslide";
  public static final String FLOOD = "flood";
  /** Counted in every analysis, whichever models ran (the seed's classes). */
  public static final List<String> SEED_CLASSES = List.of(LANDSLIDE, FLOOD, "water_body", "vegetation_loss");

  /** What one model found, with what the result should say about how it looked. */
  public record ModelDetections(ModelUse use, List<String> classNames, HazardThresholds thresholds,
                                List<Detection> detections) {
    public ModelDetections {
      classNames = List.copyOf(classNames);
      detections = List.copyOf(detections);
    }

    String className(int classId) {
      return classId >= 0 && classId < classNames.size() ? classNames.get(classId) : "class_" + classId;
    }
  }

  private final List<String> classNames;
  private final String modelVersion;

  /** A builder for one uncalibrated model seeing images whole (tests, benchmarks, the CLI paths). */
  public AnalysisBuilder(List<String> classNames, String modelVersion) {
    this.classNames = List.copyOf(classNames);
    this.modelVersion = modelVersion;
  }

  public AnalysisBuilder() {
    this(SEED_CLASSES, "");
  }

  /** An analysis of one model's detections, without ground positions, of an image seen whole. */
  public Analysis build(List<Detection> detections, int imageWidth, int imageHeight,
                        double processingTimeMs, Instant analyzedAt) {
    return build(detections, imageWidth, imageHeight, Optional.empty(), 1, processingTimeMs, analyzedAt);
  }

  /** An analysis of one model's detections, placed through {@code placement} when there is one. */
  public Analysis build(List<Detection> detections, int imageWidth, int imageHeight,
                        Optional<? extends PixelGeolocation> placement, int tiles, double processingTimeMs,
                        Instant analyzedAt) {
    ModelDetections only = new ModelDetections(new ModelUse(modelVersion, "rgb", null, null, null), classNames,
        HazardThresholds.NONE, detections);
    return buildFrom(List.of(only), imageWidth, imageHeight, placement, tiles, processingTimeMs, analyzedAt);
  }

  /** An analysis of what every model that looked at the image found. */
  public Analysis buildFrom(List<ModelDetections> models, int imageWidth, int imageHeight,
                        Optional<? extends PixelGeolocation> placement, int tiles, double processingTimeMs,
                        Instant analyzedAt) {
    double landslide = 0;
    double flood = 0;
    RiskLevel landslideRisk = RiskLevel.LOW;
    RiskLevel floodRisk = RiskLevel.LOW;
    int landslideCount = 0;
    int floodCount = 0;
    double confidenceSum = 0;
    int detectionCount = 0;
    Map<String, Integer> counts = new LinkedHashMap<>();
    SEED_CLASSES.forEach(name -> counts.put(name, 0));
    List<AnalyzedDetection> analyzed = new ArrayList<>();
    List<ModelUse> uses = new ArrayList<>(models.size());
    for (int m = 0; m < models.size(); m++) {
      ModelDetections model = models.get(m);
      uses.add(model.use());
      model.classNames().forEach(name -> counts.putIfAbsent(name, 0));
      for (Detection detection : model.detections()) {
        String name = model.className(detection.classId());
        counts.merge(name, 1, Integer::sum);
        confidenceSum += detection.score();
        detectionCount++;
        RiskLevel level = level(model.thresholds(), name, detection.score());
        if (name.equals(LANDSLIDE)) {
          landslide = Math.max(landslide, detection.score());
          landslideRisk = max(landslideRisk, level);
          landslideCount++;
        } else if (name.equals(FLOOD)) {
          flood = Math.max(flood, detection.score());
          floodRisk = max(floodRisk, level);
          floodCount++;
        }
        GeoFootprint footprint = placement.map(p -> DetectionGeometry.footprint(detection.x1(), detection.y1(),
            detection.x2(), detection.y2(), p)).orElse(null);
        analyzed.add(new AnalyzedDetection(detection.classId(), name, detection.score(),
            detection.x1(), detection.y1(), detection.x2(), detection.y2(), footprint, m));
      }
    }
    // Highest confidence first, whichever model found it (the order the contract promises).
    analyzed.sort(java.util.Comparator.comparingDouble(AnalyzedDetection::confidence).reversed());
    double confidence = detectionCount == 0 ? 0 : confidenceSum / detectionCount;
    Analysis.Georeference georeference = placement.isEmpty() ? Analysis.Georeference.NONE
        : placement.get().exact() ? Analysis.Georeference.EXACT : Analysis.Georeference.APPROXIMATE;
    return new Analysis(landslide, flood, landslideRisk, floodRisk, landslideCount, floodCount, counts, confidence,
        max(landslideRisk, floodRisk), analyzed, processingTimeMs, joinedVersion(uses), uses, imageWidth,
        imageHeight, georeference, tiles, analyzedAt);
  }

  /** The risk level one detection of {@code className} with {@code score} stands for under {@code thresholds}. */
  static RiskLevel level(HazardThresholds thresholds, String className, double score) {
    return thresholds.of(className).map(t -> {
      RiskLevel level = RiskLevel.LOW;
      if (t.medium().isPresent() && score >= t.medium().getAsDouble()) {
        level = RiskLevel.MEDIUM;
      }
      if (t.high().isPresent() && score >= t.high().getAsDouble()) {
        level = RiskLevel.HIGH;
      }
      if (t.critical().isPresent() && score >= t.critical().getAsDouble()) {
        level = RiskLevel.CRITICAL;
      }
      return level;
    }).orElseGet(() -> RiskLevel.forProbability(score));
  }

  /** One version string per result (predictions are unique per image and version): the models', joined. */
  static String joinedVersion(List<ModelUse> uses) {
    return String.join(";", uses.stream().map(ModelUse::version).toList());
  }

  private static RiskLevel max(RiskLevel a, RiskLevel b) {
    return a.atLeast(b) ? a : b;
  }
}
