package org.geohazard.bus;

import org.geohazard.analysis.Analysis;

/**
 * What an upload became: the image (content) that now stands for its bytes, new ({@code created}), a failed one
 * reset for another try ({@code requeue}), or an existing one with its status (and analysis when completed); and
 * the upload itself, the caller's own id for it.
 *
 * @param imageId the content's id (the claim's); the first upload of some content has this id too
 * @param analysis present when the existing image is completed
 * @param uploadId the caller's id for this upload (what the API hands back as {@code image_id})
 */
public record Registration(String imageId, ImageStatus status, boolean created, boolean requeue, Analysis analysis,
                           String uploadId) {}
