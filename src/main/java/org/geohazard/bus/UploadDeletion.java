package org.geohazard.bus;

/**
 * One upload deleted from the database, and whether its content went with it.
 *
 * @param uploadId the upload's id (the {@code image_id} its owner was given)
 * @param imageId the content's id
 * @param sha256 the content's hash (its cached analysis is keyed by it)
 * @param objectKey where the content's bytes are stored
 * @param contentDeleted no other upload referred to the content: its image row, analyses, shadow rows are gone
 *     too, and its object and cached answers are to be removed
 * @param alertsChanged alerts that named the content (their reference removed, unverified ones rejected)
 */
public record UploadDeletion(String uploadId, String imageId, String sha256, String objectKey, boolean contentDeleted,
                             int alertsChanged) {}
