# Sourced (not run) by the scripts that start the fat jar against the local stack, from the repository root.

# Builds target/geohazard.jar when it is missing or older than anything that goes into it.
ensure_jar() {
  local jar=target/geohazard.jar
  if [ ! -f "$jar" ] || [ -n "$(find src/main pom.xml openapi.yaml conf -newer "$jar" -print -quit)" ]; then
    echo "building $jar ..."
    mvn -B -q -DskipTests package
  fi
}

# JVM flags every node is started with (docker/Dockerfile sets the same): the JIT compiles methods over 8 000
# bytecodes too, so the contract validator's SchemaValidatorImpl.validate (9 290), run on every request, is not
# left interpreted (BENCHMARKS.md, "Cached reads").
# shellcheck disable=SC2034 # read by the scripts that source this file
NODE_JVM_FLAGS=(-XX:-DontCompileHugeMethods)

# Exports the stack's settings (.stack/env, written by scripts/local-stack.sh up) without overriding any
# GEOHAZARD_* variable the caller has set.
export_stack_env() {
  local key value
  while IFS='=' read -r key value; do
    case "$key" in GEOHAZARD_*) [ -z "${!key:-}" ] && export "$key=$value" ;; esac
  done <.stack/env
}
