/**
 * Scenes: an image being analysed and its state ({@link org.geohazard.inference.scene.Scene}: the models' passes
 * and their windows, what is done, whether it is complete, answered, closed), how it is planned
 * ({@link org.geohazard.inference.scene.ScenePlanner}: which model looks through which bands and at what scale,
 * resampled windows, tiles with overlap plus a full view, or whole; shadow candidates' looks), where the pixels
 * of each window come from ({@link org.geohazard.inference.scene.SceneSource}), how detections are merged across
 * tile seams, and how a finished scene becomes an analysis ({@link org.geohazard.inference.scene.SceneAssembler}).
 * Scenes compute; they hold no bus messages and run no model: the inference worker answers and runs batches.
 */
package org.geohazard.inference.scene;
