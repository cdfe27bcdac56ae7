#!/usr/bin/env bash
# The event bus's codecs, per payload (BusCodecBenchmark): operations per second of a wire round trip with the
# generic record codec, the hand-written per-record codecs it replaced, and a vertx-service-proxy style local call.
#   scripts/bus-codec-bench.sh [rounds]
set -euo pipefail
cd "$(dirname -- "${BASH_SOURCE[0]}")/.."
# shellcheck source=lib/bench-java.sh
source scripts/lib/bench-java.sh
mvn -B -q -Pbench -DskipTests -Dweb.skipInstall=true test-compile
bench_java -Xmx512m org.geohazard.bench.BusCodecBenchmark "$@"
