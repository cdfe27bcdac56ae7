package org.geohazard.analysis;

import java.util.Locale;

/** Risk of a result or severity of an alert, ordered from least to most severe. */
public enum RiskLevel {
  LOW(0.0), MEDIUM(0.40), HIGH(0.65), CRITICAL(0.85);

  /** Lowest hazard probability that reaches this level. */
  private final double threshold;

  RiskLevel(double threshold) {
    this.threshold = threshold;
  }

  public double threshold() {
    return threshold;
  }

  public static RiskLevel forProbability(double probability) {
    RiskLevel level = LOW;
    for (RiskLevel candidate : values()) {
      if (probability >= candidate.threshold) {
        level = candidate;
      }
    }
    return level;
  }

  public boolean atLeast(RiskLevel other) {
    return compareTo(other) >= 0;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RiskLevel fromWire(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
