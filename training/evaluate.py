"""Measures the trained detector on the validation split (never used for training) and writes the figures
the model card quotes.

    /usr/bin/python3 training/evaluate.py --weights training/runs/rgb/final.pt --onnx models/geohazard-rgb.onnx \
        --data training/runs/synthetic --out training/metrics-rgb-synthetic.json

The model is run in export mode with BN folded: the very function the ONNX graph computes. Before scoring,
the ONNX file itself is run through the numpy reference interpreter on a few validation images and must agree
with that function to 1e-4, so the figures are the ONNX model's. Then the same decoding and NMS as the server
(postprocess.py): AP@0.5 per class from all detections above 0.001 (101-point interpolated precision-recall
area, as COCO and Ultralytics compute it), and precision/recall at the serving threshold (0.25, NMS IoU 0.45),
a detection counting as correct when IoU >= 0.5 with a not yet matched box of its class.
"""
import argparse
import hashlib
import json
import time
from pathlib import Path

import numpy as np
import torch

from export_onnx import load_model
from model import count_flops
from onnx_numpy import OnnxNumpy
from postprocess import decode, nms
from scenes import CLASSES
from train import load_split

SERVE_CONF, NMS_IOU, MAP_CONF = 0.25, 0.45, 0.001


def iou_matrix(a, b):
    lt = np.maximum(a[:, None, :2], b[None, :, :2])
    rb = np.minimum(a[:, None, 2:], b[None, :, 2:])
    inter = np.clip(rb - lt, 0, None).prod(-1)
    aa = (a[:, 2:] - a[:, :2]).prod(-1)
    ab = (b[:, 2:] - b[:, :2]).prod(-1)
    return inter / (aa[:, None] + ab[None, :] - inter + 1e-9)


def match(dets, gts, iou_thr=0.5):
    """dets: (boxes, scores, classes) of one image; gts: [k,5]. Returns per detection: (class, score, tp)."""
    boxes, scores, classes = dets
    out = []
    used = np.zeros(len(gts), bool)
    ious = iou_matrix(boxes, gts[:, 1:]) if len(gts) and len(boxes) else np.zeros((len(boxes), len(gts)))
    for i in np.argsort(-scores, kind="stable"):
        same = (gts[:, 0] == classes[i]) & ~used if len(gts) else np.zeros(0, bool)
        tp = False
        if same.any():
            cand = np.where(same, ious[i], -1)
            j = int(cand.argmax())
            if cand[j] >= iou_thr:
                used[j] = True
                tp = True
        out.append((int(classes[i]), float(scores[i]), tp))
    return out


def average_precision(records, n_gt):
    if n_gt == 0:
        return float("nan")
    if not records:
        return 0.0
    records = sorted(records, key=lambda r: -r[1])
    tp = np.cumsum([r[2] for r in records])
    fp = np.cumsum([not r[2] for r in records])
    recall = tp / n_gt
    precision = tp / np.maximum(tp + fp, 1e-9)
    precision = np.concatenate([[1.0], precision, [0.0]])
    recall = np.concatenate([[0.0], recall, [recall[-1]]])
    precision = np.flip(np.maximum.accumulate(np.flip(precision)))
    grid = np.linspace(0, 1, 101)
    idx = np.searchsorted(recall, grid, side="left")
    return float(np.mean(np.where(idx < len(precision), precision[np.minimum(idx, len(precision) - 1)], 0)))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--weights", required=True)
    p.add_argument("--onnx", required=True)
    p.add_argument("--data", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--serve-conf", type=float, default=SERVE_CONF,
                   help="threshold for precision/recall (the server's model.confThreshold)")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    model = load_model(a.weights)
    model.export_mode = True
    images, labels = load_split(Path(a.data) / "val")
    size = images.shape[1]

    # The ONNX file computes what this torch function computes (checked on three validation images).
    ref = OnnxNumpy(a.onnx)
    x = torch.from_numpy(np.asarray(images[:3])).permute(0, 3, 1, 2).float().div(255)
    with torch.no_grad():
        torch_out = model(x).numpy()
    onnx_out = ref.run(x.numpy())[0]
    agreement = float(np.abs(torch_out - onnx_out).max())
    score_agreement = float(np.abs(torch_out[:, 4:] - onnx_out[:, 4:]).max())
    print(f"ONNX (numpy reference) vs torch: max |diff| {agreement:.2e} (scores {score_agreement:.2e})")
    assert score_agreement < 1e-4, "the ONNX file does not compute what the weights compute"

    serve = {c: [] for c in range(len(CLASSES))}
    ranked = {c: [] for c in range(len(CLASSES))}
    n_gt = np.zeros(len(CLASSES), int)
    t0 = time.time()
    with torch.no_grad():
        for s in range(0, len(images), 16):
            x = torch.from_numpy(np.asarray(images[s:s + 16])).permute(0, 3, 1, 2).float().div(255)
            out = model(x).numpy()
            for k in range(out.shape[0]):
                gts = labels[s + k]
                for c in gts[:, 0].astype(int):
                    n_gt[c] += 1
                low = nms(*decode(out[k], MAP_CONF), NMS_IOU)
                for r in match(low, gts):
                    ranked[r[0]].append(r)
                high = nms(*decode(out[k], a.serve_conf), NMS_IOU)
                for r in match(high, gts):
                    serve[r[0]].append(r)
    seconds = time.time() - t0
    per_class = {}
    for c, name in enumerate(CLASSES):
        tp = sum(r[2] for r in serve[c])
        n_det = len(serve[c])
        per_class[name] = {
            "instances": int(n_gt[c]),
            "precision": round(tp / n_det, 4) if n_det else None,
            "recall": round(tp / n_gt[c], 4) if n_gt[c] else None,
            "ap50": round(average_precision(ranked[c], n_gt[c]), 4),
        }
        print(f"{name:16s} n={n_gt[c]:4d}  P={per_class[name]['precision']}  R={per_class[name]['recall']}  "
              f"AP50={per_class[name]['ap50']}")
    map50 = float(np.nanmean([v["ap50"] for v in per_class.values()]))
    tp_all = sum(sum(r[2] for r in serve[c]) for c in serve)
    det_all = sum(len(serve[c]) for c in serve)
    print(f"mAP@0.5 {map50:.4f}")
    onnx_bytes = Path(a.onnx).read_bytes()
    train_info = torch.load(a.weights, map_location="cpu")
    metrics = {
        "model_file": Path(a.onnx).name,
        "sha256": hashlib.sha256(onnx_bytes).hexdigest(),
        "size_bytes": len(onnx_bytes),
        "input_size": size,
        "parameters": int(sum(p.numel() for p in load_model(a.weights).parameters())),
        "gflops_at_input_size": round(count_flops(load_model(a.weights), size) / 1e9, 3),
        "validation": {
            "images": int(len(images)),
            "serve_conf": a.serve_conf, "nms_iou": NMS_IOU, "map_conf": MAP_CONF, "match_iou": 0.5,
            "per_class": per_class,
            "map50": round(map50, 4),
            "precision_all": round(tp_all / det_all, 4) if det_all else None,
            "recall_all": round(tp_all / int(n_gt.sum()), 4),
        },
        "onnx_vs_torch_max_abs_diff": agreement,
        "onnx_vs_torch_max_score_diff": score_agreement,
        "training": {k: train_info[k] for k in ("elapsed_s", "iterations", "epochs", "images_seen")
                     if k in train_info},
        "eval_seconds_torch_cpu": round(seconds, 1),
    }
    Path(a.out).write_text(json.dumps(metrics, indent=2) + "\n")
    print("wrote", a.out)


if __name__ == "__main__":
    main()
