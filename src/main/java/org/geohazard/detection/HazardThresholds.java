package org.geohazard.detection;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * A model's per-class score thresholds, chosen on validation data when the model was trained and stored
 * in its metadata ({@code thresholds}: {@code {"flood": {"report": 0.2, "medium": 0.3, "high": 0.45,
 * "critical": 0.8}}}). {@code report}: boxes below it are not returned. {@code medium}/{@code high}/
 * {@code critical}: the lowest best-box score at which an image is at that risk level for the hazard (a
 * level the model cannot reach with the wanted precision is absent). A class without an entry uses the
 * node's defaults.
 */
public record HazardThresholds(Map<String, ClassThresholds> byClass) {

  /** One class's thresholds; absent levels are unreachable. */
  public record ClassThresholds(double report, OptionalDouble medium, OptionalDouble high, OptionalDouble critical) {
    public ClassThresholds {
      require(report, "report");
      medium.ifPresent(v -> require(v, "medium"));
      high.ifPresent(v -> require(v, "high"));
      critical.ifPresent(v -> require(v, "critical"));
    }

    private static void require(double value, String what) {
      if (!(value > 0 && value < 1)) {
        throw new IllegalArgumentException(what + " threshold must be in (0, 1), was " + value);
      }
    }
  }

  public static final HazardThresholds NONE = new HazardThresholds(Map.of());

  public HazardThresholds {
    byClass = Map.copyOf(byClass);
  }

  /** The thresholds as the metadata writes them: {@code {class: {report, medium?, high?, critical?}}}. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    new TreeMap<>(byClass).forEach((name, levels) -> {
      JsonObject level = new JsonObject().put("report", levels.report());
      levels.medium().ifPresent(v -> level.put("medium", v));
      levels.high().ifPresent(v -> level.put("high", v));
      levels.critical().ifPresent(v -> level.put("critical", v));
      json.put(name, level);
    });
    return json;
  }

  public Optional<ClassThresholds> of(String className) {
    return Optional.ofNullable(byClass.get(className));
  }

  /**
   * Parses the metadata value; blank gives {@link #NONE}.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static HazardThresholds fromMetadata(String json) {
    if (json == null || json.isBlank()) {
      return NONE;
    }
    JsonObject root;
    try {
      root = new JsonObject(json);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("thresholds are not a JSON object: " + e.getMessage());
    }
    Map<String, ClassThresholds> out = new LinkedHashMap<>();
    for (String name : root.fieldNames()) {
      if (!(root.getValue(name) instanceof JsonObject levels)) {
        throw new IllegalArgumentException("thresholds of '" + name + "' must be an object");
      }
      if (!(levels.getValue("report") instanceof Number report)) {
        throw new IllegalArgumentException("thresholds of '" + name + "' need a numeric 'report'");
      }
      out.put(name, new ClassThresholds(report.doubleValue(), level(levels, "medium", name),
          level(levels, "high", name), level(levels, "critical", name)));
    }
    return new HazardThresholds(out);
  }

  private static OptionalDouble level(JsonObject levels, String key, String name) {
    Object value = levels.getValue(key);
    if (value == null) {
      return OptionalDouble.empty();
    }
    if (!(value instanceof Number number)) {
      throw new IllegalArgumentException("threshold '" + key + "' of '" + name + "' must be a number");
    }
    return OptionalDouble.of(number.doubleValue());
  }
}
