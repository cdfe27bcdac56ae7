package org.geohazard.bus;

import io.vertx.core.json.JsonObject;

/**
 * The Kafka record that asks for one image to be analysed: a claim check (ids and the object key),
 * never the bytes; {@code model} names the model version a re-analysis asked for (null: the models the
 * workers serve). Versioned so that old and new nodes can share a topic during a rolling upgrade. {@code
 * beforeObjectKey} names the bytes of the before scene of a before/after pair (null: the scene alone). {@code
 * otherSensor} is the claim of a scene of the same place by the other sensor family, analysed first so that its
 * boxes corroborate this scene's ({@code change.OtherSensor}; null: none); it never has one of its own.
 */
public record ImageClaim(
    String imageId,
    String sha256,
    String objectKey,
    String contentType,
    Priority priority,
    Double latitude,
    Double longitude,
    Double gsdM,
    String bands,
    String sensor,
    long enqueuedAtMs,
    String model,
    String beforeObjectKey,
    ImageClaim otherSensor) {

  public static final int VERSION = 1;
  /**
   * The version of a claim with another sensor's scene: a node from before {@code other_sensor} existed refuses it
   * (as a claim it cannot read) rather than analyse the scene alone and store that under the look's identity.
   */
  public static final int VERSION_WITH_OTHER_SENSOR = 2;

  public ImageClaim {
    if (imageId == null || imageId.isBlank()) {
      throw new IllegalArgumentException("image id is required");
    }
    if (sha256 == null || sha256.length() != 64) {
      throw new IllegalArgumentException("sha256 must be 64 hex characters");
    }
    if (objectKey == null || objectKey.isBlank()) {
      throw new IllegalArgumentException("object key is required");
    }
    priority = priority == null ? Priority.NORMAL : priority;
    if (otherSensor != null && otherSensor.otherSensor() != null) {
      throw new IllegalArgumentException("the other sensor's scene is looked at alone");
    }
  }

  /** A claim of a scene, alone or as the after scene of a pair ({@code beforeObjectKey}), without another sensor. */
  public ImageClaim(String imageId, String sha256, String objectKey, String contentType, Priority priority,
                    Double latitude, Double longitude, Double gsdM, String bands, String sensor, long enqueuedAtMs,
                    String model, String beforeObjectKey) {
    this(imageId, sha256, objectKey, contentType, priority, latitude, longitude, gsdM, bands, sensor, enqueuedAtMs,
        model, beforeObjectKey, null);
  }

  /** A claim of a scene alone; {@code model} names a model for a re-analysis (null: whatever the workers serve). */
  public ImageClaim(String imageId, String sha256, String objectKey, String contentType, Priority priority,
                    Double latitude, Double longitude, Double gsdM, String bands, String sensor, long enqueuedAtMs,
                    String model) {
    this(imageId, sha256, objectKey, contentType, priority, latitude, longitude, gsdM, bands, sensor, enqueuedAtMs,
        model, null);
  }

  /** A claim for whatever the workers serve (an upload); {@code model} names one for a re-analysis. */
  public ImageClaim(String imageId, String sha256, String objectKey, String contentType, Priority priority,
                    Double latitude, Double longitude, Double gsdM, String bands, String sensor, long enqueuedAtMs) {
    this(imageId, sha256, objectKey, contentType, priority, latitude, longitude, gsdM, bands, sensor, enqueuedAtMs,
        null, null);
  }

  public boolean highPriority() {
    return priority == Priority.HIGH;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("v", otherSensor == null ? VERSION : VERSION_WITH_OTHER_SENSOR)
        .put("image_id", imageId)
        .put("sha256", sha256)
        .put("object_key", objectKey)
        .put("content_type", contentType)
        .put("priority", priority.wireName())
        .put("latitude", latitude)
        .put("longitude", longitude)
        .put("gsd_m", gsdM)
        .put("bands", bands)
        .put("sensor", sensor)
        .put("enqueued_at_ms", enqueuedAtMs)
        .put("model", model)
        .put("before_object_key", beforeObjectKey)
        .put("other_sensor", otherSensor == null ? null : otherSensor.toJson());
  }

  /** This claim with the claim of a scene of the same place by the other sensor family. */
  public ImageClaim withOtherSensor(ImageClaim other) {
    return new ImageClaim(imageId, sha256, objectKey, contentType, priority, latitude, longitude, gsdM, bands, sensor,
        enqueuedAtMs, model, beforeObjectKey, other);
  }

  /**
   * Reads a claim; a record of an unknown future version is refused rather than half-read. Fields
   * added later within version 1 ({@code bands}, {@code sensor}, {@code model}, {@code before_object_key},
   * {@code other_sensor}) are optional.
   */
  public static ImageClaim fromJson(JsonObject json) {
    int version = json.getInteger("v", 0);
    if (version != VERSION && version != VERSION_WITH_OTHER_SENSOR) {
      throw new IllegalArgumentException("unsupported claim version " + version);
    }
    return new ImageClaim(
        json.getString("image_id"),
        json.getString("sha256"),
        json.getString("object_key"),
        json.getString("content_type"),
        Priority.fromWire(json.getString("priority")),
        json.getDouble("latitude"),
        json.getDouble("longitude"),
        json.getDouble("gsd_m"),
        json.getString("bands"),
        json.getString("sensor"),
        json.getLong("enqueued_at_ms", 0L),
        json.getString("model"),
        json.getString("before_object_key"),
        json.getJsonObject("other_sensor") == null ? null : fromJson(json.getJsonObject("other_sensor")));
  }
}
