/**
 * ONNX Runtime itself: {@link org.geohazard.inference.runtime.OrtSessions} builds sessions from a
 * {@link org.geohazard.inference.runtime.SessionConfig} (threads, optimisation, the CPU, CUDA or TensorRT provider
 * with its fallback chain), {@link org.geohazard.inference.runtime.OnnxDetector} runs a detection model's session
 * on prepared batches, and {@link org.geohazard.inference.runtime.ModelMetadata} reads what an export says of
 * itself ({@link org.geohazard.inference.runtime.MetadataLiterals} parses its Python literals).
 */
package org.geohazard.inference.runtime;
