package org.geohazard.analysis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import org.geohazard.detection.Detection;
import org.geohazard.detection.HazardThresholds;
import org.geohazard.detection.SceneView;
import org.geohazard.geo.DetectionGeometry;
import org.geohazard.geo.GeoFootprint;
import org.geohazard.geo.LandMask;
import org.geohazard.geo.PixelGeolocation;

/**
 * Turns the boxes of the models that looked at an image into the analysis a client reads: per-hazard
 * probabilities and risk levels, counts, an overall confidence and a risk level, and the evidence behind each
 * hazard's level.
 *
 * <p>Rules (decided here, documented in the README):
 * <ul>
 *   <li><b>Scores to levels.</b> A detection's level comes from its model's calibrated thresholds for that class
 *       ({@link HazardThresholds}: the lowest score at which validation images reached the wanted precision for
 *       medium, high, critical), or from the default probability bands ({@link RiskLevel#forProbability}) for a
 *       class the model did not calibrate.</li>
 *   <li><b>Permanent water is not a flood.</b> A flood box with a ground footprint of which less than
 *       {@link #MIN_LAND_SHARE} lies on land ({@link LandMask}: Natural Earth's coastlines) is the sea: it is set
 *       aside (not counted, not returned, no risk), and the hazard's evidence counts it in
 *       {@code permanent_water_excluded}.</li>
 *   <li><b>Risk from evidence.</b> A level above medium needs real-label evidence ({@link ModelEvidence}: the
 *       model's pooled real precision at that level reaches its target) or corroboration; without either it is
 *       capped ({@link ModelEvidence#cap}: to the highest supported level below it, at most medium) and shown as
 *       unverified. Corroboration: a detection of the same hazard by a model of another view of the same image
 *       (e.g. the SWIR/NIR/green flood model and the natural-colour model on one Sentinel-2 stack), itself at least
 *       medium by its own thresholds, whose box overlaps this one by at least {@link #CORROBORATING_OVERLAP} of
 *       the smaller box ({@link HazardEvidence.CorroborationSource#INDEPENDENT_VIEW}); or a {@link Corroboration}
 *       given by the caller overlapping it the same way: a change rule
 *       ({@link HazardEvidence.CorroborationSource#CHANGE_RULE}), or a box of a scene of the same place by the other
 *       sensor family ({@link HazardEvidence.CorroborationSource#OTHER_SENSOR}: any box it reports, as measured;
 *       never for a natural-colour model's box, which the measurement did not cover).
 *       A corroborated detection keeps the level its scores gave, up to the highest level its corroborations
 *       vouch for ({@link Corroboration#upTo}: critical, except the other sensor's scene, whose measured precision
 *       meets the target at high but not at critical).</li>
 *   <li>A hazard's probability is the highest confidence among its detections from any model (several weak boxes
 *       do not add up to a strong one); its level the highest among its detections after the rules above; the
 *       image's risk the higher of landslide and flood. {@code water_body} and {@code vegetation_loss} are
 *       reported and counted but do not raise the risk on their own. The confidence score is the mean confidence
 *       of the reported detections (0 when there are none).</li>
 * </ul>
 */
public final class AnalysisBuilder {

  public static final String LANDSLIDE = "landslide";
  public static final String FLOOD = "flood";
  /** Counted in every analysis, whichever models ran (the seed's classes). */
  public static final List<String> SEED_CLASSES = List.of(LANDSLIDE, FLOOD, "water_body", "vegetation_loss");
  /** A flood box with less of its footprint on land than this is over the sea: permanent water. */
  public static final double MIN_LAND_SHARE = 0.5;
  /** Overlap (intersection over the smaller box) at which another view's box corroborates a detection. */
  public static final double CORROBORATING_OVERLAP = 0.5;
  /**
   * A flood box with at least this share of its pixels water in the before scene of a pair is permanent water (a
   * lake, a river, the sea seen twice): set aside like the sea.
   */
  public static final double MIN_WATER_BEFORE_SHARE = 0.9;

