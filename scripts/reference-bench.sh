#!/usr/bin/env bash
# A Sentinel-2-sized tiled GeoTIFF (10980 x 10980 x 4 bands uint16, 256² DEFLATE tiles) analysed-read by reference
# from the local object store against the same file on disk (ReferenceReadBenchmark): bytes fetched / plan bytes
# (limit 1.1), peak heap under -Xmx512m (limit 512 MB) and wall time ratio (limit 1.1), medians of the rounds.
# Usage: scripts/reference-bench.sh [side] [rounds] [noisy]   (defaults 10980, 3; noisy: tiles of ~150 KB)
# The stack is started with scripts/local-stack.sh (same GEOHAZARD_* port settings) and left running.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/bench-java.sh
source scripts/lib/bench-java.sh
side=${1:-10980}
rounds=${2:-3}
noisy=${3:-}

mvn -B -q -Pbench -DskipTests test-compile
bash scripts/local-stack.sh up >/dev/null
while IFS='=' read -r key value; do
  case "$key" in GEOHAZARD_*) export "$key=$value" ;; esac
done < .stack/env
bench_java -Xmx512m org.geohazard.bench.ReferenceReadBenchmark "$side" "$rounds" $noisy
