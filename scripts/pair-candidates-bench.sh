#!/usr/bin/env bash
# The lookup behind automatic pairing (before=auto, persistence.PairCandidateStore) on a scratch database made by the
# shipped migrations (V1..V8) and filled with synthetic uploads: 200 000 of 100 tenants (4 families, 3 UTM zones,
# scenes of 10-110 km over 600 x 1000 km), plus one busy tenant with 50 000 Sentinel-2 scenes in one zone. Prints
# the plan and the mean time of one lookup for a typical tenant and for the busy one, next to the limits 10 ms and
# 100 ms (an upload's own path takes far longer). Drops the scratch database at the end.
# Usage: scripts/pair-candidates-bench.sh [lookups]   (default 200; MariaDB from GEOHAZARD_DB_HOST/PORT/USER, root)
set -euo pipefail
cd "$(dirname "$0")/.."
lookups=${1:-200}
db=${GEOHAZARD_DB_NAME:-geohazard}_pairbench
sql() { mysql -h"${GEOHAZARD_DB_HOST:-127.0.0.1}" -P"${GEOHAZARD_DB_PORT:-3306}" -u"${GEOHAZARD_DB_USER:-root}" "$@"; }
trap 'sql -e "DROP DATABASE IF EXISTS \`$db\`"' EXIT
sql -e "DROP DATABASE IF EXISTS \`$db\`; CREATE DATABASE \`$db\` CHARACTER SET utf8mb4"
for migration in $(ls src/main/resources/db/migration/V*.sql | sort -V); do
  sql "$db" < "$migration"
done
sql "$db" <<'SQL'
SET SESSION max_recursive_iterations = 300000;
INSERT INTO satellite_images (id, sha256, object_key, content_type, size_bytes, width, height)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 250000)
SELECT LPAD(HEX(i), 36, '0'), SHA2(i, 256), CONCAT('images/sha256/', SHA2(i, 256)), 'image/tiff', 1, 1, 1 FROM n;
-- Images 1..200000: 100 tenants; 200001..250000: tenant 1000, all Sentinel-2 in UTM 30N.
INSERT INTO uploads (id, image_id, priority, owner_id, created_at, scene_family, footprint_epsg, footprint_min_x,
  footprint_min_y, footprint_max_x, footprint_max_y)
SELECT id, id, 'normal', IF(n > 200000, 1000, 1 + n % 100), NOW(3) - INTERVAL n SECOND,
  IF(n > 200000, 'sentinel2-13', ELT(1 + (n DIV 100) % 4, 'sentinel2-13', 'sentinel2-12', 'sentinel1-float', 'landsat8-7')),
  IF(n > 200000, 32630, 32629 + (n DIV 400) % 3),
  @x := 300000 + RAND(1) * 600000, @y := 4000000 + RAND(2) * 1000000,
  @x + 10000 + RAND(3) * 100000, @y + 10000 + RAND(4) * 100000
FROM (SELECT id, CONV(id, 16, 10) AS n FROM satellite_images) s;
ANALYZE TABLE uploads;
SQL
# The statement PairCandidateStore runs, for a 12 km scene.
query() {
  cat <<SQL
SELECT u.id, u.image_id, SUBSTRING_INDEX(i.object_key, '/', -1) AS scene_sha256, u.scene_family, u.footprint_epsg,
  u.footprint_min_x, u.footprint_min_y, u.footprint_max_x, u.footprint_max_y, UNIX_TIMESTAMP(u.created_at) AS created_at
FROM uploads u JOIN satellite_images i ON i.id = u.image_id
WHERE u.owner_id = $1 AND u.scene_family = 'sentinel2-13' AND u.footprint_epsg = 32630
  AND u.footprint_min_x < 612000 AND u.footprint_max_x > 600000 AND u.footprint_min_y < 4512000
  AND u.footprint_max_y > 4500000 AND i.object_key LIKE 'images/sha256/%'
ORDER BY u.created_at DESC, u.id DESC LIMIT 50;
SQL
}
for case in "typical 42 10" "busy 1000 100"; do
  read -r name owner limit <<<"$case"
  in_range=$(sql -N "$db" -e "SELECT COUNT(*) FROM uploads WHERE owner_id = $owner AND scene_family = 'sentinel2-13' AND footprint_epsg = 32630")
  found=$(query "$owner" | sql -N "$db" | wc -l)
  echo "plan ($name tenant, $in_range scenes of its family and CRS, $found candidates returned):"
  echo "EXPLAIN $(query "$owner")" | sql "$db" | cut -f2,4-7,10 | column -t
  file=$(mktemp)
  for _ in $(seq "$lookups"); do query "$owner"; done > "$file"
  start=$(date +%s%N)
  sql "$db" < "$file" > /dev/null
  end=$(date +%s%N)
  rm -f "$file"
  awk -v n="$lookups" -v ns=$((end - start)) -v name="$name" -v limit="$limit" \
    'BEGIN { ms = ns / 1e6 / n; printf "%s tenant: %.2f ms per lookup (mean of %d, one session) limit %d ms: %s\n", name, ms, n, limit, ms <= limit ? "met" : "NOT MET" }'
done
