#!/usr/bin/env bash
# Issue 22: what a look with another sensor's scene costs against the two scenes analysed alone
# (OtherSensorLatency: the shipped S2 and S1 detectors through the offline pipeline, medians of interleaved rounds).
# Usage: scripts/other-sensor-bench.sh [rounds]   (default 30)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/bench-java.sh
source scripts/lib/bench-java.sh
if [[ ${GEOHAZARD_BENCH_SKIP_BUILD:-} != 1 ]]; then
  mvn -B -q -o -Pbench -DskipTests -Dweb.skipInstall=true test-compile
fi
bench_java org.geohazard.bench.OtherSensorLatency "${1:-30}"
