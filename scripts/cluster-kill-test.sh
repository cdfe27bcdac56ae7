#!/usr/bin/env bash
# kill -9 of a worker under load, on the three-node demo cluster (scripts/cluster-demo.sh): uploads IMAGES
# [500] distinct pictures through the API node with a retrying client, kills worker-1 at 30 %, starts
# worker-3 at 60 %, and prints accepted / analysed / lost / analysed more than once, how long the cluster
# took to notice the dead member, and the remote event-bus traffic; then checks in MariaDB that no image
# has two stored predictions. Exit 1 if anything accepted was lost.
# The workers run the colour-rule stand-in model unless GEOHAZARD_MODEL_PATHS says otherwise: this measures
# delivery, not detection, and keeps three JVMs' inference within a small machine.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/bench-java.sh
source scripts/lib/bench-java.sh
images=${IMAGES:-500}
export GEOHAZARD_MODEL_PATHS=${GEOHAZARD_MODEL_PATHS:-models/geohazard-standin.onnx}

mvn -B -q -DskipTests package
mvn -B -q -Pbench test-compile
trap 'bash scripts/cluster-demo.sh down >/dev/null' EXIT
bash scripts/cluster-demo.sh up

rc=0
bench_java org.geohazard.chaos.ClusterKillTest --images "$images" --kill-pid-file .stack/cluster-worker-1.pid \
  --join-command "bash scripts/cluster-demo.sh worker 3" || rc=$?

echo "partitions the late worker took (its log):"
grep -h "consuming partitions" .stack/logs/cluster-worker-3.log | tail -1 | sed 's/^/  /' || echo "  none"

db=$(grep '^GEOHAZARD_DB_NAME=' .stack/env | cut -d= -f2)
ids=$(sed "s/.*/'&'/" target/cluster-kill-accepted.txt | paste -sd, -)
if [ -n "$ids" ]; then
  twice=$(mysql -h 127.0.0.1 -u root -N -e "SELECT COUNT(*) FROM (SELECT image_id FROM ml_predictions
    WHERE image_id IN ($ids) GROUP BY image_id, model_version HAVING COUNT(*) > 1) d" "${db:-geohazard}")
  echo "images with a prediction stored twice (MariaDB): $twice"
  [ "$twice" = 0 ] || rc=1
fi
exit "$rc"
