#!/usr/bin/env bash
# A Sentinel-2-sized scene through a real node: writes a synthetic 10980 x 10980 x 4-band uint16 GeoTIFF
# (DEFLATE tiles, ~10 MB on disk, 920 MB of samples), starts the node from the fat jar with a fixed heap,
# uploads the scene, follows its tile progress until the analysis is stored, and prints the wall time
# and the node's peak resident memory (VmHWM: heap, direct buffers and ONNX Runtime's native memory)
# next to the heap limit. Then, on the same file and heap, ScenePipelineBenchmark: decoding alone,
# inference alone and the offline pipeline (medians of $SCENE_BENCH_ROUNDS rounds, default 3), and the
# node's time divided by max(decode alone, inference alone), the goal being <= 1.2.
# Usage: scripts/scene-bench.sh [side] [heap]   (defaults 10980 and 1g)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/bench-java.sh
source scripts/lib/bench-java.sh
side=${1:-10980}
heap=${2:-1g}
port=${GEOHAZARD_BENCH_PORT:-18181}
work=$(mktemp -d)
trap 'kill "${node_pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

mvn -B -q -DskipTests package
mvn -B -q -Pbench test-compile
bash scripts/local-stack.sh up >/dev/null
scene="$work/scene-$side.tif"
bench_java org.geohazard.bench.LargeSceneBenchmark --write-only "$side" "$scene"
# A few random bytes appended after the TIFF data make the content new on every run (results are
# cached per content); TIFF readers ignore bytes that no offset points to.
head -c 16 /dev/urandom >>"$scene"
echo "scene: ${side} x ${side} x 4 uint16, file $(du -h "$scene" | cut -f1)"

# CPU ticks of each of the node's threads, by name without its number (utime and stime are fields 14 and
# 15 of stat; the name in parentheses may hold spaces, so fields are counted after it).
thread_ticks() {
  for task in /proc/"$node_pid"/task/*; do
    comm=$(tr ' ' '_' <"$task/comm" 2>/dev/null) || continue
    ticks=$(sed -E 's/.*\) //' "$task/stat" 2>/dev/null | awk '{print $12 + $13}') || continue
    echo "${comm%%[0-9]*} ${ticks:-0}"
  done
}

while IFS='=' read -r key value; do
  case "$key" in GEOHAZARD_*) export "$key=$value" ;; esac
done < .stack/env
GEOHAZARD_RATE_LIMIT_REQUESTS_PER_WINDOW=1000000 GEOHAZARD_HTTP_PORT=$port java -Xmx"$heap" ${GEOHAZARD_BENCH_NODE_JAVA_OPTS:-} -jar target/geohazard.jar >"$work/node.log" 2>&1 &
node_pid=$!
for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$port/api/v1/health/ready" >/dev/null 2>&1 && break
  sleep 0.5
done

# A long-running node has compiled its decoding and inference paths; a fresh one spends several seconds of
# CPU in the JIT compiler during its first scene. One smaller scene first, untimed, as the node's warm-up.
warm="$work/warm-up.tif"
bench_java org.geohazard.bench.LargeSceneBenchmark --write-only 2400 "$warm"
head -c 16 /dev/urandom >>"$warm"
warm_id=$(curl -fsS -F "file=@$warm" -F bands=3,2,1 "http://127.0.0.1:$port/api/v1/analyze/single" |
  sed -E 's/.*"image_id":"([^"]+)".*/\1/')
until curl -fsS "http://127.0.0.1:$port/api/v1/results/$warm_id" | grep -qE '"status":"(completed|failed)"'; do
  sleep 1
done
echo "node warmed up on a 2400 x 2400 scene"
metrics_before=$(curl -fsS "http://127.0.0.1:$port/metrics")
ticks_before=$(thread_ticks)

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
# Where the node's time went: its stage timers summed over the scene's windows (the warm-up's taken off) (seconds of thread time, so
# preprocessing on two threads can add up to more than the wall time) and the mean batch.
{ sed 's/^/before /' <<<"$metrics_before"; curl -fsS "http://127.0.0.1:$port/metrics"; } | awk '
  { sign = 1; if ($1 == "before") { sign = -1; $0 = substr($0, 8) } }
  /^geohazard_stage_seconds_sum\{/ && /stage="(preprocess|batch_wait|inference|postprocess)"/ {
    match($0, /stage="[a-z_]+"/); stage = substr($0, RSTART + 7, RLENGTH - 8); sum[stage] += sign * $NF }
  /^geohazard_inference_batch_size_(sum|count)/ { split($1, name, "{"); batch[name[1]] += sign * $NF }
  END {
    printf "node stage totals: preprocess %.1f s, waiting for a batch %.1f s, ONNX Runtime %.1f s, postprocess %.1f s;",
      sum["preprocess"], sum["batch_wait"], sum["inference"], sum["postprocess"]
    if (batch["geohazard_inference_batch_size_count"] > 0)
      printf " %d batches, mean %.1f windows", batch["geohazard_inference_batch_size_count"],
        batch["geohazard_inference_batch_size_sum"] / batch["geohazard_inference_batch_size_count"]
    printf "\n" }'
# The node's CPU by thread group during the scene (Linux counters, clock ticks of 10 ms; ONNX Runtime's
# native threads carry the name of the thread that built the session): what shared the cores with the model.
echo "node CPU seconds by thread group, during the scene:"
{ sed 's/^/before /' <<<"$ticks_before"; thread_ticks; } | awk '
  $1 == "before" { sum[$2] -= $3; next } { sum[$1] += $2 }
  END { for (g in sum) if (sum[g] >= 10) printf "  %-28s %6.1f\n", g, sum[g] / 100 }' | sort -k2 -rn
kill "$node_pid" 2>/dev/null || true
wait "$node_pid" 2>/dev/null || true
[[ ${SCENE_BENCH_ROUNDS:-3} -gt 0 ]] || exit 0

echo
echo "the same scene's stages apart (ScenePipelineBenchmark, -Xmx$heap):"
bench_java -Xmx"$heap" org.geohazard.bench.ScenePipelineBenchmark "$scene" --bands 3,2,1 --rounds "${SCENE_BENCH_ROUNDS:-3}" \
  2>/dev/null | tee "$work/stages.txt"
limit=$(sed -nE 's/^max\(decode, inference\) = ([0-9.]+) s$/\1/p' "$work/stages.txt")
awk -v s="$start" -v e="$end" -v limit="$limit" 'BEGIN {
  printf "node, upload to stored analysis / max(decode, inference): %.1f / %.1f = %.2f (goal <= 1.2)\n",
    e - s, limit, (e - s) / limit
}'
