#!/usr/bin/env bash
# The GPU rows of BENCHMARKS.md, on a host with an NVIDIA GPU, CUDA 12 and cuDNN 9 (what onnxruntime_gpu
# 1.28.0 links against): builds with -Pgpu (onnxruntime_gpu, a ~742 MB download the first time) into
# target-gpu/, then runs the same raw-ORT-versus-pipeline benchmark as scripts/bench.sh with
# model.executionProvider=cuda at batch sizes 1..32, and prints the same table.
#
#   scripts/gpu-bench.sh [InferenceBenchmark options, e.g. --rounds 5 --batch-sizes 1,8,32]
#
# The pipeline part needs the local stack (scripts/local-stack.sh: MariaDB and Redis as system services,
# Kafka and s3proxy from Maven Central); where it cannot be started, the raw rows are still measured and
# the pipeline columns stay empty. The run stops with an error, rather than printing CPU figures as GPU
# ones, if the CUDA provider cannot be loaded. GEOHAZARD_MODEL_CUDA_DEVICES lists the GPUs [0]; the raw-ORT part uses the first.
# GEOHAZARD_MODEL_EXECUTION_PROVIDER=tensorrt measures the TensorRT provider instead (the first run of each batch
# size builds its engine; a second run of the script reads them from the engine cache).
set -euo pipefail

REPO_ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO_ROOT"

if command -v nvidia-smi >/dev/null; then
  nvidia-smi --query-gpu=index,name,driver_version,memory.total --format=csv,noheader >&2 || true
else
  echo "gpu-bench: nvidia-smi not found; continuing (the benchmark fails if CUDA cannot be loaded)" >&2
fi

export GEOHAZARD_BENCH_PROFILES=${GEOHAZARD_BENCH_PROFILES:-bench,gpu}
export GEOHAZARD_BENCH_BUILD_DIR=${GEOHAZARD_BENCH_BUILD_DIR:-$REPO_ROOT/target-gpu}
export GEOHAZARD_MODEL_EXECUTION_PROVIDER=${GEOHAZARD_MODEL_EXECUTION_PROVIDER:-cuda}
# On a GPU the CPU threads only feed the device; leave the cores to decoding and the stack.
export GEOHAZARD_MODEL_INTRA_OP_THREADS=${GEOHAZARD_MODEL_INTRA_OP_THREADS:-1}
export GEOHAZARD_DB_NAME=${GEOHAZARD_DB_NAME:-geohazard_bench}

EXTRA=()
STARTED_STACK=false
if ! bash scripts/local-stack.sh status >/dev/null 2>&1; then
  if bash scripts/local-stack.sh up >&2; then
    STARTED_STACK=true
  else
    echo "gpu-bench: the local stack did not start; measuring raw ONNX Runtime only" >&2
    EXTRA=(--raw-only)
  fi
fi
stop_stack() { if [[ $STARTED_STACK == true ]]; then bash scripts/local-stack.sh down >&2 || true; fi; }
trap stop_stack EXIT

bash scripts/bench.sh pipeline --gpu "${EXTRA[@]}" "$@"
