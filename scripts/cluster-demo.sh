#!/usr/bin/env bash
# A three-node cluster on one machine, against the local stack: one API node on :8080 and two workers
# (pipeline, inference, persistence, alerts), joined through Hazelcast on loopback.
#
#   scripts/cluster-demo.sh up       build if needed, bring up the stack, start the three nodes, wait until
#                                    the API node sees both workers up (GET /api/v1/cluster)
#   scripts/cluster-demo.sh down     stop the three nodes (the stack stays: scripts/local-stack.sh down)
#   scripts/cluster-demo.sh status   the cluster as the API node sees it
#   scripts/cluster-demo.sh worker N start worker N alone (a worker joining later takes Kafka partitions)
#
# Logs: .stack/logs/cluster-<node>.log; pids: .stack/cluster-<node>.pid. Settings: GEOHAZARD_* variables
# pass through to every node (e.g. GEOHAZARD_MODEL_PATHS); CLUSTER_HEAP [512m] is each node's heap.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/jar-and-stack.sh
source scripts/lib/jar-and-stack.sh

jar=target/geohazard.jar
api_port=${GEOHAZARD_DEMO_API_PORT:-8080}
heap=${CLUSTER_HEAP:-512m}
workers=(worker-1 worker-2)

build_and_stack() {
  ensure_jar
  bash scripts/local-stack.sh up >/dev/null
  export_stack_env
  export GEOHAZARD_CLUSTER_ENABLED=true
}

start_node() {  # name roles
  local name=$1 roles=$2 pid_file=".stack/cluster-$1.pid"
  if [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
    echo "$name already running (pid $(cat "$pid_file"))"
    return
  fi
  GEOHAZARD_NODE_ID=$name GEOHAZARD_NODE_ROLES=$roles GEOHAZARD_HTTP_PORT=$api_port \
    nohup java -Xmx"$heap" -jar "$jar" >".stack/logs/cluster-$name.log" 2>&1 &
  echo $! >"$pid_file"
  echo "$name started (pid $!, roles $roles)"
}

wait_for_members() {  # count
  for _ in $(seq 1 240); do
    if curl -fsS "http://127.0.0.1:$api_port/api/v1/cluster" 2>/dev/null |
        python3 -c "import json,sys; m=json.load(sys.stdin)['members']; sys.exit(0 if sum(x['state']=='up' for x in m)>=$1 else 1)" 2>/dev/null; then
      return 0
    fi
    sleep 0.5
  done
  echo "the cluster did not reach $1 members; see .stack/logs/cluster-*.log" >&2
  return 1
}

case "${1:-up}" in
  up)
    build_and_stack
    mkdir -p .stack/logs
    for worker in "${workers[@]}"; do
      start_node "$worker" pipeline,inference,persistence,alerts
    done
    start_node api-1 api
    wait_for_members 3
    echo "cluster up: API on http://127.0.0.1:$api_port (curl http://127.0.0.1:$api_port/api/v1/cluster)"
    ;;
  worker)
    build_and_stack
    start_node "worker-${2:?worker number}" pipeline,inference,persistence,alerts
    ;;
  down)
    for pid_file in .stack/cluster-*.pid; do
      [ -f "$pid_file" ] || continue
      kill "$(cat "$pid_file")" 2>/dev/null || true
      rm -f "$pid_file"
    done
    echo "cluster nodes stopped"
    ;;
  status)
    curl -fsS "http://127.0.0.1:$api_port/api/v1/cluster" | python3 -m json.tool
    ;;
  *)
    echo "usage: $0 up|down|status|worker N" >&2
    exit 2
    ;;
esac
