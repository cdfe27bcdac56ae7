package org.geohazard.bus;

import org.geohazard.analysis.Analysis;

/**
 * The image that now stands for an upload's content: new ({@code created}), a failed one reset for another try
 * ({@code requeue}), or an existing one with its status (and analysis when completed).
 *
 * @param analysis present when the existing image is completed
 */
public record Registration(String imageId, ImageStatus status, boolean created, boolean requeue, Analysis analysis) {}
