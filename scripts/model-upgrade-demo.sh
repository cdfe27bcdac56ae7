#!/usr/bin/env bash
# A model upgrade on a running node, as an operator does it, with the shipped sample images:
#   1. a node serves the retired GeoHazard-Det 1.0 (from git history) and GeoHazard-S2Flood 2.0;
#   2. GeoHazard-RGB 2.0 runs in shadow on every image, and the samples are uploaded: the shadow report
#      compares the old and the new RGB detector on them (GET /api/v1/models/shadow-report);
#   3. the new model is promoted (POST /api/v1/admin/models, mode serve) while uploads keep coming: every
#      image is analysed, none lost or failed, by the old model before the switch and the new one after;
#   4. the samples are uploaded again: each is analysed again by the new model (its old analysis stays in
#      GET /api/v1/results/{id}/analyses), and the old and new analyses are printed side by side.
#
#   scripts/model-upgrade-demo.sh [LOAD_IMAGES (default 120)]
#
# Needs the repository's git history (the retired model) and ../shared/data/samples; the node listens on
# :8091 and logs to .stack/logs/model-upgrade-demo.log.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/jar-and-stack.sh
source scripts/lib/jar-and-stack.sh

load_images=${1:-120}
port=8091
base="http://127.0.0.1:$port"
token="demo-admin-token-$RANDOM$RANDOM"
samples=../shared/data/samples
spain=../shared/data/geotiff/sen1floods11/sample/S2/Spain_7370579_S2Hand.tif
retired=models/retired-geohazard-det-1.0.onnx
# GeoHazard-Det 1.0, the RGB model before GeoHazard-RGB 2.0 (removed from models/ in fe5d1de).
retired_commit=fe5d1de~1
work=$(mktemp -d)
node_pid=

cleanup() {
  if [ -n "$node_pid" ]; then
    kill "$node_pid" 2>/dev/null || true
    wait "$node_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

[ -d "$samples" ] || { echo "no $samples: the demo needs the shared sample images" >&2; exit 1; }
if [ ! -f "$retired" ]; then
  git show "$retired_commit:models/geohazard-yolo.onnx" >"$retired" 2>/dev/null || {
    rm -f "$retired"
    echo "the retired model is not in this clone's history ($retired_commit); clone with full history" >&2
    exit 1
  }
fi

jar=target/geohazard.jar
ensure_jar
bash scripts/local-stack.sh up >/dev/null
export_stack_env
mkdir -p .stack/logs
GEOHAZARD_HTTP_PORT=$port GEOHAZARD_HTTP_ADMIN_TOKEN=$token GEOHAZARD_NODE_ID=model-demo \
  GEOHAZARD_MODEL_PATHS="$retired,models/geohazard-s2flood.onnx" \
  java -Xmx1g -jar "$jar" >.stack/logs/model-upgrade-demo.log 2>&1 &
node_pid=$!
for _ in $(seq 1 240); do
  curl -fsS "$base/api/v1/health/ready" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS "$base/api/v1/health/ready" >/dev/null || { echo "node did not start; see the log" >&2; exit 1; }

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
admin() { curl -fsS -X POST "$base/api/v1/admin/models" -H "X-Admin-Token: $token" -H 'Content-Type: application/json' -d "$1"; }
# A copy of a file with 8 random bytes after it: new content for the service, the same picture for the decoders.
salted() { local out="$work/$(basename "$1")"; cp "$1" "$out"; head -c 8 /dev/urandom >>"$out"; echo "$out"; }
upload() { curl -sS -F "file=@$1" "$base/api/v1/analyze/single" | json "d['image_id']"; }
await() {  # image id -> final status
  for _ in $(seq 1 600); do
    status=$(curl -fsS "$base/api/v1/results/$1" | json "d['status']")
    case "$status" in completed|failed) echo "$status"; return ;; esac
    sleep 0.2
  done
  echo timeout
}

echo "== 1. serving: $(curl -fsS "$base/api/v1/models" | json "', '.join(m['version'] for m in d['models'])")"
candidate=$(admin '{"path": "models/geohazard-rgb.onnx", "mode": "shadow", "shadow_share": 1.0}' |
  json "[m['version'] for m in d['nodes'][0]['models'] if m['role'] == 'shadow'][0]")
echo "== 2. GeoHazard-RGB 2.0 in shadow on every image; the samples:"
declare -A ids
files=()
for f in "$samples"/*.jpg "$samples"/*.png "$spain" ../shared/data/geotiff/rasterio/RGB.byte.tif; do
  [ -f "$f" ] || continue
  copy=$(salted "$f")
  files+=("$copy")
  ids[$copy]=$(upload "$copy")
done
for copy in "${files[@]}"; do
  printf '   %-36s %s\n' "$(basename "$copy")" "$(await "${ids[$copy]}")"
done
sleep 1
echo "   shadow report (candidate vs the serving models on the same images):"
curl -fsS -G "$base/api/v1/models/shadow-report" --data-urlencode "candidate=$candidate" | python3 -m json.tool | sed 's/^/   /'

echo "== 3. promoting GeoHazard-RGB 2.0 while $load_images uploads arrive (4 at a time)"
load="$work/load.jpg"
cp "$samples/landsat7-olinda-rgb.jpg" "$load"
seq 1 "$load_images" | xargs -P 4 -I{} sh -c \
  "cp '$load' '$work/load-{}.jpg'; head -c 8 /dev/urandom >>'$work/load-{}.jpg';
   curl -sS -F 'file=@$work/load-{}.jpg' '$base/api/v1/analyze/single' >'$work/load-{}.json'" &
loader=$!
sleep 2
started=$(date +%s%N)
admin '{"path": "models/geohazard-rgb.onnx", "mode": "serve"}' >"$work/promote.json"
promoted=$(date +%s%N)
wait "$loader"
grep -h "serves now" .stack/logs/model-upgrade-demo.log | tail -1 | sed 's/^/   node: /'
accepted=0; completed=0; failed=0; other=0
declare -A by_model
for answer in "$work"/load-*.json; do
  id=$(json "d.get('image_id','')" <"$answer" 2>/dev/null || true)
  [ -n "$id" ] || { other=$((other + 1)); continue; }
  accepted=$((accepted + 1))
  case "$(await "$id")" in
    completed) completed=$((completed + 1))
      v=$(curl -fsS "$base/api/v1/results/$id" | json "d['analysis']['model_version']")
      by_model[$v]=$(( ${by_model[$v]:-0} + 1 )) ;;
    failed) failed=$((failed + 1)) ;;
  esac
done
printf '   admin call took %.1f s; uploads: sent %d, accepted %d, completed %d, failed %d, refused %d\n' \
  "$(python3 -c "print(($promoted - $started) / 1e9)")" "$load_images" "$accepted" "$completed" "$failed" "$other"
for v in "${!by_model[@]}"; do echo "   analysed by $v: ${by_model[$v]}"; done

echo "== 4. the samples uploaded again: analysed again by the new model (old analysis kept in the history)"
for copy in "${files[@]}"; do
  id=$(upload "$copy")
  [ "$id" = "${ids[$copy]}" ] || echo "   (a new image id for $(basename "$copy"): $id)"
  await "$id" >/dev/null
  echo "   $(basename "$copy")"
  curl -fsS "$base/api/v1/results/$id/analyses" | python3 -c "
import json, sys
for a in json.load(sys.stdin)['analyses']:
    print('      %-44s flood %.3f, landslide %.3f, risk %-8s %3d boxes' % (a['model_version'],
          a['flood_probability'], a['landslide_probability'], a['risk_level'], a['detections_count']))"
done
