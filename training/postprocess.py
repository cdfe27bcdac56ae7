"""Decoding and NMS of the Ultralytics v8 layout, written to mean the same as the server's Java
YoloOutputDecoder + NonMaxSuppression + Placement.mapBack: best class per candidate, score strictly above
the threshold, xywh -> xyxy, class-wise greedy NMS (suppress IoU strictly above the threshold, stable
order for equal scores), at most max_det, then pads removed, divided by the scale, clipped to the image."""
import numpy as np


def decode(out, conf):
    """out [4+nc, N] for one image -> (boxes xyxy [k,4], scores [k], classes [k]) in model pixels."""
    scores_all = out[4:]
    cls = scores_all.argmax(0)
    score = scores_all[cls, np.arange(out.shape[1])]
    keep = score > conf
    cx, cy, w, h = out[:4, keep]
    boxes = np.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], 1)
    return boxes, score[keep], cls[keep]


def nms(boxes, scores, classes, iou_thr, max_det=300):
    order = np.argsort(-scores, kind="stable")
    boxes, scores, classes = boxes[order], scores[order], classes[order]
    area = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    suppressed = np.zeros(len(boxes), bool)
    kept = []
    for i in range(len(boxes)):
        if suppressed[i]:
            continue
        kept.append(i)
        if len(kept) >= max_det:
            break
        rest = np.arange(i + 1, len(boxes))
        rest = rest[(~suppressed[rest]) & (classes[rest] == classes[i])]
        iw = np.minimum(boxes[i, 2], boxes[rest, 2]) - np.maximum(boxes[i, 0], boxes[rest, 0])
        ih = np.minimum(boxes[i, 3], boxes[rest, 3]) - np.maximum(boxes[i, 1], boxes[rest, 1])
        inter = np.where((iw > 0) & (ih > 0), iw * ih, 0)
        iou = inter / np.maximum(area[i] + area[rest] - inter, 1e-12)
        suppressed[rest[iou > iou_thr]] = True
    kept = np.array(kept, int)
    return boxes[kept], scores[kept], classes[kept]


def map_back(boxes, scale, pad_left, pad_top, width, height):
    b = boxes.copy()
    b[:, [0, 2]] = np.clip((b[:, [0, 2]] - pad_left) / scale, 0, width)
    b[:, [1, 3]] = np.clip((b[:, [1, 3]] - pad_top) / scale, 0, height)
    return b
