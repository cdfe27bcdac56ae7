# Sourced (not run) by the scripts that run the benchmarks and chaos harnesses of src/bench, from the repository
# root (or with GEOHAZARD_BENCH_BUILD_DIR absolute).

# bench_java [JVM OPTION...] MAIN-CLASS [ARGUMENT...]
# Runs java on the bench classpath: what `mvn -Pbench test-compile` built (target/bench-classes, test-classes,
# classes) and its dependencies (target/bench.classpath, written by the same build). The classpath goes through an
# argument file instead of -cp: it is longer than 4 KB, and ONNX Runtime 1.29.0 crashes the JVM on a command line
# that long (pom.xml pins 1.28.0 for that reason; the argument file keeps the scripts safe either way, and keeps the
# classpath out of ps and /proc/<pid>/cmdline).
# GEOHAZARD_BENCH_BUILD_DIR [target]: the build folder, as mvn -Dbuild.dir=... built it.
bench_java() {
  local build_dir=${GEOHAZARD_BENCH_BUILD_DIR:-target}
  if [[ ! -f $build_dir/bench.classpath ]]; then
    echo "bench_java: $build_dir/bench.classpath is missing; build with mvn -Pbench -DskipTests test-compile" >&2
    return 2
  fi
  local args_file="$build_dir/bench.java-args"
  printf -- '-cp\n%s\n' "$build_dir/bench-classes:$build_dir/test-classes:$build_dir/classes:$(cat "$build_dir/bench.classpath")" \
    >"$args_file"
  "${JAVA_HOME:+$JAVA_HOME/bin/}java" @"$args_file" "$@"
}
