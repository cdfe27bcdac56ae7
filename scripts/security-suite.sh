#!/usr/bin/env bash
# The security suite: starts one node (the fat jar, the shipped models, an admin token of its own) on loopback
# against the local stack, runs each attack of SECURITY.md against it and prints attack / expected / observed.
# Every loop is bounded; only 127.0.0.1 is ever contacted. Exit 1 when an observation is not the expected one.
#
#   scripts/security-suite.sh                 port 18480, or SECURITY_SUITE_PORT
#   IMAGE=path/to/flood.jpg scripts/security-suite.sh
#
# The fast cases are also integration tests in `mvn verify` (SecurityIT, ApiKeyLifecycleIT, WebhookIT, ...).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/jar-and-stack.sh
source scripts/lib/jar-and-stack.sh

port=${SECURITY_SUITE_PORT:-18480}
base="http://127.0.0.1:$port"
token="suite-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
image=${IMAGE:-../shared/data/geotiff/sen1floods11/sample/S2/Spain_7370579_S2Hand.tif}
work=$(mktemp -d)
node_pid=

cleanup() {
  if [ -n "$node_pid" ]; then
    kill "$node_pid" 2>/dev/null || true
    wait "$node_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap 'status=$?; cleanup; exit $status' EXIT

ensure_jar
bash scripts/local-stack.sh up >/dev/null
export_stack_env
# One setting differs from the defaults: a pixel budget of 20 megapixels per client and minute (default 2
# gigapixels), so that the cost quota (case 10) is reached with three small uploads instead of eight of the largest
# scenes; every other case uploads far less.
GEOHAZARD_HTTP_HOST=127.0.0.1 GEOHAZARD_HTTP_PORT=$port GEOHAZARD_HTTP_ADMIN_TOKEN=$token \
  GEOHAZARD_RATE_LIMIT_PIXELS_PER_WINDOW=20000000 \
  java ${JAVA_OPTS:-} -jar target/geohazard.jar >"$work/node.log" 2>&1 &
node_pid=$!
for _ in $(seq 1 120); do
  curl -fsS "$base/api/v1/health/ready" >/dev/null 2>&1 && break
  kill -0 "$node_pid" 2>/dev/null || { echo "the node did not start:"; tail -20 "$work/node.log"; exit 1; }
  sleep 1
done

failures=0
printf '%-62s | %-44s | %s\n' "attack" "expected" "observed"
printf '%s\n' "$(printf -- '-%.0s' $(seq 1 150))"
row() { # attack, expected, observed, ok(0/1)
  local mark="ok"
  [ "$4" = 0 ] || { mark="FAIL"; failures=$((failures + 1)); }
  printf '%-62s | %-44s | %s [%s]\n' "$1" "$2" "$3" "$mark"
}
# status and error code of a request: code METHOD PATH [curl args...]
code() {
  local method=$1 path=$2
  shift 2
  curl -sS -o "$work/body" -w '%{http_code}' -X "$method" --path-as-is "$@" "$base$path" || true
  printf ' %s' "$(sed -n 's/.*"code":"\([a-z_]*\)".*/\1/p' "$work/body")"
}
key() { # name, scopes as a JSON list
  curl -fsS -H "X-Admin-Token: $token" -H 'Content-Type: application/json' \
    -d "{\"name\":\"$1\",\"scopes\":$2}" "$base/api/v1/admin/keys" | sed -n 's/.*"secret":"\([^"]*\)".*/\1/p'
}
reader=$(key suite-reader '["read"]')
operator=$(key suite-operator '["read","operate"]')
uuid=$(cat /proc/sys/kernel/random/uuid)

# 1. A stranger's upload (what any web page can make a browser send) at a place of its own.
started=$(date +%s)
lat=$(awk -v r="$RANDOM" 'BEGIN { printf "%.4f", -50 + (r % 10000) / 100 }')
lon=$(awk -v r="$RANDOM" 'BEGIN { printf "%.4f", -170 + (r % 34000) / 100 }')
# New content each run, so that it is analysed, not answered from cache: a comment segment after a JPEG's start,
# 16 bytes after a TIFF's last (nothing in a TIFF points there).
python3 - "$image" "$work/upload" <<'EOF'
import os, sys
data = open(sys.argv[1], 'rb').read()
noise = os.urandom(16).hex().encode()
if data[:2] == b'\xff\xd8':
    data = data[:2] + b'\xff\xfe' + (len(noise) + 2).to_bytes(2, 'big') + noise + data[2:]
else:
    data = data + noise
open(sys.argv[2], 'wb').write(data)
EOF
image_id=$(curl -sS -F "file=@$work/upload;filename=$(basename "$image")" -F "latitude=$lat" -F "longitude=$lon" \
  "$base/api/v1/analyze/single" | sed -n 's/.*"image_id":"\([^"]*\)".*/\1/p')
status=pending
for _ in $(seq 1 180); do
  status=$(curl -sS "$base/api/v1/results/$image_id" | sed -n 's/.*"status":"\([a-z]*\)".*/\1/p')
  [ "$status" = completed ] || [ "$status" = failed ] && break
  sleep 1
done
# The alert is held for operators: a new unverified one, or (a scene placed by its GeoTIFF, uploaded again) an
# unverified one nearby that it was merged into. Looked for by time, since a merged alert keeps its first image.
found=""
for _ in $(seq 1 20); do
  found=$(curl -sS -H "X-API-Key: $operator" "$base/api/v1/alerts/unverified?limit=1000" | python3 -c '
import json, sys, datetime
since = float(sys.argv[1])
def t(s): return datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp() if s else 0
for a in json.load(sys.stdin)["alerts"]:
    if max(t(a["created_at"]), t(a.get("updated_at"))) >= since:
        print(a["alert_id"], a["latitude"], a["longitude"]); break' "$started")
  [ -n "$found" ] && break
  sleep 0.5
done
risk=$(curl -sS "$base/api/v1/results/$image_id" | grep -o '"risk_level":"[a-z]*"' | head -1 || true)
if [ -n "$found" ]; then
  read -r alert_id alert_lat alert_lon <<<"$found"
  public=$(curl -sS "$base/api/v1/alerts/active?latitude=$alert_lat&longitude=$alert_lon&radius_km=20" \
    | grep -c "$alert_id" || true)
  feed=$(curl -sS "$base/api/v1/alerts/feed" | grep -c "$alert_id" || true)
  by_id=$(code GET "/api/v1/alerts/$alert_id")
  row "anonymous upload of a flood scene raises a public alert" "held unverified; not listed, fed or readable" \
    "unverified for operators ($risk); active list $public, feed $feed, by id $by_id" \
    "$([ "$public$feed" = 00 ] && [ "$by_id" = "404 not_found" ] && echo 0 || echo 1)"
else
  row "anonymous upload of a flood scene raises a public alert" "held unverified; not listed, fed or readable" \
    "no unverified alert found (status $status, $risk)" 1
fi

# 2. Any key acts on any alert.
observed=$(code POST "/api/v1/alerts/$uuid/acknowledge" -H "X-API-Key: $reader")
row "a read-only key acknowledges an alert" "403 insufficient_scope" "$observed" \
  "$([ "$observed" = "403 insufficient_scope" ] && echo 0 || echo 1)"
observed=$(code POST "/api/v1/admin/models" -H "X-API-Key: $operator" -H 'Content-Type: application/json' -d '{}')
row "an operator's key changes the served models" "403 insufficient_scope" "$observed" \
  "$([ "$observed" = "403 insufficient_scope" ] && echo 0 || echo 1)"

# 3. Walking around the limiter with another spelling of the path.
refused=0
for spelling in "//api/v1/results/$uuid" "/api//v1/results/$uuid" "/api/v1/./results/$uuid" \
  "/api/v1/x/../results/$uuid" "/api/v1%2Fresults/$uuid" "/api/v1/results/$uuid."; do
  [ "$(code GET "$spelling")" = "400 non_canonical_path" ] && refused=$((refused + 1))
done
row "non-canonical paths (//, /./, /../, %2F, trailing dot)" "400 non_canonical_path, before admission" \
  "$refused of 6 refused" "$([ "$refused" = 6 ] && echo 0 || echo 1)"

# 4. Browser protections and what health shows to anyone.
headers=$(curl -sS -D - -o /dev/null "$base/")
ok=0
for header in "Content-Security-Policy: default-src 'self'" "X-Frame-Options: DENY" "X-Content-Type-Options: nosniff" \
  "frame-ancestors 'none'" "Referrer-Policy"; do
  grep -qiF "$header" <<<"$headers" && ok=$((ok + 1))
done
row "framing, sniffing, injected script on the dashboard" "CSP, frame-ancestors, nosniff, referrer" \
  "$ok of 5 present" "$([ "$ok" = 5 ] && echo 0 || echo 1)"

# 5. A revoked key.
doomed_json=$(curl -fsS -H "X-Admin-Token: $token" -H 'Content-Type: application/json' \
  -d '{"name":"suite-doomed","scopes":["read"]}' "$base/api/v1/admin/keys")
doomed=$(sed -n 's/.*"secret":"\([^"]*\)".*/\1/p' <<<"$doomed_json")
doomed_id=$(sed -n 's/.*"key_id":\([0-9]*\).*/\1/p' <<<"$doomed_json")
before=$(code GET "/api/v1/results/$uuid" -H "X-API-Key: $doomed")
curl -fsS -o /dev/null -X POST -H "X-Admin-Token: $token" "$base/api/v1/admin/keys/$doomed_id/revoke"
after=$(code GET "/api/v1/results/$uuid" -H "X-API-Key: $doomed")
row "a key used after its revocation" "401 invalid_api_key at once" "before $before, after $after" \
  "$([ "$after" = "401 invalid_api_key" ] && echo 0 || echo 1)"

# 6. Webhooks into internal networks through address translation.
refused=0
for target in "http://[64:ff9b::7f00:1]/" "http://[2002:7f00:1::1]/" "http://198.18.0.1/" "http://169.254.169.254/"; do
  [ "$(code POST /api/v1/webhooks -H "X-API-Key: $operator" -H 'Content-Type: application/json' \
    -d "{\"url\":\"$target\"}")" = "400 webhook_target_refused" ] && refused=$((refused + 1))
done
row "webhooks to NAT64, 6to4, benchmarking, metadata addresses" "400 webhook_target_refused" \
  "$refused of 4 refused" "$([ "$refused" = 4 ] && echo 0 || echo 1)"

# 7. Tenants: two keys send the bytes of case 1 (analysed by now) with names and points of their own.
tenant_a=$(key suite-tenant-a '["read","upload"]')
tenant_b=$(key suite-tenant-b '["read","upload"]')
upload_as() { # key, file name, latitude, longitude -> the answer
  curl -sS -H "X-API-Key: $1" -F "file=@$work/upload;filename=$2" -F "latitude=$3" -F "longitude=$4" \
    "$base/api/v1/analyze/single"
}
answer_a=$(upload_as "$tenant_a" a-private-site.tif 11.1111 22.2222)
answer_b=$(upload_as "$tenant_b" b-own-name.tif -33.3333 44.4444)
id_a=$(sed -n 's/.*"image_id":"\([^"]*\)".*/\1/p' <<<"$answer_a")
id_b=$(sed -n 's/.*"image_id":"\([^"]*\)".*/\1/p' <<<"$answer_b")
result_b=$(curl -sS -H "X-API-Key: $tenant_b" "$base/api/v1/results/$id_b")
leaks=$(grep -c -e "$id_a" -e "$image_id" -e a-private-site -e 11.1111 <<<"$answer_b$result_b" || true)
shared=$(grep -c '"status":"completed"' <<<"$answer_b" || true)
row "a second key uploads the same bytes (dedup by SHA-256)" "own id and name; analysis shared; nothing of A" \
  "ids differ: $([ "$id_a" != "$id_b" ] && echo yes || echo no), analysis at once: $shared, A's id/name/point in B's: $leaks" \
  "$([ -n "$id_b" ] && [ "$id_a" != "$id_b" ] && [ "$shared" = 1 ] && [ "$leaks" = 0 ] && echo 0 || echo 1)"
batch_a=$(curl -sS -H "X-API-Key: $tenant_a" -F "files=@$work/upload;filename=a-batch.tif" \
  "$base/api/v1/analyze/batch" | sed -n 's/.*"batch_id":"\([^"]*\)".*/\1/p')
refused=0
for attempt in "GET /api/v1/results/$id_a" "GET /api/v1/results/$id_a/geojson" "GET /api/v1/results/$id_a/analyses" \
    "POST /api/v1/results/$id_a/reanalyze" "GET /api/v1/batches/$batch_a"; do
  [ "$(code ${attempt% *} "${attempt#* }" -H "X-API-Key: $tenant_b")" = "404 not_found" ] && refused=$((refused + 1))
done
own=$(code GET "/api/v1/results/$id_a" -H "X-API-Key: $tenant_a")
row "key B reads A's result, GeoJSON, analyses, batch; re-analyses" "404 not_found (as an unknown id) x5" \
  "$refused of 5 not found; A itself $own" "$([ "$refused" = 5 ] && [ "$own" = "200 " ] && echo 0 || echo 1)"

# 8. The held alert of case 1, confirmed: public now, it names no upload; the operator sees its source.
if [ -n "$found" ]; then
  curl -fsS -o /dev/null -X POST -H "X-API-Key: $operator" "$base/api/v1/alerts/$alert_id/confirm" || true
  public_answers=$(curl -sS "$base/api/v1/alerts/$alert_id"; curl -sS "$base/api/v1/alerts/$alert_id?format=cap"
    curl -sS "$base/api/v1/alerts/active?latitude=$alert_lat&longitude=$alert_lon&radius_km=20"
    curl -sS "$base/api/v1/alerts/feed")
  named=$(grep -c -e "$image_id" -e '"image_id"' <<<"$public_answers" || true)
  source=$(curl -sS -H "X-API-Key: $operator" "$base/api/v1/alerts/$alert_id" \
    | sed -n 's/.*"image_id":"\([^"]*\)".*/\1/p')
  curl -fsS -o /dev/null -X POST -H "X-API-Key: $operator" "$base/api/v1/alerts/$alert_id/resolve" || true
  row "a public alert (JSON, CAP, list, feed) names its upload" "no upload id; operators see the source" \
    "lines naming it: $named; operator sees the upload: $([ "$source" = "$image_id" ] && echo yes || echo no)" \
    "$([ "$named" = 0 ] && [ "$source" = "$image_id" ] && echo 0 || echo 1)"
else
  row "a public alert (JSON, CAP, list, feed) names its upload" "no upload id; operators see the source" \
    "no alert from case 1 to look at" 1
fi

# --- Cluster and nodes sharing a database (issue 23 item 6; the two-node event-bus TLS case is ClusterTlsIT) ---
second_pid=
stop_second() {
  if [ -n "$second_pid" ]; then
    kill "$second_pid" 2>/dev/null || true
    wait "$second_pid" 2>/dev/null || true
    second_pid=
  fi
}
trap 'status=$?; stop_second; cleanup; exit $status' EXIT

# C1. A second node, not clustered, on the same database: a revocation on the first reaches it by no broadcast.
second_port=${SECURITY_SUITE_SECOND_PORT:-$((port + 1))}
second="http://127.0.0.1:$second_port"
GEOHAZARD_HTTP_HOST=127.0.0.1 GEOHAZARD_HTTP_PORT=$second_port GEOHAZARD_HTTP_ADMIN_TOKEN=$token \
  GEOHAZARD_NODE_ROLES=api,persistence java ${JAVA_OPTS:-} -jar target/geohazard.jar >"$work/second.log" 2>&1 &
second_pid=$!
for _ in $(seq 1 120); do
  curl -fsS "$second/api/v1/health/live" >/dev/null 2>&1 && break
  kill -0 "$second_pid" 2>/dev/null || break
  sleep 1
done
shared_json=$(curl -fsS -H "X-Admin-Token: $token" -H 'Content-Type: application/json' \
  -d '{"name":"suite-shared-db","scopes":["read"]}' "$base/api/v1/admin/keys" || true)
shared_key=$(sed -n 's/.*"secret":"\([^"]*\)".*/\1/p' <<<"$shared_json")
shared_id=$(sed -n 's/.*"key_id":\([0-9]*\).*/\1/p' <<<"$shared_json")
before=$(curl -sS -o /dev/null -w '%{http_code}' -H "X-API-Key: $shared_key" "$second/api/v1/results/$uuid" || true)
curl -fsS -o /dev/null -X POST -H "X-Admin-Token: $token" "$base/api/v1/admin/keys/$shared_id/revoke" || true
revoked_at=$(date +%s%N)
after=""
for _ in $(seq 1 50); do # 5 s at most
  after=$(curl -sS -o /dev/null -w '%{http_code}' -H "X-API-Key: $shared_key" "$second/api/v1/results/$uuid" || true)
  [ "$after" = 401 ] && break
  sleep 0.1
done
took=$((($(date +%s%N) - revoked_at) / 1000000))
row "a key revoked on node 1, used on an unclustered node 2" "401 on node 2 within about a second" \
  "node 2 before $before, after $after in $took ms" \
  "$([ "$before" = 404 ] && [ "$after" = 401 ] && [ "$took" -lt 2000 ] && echo 0 || echo 1)"
stop_second

# C2. A clustered node in production mode without event-bus TLS (every other production setting given).
touch "$work/any.crt" "$work/any.key"
refusal=$(GEOHAZARD_NODE_MODE=production GEOHAZARD_CLUSTER_ENABLED=true GEOHAZARD_HTTP_PORT=$second_port \
  GEOHAZARD_HTTP_ADMIN_TOKEN=$token GEOHAZARD_HTTP_TLS_CERT_PATH="$work/any.crt" \
  GEOHAZARD_HTTP_TLS_KEY_PATH="$work/any.key" GEOHAZARD_DB_USER=suite_app GEOHAZARD_DB_PASSWORD=suite-db \
  GEOHAZARD_REDIS_PASSWORD=suite-redis GEOHAZARD_S3_ACCESS_KEY=suite-access GEOHAZARD_S3_SECRET_KEY=suite-secret \
  timeout 60 java ${JAVA_OPTS:-} -jar target/geohazard.jar 2>&1 | grep -o 'cluster.enabled without cluster.tls' \
  | head -1 || true)
row "a clustered node started in production without bus TLS" "refuses to start, naming cluster.tls" \
  "${refusal:-started or failed otherwise}" "$([ -n "$refusal" ] && echo 0 || echo 1)"
# --- end of the cluster block ---

# 9. Deleting (data lifecycle): only the owner deletes its upload; the other tenant's upload of the same bytes stays.
not_theirs=$(code DELETE "/api/v1/results/$id_a" -H "X-API-Key: $tenant_b")
deleted=$(code DELETE "/api/v1/results/$id_a" -H "X-API-Key: $tenant_a")
gone=$(code GET "/api/v1/results/$id_a" -H "X-API-Key: $tenant_a")
twice=$(code DELETE "/api/v1/results/$id_a" -H "X-API-Key: $tenant_a")
kept=$(code GET "/api/v1/results/$id_b" -H "X-API-Key: $tenant_b")
row "key B deletes A's upload; A deletes it (twice)" "B 404; A 204, then 404; B's same bytes stay" \
  "B: $not_theirs, A: $deleted, read after: $gone, again: $twice, B's upload: $kept" \
  "$([ "$not_theirs" = "404 not_found" ] && [ "$deleted" = "204 " ] && [ "$gone" = "404 not_found" ] \
    && [ "$twice" = "404 not_found" ] && [ "$kept" = "200 " ] && echo 0 || echo 1)"

# 10. Cost: three uploads of a 3000 x 3000 scene (9 megapixels each, a few kilobytes) against a 20-megapixel budget.
python3 - "$work/big.png" <<'EOF2'
import os, struct, sys, zlib
w = h = 3000
raw = b''.join(b'\x00' + bytes([128]) * w for _ in range(h))
raw = raw[:-4] + os.urandom(4)  # new content each run
def chunk(kind, data):
    return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data))
png = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 0, 0, 0, 0)) \
    + chunk(b'IDAT', zlib.compress(raw, 9)) + chunk(b'IEND', b'')
open(sys.argv[1], 'wb').write(png)
EOF2
spender=$(key suite-spender '["read","upload"]')
costs=""
for _ in 1 2 3; do
  costs+="$(curl -sS -o "$work/body" -w '%{http_code}' -D "$work/headers" -H "X-API-Key: $spender" \
    -F "file=@$work/big.png;filename=big.png" "$base/api/v1/analyze/single") "
done
retry_after=$(sed -n 's/^[Rr]etry-[Aa]fter: *\([0-9]*\).*/\1/p' "$work/headers")
row "a 9-megapixel upload costs one request (x3, 20 MP budget)" "2 accepted, the 3rd 429 with Retry-After" \
  "statuses $costs; Retry-After ${retry_after:-none}" \
  "$([[ "$costs" =~ ^20[02]\ 20[02]\ 429\ $ ]] && [ -n "$retry_after" ] && echo 0 || echo 1)"

# 11. Holding streams: five alert streams of one key are allowed (rateLimit.streamsPerClient), a sixth is not.
streamer=$(key suite-streamer '["read"]')
stream_pids=()
for _ in 1 2 3 4 5; do
  curl -sSN --max-time 30 -H "X-API-Key: $streamer" "$base/api/v1/alerts/stream" >/dev/null 2>&1 &
  stream_pids+=($!)
done
sleep 2
sixth=$(code GET /api/v1/alerts/stream -H "X-API-Key: $streamer" --max-time 5)
for pid in "${stream_pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
row "one key opens a sixth alert stream" "429 rate_limited (5 per key and node)" "$sixth" \
  "$([ "$sixth" = "429 rate_limited" ] && echo 0 || echo 1)"

# 12. Webhooks per key: 20 are allowed (rateLimit.webhooksPerKey), the 21st is not. The target is a public
# address that is never contacted: the filter is a 1 km circle at the South Pole, where no case raises an alert.
hook='{"url":"https://1.1.1.1/geohazard-suite","latitude":-89.9,"longitude":0,"radius_km":1}'
hooks=""
for _ in $(seq 1 21); do
  hooks+="$(code POST /api/v1/webhooks -H "X-API-Key: $operator" -H 'Content-Type: application/json' -d "$hook"), "
done
last=$(awk -F', ' '{ print $21 }' <<<"$hooks")
created=$(grep -o '201 ' <<<"$hooks" | wc -l)
row "one key subscribes 21 webhooks" "20 created, the 21st 409 conflict" "$created created, then $last" \
  "$([ "$created" = 20 ] && [ "$last" = "409 conflict" ] && echo 0 || echo 1)"

# 13. A webhook secret rotated with an overlap: the answer holds the new secret and when the old one stops signing.
webhook_id=$(curl -sS -H "X-API-Key: $operator" "$base/api/v1/webhooks" | python3 -c '
import json, sys; print(json.load(sys.stdin)["webhooks"][0]["webhook_id"])')
rotated=$(curl -sS -X POST -H "X-API-Key: $operator" -H 'Content-Type: application/json' \
  -d '{"overlap_seconds":600}' "$base/api/v1/webhooks/$webhook_id/rotate-secret")
until=$(sed -n 's/.*"previous_secret_until":"\([^"]*\)".*/\1/p' <<<"$rotated")
new_secret=$(grep -c '"secret":"whsec_' <<<"$rotated" || true)
stranger=$(code POST "/api/v1/webhooks/$webhook_id/rotate-secret" -H 'Content-Type: application/json' -d '{}' \
  -H "X-API-Key: $(key suite-other-operator '["operate"]')")
row "a webhook secret rotated (by its key; by another operator)" "new secret, old one signs until +600 s; 404" \
  "new secret shown: $new_secret, old one until ${until:-none}; other key: $stranger" \
  "$([ "$new_secret" = 1 ] && [ -n "$until" ] && [ "$stranger" = "404 not_found" ] && echo 0 || echo 1)"
for id in $(curl -sS -H "X-API-Key: $operator" "$base/api/v1/webhooks" | python3 -c '
import json, sys; print(" ".join(w["webhook_id"] for w in json.load(sys.stdin)["webhooks"]))'); do
  curl -sS -o /dev/null -X DELETE -H "X-API-Key: $operator" "$base/api/v1/webhooks/$id"
done

# 14. Guessing keys (last: it spends this address's budget of unknown keys, 20 per window by default).
statuses=""
for i in $(seq 1 25); do
  statuses+="$(code GET "/api/v1/results/$uuid" -H "X-API-Key: ghz_guess_$i" -H "X-Forwarded-For: 10.9.8.$i" \
    | cut -d' ' -f1) "
done
first429=$(tr ' ' '\n' <<<"$statuses" | grep -n '^429$' | head -1 | cut -d: -f1 || true)
# The revoked key of case 5 was the first unknown key from this address: 19 more are looked up, the 20th is not.
row "25 unknown keys, each with another X-Forwarded-For" "401 x19 (+1 above), then 429: header ignored" \
  "first 429 at attempt ${first429:-none} ($statuses)" "$([ "${first429:-0}" = 20 ] && echo 0 || echo 1)"

echo
[ "$failures" = 0 ] && echo "every attack met its defence" || echo "$failures observation(s) not as expected"
exit $((failures > 0))
