package org.geohazard.bus;

import io.vertx.core.json.JsonObject;

/**
 * Asks persistence to register an uploaded image, unless its content is already known ({@code
 * persistence.images.register}).
 *
 * @param imageId id for a new image
 * @param sha256 content hash
 * @param objectKey where the bytes are stored
 * @param filename the uploader's file name
 * @param contentType the type its magic bytes say
 * @param apiKeyId the key the upload came with, if any
 * @param requestedBands the bands the uploader named, if any
 * @param sensor the sensor the uploader named, if any
 * @param servedModels the model versions the cluster serves now: a stored analysis made by any other model is
 *     out of date, and its image is queued again (empty: not known yet, any stored analysis stands)
 */
public record ImageRegistration(String imageId, String sha256, String objectKey, String filename, String contentType, long sizeBytes, int width, int height, int bands, int bitsPerSample, Double latitude, Double longitude, Double gsdM, Priority priority, Long apiKeyId, String requestedBands, String sensor, java.util.List<String> servedModels) {

  public ImageRegistration {
    servedModels = servedModels == null ? java.util.List.of() : java.util.List.copyOf(servedModels);
  }

  /** A registration that trusts any stored analysis (no list of served models known). */
  public ImageRegistration(String imageId, String sha256, String objectKey, String filename, String contentType,
                           long sizeBytes, int width, int height, int bands, int bitsPerSample, Double latitude,
                           Double longitude, Double gsdM, Priority priority, Long apiKeyId, String requestedBands,
                           String sensor) {
    this(imageId, sha256, objectKey, filename, contentType, sizeBytes, width, height, bands, bitsPerSample, latitude,
        longitude, gsdM, priority, apiKeyId, requestedBands, sensor, java.util.List.of());
  }

  public static final int VERSION = 1;

  public JsonObject toJson() {
    return new JsonObject()
        .put("v", VERSION)
        .put("image_id", imageId)
        .put("sha256", sha256)
        .put("object_key", objectKey)
        .put("filename", filename)
        .put("content_type", contentType)
        .put("size_bytes", sizeBytes)
        .put("width", width)
        .put("height", height)
        .put("bands", bands)
        .put("bits_per_sample", bitsPerSample)
        .put("latitude", latitude)
        .put("longitude", longitude)
        .put("gsd_m", gsdM)
        .put("priority", priority.wireName())
        .put("api_key_id", apiKeyId)
        .put("requested_bands", requestedBands)
        .put("sensor", sensor)
        .put("served_models", new io.vertx.core.json.JsonArray(servedModels));
  }

  public static ImageRegistration fromJson(JsonObject json) {
    Messages.requireVersion(json, VERSION, "ImageRegistration");
    return new ImageRegistration(
        json.getString("image_id"),
        json.getString("sha256"),
        json.getString("object_key"),
        json.getString("filename"),
        json.getString("content_type"),
        json.getLong("size_bytes", 0L),
        json.getInteger("width", 0),
        json.getInteger("height", 0),
        json.getInteger("bands", 0),
        json.getInteger("bits_per_sample", 0),
        json.getDouble("latitude"),
        json.getDouble("longitude"),
        json.getDouble("gsd_m"),
        Priority.fromWire(json.getString("priority")),
        json.getLong("api_key_id"),
        json.getString("requested_bands"),
        json.getString("sensor"),
        json.getJsonArray("served_models", new io.vertx.core.json.JsonArray()).stream().map(String::valueOf).toList());
  }
}
