package org.geohazard.bus;

import java.util.List;

/**
 * One upload deleted from the database, and whether its content went with it.
 *
 * @param uploadId the upload's id (the {@code image_id} its owner was given)
 * @param imageId the content's id
 * @param sha256 the content's hash (its cached analysis is keyed by it)
 * @param orphanedObjects stored objects that no content row reads any more, to be removed: the content's bytes
 *     (and a before/after pair's before scene) unless another row still reads them (the scene alone and a pair
 *     share the after scene's bytes; a pair reads its before scene's), never a scene read by reference (the node
 *     stored nothing of it), and the content's flood masks (every mask its analyses name, re-analyses included;
 *     keyed by its own hash, so no other content's); empty when the content stays
 * @param contentDeleted no other upload referred to the content: its image row, analyses, shadow rows are gone
 *     too, and its object and cached answers are to be removed
 * @param alertsChanged alerts that named the content (their reference removed, unverified ones rejected)
 */
public record UploadDeletion(String uploadId, String imageId, String sha256, List<String> orphanedObjects,
                             boolean contentDeleted, int alertsChanged) {}
