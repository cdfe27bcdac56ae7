#!/usr/bin/env bash
# README command 1: build the fat jar if it is missing or older than the sources, bring up the local
# stack (MariaDB, Redis, Kafka, s3proxy) and run one node on :8080 (GEOHAZARD_HTTP_PORT to change it).
set -euo pipefail
cd "$(dirname "$0")/.."

jar=target/geohazard.jar
if [ ! -f "$jar" ] || [ -n "$(find src/main pom.xml openapi.yaml schema.sql conf -newer "$jar" -print -quit)" ]; then
  echo "building $jar ..."
  mvn -B -q -DskipTests package
fi

bash scripts/local-stack.sh up

# The stack's connection settings (GEOHAZARD_* variables) configure the node; anything already set
# in the environment wins.
while IFS='=' read -r key value; do
  case "$key" in GEOHAZARD_*) [ -z "${!key:-}" ] && export "$key=$value" ;; esac
done < .stack/env

exec java ${JAVA_OPTS:-} -jar "$jar" "$@"