  /** What one model found, with what the result should say about how it looked and what backs its levels. */
  public record ModelDetections(ModelUse use, List<String> classNames, HazardThresholds thresholds,
                                ModelEvidence evidence, List<Detection> detections) {
    public ModelDetections {
      classNames = List.copyOf(classNames);
      detections = List.copyOf(detections);
      evidence = evidence == null ? ModelEvidence.NONE : evidence;
    }

    /** A model with no real-label evidence (no card). */
    public ModelDetections(ModelUse use, List<String> classNames, HazardThresholds thresholds,
                           List<Detection> detections) {
      this(use, classNames, thresholds, ModelEvidence.NONE, detections);
    }

    String className(int classId) {
      return classId >= 0 && classId < classNames.size() ? classNames.get(classId) : "class_" + classId;
    }
  }

  /**
   * Something other than the models' real-label evidence that confirms a hazard over a box of the image (pixels of
   * the original image): the hook through which change rules (before/after scenes) corroborate a detection.
   */
  public record Corroboration(String hazard, double x1, double y1, double x2, double y2,
                              HazardEvidence.CorroborationSource source, RiskLevel upTo) {

    /** A corroboration that lets a box keep whatever level its score gave. */
    public Corroboration(String hazard, double x1, double y1, double x2, double y2,
                         HazardEvidence.CorroborationSource source) {
      this(hazard, x1, y1, x2, y2, source, RiskLevel.CRITICAL);
    }
  }

  private final List<String> classNames;
  private final String modelVersion;
  /** The share of a footprint on land; null: no permanent-water check (tests of other rules). */
  private final ToDoubleFunction<GeoFootprint> landShare;

  /** A builder for one uncalibrated model seeing images whole (tests, benchmarks, the CLI paths). */
  public AnalysisBuilder(List<String> classNames, String modelVersion) {
    this(classNames, modelVersion, footprint -> LandMask.naturalEarth().landShare(footprint));
  }

  /** As above, with {@code landShare} in place of Natural Earth's land (null: no permanent-water check). */
  public AnalysisBuilder(List<String> classNames, String modelVersion, ToDoubleFunction<GeoFootprint> landShare) {
    this.classNames = List.copyOf(classNames);
    this.modelVersion = modelVersion;
    this.landShare = landShare;
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
    return buildFrom(models, List.of(), imageWidth, imageHeight, placement, tiles, processingTimeMs, analyzedAt);
  }

  /** One detection on its way into the analysis: its level before and after the evidence rule. */
  private static final class Candidate {
    final int model;
    final Detection detection;
    final String name;
    final GeoFootprint footprint;
    final RiskLevel levelBeforeCap;
    RiskLevel level;
    boolean verified;
    final EnumSet<HazardEvidence.CorroborationSource> corroboratedBy =
        EnumSet.noneOf(HazardEvidence.CorroborationSource.class);
    /** The highest level the corroborations found let the box keep. */
    RiskLevel corroboratedUpTo = RiskLevel.LOW;

    Candidate(int model, Detection detection, String name, GeoFootprint footprint, RiskLevel levelBeforeCap) {
      this.model = model;
      this.detection = detection;
      this.name = name;
      this.footprint = footprint;
      this.levelBeforeCap = levelBeforeCap;
    }

    boolean hazard() {
      return name.equals(LANDSLIDE) || name.equals(FLOOD);
    }
  }

  /** An analysis of what every model found, with {@code corroborations} from outside the models (change rules). */
  public Analysis buildFrom(List<ModelDetections> models, List<Corroboration> corroborations, int imageWidth,
                            int imageHeight, Optional<? extends PixelGeolocation> placement, int tiles,
                            double processingTimeMs, Instant analyzedAt) {
    return buildFrom(models, corroborations, null, imageWidth, imageHeight, placement, tiles, processingTimeMs,
        analyzedAt);
  }

