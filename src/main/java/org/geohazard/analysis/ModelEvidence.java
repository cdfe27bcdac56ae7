package org.geohazard.analysis;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.geohazard.detection.HazardThresholds;

/**
 * What one model's real-label evidence supports: for each class and risk level, the image-level precision the
 * model reached on real labelled imagery at that level's threshold, and whether that reaches the level's target.
 *
 * <p>Read from the model's card ({@code models/x.card.json}, written by {@code training/write_model_cards.py} from
 * {@code training/metrics-real.json}). The card's {@code evidence} names, per class, the real sets that are
 * independent of each other (OMBRIA test and the 2021 events, not the per-event subsets of 2021); each of those
 * sets' {@code image_level.<level>} holds the counts {@code tp} and {@code fp} at the level's threshold.
 *
 * <p>The rule (docs/DECISIONS.md, "Risk from evidence"):
 * <ul>
 *   <li>counts are <b>pooled</b> over the class's independent sets (true and false positives summed, then one
 *       precision): a set where the model does well cannot hide one where it does badly, as a best-of or an
 *       average of precisions would let it;</li>
 *   <li>a level is <b>supported</b> when the pooled precision at it is at least its target ({@link #TARGETS}: the
 *       calibration targets of models/README.md, medium 0.70, high 0.85, critical 0.95) over at least
 *       {@link #MIN_FLAGGED} flagged images (training/hazard_eval.py's MIN_FLAGGED: with fewer, one false positive
 *       moves precision by more than 0.05), and the card measured it at the very threshold the served model uses
 *       for that level (evidence for other thresholds is about another operating point);</li>
 *   <li>a model without a card, with a card measured on another file (its {@code sha256}), or a class the card has
 *       no evidence for, supports no level ({@link #NONE}).</li>
 * </ul>
 */
public final class ModelEvidence {

  /** Image-level precision a level needs on real labels (models/README.md, "Thresholds"). */
  public static final Map<RiskLevel, Double> TARGETS = Map.of(
      RiskLevel.MEDIUM, 0.70, RiskLevel.HIGH, 0.85, RiskLevel.CRITICAL, 0.95);
  /** Fewest flagged images (pooled) behind a precision that may support a level. */
  public static final int MIN_FLAGGED = 20;
  /** Thresholds closer than this are the same operating point (cards round to 4 decimals). */
  static final double THRESHOLD_TOLERANCE = 5e-5;

  /** No evidence at all: a model with no card (an operator's own model, the stand-in). */
  public static final ModelEvidence NONE = new ModelEvidence(Map.of());

  /**
   * The pooled measurement at one level.
   *
   * @param threshold the score threshold it was measured at
   * @param truePositives flagged images that held the hazard, pooled
   * @param falsePositives flagged images that did not, pooled
   * @param sets the real sets pooled
   * @param supported whether it reaches the level's target over enough images at the served threshold
   */
  public record LevelEvidence(double threshold, int truePositives, int falsePositives, List<String> sets,
                              boolean supported) {
    public LevelEvidence {
      sets = List.copyOf(sets);
    }

    public int flagged() {
      return truePositives + falsePositives;
    }

    /** Pooled precision, NaN when nothing was flagged. */
    public double precision() {
      return flagged() == 0 ? Double.NaN : (double) truePositives / flagged();
    }
  }

  private final Map<String, Map<RiskLevel, LevelEvidence>> byClass;

  private ModelEvidence(Map<String, Map<RiskLevel, LevelEvidence>> byClass) {
    this.byClass = Map.copyOf(byClass);
  }

  /**
   * The evidence of a model's card for the model file with content hash {@code sha256}: none unless the card names
   * that very file ({@code sha256}, written by write_model_cards.py), since figures measured on other weights say
   * nothing about these (a retrained file beside an old card, an operator's copy under a shipped name).
   */
  public static ModelEvidence fromCard(JsonObject card, HazardThresholds thresholds, String sha256) {
    if (card == null || sha256 == null || !sha256.equalsIgnoreCase(card.getString("sha256", ""))) {
      return NONE;
    }
    return fromCard(card, thresholds);
  }

