#!/usr/bin/env bash
# A Sentinel-2-sized scene through a real node: writes a synthetic 10980 x 10980 x 4-band uint16 GeoTIFF
# (DEFLATE tiles, ~10 MB on disk, 920 MB of samples), starts the node from the fat jar with a fixed heap,
# uploads the scene, follows its tile progress until the analysis is stored, and prints the wall time
# and the node's peak resident memory (VmHWM: heap, direct buffers and ONNX Runtime's native memory)
# next to the heap limit. Usage: scripts/scene-bench.sh [side] [heap]   (defaults 10980 and 1g)
set -euo pipefail
cd "$(dirname "$0")/.."
side=${1:-10980}
heap=${2:-1g}
port=${GEOHAZARD_BENCH_PORT:-18181}
work=$(mktemp -d)
trap 'kill "${node_pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

mvn -B -q -DskipTests package
mvn -B -q -Pbench test-compile
bash scripts/local-stack.sh up >/dev/null
scene="$work/scene-$side.tif"
java -cp "target/bench-classes:target/test-classes:target/classes:$(cat target/bench.classpath)" \
  org.geohazard.bench.LargeSceneBenchmark --write-only "$side" "$scene"
# A few random bytes appended after the TIFF data make the content new on every run (results are
# cached per content); TIFF readers ignore bytes that no offset points to.
head -c 16 /dev/urandom >>"$scene"
echo "scene: ${side} x ${side} x 4 uint16, file $(du -h "$scene" | cut -f1)"

while IFS='=' read -r key value; do
  case "$key" in GEOHAZARD_*) export "$key=$value" ;; esac
done < .stack/env
GEOHAZARD_RATE_LIMIT_REQUESTS_PER_WINDOW=1000000 GEOHAZARD_HTTP_PORT=$port java -Xmx"$heap" -jar target/geohazard.jar >"$work/node.log" 2>&1 &
node_pid=$!
for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$port/api/v1/health/ready" >/dev/null 2>&1 && break
  sleep 0.5
done

start=$(date +%s.%N)
id=$(curl -fsS -F "file=@$scene" -F bands=3,2,1 "http://127.0.0.1:$port/api/v1/analyze/single" |
  sed -E 's/.*"image_id":"([^"]+)".*/\1/')
echo "image $id"
status=pending
while [[ $status == pending || $status == processing ]]; do
  sleep 1
  body=$(curl -fsS "http://127.0.0.1:$port/api/v1/results/$id")
  status=$(sed -E 's/.*"status":"([a-z]+)".*/\1/' <<<"$body")
  progress=$(grep -oE '"progress":\{[^}]*\}' <<<"$body" || true)
  printf '\r%s %s        ' "$status" "$progress"
done
end=$(date +%s.%N)
echo
hwm_kb=$(awk '/VmHWM/ {print $2}' "/proc/$node_pid/status")
tiles=$(grep -oE '"tiles":[0-9]+' <<<"$body" | cut -d: -f2)
awk -v s="$start" -v e="$end" -v hwm="$hwm_kb" -v heap="$heap" -v tiles="$tiles" -v st="$status" 'BEGIN {
  printf "status %s, %s model inputs (tiles + full view)\n", st, tiles
  printf "upload to stored analysis: %.1f s\n", e - s
  printf "node peak resident memory (VmHWM): %d MB, with -Xmx%s\n", hwm / 1024, heap
}'
