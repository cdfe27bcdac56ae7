/**
 * Scene slicing: how an image is cut into the windows a model sees (resampled to the model's ground
 * scale, tiles with overlap plus a full view, or whole), where the pixels of each window come from, and how
 * detections are merged across tile seams.
 */
package org.geohazard.inference.scene;
