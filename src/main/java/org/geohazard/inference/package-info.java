/**
 * The inference worker: its ONNX Runtime sessions (one per served model), the dynamic batchers, the scenes
 * being analysed and their assembly into an analysis. {@link org.geohazard.inference.InferenceVerticle} owns the
 * sessions; the pure parts (letterbox, output decoding, NMS, batching) have their own classes and tests.
 */
package org.geohazard.inference;
