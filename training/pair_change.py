"""The before/after change rules the node applies to a pair of scenes (org.geohazard.change.ChangeRules in Java;
the fidelity test ChangeRulesFidelityTest checks both give the same pixels on the fixtures that
training/make_fidelity_fixtures.py --pairs writes). Plain numpy, no model.

- New water (Sentinel-2): a water index from green and SWIR (MNDWI, Xu 2006) or green and NIR (NDWI, McFeeters
  1996), (green - x) / (green + x), computed on the samples as stored (8-bit composites or reflectances). A pixel
  is new water when its index was below WATER_INDEX before and is at least WATER_INDEX after, having risen by at
  least MIN_RISE. A pixel already at least WATER_INDEX before is water that was there: permanent water.
- Backscatter drop (Sentinel-1 VV): floating-point samples are dB (linear power, all samples >= 0, is turned
  into dB first); a pixel is new water when it fell by at least DROP_DB and is at most DARK_DB after (open water
  is dark, below about -15 dB in VV). 8-bit renderings (OMBRIA's PNGs, stretched per tile) have no dB scale: there
  the drop is DROP_8BIT levels and the dark limit DARK_8BIT. A pixel at most the dark limit before was water.
- Regions: changed pixels joined by their 8 neighbours; regions smaller than MIN_PIXELS are speckle and dropped.

The parameters were chosen on OMBRIA's *train* split only (training/pair_change.py --tune prints the grid; the
choice is the best pixel F1 of the new-water layer against the flood masks), before the rule met a test or 2021
tile.
Chosen: MNDWI >= 0.0 with a rise >= 0.2 (train pixel F1 0.704); 8-bit VV drop >= 10 levels to <= 190 (train pixel
F1 0.496, the best of the grid; OMBRIA's per-tile stretch makes levels of two dates only roughly comparable).
The dB limits (3 dB drop to <= -15 dB) are the usual open-water values, not tuned: no dB training pairs.
"""
import argparse
import json

import cv2
import numpy as np

WATER_INDEX = 0.0
MIN_RISE = 0.2
DROP_DB = 3.0
DARK_DB = -15.0
DROP_8BIT = 10
DARK_8BIT = 190
MIN_PIXELS = 20


def water_index(green, other):
    g = green.astype(np.float32)
    o = other.astype(np.float32)
    s = g + o
    with np.errstate(divide="ignore", invalid="ignore"):
        idx = np.where(s > 0, (g - o) / np.where(s > 0, s, 1), np.nan)
    return idx.astype(np.float32)


def new_water(green_after, other_after, green_before, other_before, threshold=WATER_INDEX, rise=MIN_RISE):
    """-> (new water mask, water before mask), bool H x W."""
    after = water_index(green_after, other_after)
    before = water_index(green_before, other_before)
    with np.errstate(invalid="ignore"):
        was = before >= threshold
        new = (before < threshold) & (after >= threshold) & (after - before >= rise)
    return new, was


def to_db(values):
    v = values.astype(np.float32)
    finite = v[np.isfinite(v)]
    if finite.size and finite.min() >= 0:
        with np.errstate(divide="ignore"):
            v = (10 * np.log10(np.maximum(v.astype(np.float64), 1e-10))).astype(np.float32)
    return v


def backscatter_drop(after, before, eight_bit, drop=None, dark=None):
    """-> (new water mask, water before mask) from VV after and before (uint8 or floats)."""
    if eight_bit:
        drop = DROP_8BIT if drop is None else drop
        dark = DARK_8BIT if dark is None else dark
        a = after.astype(np.float32)
        b = before.astype(np.float32)
    else:
        drop = DROP_DB if drop is None else drop
        dark = DARK_DB if dark is None else dark
        a = to_db(after)
        b = to_db(before)
    with np.errstate(invalid="ignore"):
        return (b - a >= drop) & (a <= dark), b <= dark


