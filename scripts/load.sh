#!/usr/bin/env bash
# Cached reads against their limit, in one run: GET /api/v1/results/{id} of a completed image on a node (the fat
# jar, stand-in model) and the same body from a bare Vert.x server, each loaded in turn by one closed-loop client
# (ReadLoadBenchmark). Prints req/s and p50/p99 per round, the medians and the ratio node / bare.
#
#   scripts/load.sh [CONNECTIONS (32)] [SECONDS per round (10)] [ROUNDS (3)]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/jar-and-stack.sh
source scripts/lib/jar-and-stack.sh
ensure_jar
mvn -B -q -Pbench test-compile
bash scripts/local-stack.sh up >/dev/null
java -cp "target/bench-classes:target/test-classes:target/classes:$(cat target/bench.classpath)" \
  org.geohazard.bench.ReadLoadBenchmark --connections "${1:-32}" --seconds "${2:-10}" --rounds "${3:-3}"
