package org.geohazard.change;

import java.time.Instant;

/**
 * One of a tenant's earlier uploads that might serve as a new scene's before scene ({@link AutoPairing}).
 *
 * @param uploadId the upload's id (the {@code image_id} its owner was given)
 * @param imageId its content
 * @param sha256 its content's SHA-256 (a scene is never paired with its own bytes)
 * @param footprint where it lies, as stored when it was uploaded
 * @param uploadedAt when it was uploaded
 */
public record PairCandidate(String uploadId, String imageId, String sha256, SceneFootprint footprint,
                            Instant uploadedAt) {}
