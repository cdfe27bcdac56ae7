package org.geohazard.analysis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.geohazard.geo.DetectionGeometry;
import org.geohazard.geo.GeoFootprint;
import org.geohazard.geo.PixelGeolocation;
import org.geohazard.inference.Detection;

/**
 * Turns the detector's boxes into the analysis a client reads: per-hazard probabilities, counts,
 * an overall confidence and a risk level.
 *
 * <p>Rules (decided here, documented in the README): a hazard's probability is the highest
 * confidence among its detections (several weak boxes do not add up to a strong one; the detector
 * already scores each region); the risk level follows the larger of the landslide and flood
 * probabilities ({@link RiskLevel#forProbability}); {@code water_body} and {@code vegetation_loss}
 * are reported and counted but do not raise the risk on their own, because permanent water and
 * seasonal vegetation change are not hazards; the confidence score is the mean confidence of the
 * reported detections (0 when there are none).
 */
public final class AnalysisBuilder {

  public static final String LANDSLIDE = "landslide";
  public static final String FLOOD = "flood";

  private final List<String> classNames;
  private final String modelVersion;

  public AnalysisBuilder(List<String> classNames, String modelVersion) {
    this.classNames = List.copyOf(classNames);
    this.modelVersion = modelVersion;
  }

  /** An analysis without ground positions, of an image seen whole. */
  public Analysis build(List<Detection> detections, int imageWidth, int imageHeight,
                        double processingTimeMs, Instant analyzedAt) {
    return build(detections, imageWidth, imageHeight, Optional.empty(), 1, processingTimeMs, analyzedAt);
  }

  /**
   * An analysis whose detections gain footprints through {@code placement} when there is one, of an
   * image seen as {@code tiles} model inputs.
   */
  public Analysis build(List<Detection> detections, int imageWidth, int imageHeight,
                        Optional<? extends PixelGeolocation> placement, int tiles, double processingTimeMs,
                        Instant analyzedAt) {
    double landslide = 0;
    double flood = 0;
    int landslideCount = 0;
    int floodCount = 0;
    double confidenceSum = 0;
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String name : classNames) {
      counts.put(name, 0);
    }
    List<AnalyzedDetection> analyzed = new ArrayList<>(detections.size());
    for (Detection detection : detections) {
      String name = className(detection.classId());
      counts.merge(name, 1, Integer::sum);
      confidenceSum += detection.score();
      if (name.equals(LANDSLIDE)) {
        landslide = Math.max(landslide, detection.score());
        landslideCount++;
      } else if (name.equals(FLOOD)) {
        flood = Math.max(flood, detection.score());
        floodCount++;
      }
      GeoFootprint footprint = placement.map(p -> DetectionGeometry.footprint(detection.x1(), detection.y1(),
          detection.x2(), detection.y2(), p)).orElse(null);
      analyzed.add(new AnalyzedDetection(detection.classId(), name, detection.score(),
          detection.x1(), detection.y1(), detection.x2(), detection.y2(), footprint));
    }
    double confidence = detections.isEmpty() ? 0 : confidenceSum / detections.size();
    RiskLevel risk = RiskLevel.forProbability(Math.max(landslide, flood));
    Analysis.Georeference georeference = placement.isEmpty() ? Analysis.Georeference.NONE
        : placement.get().exact() ? Analysis.Georeference.EXACT : Analysis.Georeference.APPROXIMATE;
    return new Analysis(landslide, flood, landslideCount, floodCount, counts, confidence, risk, analyzed,
        processingTimeMs, modelVersion, imageWidth, imageHeight, georeference, tiles, analyzedAt);
  }

  private String className(int classId) {
    return classId >= 0 && classId < classNames.size() ? classNames.get(classId) : "class_" + classId;
  }
}
