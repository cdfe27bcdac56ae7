#!/usr/bin/env bash
# README command 1: build the fat jar if it is missing or older than the sources, bring up the local
# stack (MariaDB, Redis, Kafka, s3proxy) and run one node on :8080 (GEOHAZARD_HTTP_PORT to change it).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/jar-and-stack.sh
source scripts/lib/jar-and-stack.sh

jar=target/geohazard.jar
ensure_jar

bash scripts/local-stack.sh up

# The stack's connection settings (GEOHAZARD_* variables) configure the node; anything already set
# in the environment wins.
export_stack_env

exec java "${NODE_JVM_FLAGS[@]}" ${JAVA_OPTS:-} -jar "$jar" "$@"
