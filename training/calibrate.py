"""Chooses a model's per-class thresholds on validation data (never on the sets evaluate_real.py reports) and
writes them with the precision and recall each gives; export_onnx.py stores them in the model's metadata,
where the server reads them.

    /usr/bin/python3 training/calibrate.py --weights training/runs/s2flood/final.pt --names flood \\
        --size 256 --data training/runs/ombria_s2 --out training/thresholds-s2flood.json

Per class:
- medium / high / critical: the lowest score at which image-level precision on validation is at least
  0.70 / 0.85 / 0.95 (and stays so above it). An image whose best box of the class reaches one of them is
  at that risk level for the hazard; an unreachable level is left out (the server then never gives it).
- report: the box threshold with the best F1 at IoU 0.3, never above medium: boxes at or above it are
  reported to the caller; weaker ones are dropped.
"""
import argparse
import json
from pathlib import Path

import numpy as np
import torch

import hazard_eval as he
from export_onnx import load_model
from train import load_split

LEVELS = (("medium", 0.70), ("high", 0.85), ("critical", 0.95))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--weights", required=True)
    p.add_argument("--names", required=True)
    p.add_argument("--size", type=int, required=True)
    p.add_argument("--data", nargs="+", required=True, help="prepared sets; their val/ split is used")
    p.add_argument("--out", required=True)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    names = a.names.split(",")
    model = load_model(a.weights)
    model.export_mode = True
    images, gts = [], []
    for folder in a.data:
        imgs, labs = load_split(Path(folder) / "val")
        images += [np.asarray(i) for i in imgs]
        gts += labs
    preds = he.predict(model, images, a.size)
    thresholds, table = {}, {}
    for c, name in enumerate(names):
        positive = np.array([np.any(g[:, 0] == c) for g in gts])
        if not positive.any():
            continue
        scores = he.image_scores(preds, c)
        levels, previous = {}, 0.0
        for level, target in LEVELS:
            t = he.lowest_threshold_with_precision(scores, positive, target)
            if t is not None:
                previous = max(t, previous)  # a higher level never has a lower threshold
                levels[level] = round(previous, 4)
        grid = np.round(np.concatenate([np.arange(0.01, 0.1, 0.005), np.arange(0.1, 0.951, 0.01)]), 3)
        f1 = []
        for t in grid:
            m = he.box_metrics(preds, gts, c, t, 0.3)
            pr, rc = m["precision"] or 0, m["recall"] or 0
            f1.append(2 * pr * rc / (pr + rc) if pr + rc else 0)
        report = float(grid[int(np.argmax(f1))])
        if "medium" in levels:
            report = min(report, levels["medium"])
        thresholds[name] = {"report": round(report, 4), **levels}
        table[name] = {
            "images": int(len(images)), "positive_images": int(positive.sum()),
            "at": {lv: {"image": he.image_metrics(scores, positive, t),
                        "box_iou0.3": he.box_metrics(preds, gts, c, t, 0.3),
                        "box_iou0.5": he.box_metrics(preds, gts, c, t, 0.5)}
                   for lv, t in thresholds[name].items()},
        }
        print(name, thresholds[name], {lv: v["image"] for lv, v in table[name]["at"].items()}, flush=True)
    Path(a.out).write_text(json.dumps({"data": a.data, "thresholds": thresholds, "validation": table}, indent=1) + "\n")
    print("wrote", a.out)


if __name__ == "__main__":
    main()
