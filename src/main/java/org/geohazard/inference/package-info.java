/**
 * The inference worker: its ONNX Runtime sessions (one per served model), the dynamic batchers, the scenes
 * being analysed and their assembly into an analysis. {@link org.geohazard.inference.InferenceVerticle} owns the
 * sessions; the pure parts (letterbox, output decoding, NMS, batching) have their own classes and tests.
 * {@link org.geohazard.inference.SceneStages} is the scene benchmark's window into the package (decoding and
 * inference of a scene measured apart); nothing in the node uses it.
 */
package org.geohazard.inference;
