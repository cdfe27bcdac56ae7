/**
 * The pure pixel and tensor work around a model run, the same on every thread and provider: fitting an image to the
 * model's input ({@link org.geohazard.inference.processing.Letterbox}), and from the raw output to detections in
 * the image's own pixels ({@link org.geohazard.inference.processing.DetectionDecoding}: YOLO output decoding,
 * class-wise NMS, per-class thresholds, boxes mapped back).
 */
package org.geohazard.inference.processing;