  /**
   * As above, for a scene with a before scene: {@code waterBeforeShare} gives the share of a box (pixels of this
   * image) that was water in the before scene; a flood box at {@link #MIN_WATER_BEFORE_SHARE} or more is permanent
   * water, set aside and counted in the evidence (null: no before scene).
   */
  public Analysis buildFrom(List<ModelDetections> models, List<Corroboration> corroborations,
                            ToDoubleFunction<Detection> waterBeforeShare, int imageWidth, int imageHeight,
                            Optional<? extends PixelGeolocation> placement, int tiles, double processingTimeMs,
                            Instant analyzedAt) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    SEED_CLASSES.forEach(name -> counts.put(name, 0));
    List<ModelUse> uses = new ArrayList<>(models.size());
    List<Candidate> candidates = new ArrayList<>();
    int permanentWater = 0;
    int waterBefore = 0;
    for (int m = 0; m < models.size(); m++) {
      ModelDetections model = models.get(m);
      uses.add(model.use());
      model.classNames().forEach(name -> counts.putIfAbsent(name, 0));
      for (Detection detection : model.detections()) {
        String name = model.className(detection.classId());
        GeoFootprint footprint = placement.map(p -> DetectionGeometry.footprint(detection.x1(), detection.y1(),
            detection.x2(), detection.y2(), p)).orElse(null);
        if (name.equals(FLOOD) && footprint != null && landShare != null
            && landShare.applyAsDouble(footprint) < MIN_LAND_SHARE) {
          permanentWater++;
          continue;
        }
        if (name.equals(FLOOD) && waterBeforeShare != null
            && waterBeforeShare.applyAsDouble(detection) >= MIN_WATER_BEFORE_SHARE) {
          waterBefore++;
          continue;
        }
        candidates.add(new Candidate(m, detection, name, footprint, level(model.thresholds(), name, detection.score())));
      }
    }
    for (Candidate c : candidates) {
      if (!c.hazard()) {
        c.level = c.levelBeforeCap;
        continue;
      }
      ModelEvidence evidence = models.get(c.model).evidence();
      c.verified = c.levelBeforeCap.atLeast(RiskLevel.MEDIUM) && evidence.supports(c.name, c.levelBeforeCap);
      String view = models.get(c.model).use().view();
      for (Candidate other : candidates) {
        if (other.name.equals(c.name) && !Objects.equals(models.get(other.model).use().view(), view)
            && other.levelBeforeCap.atLeast(RiskLevel.MEDIUM)
            && overlap(c.detection, other.detection.x1(), other.detection.y1(), other.detection.x2(),
                other.detection.y2()) >= CORROBORATING_OVERLAP) {
          c.corroboratedBy.add(HazardEvidence.CorroborationSource.INDEPENDENT_VIEW);
          c.corroboratedUpTo = RiskLevel.CRITICAL;
        }
      }
      // The other-sensor rule was measured for the multispectral and radar models only: natural colour, which
      // calls bare soil flood, gains nothing from it.
      for (Corroboration outside : corroborations) {
        if (outside.source() == HazardEvidence.CorroborationSource.OTHER_SENSOR
            && SceneView.fromMetadata(view).isColour()) {
          continue;
        }
        if (outside.hazard().equals(c.name)
            && overlap(c.detection, outside.x1(), outside.y1(), outside.x2(), outside.y2()) >= CORROBORATING_OVERLAP) {
          c.corroboratedBy.add(outside.source());
          c.corroboratedUpTo = max(c.corroboratedUpTo, outside.upTo());
        }
      }
      RiskLevel capped = evidence.cap(c.name, c.levelBeforeCap);
      c.level = c.corroboratedBy.isEmpty() ? capped
          : max(capped, c.levelBeforeCap.atLeast(c.corroboratedUpTo) ? c.corroboratedUpTo : c.levelBeforeCap);
    }