def regions(mask, min_pixels=MIN_PIXELS):
    """-> (kept mask, boxes [k, 4] x1 y1 x2 y2 in pixel edges, pixels [k]) of the 8-connected regions kept."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
    keep = np.zeros(n, bool)
    keep[1:] = stats[1:, cv2.CC_STAT_AREA] >= min_pixels
    boxes = np.array([(x, y, x + w, y + h) for x, y, w, h, _ in stats[1:][keep[1:]]], np.float32).reshape(-1, 4)
    return keep[labels], boxes, stats[1:, cv2.CC_STAT_AREA][keep[1:]]


def overlap(box, other):
    """Intersection over the smaller box (org.geohazard.analysis.AnalysisBuilder.overlap)."""
    w = min(box[2], other[2]) - max(box[0], other[0])
    h = min(box[3], other[3]) - max(box[1], other[1])
    if w <= 0 or h <= 0:
        return 0.0
    smaller = min((box[2] - box[0]) * (box[3] - box[1]), (other[2] - other[0]) * (other[3] - other[1]))
    return 0.0 if smaller <= 0 else float(w * h / smaller)


CORROBORATING_OVERLAP = 0.5   # AnalysisBuilder.CORROBORATING_OVERLAP
PERMANENT_WATER_SHARE = 0.9   # org.geohazard.change.ChangeRules.PERMANENT_WATER_SHARE


def box_share(mask, box):
    """Share of the pixels whose centres fall in box that are set in mask (0 for an empty box)."""
    h, w = mask.shape
    x1, y1 = max(0, int(np.ceil(box[0] - 0.5))), max(0, int(np.ceil(box[1] - 0.5)))
    x2, y2 = min(w, int(np.ceil(box[2] - 0.5))), min(h, int(np.ceil(box[3] - 0.5)))
    if x2 <= x1 or y2 <= y1:
        return 0.0
    return float(mask[y1:y2, x1:x2].mean())


def judge_boxes(boxes, change_boxes, water_before):
    """Per model flood box: 'permanent' (>= PERMANENT_WATER_SHARE of it water before), 'corroborated' (a change
    region overlaps it by >= CORROBORATING_OVERLAP of the smaller box) or 'unconfirmed', as the node decides."""
    out = []
    for b in boxes:
        if box_share(water_before, b) >= PERMANENT_WATER_SHARE:
            out.append("permanent")
        elif any(overlap(b, c) >= CORROBORATING_OVERLAP for c in change_boxes):
            out.append("corroborated")
        else:
            out.append("unconfirmed")
    return out


def s2_new_water(after_rgb, before_rgb, **kw):
    """OMBRIA's composite (R = B11 SWIR, G = B8 NIR, B = B3 green): MNDWI from B = green and R = SWIR."""
    return new_water(after_rgb[..., 2], after_rgb[..., 0], before_rgb[..., 2], before_rgb[..., 0], **kw)


def tune():
    import ombria
    out = {}
    train = ombria.load("train")
    for threshold in (-0.2, -0.1, 0.0, 0.1, 0.2):
        for rise in (0.0, 0.1, 0.2, 0.3):
            tp = fp = fn = 0
            for t in train:
                new, _ = s2_new_water(t.after, t.before, threshold=threshold, rise=rise)
                new, _, _ = regions(new)
                tp += int((new & t.mask).sum())
                fp += int((new & ~t.mask).sum())
                fn += int((~new & t.mask).sum())
            out[f"s2 index>={threshold} rise>={rise}"] = round(2 * tp / max(1, 2 * tp + fp + fn), 4)
    train1 = ombria.load_s1("train")
    for drop in (10, 15, 20, 25, 30, 40, 60):
        for dark in (60, 80, 100, 130, 160, 190, 255):
            tp = fp = fn = 0
            for t in train1:
                new, _ = backscatter_drop(t.after, t.before, True, drop=drop, dark=dark)
                new, _, _ = regions(new)
                tp += int((new & t.mask).sum())
                fp += int((new & ~t.mask).sum())
                fn += int((~new & t.mask).sum())
            out[f"s1 drop>={drop} dark<={dark}"] = round(2 * tp / max(1, 2 * tp + fp + fn), 4)
    return out


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--tune", action="store_true", help="print the pixel F1 grid on OMBRIA train")
    a = p.parse_args()
    if a.tune:
        grid = tune()
        for k, v in sorted(grid.items(), key=lambda kv: -kv[1]):
            print(k, v)
