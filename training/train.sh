#!/usr/bin/env bash
# One command from a fresh clone to a committed-quality model:
#   training/train.sh            (full recipe; EPOCHS, TRAIN_IMAGES, RUN can be overridden from the environment)
# Steps: install Debian packages if missing -> render the dataset -> train (resumes from
# training/runs/$RUN/last.pt if present) -> export ONNX -> evaluate on the validation split ->
# write training/metrics.json -> regenerate the fidelity fixtures of ModelFidelityTest.
# Training runs at the lowest CPU priority with 2 torch threads; rerunning after an interruption resumes.
set -euo pipefail
cd "$(dirname "$0")/.."

EPOCHS="${EPOCHS:-16}"
TRAIN_IMAGES="${TRAIN_IMAGES:-6000}"
VAL_IMAGES="${VAL_IMAGES:-600}"
SIZE="${SIZE:-320}"
RUN="${RUN:-main}"
THREADS="${THREADS:-2}"
PY=/usr/bin/python3
MODEL=models/geohazard-yolo.onnx

training/install-deps.sh
export OMP_NUM_THREADS="$THREADS"
export OMP_WAIT_POLICY=PASSIVE  # idle threads sleep instead of spinning on a shared machine
nice -n 19 $PY training/build_dataset.py --out training/runs/data --train "$TRAIN_IMAGES" --val "$VAL_IMAGES" \
  --size "$SIZE" --workers "$THREADS"
nice -n 19 $PY training/train.py --data training/runs/data --run "training/runs/$RUN" --epochs "$EPOCHS" \
  --threads "$THREADS"
nice -n 19 $PY training/export_onnx.py --weights "training/runs/$RUN/final.pt" --out "$MODEL" --size "$SIZE"
nice -n 19 $PY training/evaluate.py --weights "training/runs/$RUN/final.pt" --onnx "$MODEL" \
  --data training/runs/data --out training/metrics.json --threads "$THREADS"
nice -n 19 $PY training/make_fidelity_fixtures.py --onnx "$MODEL" --out src/test/resources/fidelity --size "$SIZE"
echo "done: $MODEL, training/metrics.json; now run: mvn -B -q -o test -Dtest=ModelFidelityTest"
