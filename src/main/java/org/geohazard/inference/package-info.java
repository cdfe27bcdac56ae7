/**
 * The inference worker, cut as a model server is:
 * <ul>
 *   <li>{@link org.geohazard.inference.ModelRepository}: the models of one device, loaded and warmed, serving, in
 *       shadow, or retired; a retired model is closed when the last scene holding it lets go, on the ORT thread
 *       behind any batch there ({@link org.geohazard.inference.ServedModel} is one model and its reference
 *       count);</li>
 *   <li>{@link org.geohazard.inference.runtime}: ONNX Runtime sessions, execution providers and session options,
 *       built from configuration, and the model's metadata;</li>
 *   <li>{@link org.geohazard.inference.processing}: letterbox, output decoding and NMS, pure;</li>
 *   <li>{@link org.geohazard.inference.BatchScheduler}: windows become batches of one model on the one ORT
 *       thread ({@link org.geohazard.inference.DynamicBatcher} decides when), each window's future completed with
 *       its detections;</li>
 *   <li>{@link org.geohazard.inference.scene}: a scene's state, its planning into windows and its assembly into
 *       an analysis; {@link org.geohazard.inference.SceneRunner} drives scenes through reading, batching and
 *       assembly and answers whoever asked.</li>
 * </ul>
 * {@link org.geohazard.inference.InferenceVerticle} only wires these and registers the bus consumers.
 * {@link org.geohazard.inference.OfflineAnalyzer} runs the same planning, batching and assembly without the
 * service (the CLI). {@link org.geohazard.inference.SceneStages} is the scene benchmark's window into the
 * package (decoding and inference of a scene measured apart); nothing in the node uses it.
 */
package org.geohazard.inference;
