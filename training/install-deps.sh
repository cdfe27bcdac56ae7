#!/usr/bin/env bash
# Installs what training, evaluation and the Python reference path need, from Debian only
# (no PyPI, no model hub in this environment). Idempotent: packages already present are kept.
# Run as root (or with sudo). Afterwards use /usr/bin/python3, not a pyenv/venv python.
set -euo pipefail

packages=(
  python3-numpy    # arrays everywhere
  python3-torch    # 1.13.1: model, training, ONNX export
  python3-onnx     # 1.12.0: reading/writing the ONNX graph and its metadata
  python3-opencv   # cv2.resize INTER_LINEAR: the letterbox Ultralytics (and our Java Letterbox) use
  python3-tifffile # reading the licensed GeoTIFFs in ../shared/data/geotiff
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all Python packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
/usr/bin/python3 -c "import torch, onnx, cv2, tifffile; print('torch', torch.__version__, 'onnx', onnx.__version__, 'cv2', cv2.__version__)"
