#!/usr/bin/env bash
# Inference benchmarks of geohazard, in one run on this machine (see BENCHMARKS.md):
#   1. JMH micro-benchmarks of the hot pure code: decode + letterbox, output decoding + NMS (µs per image);
#   2. raw ONNX Runtime on the shipped model at batch sizes 1, 2, 4, 8, then the full pipeline (HTTP upload ->
#      S3 -> Kafka -> inference -> MariaDB/Redis -> result saved) on the same images at batcher.maxBatch 1, 2,
#      4, 8, printed as one table with the ratio pipeline / raw.
#
#   scripts/bench.sh [all|jmh|pipeline] [InferenceBenchmark options, e.g. --rounds 5 --raw-only --gpu]
#
# The local stack is started with scripts/local-stack.sh (same GEOHAZARD_* port settings, e.g.
# GEOHAZARD_KAFKA_PORT=29092 GEOHAZARD_KAFKA_CONTROLLER_PORT=29093 GEOHAZARD_S3_PORT=29000 to run beside another
# stack) and stopped again afterwards if this script started it. The pipeline writes to the database
# GEOHAZARD_DB_NAME [geohazard_bench], not the one the tests and the node use.
# Settings: GEOHAZARD_BENCH_PROFILES [bench] Maven profiles (gpu-bench.sh adds gpu);
#           GEOHAZARD_BENCH_BUILD_DIR [target] build folder; GEOHAZARD_BENCH_JAVA_OPTS [-Xmx2g];
#           GEOHAZARD_BENCH_JMH_OPTS [empty] extra JMH options, e.g. "-wi 1 -i 2" for a quick look;
#           GEOHAZARD_MODEL_* / GEOHAZARD_BATCHER_* apply to both the raw and the pipeline part.
set -euo pipefail

REPO_ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO_ROOT"

WHAT=all
if [[ $# -gt 0 && $1 != --* ]]; then
  WHAT=$1
  shift
fi
case $WHAT in all|jmh|pipeline) ;; *) echo "usage: scripts/bench.sh [all|jmh|pipeline] [options]" >&2; exit 2 ;; esac
RAW_ONLY=false
for arg in "$@"; do [[ $arg == --raw-only ]] && RAW_ONLY=true; done

PROFILES=${GEOHAZARD_BENCH_PROFILES:-bench}
BUILD_DIR=${GEOHAZARD_BENCH_BUILD_DIR:-$REPO_ROOT/target}
read -r -a JAVA_OPTS <<<"${GEOHAZARD_BENCH_JAVA_OPTS:--Xmx2g}"
read -r -a JMH_OPTS <<<"${GEOHAZARD_BENCH_JMH_OPTS:-}"
export GEOHAZARD_DB_NAME=${GEOHAZARD_DB_NAME:-geohazard_bench}

echo "building (mvn -P$PROFILES test-compile)..." >&2
mvn -B -q -P"$PROFILES" -DskipTests -Dbuild.dir="$BUILD_DIR" test-compile

# shellcheck source=scripts/lib/bench-java.sh
source scripts/lib/bench-java.sh
export GEOHAZARD_BENCH_BUILD_DIR=$BUILD_DIR
# The node's INFO logs would bury the table; warnings and errors still show.
LOGS=(-Dorg.slf4j.simpleLogger.defaultLogLevel=warn)

if [[ $WHAT == all || $WHAT == jmh ]]; then
  echo "== JMH: decode + letterbox, output decoding + NMS (us per image) ==" >&2
  bench_java "${JAVA_OPTS[@]}" "${LOGS[@]}" org.openjdk.jmh.Main \
    -jvmArgsAppend "${LOGS[*]}" "${JMH_OPTS[@]}" 'org.geohazard.bench.*Benchmark\.'
fi

if [[ $WHAT == all || $WHAT == pipeline ]]; then
  STARTED_STACK=false
  if [[ $RAW_ONLY == false ]]; then
    if ! bash scripts/local-stack.sh status >/dev/null 2>&1; then
      STARTED_STACK=true
    fi
    bash scripts/local-stack.sh up >&2
  fi
  stop_stack() { if [[ $STARTED_STACK == true ]]; then bash scripts/local-stack.sh down >&2 || true; fi; }
  trap stop_stack EXIT
  echo "== raw ONNX Runtime vs pipeline ==" >&2
  bench_java "${JAVA_OPTS[@]}" "${LOGS[@]}" org.geohazard.bench.InferenceBenchmark \
    --stack-env "$REPO_ROOT/.stack/env" "$@"
fi
