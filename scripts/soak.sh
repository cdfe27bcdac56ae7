#!/usr/bin/env bash
# The soak: one node (the fat jar, the stand-in model) under a steady stream of uploads, its live heap, heap in
# use and RSS sampled every 30 s; prints the samples and the first fifth against the last (flat is the goal).
# Not part of mvn verify.
#
#   scripts/soak.sh [RATE uploads/s (default 15: about half of the 30 accepted per second scripts/fault-suite.sh none measures)] [MINUTES (30)]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/jar-and-stack.sh
source scripts/lib/jar-and-stack.sh
# shellcheck source=scripts/lib/bench-java.sh
source scripts/lib/bench-java.sh
jar=target/geohazard.jar
ensure_jar
mvn -B -q -Pbench test-compile
bash scripts/local-stack.sh up >/dev/null
bench_java org.geohazard.chaos.Soak --rate "${1:-15}" --minutes "${2:-30}"
