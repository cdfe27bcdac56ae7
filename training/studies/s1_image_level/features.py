"""Per-place features from the cached model outputs (extract.py) and the change rule (pair_change), for the
single-image protocol (AFTER alone = flood, BEFORE alone = flood-free) and evaluate_real.pair_sets' pair protocol
((AFTER, BEFORE) = flood pair, receding (BEFORE, AFTER) = flood-free pair).

    features(split) -> dict with
      'names', 'share', 'val' (ombria.is_validation), 'event' (2021 only, else None),
      'single': {feature: float [N, 2]}  column 0 = AFTER alone (view A0), 1 = BEFORE alone (B0)
      'pair':   {feature: float [N, 3]}  column 0 = flood pair (view AB), 1 = receding pair (BA), 2 = no-change pair
                (BEFORE with itself as its before scene: view B0, evaluate_real's ombria_s1_*_pair flood-free image)
"""
import json
import pickle
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import cv2  # noqa: E402
import numpy as np  # noqa: E402

import ombria  # noqa: E402
import pair_change as pc  # noqa: E402

CACHE = Path(__file__).resolve().parents[2] / "runs" / "s1_image_level"
SEG_T = (0.25, 0.5, 0.75, 0.9)
DROP_LEVELS = (0, 20, 40, 70)


def largest_share(mask):
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
    return float(stats[1:, cv2.CC_STAT_AREA].max() / mask.size) if n > 1 else 0.0


def det_max(dets):
    return float(dets[1].max()) if len(dets[1]) else 0.0


def mask_feats(prob, prefix, out):
    out[prefix + "mean"] = float(prob.mean())
    for t in SEG_T:
        out[f"{prefix}share{t}"] = float((prob >= t).mean())
    out[prefix + "largest0.5"] = largest_share(prob >= 0.5)


def features(split):
    cache_file = CACHE / f"{split}_features.pkl"
    if cache_file.exists():
        return pickle.loads(cache_file.read_bytes())
    meta = json.loads((CACHE / f"{split}_meta.json").read_text())
    segs = np.load(CACHE / f"{split}_seg.npy", mmap_mode="r")
    dets = pickle.loads((CACHE / f"{split}_det.pkl").read_bytes())
    tiles = ombria.load_s1(split)
    assert [t.name for t in tiles] == meta["names"]
    single, pair = [], []
    for i, t in enumerate(tiles):
        prob = {v: segs[i, j].astype(np.float32) / 255 for j, v in enumerate(meta["views"])}
        d = dets[i]
        row_s = []
        for v in ("A0", "B0"):
            f = {"det_max": det_max(d[v])}
            mask_feats(prob[v], "seg_", f)
            row_s.append(f)
        single.append(row_s)
        # Pair features. Relative smoothed VV (as backscatter_drop's 8-bit branch): drop = earlier - later.
        a = pc.relative_to_median(pc.box_mean(t.after, pc.SMOOTH_8BIT))
        b = pc.relative_to_median(pc.box_mean(t.before, pc.SMOOTH_8BIT))
        row_p = []
        for v, later, earlier, lat_rel, ear_rel, alone_later, alone_earlier in (
                ("AB", t.after, t.before, a, b, "A0", "B0"), ("BA", t.before, t.after, b, a, "B0", "A0"),
                ("B0", t.before, t.before, b, b, "B0", "B0")):  # no change: BEFORE with itself as before scene
            f = {"det_max": det_max(d[v])}
            mask_feats(prob[v], "seg_", f)
            drop = ear_rel - lat_rel
            new, was = pc.backscatter_drop(later, earlier, True)
            kept, boxes, px = pc.regions(new)
            f["change_area"] = float(kept.mean())
            f["change_regions"] = float(len(boxes))
            f["change_any"] = float(len(boxes) > 0)
            m = prob[v] >= 0.5
            for x in DROP_LEVELS:
                f[f"seg0.5_drop{x}"] = float((m & (drop >= x)).mean())
                f[f"drop{x}_area"] = float((drop >= x).mean())
            f["seg0.25_drop20"] = float(((prob[v] >= 0.25) & (drop >= 20)).mean())
            f["seg0.5_in_change"] = float((m & kept).mean())
            f["seg0.5_not_was"] = float((m & ~was).mean())
            f["seg0.5_new_vs_earlier"] = float((m & (prob[alone_earlier] < 0.5)).mean())
            f["seg_share_diff0.5"] = float((prob[v] >= 0.5).mean() - (prob[alone_earlier] >= 0.5).mean())
            f["seg_alone_diff0.5"] = float((prob[alone_later] >= 0.5).mean() - (prob[alone_earlier] >= 0.5).mean())
            f["seg_mean_drop_weighted"] = float((prob[v] * np.clip(drop, 0, None)).mean())
            f["det_max_later_alone"] = det_max(d[alone_later])
            f["det_max_minus_earlier"] = det_max(d[v]) - det_max(d[alone_earlier])
            # detector best score over boxes not set aside as permanent water (node rule, medium form)
            verdicts = pc.judge_boxes(d[v][0], boxes, was)
            keep = [s for s, vv in zip(d[v][1], verdicts) if vv != "permanent"]
            f["det_max_nonperm"] = float(max(keep)) if keep else 0.0
            corr = [s for s, vv in zip(d[v][1], verdicts) if vv == "corroborated"]
            f["det_max_corroborated"] = float(max(corr)) if corr else 0.0
            row_p.append(f)
        pair.append(row_p)
    keys_s = list(single[0][0])
    keys_p = list(pair[0][0])
    out = {"names": meta["names"], "share": np.array(meta["flood_share"]), "val": np.array(meta["validation"]),
           "event": [n.split("/")[1] for n in meta["names"]] if split == "2021" else None,
           "single": {k: np.array([[r[0][k], r[1][k]] for r in single]) for k in keys_s},
           "pair": {k: np.array([[r[0][k], r[1][k], r[2][k]] for r in pair]) for k in keys_p}}
    cache_file.write_bytes(pickle.dumps(out))
    return out
