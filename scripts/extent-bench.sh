#!/usr/bin/env bash
# Issue 24's timing target: a Sentinel-2-sized scene's flood extent against its detection pass (ExtentBenchmark:
# one synthetic 13-band scene, the S2 detector alone and the S2 mask model alone through the offline pipeline,
# medians of the rounds, extent / detection printed next to the limit 1.3, and each pass's peak heap).
# Usage: scripts/extent-bench.sh [side] [rounds] [heap]   (defaults 10980, 3 and 2g)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/bench-java.sh
source scripts/lib/bench-java.sh
side=${1:-10980}
rounds=${2:-3}
heap=${3:-2g}
if [[ ${GEOHAZARD_BENCH_SKIP_BUILD:-} != 1 ]]; then
  mvn -B -q -o -Pbench -DskipTests -Dweb.skipInstall=true test-compile
fi
bench_java -Xmx"$heap" org.geohazard.bench.ExtentBenchmark "$side" "$rounds"
