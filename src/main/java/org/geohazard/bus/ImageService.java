package org.geohazard.bus;

import io.vertx.core.Future;
import java.util.List;
import org.geohazard.analysis.Analysis;
import org.geohazard.change.PairCandidate;
import org.geohazard.change.SceneFootprint;

/** Images and their analyses, as stored (served by persistence; every method is an address, see {@link BusService}). */
@BusService("persistence.images")
public interface ImageService {

  /**
   * Insert-or-get an image row by content hash, and record the caller's upload of it (its own id, the
   * registration's {@code imageId}, with its file name, hints, priority and owner).
   */
  Future<Registration> register(ImageRegistration image);

  /**
   * The earlier uploads of tenant {@code ownerId} that might be a before scene for a new scene at {@code scene}: of
   * its family, in its CRS, their envelopes meeting its envelope; at most {@code limit}, newest first
   * ({@code change.AutoPairing} chooses among them).
   */
  Future<List<PairCandidate>> pairCandidates(long ownerId, SceneFootprint scene, int limit);

  /** One upload: its content's id, what its uploader said, whom it belongs to ({@link Failure.Code#NOT_FOUND}). */
  Future<Upload> upload(String uploadId);

  /**
   * Some content as its claim would be sent (object key, type, the uploader's hints, a pair's before key), for the
   * API's check of a before/after pair ({@link Failure.Code#NOT_FOUND} for unknown content).
   */
  Future<ImageClaim> content(String imageId);

  /**
   * The result document of one image (content; the API shows it through an {@link Upload}), with its newest analysis or the one {@code modelVersion} (null: newest) made;
   * {@link Failure.Code#NOT_FOUND} for an unknown id or an analysis that model never made.
   */
  Future<ImageResult> result(String imageId, String modelVersion);

  /**
   * A claim is about to be analysed: the asker ({@code owner}, holding it for {@code leaseMs}) takes the image
   * (processing), or learns that another consumer holds it, or that the claim is stale (completed, with its stored
   * result, or failed), so that redelivered work is not analysed twice.
   */
  Future<ClaimStart> start(String imageId, int attempt, String owner, long leaseMs);

  /**
   * A stored image queued again for analysis, by {@code modelVersion} (null: by the models served, {@code
   * servedModels}): the claim to send. {@link Failure.Code#CONFLICT} while it is in flight or when it would only be
   * made again. {@code requesterKeyId}: the key asking (null: anonymous), whose scopes decide whether the new
   * analysis's alerts are published, as an uploader's do for a first analysis.
   */
  Future<ImageClaim> requeue(String imageId, String modelVersion, List<String> servedModels, Long requesterKeyId);

  /** Every analysis stored for an image, newest first ({@link Failure.Code#NOT_FOUND} for an unknown id). */
  Future<AnalysisHistory> analyses(String imageId);

  /** The images {@code owner} is still analysing: their leases are extended by {@code leaseMs}. */
  Future<Void> renew(String owner, List<String> imageIds, long leaseMs);

  /** An image failed for good after {@code attempts}, for {@code reason} (a completed image never goes back). */
  Future<Void> fail(String imageId, int attempts, String reason);

  /** These images' claims are on Kafka: they are not lost claims any more. */
  Future<Void> markQueued(List<String> imageIds);

  /**
   * Pending images whose claim never reached Kafka for {@code olderThanSeconds} (the node that took them died
   * before sending it), at most {@code limit}; each is not offered again for {@code requeueAfterSeconds}.
   */
  Future<List<ImageClaim>> lostClaims(int olderThanSeconds, int limit, int requeueAfterSeconds);

  /** Stores an analysis idempotently (unique per image and model version); NOT_FOUND for an unknown image. */
  Future<PredictionSaved> savePrediction(String imageId, Analysis analysis);

  /** Georeferenced detections of completed results of one tenant's uploads (or all): one page, filtered in SQL. */
  Future<DetectionPage> detections(DetectionFeatureQuery query);

  /** The flood extent polygons of completed results of one tenant's uploads (or all): one page, filtered in SQL. */
  Future<ExtentPage> floodExtents(DetectionFeatureQuery query);

  /**
   * Deletes one upload; when no other upload refers to its content, the content's rows too (image, analyses, shadow
   * rows; its alerts lose their reference and unverified ones are rejected). {@link Failure.Code#NOT_FOUND} for an
   * unknown (or already deleted) upload. What lives outside the database is the caller's to remove
   * ({@code api.Erasure}).
   */
  Future<UploadDeletion> deleteUpload(String uploadId);

  /** The database answers: its round-trip time in milliseconds. */
  Future<Double> ping();
}
