#!/usr/bin/env bash
# Puts the external training sources in place under training/runs/sources/, from git snapshots of their
# public repositories, at pinned commits, and checks their SHA-256. Nothing is downloaded here: a snapshot
# reaches the machine as a bare git directory (the project's tool library fetches them; a plain
# `git clone --bare https://github.com/<owner>/<name>` gives the same thing elsewhere). Point the script at
# the folder holding them with MIRRORS (default /work/.mirror, layout <owner>+<name>/repo).
#
#   training/sources.sh          # idempotent; exits 1 naming what is missing
#
# Sources and licences (also in models/README.md and NOTICE):
#   google-coral/test_data @ 104342d2d3480b3e66203073dac24f4e2dbb4c41, Apache-2.0:
#     mobilenet_v2_1.0_224_quant.tflite (ImageNet MobileNetV2, the detectors' pretrained backbone) and three
#     test pictures + ImageNet labels used only to check that the weights were read correctly.
#   geodrak/OMBRIA @ 38a490355f76da8ce27ed051138f03f3492a6e46 (branch master), MIT (LICENSE on branch main),
#     Copernicus Sentinel data; Drakonakis et al., IEEE JSTARS 2022: OmbriaS2 and OmbriaS1 (train for training
#     and tuning, test for evaluation only) and 2021/*/Sentinel{1,2} (evaluation only).
set -euo pipefail
cd "$(dirname "$0")/.."

MIRRORS="${MIRRORS:-/work/.mirror}"
OUT=training/runs/sources
CORAL_COMMIT=104342d2d3480b3e66203073dac24f4e2dbb4c41
OMBRIA_COMMIT=38a490355f76da8ce27ed051138f03f3492a6e46
MOBILENET_SHA256=7aad0c74c5e3c06e5eb3c827e13304fdd68a83da6087d92ee169c24ff9fd4776

git_dir() {
  local d="$MIRRORS/$1/repo"
  [[ -d $d ]] || d="$MIRRORS/$1"
  if ! git --git-dir="$d" cat-file -e "$2^{commit}" 2>/dev/null; then
    echo "sources: no snapshot of $1 holding commit $2 under $MIRRORS" >&2
    return 1
  fi
  echo "$d"
}

mkdir -p "$OUT/pretrained" "$OUT/ombria"
if [[ ! -s $OUT/pretrained/mobilenet_v2_1.0_224_quant.tflite ]]; then
  d=$(git_dir google-coral+test_data "$CORAL_COMMIT")
  for f in mobilenet_v2_1.0_224_quant.tflite imagenet_labels.txt grace_hopper.bmp cat.bmp bird.bmp; do
    git --git-dir="$d" show "$CORAL_COMMIT:$f" > "$OUT/pretrained/$f"
  done
fi
echo "$MOBILENET_SHA256  $OUT/pretrained/mobilenet_v2_1.0_224_quant.tflite" | sha256sum -c --quiet -

if [[ ! -d $OUT/ombria/OmbriaS2/train/MASK || ! -d $OUT/ombria/OmbriaS1/train/MASK ]]; then
  d=$(git_dir geodrak+OMBRIA "$OMBRIA_COMMIT")
  git --git-dir="$d" archive "$OMBRIA_COMMIT" OmbriaS2 OmbriaS1 2021 | tar -x -C "$OUT/ombria"
fi
for sensor in S2 S1; do
  count=$(find "$OUT/ombria/Ombria$sensor/train/AFTER" -name '*.png' | wc -l)
  if [[ $count -ne 624 ]]; then
    echo "sources: expected 624 OMBRIA $sensor training tiles, found $count" >&2
    exit 1
  fi
done
echo "sources: MobileNetV2 weights (sha256 ok) and OMBRIA (S2 and S1, $count training triplets each) in $OUT"
