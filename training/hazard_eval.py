"""What calibrate.py and evaluate_real.py share: running a model the way the server does, and scoring images
and boxes the way an operator reads them.

Running: letterbox (letterbox.py, the server's Letterbox), the exported function (the checkpoint in export
mode with BatchNorm folded: what the ONNX file computes, which export/evaluate check), decoding and
class-wise NMS of postprocess.py (the server's YoloOutputDecoder + NonMaxSuppression), boxes mapped back.

Scoring:
- image level, per hazard: the image's probability is its best box score for that class (the server's
  AnalysisBuilder rule); an image is positive when its labels hold that hazard.
- box level: detections at or above a threshold matched greedily (best score first) to not yet matched
  labelled boxes of the class at IoU >= 0.3 or 0.5; precision = matched detections / detections,
  recall = matched labels / labels.
"""
import numpy as np
import torch

from evaluate import iou_matrix
from letterbox import letterbox
from postprocess import decode, map_back, nms

NMS_IOU = 0.45
FLOOR = 0.01  # candidates below this score are not kept at all (far below any threshold chosen)


@torch.no_grad()
def predict(model, images, size, batch=16):
    """images: list of uint8 HxWx3 RGB -> per image (boxes [k,4] in image pixels, scores [k], classes [k])."""
    out = []
    for s in range(0, len(images), batch):
        chunk = images[s:s + batch]
        boxed = [letterbox(img, size) for img in chunk]
        x = torch.from_numpy(np.stack([b[0] for b in boxed])).permute(0, 3, 1, 2).float().div(255)
        raw = model(x).numpy()
        for k, (img, (_, r, (left, top))) in enumerate(zip(chunk, boxed)):
            boxes, scores, classes = nms(*decode(raw[k], FLOOR), NMS_IOU)
            h, w = img.shape[:2]
            out.append((map_back(boxes, r, left, top, w, h), scores, classes))
    return out


def image_scores(preds, cls):
    return np.array([p[1][p[2] == cls].max() if np.any(p[2] == cls) else 0.0 for p in preds])


def image_metrics(scores, positive, threshold):
    flagged = scores >= threshold
    tp = int(np.sum(flagged & positive))
    fp = int(np.sum(flagged & ~positive))
    fn = int(np.sum(~flagged & positive))
    tn = int(np.sum(~flagged & ~positive))
    return {"threshold": round(float(threshold), 4), "tp": tp, "fp": fp, "fn": fn, "tn": tn,
            "precision": round(tp / (tp + fp), 4) if tp + fp else None,
            "recall": round(tp / (tp + fn), 4) if tp + fn else None,
            "specificity": round(tn / (tn + fp), 4) if tn + fp else None}


def box_metrics(preds, gts, cls, threshold, iou_thr):
    """gts: per image [k, 5] (class, x1, y1, x2, y2) in image pixels."""
    n_det = n_tp = n_gt = 0
    for (boxes, scores, classes), gt in zip(preds, gts):
        g = gt[gt[:, 0] == cls][:, 1:]
        keep = (classes == cls) & (scores >= threshold)
        b, s = boxes[keep], scores[keep]
        n_gt += len(g)
        n_det += len(b)
        if not len(b) or not len(g):
            continue
        ious = iou_matrix(b, g)
        used = np.zeros(len(g), bool)
        for i in np.argsort(-s, kind="stable"):
            cand = np.where(used, -1, ious[i])
            j = int(cand.argmax())
            if cand[j] >= iou_thr:
                used[j] = True
                n_tp += 1
    return {"iou": iou_thr, "detections": n_det, "labels": n_gt, "matched": n_tp,
            "precision": round(n_tp / n_det, 4) if n_det else None,
            "recall": round(n_tp / n_gt, 4) if n_gt else None}


# Fewer flagged images than this give no precision worth a decision: with 20, one false positive moves it
# by 0.05. (Requiring the target at every higher threshold, however few images it flagged, let one
# high-scoring false positive among the first two landslide images hold every landslide level at 0.96.)
MIN_FLAGGED = 20


def lowest_threshold_with_precision(scores, positive, target, minimum=0.01, min_flagged=MIN_FLAGGED):
    """The lowest score threshold (>= minimum) at which image-level precision is >= target and stays so for
    every higher threshold that flags at least min_flagged images; None when no threshold reaches it."""
    candidates = np.unique(scores[scores >= minimum])
    best = None
    for t in candidates[::-1]:  # from the highest down; stop at the first failure
        m = image_metrics(scores, positive, t)
        if m["tp"] + m["fp"] < min_flagged:
            continue
        if m["precision"] < target:
            break
        best = float(t)
    return best
