#!/usr/bin/env bash
# The fault suite: one node (the fat jar, the stand-in model) under a steady stream of uploads, one fault per
# run, and what became of every accepted image. Figures go to target/fault-results.txt (one line per run) and
# belong in RELIABILITY.md.
#
#   scripts/fault-suite.sh [FAULT ...]     default: none db-cut redis-cut kafka-restart s3-restart
#   IMAGES=1000 CLIENTS=8 CUT_SECONDS=30 scripts/fault-suite.sh db-cut
#
# db-cut / redis-cut: the node reaches MariaDB / Redis through a TCP proxy the run owns, which drops them for
# CUT_SECONDS (the machine's own services are never stopped). kafka-restart / s3-restart: the stack's broker /
# object store is stopped and started again (scripts/local-stack.sh restart). The kill -9 case, with a second
# node serving, is scripts/cluster-kill-test.sh (IMAGES=1000); the soak is scripts/soak.sh.
# Exit 1 when a run lost or doubly analysed an accepted image.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/jar-and-stack.sh
source scripts/lib/jar-and-stack.sh
# shellcheck source=scripts/lib/bench-java.sh
source scripts/lib/bench-java.sh
faults=("$@")
((${#faults[@]})) || faults=(none db-cut redis-cut kafka-restart s3-restart)

jar=target/geohazard.jar
ensure_jar
mvn -B -q -Pbench test-compile
bash scripts/local-stack.sh up >/dev/null

rc=0
for fault in "${faults[@]}"; do
  echo "== $fault"
  bench_java org.geohazard.chaos.FaultRun --fault "$fault" --images "${IMAGES:-1000}" --clients "${CLIENTS:-8}" \
    --cut-seconds "${CUT_SECONDS:-30}" || rc=1
done
echo "results: target/fault-results.txt"
exit "$rc"