    double landslide = 0;
    double flood = 0;
    RiskLevel landslideRisk = RiskLevel.LOW;
    RiskLevel floodRisk = RiskLevel.LOW;
    int landslideCount = 0;
    int floodCount = 0;
    double confidenceSum = 0;
    List<AnalyzedDetection> analyzed = new ArrayList<>(candidates.size());
    for (Candidate c : candidates) {
      Detection detection = c.detection;
      counts.merge(c.name, 1, Integer::sum);
      confidenceSum += detection.score();
      if (c.name.equals(LANDSLIDE)) {
        landslide = Math.max(landslide, detection.score());
        landslideRisk = max(landslideRisk, c.level);
        landslideCount++;
      } else if (c.name.equals(FLOOD)) {
        flood = Math.max(flood, detection.score());
        floodRisk = max(floodRisk, c.level);
        floodCount++;
      }
      analyzed.add(new AnalyzedDetection(detection.classId(), c.name, detection.score(),
          detection.x1(), detection.y1(), detection.x2(), detection.y2(), c.footprint, c.model));
    }
    Map<String, HazardEvidence> evidence = new LinkedHashMap<>();
    for (String hazard : List.of(LANDSLIDE, FLOOD)) {
      List<Candidate> seen = candidates.stream().filter(c -> c.name.equals(hazard)).toList();
      int excluded = hazard.equals(FLOOD) ? permanentWater : 0;
      int excludedBefore = hazard.equals(FLOOD) ? waterBefore : 0;
      if (!seen.isEmpty() || excluded + excludedBefore > 0) {
        evidence.put(hazard, evidenceOf(hazard, seen, models, excluded, excludedBefore));
      }
    }
    // Highest confidence first, whichever model found it (the order the contract promises); equal confidences by
    // place, model and class, so that the same scene always reads the same (windows finish in any order).
    analyzed.sort(Comparator.comparingDouble(AnalyzedDetection::confidence).reversed()
        .thenComparingDouble(AnalyzedDetection::y1).thenComparingDouble(AnalyzedDetection::x1)
        .thenComparingInt(AnalyzedDetection::model).thenComparingInt(AnalyzedDetection::classId)
        .thenComparingDouble(AnalyzedDetection::y2).thenComparingDouble(AnalyzedDetection::x2));
    double confidence = candidates.isEmpty() ? 0 : confidenceSum / candidates.size();
    Analysis.Georeference georeference = placement.isEmpty() ? Analysis.Georeference.NONE
        : placement.get().exact() ? Analysis.Georeference.EXACT : Analysis.Georeference.APPROXIMATE;
    return new Analysis(landslide, flood, landslideRisk, floodRisk, landslideCount, floodCount, counts, confidence,
        max(landslideRisk, floodRisk), analyzed, processingTimeMs, joinedVersion(uses), uses, imageWidth,
        imageHeight, georeference, tiles, analyzedAt, evidence);
  }

  /** The evidence section of one hazard from its detections ({@code seen}, possibly none). */
  private static HazardEvidence evidenceOf(String hazard, List<Candidate> seen, List<ModelDetections> models,
                                           int seaExcluded, int waterBeforeExcluded) {
    int permanentWaterExcluded = seaExcluded + waterBeforeExcluded;
    RiskLevel before = RiskLevel.LOW;
    RiskLevel level = RiskLevel.LOW;
    for (Candidate c : seen) {
      before = max(before, c.levelBeforeCap);
      level = max(level, c.level);
    }
    // The detection that gives the hazard its level: a verified one first, then a corroborated one, then the best.
    RiskLevel reached = level;
    Optional<Candidate> deciding = seen.stream().filter(c -> c.level == reached)
        .max(Comparator.<Candidate>comparingInt(c -> c.verified ? 2 : c.corroboratedBy.isEmpty() ? 0 : 1)
            .thenComparingDouble(c -> c.detection.score()));
    boolean verified = deciding.map(c -> c.verified && c.levelBeforeCap == c.level).orElse(false);
    EnumSet<HazardEvidence.CorroborationSource> sources = EnumSet.noneOf(HazardEvidence.CorroborationSource.class);
    deciding.ifPresent(c -> sources.addAll(c.corroboratedBy));
    Optional<ModelEvidence.LevelEvidence> measured = deciding.filter(c -> reached.atLeast(RiskLevel.MEDIUM))
        .flatMap(c -> models.get(c.model).evidence().at(hazard, reached));
    List<HazardEvidence.Sighting> sightings = new ArrayList<>();
    for (int m = 0; m < models.size(); m++) {
      int model = m;
      List<Candidate> mine = seen.stream().filter(c -> c.model == model).toList();
      if (mine.isEmpty()) {
        continue;
      }
      RiskLevel mineBefore = mine.stream().map(c -> c.levelBeforeCap).reduce(RiskLevel.LOW, AnalysisBuilder::max);
      RiskLevel mineAfter = mine.stream().map(c -> c.level).reduce(RiskLevel.LOW, AnalysisBuilder::max);
      double best = mine.stream().mapToDouble(c -> c.detection.score()).max().orElse(0);
      ModelUse use = models.get(m).use();
      sightings.add(new HazardEvidence.Sighting(use.version(), use.view(), mine.size(), best, mineBefore, mineAfter,
          mineBefore.atLeast(RiskLevel.MEDIUM) && models.get(m).evidence().supports(hazard, mineBefore)));
    }
    String reason = reason(hazard, before, level, verified, sources, deciding, models, measured, seaExcluded,
        waterBeforeExcluded);
    return new HazardEvidence(before, level, verified, !sources.isEmpty(), new ArrayList<>(sources),
        measured.map(ModelEvidence.LevelEvidence::precision).filter(p -> !p.isNaN()).orElse(null),
        measured.isPresent() ? reached : null, measured.map(ModelEvidence.LevelEvidence::sets).orElse(List.of()),
        measured.map(ModelEvidence.LevelEvidence::flagged).orElse(0), reason, sightings, permanentWaterExcluded);
  }

  /** The line the dashboard and the alert show beside the level. */
  private static String reason(String hazard, RiskLevel before, RiskLevel level, boolean verified,
                               EnumSet<HazardEvidence.CorroborationSource> sources, Optional<Candidate> deciding,
                               List<ModelDetections> models, Optional<ModelEvidence.LevelEvidence> measured,
                               int seaExcluded, int waterBeforeExcluded) {
    String water = seaExcluded == 0 ? "" : String.format(Locale.ROOT,
        "%s%d box(es) over the sea set aside as permanent water", deciding.isPresent() ? "; " : "", seaExcluded);
    if (waterBeforeExcluded > 0) {
      water += String.format(Locale.ROOT, "%s%d box(es) on water already there in the before scene set aside as"
          + " permanent water", deciding.isPresent() || seaExcluded > 0 ? "; " : "", waterBeforeExcluded);
    }
    if (deciding.isEmpty()) {
      return water;
    }
    Candidate c = deciding.get();
    ModelDetections model = models.get(c.model);
    String view = viewName(model.use().view());
    if (level == RiskLevel.LOW) {
      return "below medium" + water;
    }
    if (!sources.isEmpty() && !verified) {
      return (level.compareTo(before) < 0 ? "capped from " + before.wireName() + ": " : "")
          + level.wireName() + " by corroboration (" + String.join(", ", sources.stream()
          .map(s -> switch (s) {
            case INDEPENDENT_VIEW -> "another view of the scene reports " + hazard + " at the same place";
            case CHANGE_RULE -> "a change rule confirms it";
            case OTHER_SENSOR -> "a scene of the same place by the other sensor reports " + hazard + " there";
          })
          .toList()) + "), not by real-label evidence of the " + view + " model" + water;
    }
    if (verified) {
      return "verified: real-label precision " + measured.map(AnalysisBuilder::measurement).orElse("?") + water;
    }
    String why = model.evidence().at(hazard, before).map(e -> "real-label precision " + measurement(e)
            + " at " + before.wireName() + ", target " + ModelEvidence.TARGETS.get(before)
            + (e.flagged() < ModelEvidence.MIN_FLAGGED ? ", fewer than " + ModelEvidence.MIN_FLAGGED + " images" : ""))
        .orElse("no real-label evidence for this model");
    return (level.compareTo(before) < 0 ? "capped from " + before.wireName() + ": " : "")
        + "unverified " + view + " (" + why + ")" + water;
  }

  private static String measurement(ModelEvidence.LevelEvidence e) {
    return String.format(Locale.ROOT, "%.2f on %s (%d images flagged)", e.precision(), String.join(" + ", e.sets()),
        e.flagged());
  }

  private static String viewName(String view) {
    return switch (view == null ? "" : view) {
      case "rgb" -> "natural colour";
      case "swir_nir_green" -> "SWIR/NIR/green";
      default -> view == null ? "unknown view" : view;
    };
  }

  /** Intersection of the detection's box with (x1, y1, x2, y2), over the smaller of the two boxes' areas. */
  static double overlap(Detection d, double x1, double y1, double x2, double y2) {
    double w = Math.min(d.x2(), x2) - Math.max(d.x1(), x1);
    double h = Math.min(d.y2(), y2) - Math.max(d.y1(), y1);
    if (w <= 0 || h <= 0) {
      return 0;
    }
    double smaller = Math.min((d.x2() - d.x1()) * (d.y2() - d.y1()), (x2 - x1) * (y2 - y1));
    return smaller <= 0 ? 0 : w * h / smaller;
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
