/**
 * What the benchmarks ({@code org.geohazard.bench}) and the chaos harnesses ({@code org.geohazard.chaos}) share:
 * their {@code --name value} command lines ({@link org.geohazard.harness.BenchArgs}), the local stack's settings
 * ({@link org.geohazard.harness.StackEnv}), a node started from the fat jar as a child process
 * ({@link org.geohazard.harness.NodeProcess}) and the HTTP upload client that counts what was accepted, analysed,
 * lost or analysed twice ({@link org.geohazard.harness.LoadClient}).
 */
package org.geohazard.harness;
