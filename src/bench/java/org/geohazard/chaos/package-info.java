/**
 * Chaos harnesses: they break a running system on purpose and count what was lost or done twice. {@link
 * org.geohazard.chaos.FaultRun} (one node, a fault at 30 % of the uploads, through {@link org.geohazard.chaos.TcpProxy}
 * where the fault is a network one; {@code scripts/fault-suite.sh}), {@link org.geohazard.chaos.ClusterKillTest}
 * ({@code kill -9} of a cluster worker; {@code scripts/cluster-kill-test.sh}) and {@link org.geohazard.chaos.Soak}
 * (a steady load for many minutes; {@code scripts/soak.sh}). They print figures, not JUnit results: the scripts
 * decide pass or fail from them. What they share with the benchmarks lives in {@code org.geohazard.harness}.
 */
package org.geohazard.chaos;
