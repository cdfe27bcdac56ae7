#!/usr/bin/env bash
# Serving load against its limit, in one run, each loaded in turn by one closed-loop client:
#   reads   (default) GET /api/v1/results/{id} of a completed image on a node (the fat jar, stand-in model) and
#           the same body from a bare Vert.x server (ReadLoadBenchmark);
#   uploads unique ~100 KB JPEGs to an API+persistence node (stored, recorded, queued) and to a bare Vert.x server
#           that only spools them (UploadLoadBenchmark); STORE "bare" puts the node's uploads into a bare
#           S3-compatible sink (BareServer --s3) instead of s3proxy: the node's figure without the store's cost.
# Prints the rate and p50/p99 per round, the medians and the ratio node / bare. Each server is loaded for
# LOAD_WARMUP_SECONDS (default 60) first: on a 2-core machine the JIT needs minutes, and a cold node reads slow.
# Reads also print each server's CPU ms per request. LOAD_CLIENT=wrk loads the reads with wrk (-t1, installed by
# scripts/local-stack.sh up) instead of the Java closed-loop client; GEOHAZARD_BENCH_NODE_JAR runs another build of
# the node (before/after in one sitting).
#
#   scripts/load.sh [reads|uploads] [CONNECTIONS (32 reads, 16 uploads)] [SECONDS per round (10)] [ROUNDS (3)]
#                   [STORE, uploads only: s3proxy (default) | bare]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/jar-and-stack.sh
source scripts/lib/jar-and-stack.sh
# shellcheck source=scripts/lib/bench-java.sh
source scripts/lib/bench-java.sh
ensure_jar
mvn -B -q -Pbench test-compile
bash scripts/local-stack.sh up >/dev/null
what=reads
if [[ ${1:-} == reads || ${1:-} == uploads ]]; then
  what=$1
  shift
fi
main=org.geohazard.bench.ReadLoadBenchmark
connections=${1:-32}
if [[ $what == uploads ]]; then
  main=org.geohazard.bench.UploadLoadBenchmark
  connections=${1:-16}
fi
extra=()
if [[ $what == uploads && -n ${4:-} ]]; then
  extra=(--store "$4")
fi
if [[ $what == reads && -n ${LOAD_CLIENT:-} ]]; then
  extra=(--client "$LOAD_CLIENT")
fi
bench_java "$main" --connections "$connections" --seconds "${2:-10}" --rounds "${3:-3}" \
  --warmup "${LOAD_WARMUP_SECONDS:-60}" "${extra[@]}"
