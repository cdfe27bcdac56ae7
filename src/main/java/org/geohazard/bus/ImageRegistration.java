package org.geohazard.bus;

import java.util.List;
import org.geohazard.change.SceneFootprint;

/**
 * Asks persistence to register an uploaded image, unless its content is already known ({@code
 * persistence.images.register}).
 *
 * @param imageId id for a new image
 * @param sha256 content hash
 * @param objectKey where the bytes are stored
 * @param filename the uploader's file name
 * @param contentType the type its magic bytes say
 * @param apiKeyId the key the upload came with, if any (its scopes decide whether the content's alerts publish)
 * @param requestedBands the bands the uploader named, if any
 * @param sensor the sensor the uploader named, if any
 * @param servedModels the model versions the cluster serves now: a stored analysis made by any other model is
 *     out of date, and its image is queued again (empty: not known yet, any stored analysis stands)
 * @param ownerId the tenant the upload belongs to ({@code auth.Tenancy}); null for an anonymous upload
 * @param beforeObjectKey a before/after pair: where the before scene's bytes are (null: the scene alone); the
 *     pair's content is then identified by {@code sha256} = SHA-256 of both contents ({@code api.IngestService})
 * @param footprint where the uploaded scene lies and its sensor family, kept with the upload for automatic pairing
 *     (null: not a georeferenced scene the node could pair)
 * @param pairing how the upload's before scene was chosen (null: it asked for none)
 * @param otherSensor the claim of a scene of the same place by the other sensor family, looked at with this one
 *     (null: none); the content is then identified by {@code sha256} of both too
 */
public record ImageRegistration(String imageId, String sha256, String objectKey, String filename, String contentType, long sizeBytes, int width, int height, int bands, int bitsPerSample, Double latitude, Double longitude, Double gsdM, Priority priority, Long apiKeyId, String requestedBands, String sensor, List<String> servedModels, Long ownerId, String beforeObjectKey, SceneFootprint footprint, UploadPairing pairing, ImageClaim otherSensor) {
  public ImageRegistration {
    servedModels = servedModels == null ? List.of() : List.copyOf(servedModels);
  }

  /** The registration of an upload looked at alone or with a before scene, not with another sensor's scene. */
  public ImageRegistration(String imageId, String sha256, String objectKey, String filename, String contentType,
                           long sizeBytes, int width, int height, int bands, int bitsPerSample, Double latitude,
                           Double longitude, Double gsdM, Priority priority, Long apiKeyId, String requestedBands,
                           String sensor, List<String> servedModels, Long ownerId, String beforeObjectKey,
                           SceneFootprint footprint, UploadPairing pairing) {
    this(imageId, sha256, objectKey, filename, contentType, sizeBytes, width, height, bands, bitsPerSample, latitude,
        longitude, gsdM, priority, apiKeyId, requestedBands, sensor, servedModels, ownerId, beforeObjectKey, footprint,
        pairing, null);
  }

  /** The registration of an upload without a footprint or pairing. */
  public ImageRegistration(String imageId, String sha256, String objectKey, String filename, String contentType,
                           long sizeBytes, int width, int height, int bands, int bitsPerSample, Double latitude,
                           Double longitude, Double gsdM, Priority priority, Long apiKeyId, String requestedBands,
                           String sensor, List<String> servedModels, Long ownerId, String beforeObjectKey) {
    this(imageId, sha256, objectKey, filename, contentType, sizeBytes, width, height, bands, bitsPerSample, latitude,
        longitude, gsdM, priority, apiKeyId, requestedBands, sensor, servedModels, ownerId, beforeObjectKey, null,
        null);
  }

  /** The registration of a scene alone. */
  public ImageRegistration(String imageId, String sha256, String objectKey, String filename, String contentType,
                           long sizeBytes, int width, int height, int bands, int bitsPerSample, Double latitude,
                           Double longitude, Double gsdM, Priority priority, Long apiKeyId, String requestedBands,
                           String sensor, List<String> servedModels, Long ownerId) {
    this(imageId, sha256, objectKey, filename, contentType, sizeBytes, width, height, bands, bitsPerSample, latitude,
        longitude, gsdM, priority, apiKeyId, requestedBands, sensor, servedModels, ownerId, null);
  }

  /** A registration that trusts any stored analysis (no list of served models known), owned by its key. */
  public ImageRegistration(String imageId, String sha256, String objectKey, String filename, String contentType,
                           long sizeBytes, int width, int height, int bands, int bitsPerSample, Double latitude,
                           Double longitude, Double gsdM, Priority priority, Long apiKeyId, String requestedBands,
                           String sensor) {
    this(imageId, sha256, objectKey, filename, contentType, sizeBytes, width, height, bands, bitsPerSample, latitude,
        longitude, gsdM, priority, apiKeyId, requestedBands, sensor, List.of(), apiKeyId, null);
  }
}
