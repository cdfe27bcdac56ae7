/**
 * Benchmarks: JMH micro-benchmarks of the hot code ({@code *Benchmark} classes with {@code @Benchmark} methods, run
 * by {@code scripts/bench.sh}) and the end-to-end measurements that print their figures next to the limit they are
 * measured against (raw ONNX Runtime versus the pipeline, HTTP load, scenes, alerts, the offline CLI); see
 * BENCHMARKS.md. Fault and kill runs are in {@code org.geohazard.chaos}; what both use is in
 * {@code org.geohazard.harness}.
 */
package org.geohazard.bench;
