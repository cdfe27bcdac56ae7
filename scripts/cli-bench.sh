#!/usr/bin/env bash
# The offline CLI's speed on real scenes (BENCHMARKS.md, "Offline CLI"), in one run:
#   1. OfflineAnalyzeBenchmark: per file, the analysis time next to the ONNX Runtime session runs inside it
#      (median of rounds) and the models' load time;
#   2. whole processes: `java -jar target/geohazard.jar analyze FILE` timed 5 times per file (median wall
#      seconds: JVM start, model load, analysis, GeoJSON out).
#   scripts/cli-bench.sh [FILE...]   (default: the real scenes of ../shared/data that exist)
# Needs no servers. Builds the jar and the benchmark classes when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/bench-java.sh
source scripts/lib/bench-java.sh
files=("$@")
if ((${#files[@]} == 0)); then
  for f in ../shared/data/geotiff/sen1floods11/sample/S2/Spain_7370579_S2Hand.tif \
           ../shared/data/geotiff/rasterio/RGB.byte.tif \
           ../shared/data/geotiff/kaikoura-landslides/satellite_imagery/image_difference/diff_landslide_69.tif \
           ../shared/data/samples/sentinel2-spain-flood-rgb.jpg; do
    [[ -f $f ]] && files+=("$f")
  done
fi
((${#files[@]} > 0)) || { echo "cli-bench: no files (../shared/data is absent); name some" >&2; exit 2; }
[[ -f target/geohazard.jar ]] || mvn -B -q package -DskipTests
mvn -B -q -Pbench test-compile -Dweb.skipInstall=true
bench_java org.geohazard.bench.OfflineAnalyzeBenchmark "${files[@]}"
echo "whole process, java -jar target/geohazard.jar analyze FILE > /dev/null (median of 5):"
for f in "${files[@]}"; do
  times=()
  for _ in 1 2 3 4 5; do
    start=$(date +%s%N)
    java -jar target/geohazard.jar analyze "$f" >/dev/null 2>&1
    times+=($(( ($(date +%s%N) - start) / 1000000 )))
  done
  median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)
  awk -v n="$(basename "$f")" -v ms="$median" 'BEGIN { printf "  %-44s %6.2f s\n", n, ms / 1000 }'
done