  /**
   * The evidence of a model's card for the model as served with {@code thresholds}; {@link #NONE} for a null
   * card. A card that says nothing usable (no {@code evidence}, sets without counts) gives no evidence for the
   * classes concerned rather than failing: the model still serves, capped.
   */
  public static ModelEvidence fromCard(JsonObject card, HazardThresholds thresholds) {
    if (card == null || !(card.getValue("evidence") instanceof JsonObject evidence)
        || !(card.getValue("real_labels") instanceof JsonObject realLabels)) {
      return NONE;
    }
    Map<String, Map<RiskLevel, LevelEvidence>> byClass = new LinkedHashMap<>();
    for (String className : evidence.fieldNames()) {
      if (!(evidence.getValue(className) instanceof JsonObject classEvidence)
          || !(classEvidence.getValue("sets") instanceof JsonArray setNames) || setNames.isEmpty()) {
        continue;
      }
      Map<RiskLevel, LevelEvidence> levels = new EnumMap<>(RiskLevel.class);
      for (RiskLevel level : List.of(RiskLevel.MEDIUM, RiskLevel.HIGH, RiskLevel.CRITICAL)) {
        pooled(realLabels, setNames, level).ifPresent(measured -> {
          boolean sameThreshold = servedThreshold(thresholds, className, level)
              .map(served -> Math.abs(served - measured.threshold()) <= THRESHOLD_TOLERANCE).orElse(false);
          boolean supported = sameThreshold && measured.flagged() >= MIN_FLAGGED
              && measured.precision() >= TARGETS.get(level);
          levels.put(level, new LevelEvidence(measured.threshold(), measured.truePositives(),
              measured.falsePositives(), measured.sets(), supported));
        });
      }
      if (!levels.isEmpty()) {
        byClass.put(className, levels);
      }
    }
    return new ModelEvidence(byClass);
  }

  /** The counts of every named set at {@code level}, summed; empty when a set lacks them or thresholds differ. */
  private static Optional<LevelEvidence> pooled(JsonObject realLabels, JsonArray setNames, RiskLevel level) {
    int tp = 0;
    int fp = 0;
    Double threshold = null;
    List<String> sets = new ArrayList<>();
    for (Object name : setNames) {
      if (!(name instanceof String setName) || !(realLabels.getValue(setName) instanceof JsonObject set)
          || !(set.getValue("image_level") instanceof JsonObject imageLevel)
          || !(imageLevel.getValue(level.wireName()) instanceof JsonObject measured)
          || !(measured.getValue("tp") instanceof Number setTp) || !(measured.getValue("fp") instanceof Number setFp)
          || !(measured.getValue("threshold") instanceof Number setThreshold)) {
        return Optional.empty();
      }
      if (threshold != null && Math.abs(threshold - setThreshold.doubleValue()) > THRESHOLD_TOLERANCE) {
        return Optional.empty();
      }
      threshold = setThreshold.doubleValue();
      tp += setTp.intValue();
      fp += setFp.intValue();
      sets.add(setName);
    }
    return Optional.of(new LevelEvidence(threshold, tp, fp, sets, false));
  }

  /**
   * The score at which the served model gives {@code level} for the class: its calibrated threshold, or for a class
   * it did not calibrate the default band ({@link RiskLevel#threshold}), as {@link AnalysisBuilder#level} reads it.
   */
  private static Optional<Double> servedThreshold(HazardThresholds thresholds, String className, RiskLevel level) {
    if (thresholds.of(className).isEmpty()) {
      return Optional.of(level.threshold());
    }
    return thresholds.of(className).flatMap(t -> {
      OptionalDouble value = switch (level) {
        case MEDIUM -> t.medium();
        case HIGH -> t.high();
        case CRITICAL -> t.critical();
        case LOW -> OptionalDouble.empty();
      };
      return value.isPresent() ? Optional.of(value.getAsDouble()) : Optional.empty();
    });
  }

  /** The measurement at {@code level} for {@code className}, when the card holds one. */
  public Optional<LevelEvidence> at(String className, RiskLevel level) {
    return Optional.ofNullable(byClass.getOrDefault(className, Map.of()).get(level));
  }

  /** Whether real evidence supports {@code level} for {@code className} (LOW always is: it claims nothing). */
  public boolean supports(String className, RiskLevel level) {
    return level == RiskLevel.LOW || at(className, level).map(LevelEvidence::supported).orElse(false);
  }

  /**
   * The level a detection at {@code level} may keep on this evidence alone: itself when supported, else the
   * highest supported level below it, and never less than {@code medium} (or itself, if lower): a level above
   * medium that nothing verifies is capped to medium, shown as unverified, not dropped.
   */
  public RiskLevel cap(String className, RiskLevel level) {
    for (RiskLevel candidate = level; candidate.compareTo(RiskLevel.MEDIUM) > 0;
         candidate = RiskLevel.values()[candidate.ordinal() - 1]) {
      if (supports(className, candidate)) {
        return candidate;
      }
    }
    return level.atLeast(RiskLevel.MEDIUM) ? RiskLevel.MEDIUM : level;
  }

  /** Whether the card holds any evidence at all. */
  public boolean isEmpty() {
    return byClass.isEmpty();
  }

  @Override
  public String toString() {
    return "ModelEvidence" + byClass.keySet().stream().map(c -> c.toLowerCase(Locale.ROOT)).toList();
  }
}
