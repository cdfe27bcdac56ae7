"""The shipped models on real labelled imagery that no training or tuning step has read; writes
training/metrics-real.json, the source of the real-label table in models/README.md.

    /usr/bin/python3 training/evaluate_real.py \\
        --model models/geohazard-s2flood.onnx=training/runs/s2flood/final.pt \\
        --model models/geohazard-rgb.onnx=training/runs/rgb/final.pt --out training/metrics-real.json
    /usr/bin/python3 training/evaluate_real.py --update --out training/metrics-real.json \\
        --model models/geohazard-s2seg.onnx=training/runs/s2seg/final.pt \\
        --model models/geohazard-s1seg.onnx=training/runs/s1seg/final.pt

With --contrast-haze BAND,SIDE,RATIO,BRIGHTER the S2 pairs are scored with pair_change.contrast_haze added to the
rule (a loss-of-contrast haze test the node does not have; models/README.md, "Before and after"): write those to
another --out than training/metrics-real.json.

A --model given without its checkpoint (`--model models/geohazard-rgb.onnx`) is rebuilt from the ONNX file
itself: the exported graph is the fused architecture (BatchNorm folded), and its initializers carry exactly the
fused model's parameter names, so they load into GeoHazardDet(...).fuse(); the same numpy check below then
proves the rebuilt model computes what the file computes. That is how the shipped files are evaluated where
their training runs are not kept.

Each model is run as the checkpoint in export mode (what its ONNX file computes; checked on two images with the
numpy ONNX interpreter first), with the thresholds stored in the ONNX file's metadata, and sees only the view
it states in that metadata:

- swir_nir_green (B11, B8, B3):
  - OMBRIA test (70 places) and OMBRIA's four 2021 events (150 places): each AFTER tile whose mapped flood
    covers >= 1 % of it is a flood image, each BEFORE tile a flood-free image (AFTER tiles with less are
    left out of the image-level figures, kept in the box-level ones). Boxes from the masks as in training
    (ombria.mask_boxes). All tiles are used, cloudy ones included.
  - Sen1Floods11's Spain chip (13 bands, hand-labelled water): bands 12, 8, 3 of the stack, the server's
    2-98 % stretch, resampled to the model's ground sample distance, cut into model-sized tiles with 20 %
    overlap as the server's SceneTiler does, boxes merged across tiles by class-wise NMS on intersection
    over the smaller box.
- sar_vv_pair (Sentinel-1 VV; ombria.sar_pair):
  - OMBRIA S1 test (70 places) and the 2021 events' Sentinel1 tiles (150 places), as above, twice: each scene
    alone (the AFTER tile alone is the flood image, the BEFORE tile alone the flood-free one), and as a pair
    (the AFTER tile with its BEFORE tile is the flood image; the flood-free image is the BEFORE tile with no
    change, the form a node gives a scene whose before scene shows the same).
  - Sen1Floods11's Spain chip (VV in dB, float32): band 1, the server's 2-98 % stretch (NaN left out), resampled
    to the model's ground sample distance and sliced as above, alone.
  - With the swir_nir_green model in the same run: image-level fusion of the two on OMBRIA test places, where both
    sensors saw the place (same tile ids): either model at 'high', both at 'high', and one at 'high' corroborated
    by the other at 'report'.
- rgb:
  - the Spain sample as the RGB JPEG in ../shared/data/samples (B4, B3, B2, 2-98 % stretched), letterboxed
    whole as the server does for a JPEG without a ground sample distance;
  - OMBRIA test and 2021 turned into approximate true colour (ombria.to_true_colour): real flood shapes,
    converted colours; a proxy, reported apart.
- Mask models (metadata task=segment; training/segment.py): pixel IoU, precision and recall of the flood class
  at the model's mask_threshold, pooled over the tiles of a set: OMBRIA test and 2021 (all four events and each
  one) for the view's sensor (radar alone and as pairs), with the share of BEFORE-tile pixels flagged (OMBRIA
  maps no flood there); the Sen1Floods11 Spain chip resampled to the model's scale, cut into windows blended
  as the server's extent.MaskStitcher blends them, scored against LabelHand (water = 1; unlabelled -1 left
  out; LabelHand marks all water, permanent water included). "polygon_step_10m": the IoU again after the
  mask went through polygons simplified at 10 m and back (OpenCV's tracing, a stand-in for the server's).
  "*_water_before_cleared": the same AFTER tiles as a node's extent of a scene analysed against its BEFORE tile
  (S2, and the radar pair form): a flooded region mostly water in the BEFORE tile by the pair's rule is cleared
  before scoring ("*_per_pixel": every such pixel, the variant not taken).
  With --image-level (or --image-level-only with --update): image-level flood decisions from the masks, an image
  being flood when its flagged share reaches a fraction chosen on the validation carve-out
  (image_level_from_masks): OMBRIA test and 2021 for the S2 mask, OMBRIA S1 test (alone and as pairs) for the S1 one.
Image level uses the thresholds an operator meets: 'report' (a box is returned at all), 'medium', 'high' and
'critical' (risk levels; 'high' raises an alert by default). Each level records its counts (tp, fp, fn, tn):
the node pools them over independent sets to decide which levels a model's real evidence supports
(org.geohazard.analysis.ModelEvidence). Box level at 'report' (every box a caller gets) and at 'high'.
"""
import argparse
import json
import time
from pathlib import Path

import cv2
import numpy as np
import onnx
import torch

import hazard_eval as he
import ombria
from export_onnx import load_model
from letterbox import letterbox
from onnx_numpy import OnnxNumpy
from segment import load_segmenter, pixel_counts, pixel_scores, predict_masks, segmenter_from_onnx
from shared_data import _stretch, shared_data_dir
import pair_change as pc

FLOOD_MIN_SHARE = 0.01
SPAIN = "sen1floods11/sample"


def metadata(path):
    meta = {p.key: p.value for p in onnx.load(str(path)).metadata_props}
    names = [n.split(":", 1)[1].strip().strip("'\"") for n in meta["names"].strip("{}").split(",")]
    size = int(meta["imgsz"].strip("[]").split(",")[0])
    return {"names": names, "size": size, "view": meta.get("view", "rgb"), "gsd_m": float(meta.get("gsd_m", 0) or 0),
            "thresholds": json.loads(meta.get("thresholds", "{}")), "version": meta.get("version", ""),
            "task": meta.get("task", "detect"), "mask_threshold": float(meta.get("mask_threshold", 0.5))}


def model_from_onnx(onnx_path, classes):
    """The fused detector with the weights of an exported ONNX file (see the module's docstring)."""
    from onnx import numpy_helper
    from model import GeoHazardDet
    model = GeoHazardDet(nc=classes, backbone="mobilenet_v2").eval().fuse()
    weights = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy())
               for i in onnx.load(str(onnx_path)).graph.initializer}
    model.load_state_dict({k: weights[k] for k in model.state_dict()})
    return model


def check_onnx(model, onnx_path, size):
    ref = OnnxNumpy(onnx_path)
    x = torch.rand(2, 3, size, size)
    with torch.no_grad():
        mine = model(x).numpy()
    diff = float(np.abs(mine[:, 4:] - ref.run(x.numpy())[0][:, 4:]).max())
    assert diff < 1e-4, f"{onnx_path} does not compute what its weights compute ({diff})"
    return diff


def ombria_set(split, view, cls):
    """Tiles of an OMBRIA split as the model sees them; ground-truth boxes carry the model's flood class id."""
    images, gts, positive, scored = [], [], [], []
    for t in ombria.load(split):
        share = float(t.mask.mean())
        for img, boxes, is_after in ((t.after, ombria.mask_boxes(t.mask), True), (t.before, np.zeros((0, 4)), False)):
            images.append(ombria.to_true_colour(img) if view == "rgb" else img)
            gts.append(np.concatenate([np.full((len(boxes), 1), cls), boxes], 1))
            positive.append(is_after and share >= FLOOD_MIN_SHARE)
            scored.append(not is_after or share >= FLOOD_MIN_SHARE)
    return images, gts, np.array(positive), np.array(scored)


def ombria_s1_set(split, pair):
    """OMBRIA S1 tiles as the radar model sees them, alone or as pairs with their BEFORE tiles (module doc)."""
    images, gts, positive, scored = [], [], [], []
    for t in ombria.load_s1(split):
        share = float(t.mask.mean())
        after = ombria.sar_pair(t.after, t.before if pair else None)
        for img, boxes, is_after in ((after, ombria.mask_boxes(t.mask), True),
                                     (ombria.sar_pair(t.before), np.zeros((0, 4)), False)):
            images.append(img)
            gts.append(np.concatenate([np.zeros((len(boxes), 1)), boxes], 1))
            positive.append(is_after and share >= FLOOD_MIN_SHARE)
            scored.append(not is_after or share >= FLOOD_MIN_SHARE)
    return images, gts, np.array(positive), np.array(scored)


def pair_sets(model, meta, flood, th, radar, contrast=None):
    """Before/after pairs through the node's rule (pair_change; org.geohazard.change in Java), OMBRIA test and 2021
    with their BEFORE tiles. A flood pair is an AFTER tile (mapped flood >= 1 %) with its BEFORE tile; a flood-free
    pair is the receding pair of the same place, the BEFORE tile analysed with the AFTER tile as its before scene
    (two real dates, no new water in the later one; OMBRIA has no AFTER tile without mapped flood). The model sees
    the later scene (radar: in the pair form, VV / before VV / change). Per level, as the node decides it: a flood
    box at the level's threshold counts unless >= 90 % of it was water before (permanent water); above medium it
    also needs a change region overlapping it by >= half the smaller box (corroboration), since neither flood model
    has real-label evidence verifying high or critical alone. 'model_alone': any box at the threshold; 'change_alone':
    any new-water region of >= MIN_PIXELS pixels. Optical pixels under cloud or haze in either date are judged
    neither way, and a pair with less than MIN_CLEAR_SHARE clear is not judged ('unjudged_pairs': no region, no
    permanent water; so not flagged above medium, as the node leaves it). contrast: pair_change.contrast_haze's
    keywords for the S2 rule (--contrast-haze; not the node's rule, which has no such test)."""
    out = {}
    levels = [lv for lv in ("medium", "high", "critical") if lv in th]
    timing = []
    for split in ("test", "2021"):
        tiles_ = ombria.load_s1(split) if radar else ombria.load(split)
        rows = []  # (set names, positive, images later/earlier)
        images, changes = [], []
        for t in tiles_:
            if float(t.mask.mean()) < FLOOD_MIN_SHARE:
                continue
            event = t.name.split("/")[1].lower() if split == "2021" else None
            for later, earlier, positive in ((t.after, t.before, True), (t.before, t.after, False)):
                t0 = time.perf_counter()
                if radar:
                    new, was = pc.backscatter_drop(later, earlier, True)
                    clear = 1.0
                else:
                    new, was, clear = pc.s2_new_water(later, earlier, contrast=contrast)
                _, boxes, _ = pc.regions(new)
                timing.append(time.perf_counter() - t0)
                images.append(ombria.sar_pair(later, earlier) if radar else later)
                changes.append((boxes, was, clear >= pc.MIN_CLEAR_SHARE))
                rows.append((event, positive))
        preds = he.predict(model, images, meta["size"])
        flags = []
        for (boxes, was, judged), pred in zip(changes, preds):
            fl = {"change_alone": len(boxes) > 0}
            fb = pred[0][pred[2] == flood]
            fs = pred[1][pred[2] == flood]
            verdicts = pc.judge_boxes(fb, boxes, was)
            for lv in levels:
                at = fs >= th[lv]
                fl["model_alone_" + lv] = bool(at.any())
                fl["node_pair_" + lv] = any(a and v != "permanent" and (lv == "medium" or v == "corroborated")
                                            for a, v in zip(at, verdicts))
            fl["permanent_boxes"] = sum(v == "permanent" for v in verdicts)
            fl["unjudged"] = not judged
            flags.append(fl)
        groups = {f"ombria_{split}": [True] * len(rows)}
        if split == "2021":
            for e in ombria.EVENTS_2021:
                groups[f"ombria_2021_{e.lower()}"] = [r[0] == e.lower() for r in rows]
        for gname, sel in groups.items():
            pos = np.array([r[1] for r, s_ in zip(rows, sel) if s_])
            g = [f for f, s_ in zip(flags, sel) if s_]
            entry = {"pairs": len(g), "flood_pairs": int(pos.sum()),
                     "permanent_water_boxes": int(sum(f["permanent_boxes"] for f in g)),
                     "unjudged_pairs": int(sum(f["unjudged"] for f in g)),
                     "unjudged_flood_pairs": int(sum(f["unjudged"] for f, q in zip(g, pos) if q))}
            for key in g[0]:
                if key in ("permanent_boxes", "unjudged"):
                    continue
                flagged = np.array([f[key] for f in g])
                tp = int(np.sum(flagged & pos)); fp = int(np.sum(flagged & ~pos))
                fn = int(np.sum(~flagged & pos)); tn = int(np.sum(~flagged & ~pos))
                entry[key] = {"tp": tp, "fp": fp, "fn": fn, "tn": tn,
                              "precision": round(tp / max(1, tp + fp), 4), "recall": round(tp / max(1, tp + fn), 4),
                              "specificity": round(tn / max(1, tn + fp), 4)}
            out[gname + ("_s1" if radar else "") + "_pairs"] = entry
    out["rule_ms_per_pair_median"] = round(float(np.median(timing)) * 1000, 3)
    return out


def spain_radar():
    """The Spain chip's VV band (dB) as the server's radar view of a scene alone: 2-98 % stretch without NaN."""
    import tifffile
    root = shared_data_dir() / "geotiff" / SPAIN
    vv = tifffile.imread(root / "S1" / "Spain_7370579_S1Hand.tif")[0].astype(np.float32)
    valid = np.isfinite(vv)
    lo, hi = np.percentile(vv[valid], [2, 98])
    grey = np.where(valid, np.clip((vv - lo) * (255 / max(hi - lo, 1e-9)), 0, 255) + 0.5, 0).astype(np.uint8)
    label = tifffile.imread(root / "Labels" / "Spain_7370579_LabelHand.tif")
    return ombria.sar_pair(grey), label == 1


def overlap_of_smaller(a, b):
    """Intersection over the smaller of two xyxy boxes: AnalysisBuilder.overlap, the node's corroboration test."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return w * h / smaller if smaller > 0 else 0.0


def corroborated_box(main, other, flood, main_level, other_report, share=0.5):
    """Whether a flood box of `main` at `main_level` or above has a flood box of `other` at `other_report` or above
    over at least `share` of the smaller of the two (the node's OTHER_SENSOR rule, change.OtherSensor: the two
    OMBRIA tiles of a place share one 10 m grid, so pixel boxes compare as the node's georeferenced ones do)."""
    mine = [b for b, sc, c in zip(*main) if c == flood and sc >= main_level]
    theirs = [b for b, sc, c in zip(*other) if c == flood and sc >= other_report]
    return any(overlap_of_smaller(m, o) >= share for m in mine for o in theirs)


def remember_for_fusion(scores_by_view, boxes_by_view, view, tiles_, preds, positive, scored, flood):
    """One view's AFTER tiles (scored ones) and BEFORE tiles (flood-free) of a split, by place, for `fusion`."""
    scores = he.image_scores(preds, flood)
    scores_by_view[view] = {t.name: (float(scores[2 * i]), bool(positive[2 * i]))
                            for i, t in enumerate(tiles_) if scored[2 * i]}
    scores_by_view[view].update({t.name + "/before": (float(scores[2 * i + 1]), False) for i, t in enumerate(tiles_)})
    boxes_by_view[view] = {t.name: preds[2 * i] for i, t in enumerate(tiles_)}
    boxes_by_view[view].update({t.name + "/before": preds[2 * i + 1] for i, t in enumerate(tiles_)})


def fusion(s2, s1, th2, th1, boxes2=None, boxes1=None, flood=0):
    """Image-level flood flags from both sensors on the places both saw; s2/s1: name -> (score, positive); boxes2/
    boxes1: name -> (boxes, scores, classes), for the node's per-box form of the corroborated rule."""
    names = sorted(set(s2) & set(s1))
    a = np.array([s2[n][0] for n in names])
    b = np.array([s1[n][0] for n in names])
    positive = np.array([s2[n][1] for n in names])
    rules = {
        "either_high": (a >= th2["high"]) | (b >= th1["high"]),
        "both_high": (a >= th2["high"]) & (b >= th1["high"]),
        "high_corroborated_at_report": ((a >= th2["high"]) & (b >= th1["report"]))
                                       | ((b >= th1["high"]) & (a >= th2["report"])),
    }
    if boxes2 is not None and boxes1 is not None:
        # As the node applies it: the other sensor's box must lie over the box at high (half the smaller box).
        def per_box(main, other, th_main, th_other, level):
            return np.array([corroborated_box(main[n], other[n], flood, th_main[level], th_other["report"])
                             for n in names])
        rules["high_corroborated_at_report_same_place"] = (per_box(boxes2, boxes1, th2, th1, "high")
                                                           | per_box(boxes1, boxes2, th1, th2, "high"))
        # One upload gets one direction: an optical upload naming its radar scene is flagged at high when an optical
        # box at high has a radar box over it (and at critical likewise); a radar upload naming its optical scene the
        # other way round.
        rules["s2_high_corroborated_by_s1_same_place"] = per_box(boxes2, boxes1, th2, th1, "high")
        rules["s2_critical_corroborated_by_s1_same_place"] = per_box(boxes2, boxes1, th2, th1, "critical")
        rules["s1_high_corroborated_by_s2_same_place"] = per_box(boxes1, boxes2, th1, th2, "high")
        rules["s1_critical_corroborated_by_s2_same_place"] = per_box(boxes1, boxes2, th1, th2, "critical")
    out = {"images": len(names), "flood_images": int(positive.sum())}
    for rule, flagged in rules.items():
        tp = int((flagged & positive).sum())
        fp = int((flagged & ~positive).sum())
        fn = int((~flagged & positive).sum())
        tn = int((~flagged & ~positive).sum())
        out[rule] = {"tp": tp, "fp": fp, "fn": fn, "tn": tn, "precision": round(tp / max(tp + fp, 1), 4),
                     "recall": round(tp / max(tp + fn, 1), 4), "specificity": round(tn / max(tn + fp, 1), 4)}
    return out


def spain_scene(view):
    import tifffile
    root = shared_data_dir() / "geotiff" / SPAIN
    stack = np.moveaxis(tifffile.imread(root / "S2" / "Spain_7370579_S2Hand.tif"), 0, -1).astype(np.float32)
    label = tifffile.imread(root / "Labels" / "Spain_7370579_LabelHand.tif")
    bands = [11, 7, 2] if view == "swir_nir_green" else [3, 2, 1]  # 0-based B11, B8, B3 / B4, B3, B2
    rgb = (_stretch(stack[..., bands]) * 255).round().astype(np.uint8)
    # Pixel size 8.983e-5 degrees at 38.1 N: about 7.9 m east-west and 10.0 m north-south.
    lat = 38.1058
    gsd = (8.983152841195e-05 * 111320 * np.cos(np.radians(lat)) * 8.983152841195e-05 * 110574) ** 0.5
    return rgb, label == 1, gsd


def tiles(length, tile, overlap=0.2):
    if length <= tile:
        return [0]
    stride = max(1, round(tile * (1 - overlap)))
    count = (length - tile + stride - 1) // stride + 1
    return [i * stride for i in range(count - 1)] + [length - tile]


def sliced_predict(model, img, size, tile=None):
    """Tiles of `tile` pixels (the model's size by default) over the scene, each letterboxed to the model's
    input, plus the whole scene letterboxed when larger than one tile, merged by class-wise NMS on
    intersection over the smaller box (the seam merger's main rule)."""
    tile = tile or size
    h, w = img.shape[:2]
    windows = [(x, y) for y in tiles(h, tile) for x in tiles(w, tile)]
    crops = [img[y:y + tile, x:x + tile] for x, y in windows]
    preds = he.predict(model, crops + ([img] if len(windows) > 1 else []), size)
    boxes, scores, classes = [], [], []
    for (x, y), (b, s, c) in zip(windows + [(0, 0)], preds):
        boxes.append(b + np.array([x, y, x, y], np.float32))
        scores.append(s)
        classes.append(c)
    boxes, scores, classes = np.concatenate(boxes), np.concatenate(scores), np.concatenate(classes)
    order = np.argsort(-scores, kind="stable")
    keep = []
    for i in order:
        ok = True
        for j in keep:
            if classes[j] != classes[i]:
                continue
            lt = np.maximum(boxes[i, :2], boxes[j, :2])
            rb = np.minimum(boxes[i, 2:], boxes[j, 2:])
            inter = np.clip(rb - lt, 0, None).prod()
            smaller = min(np.prod(boxes[i, 2:] - boxes[i, :2]), np.prod(boxes[j, 2:] - boxes[j, :2]))
            if inter / max(smaller, 1e-9) > 0.5:
                ok = False
                break
        if ok:
            keep.append(i)
    keep = np.array(keep, int)
    return boxes[keep], scores[keep], classes[keep]


def slicing_effect(model, meta, out):
    """Pictures of unknown scale larger than scenes.tileAboveSide: native-resolution tiles (the old rule) against
    at most 2 tiles per side (the new rule), on pictures 4x upsampled so they are that large. The Landsat
    samples hold no flood or landslide (every such box is false); the Spain sample is a flood."""
    samples = shared_data_dir() / "samples"
    cases = [("landsat7-bahamas-rgb.jpg", False), ("landsat7-olinda-rgb.jpg", False),
             ("sentinel2-spain-flood-rgb.jpg", True)]
    size = meta["size"]
    names = meta["names"]
    hazards = [names.index(n) for n in ("flood", "landslide") if n in names]
    water = names.index("water_body") if "water_body" in names else -1
    report = {}
    for name, is_flood in cases:
        img = cv2.imread(str(samples / name))[..., ::-1].copy()
        big = cv2.resize(img, (img.shape[1] * 4, img.shape[0] * 4), interpolation=cv2.INTER_CUBIC)
        long_side = max(big.shape[:2])
        row = {"pixels": f"{big.shape[1]}x{big.shape[0]}", "flood_in_it": is_flood}
        for rule, tile in (("native_tiles", size), ("two_tiles_per_side", max(size, int(np.ceil(long_side / 1.8))))):
            boxes, scores, classes = sliced_predict(model, big, size, tile)
            th = {c: meta["thresholds"].get(names[c], {}).get("report", 0.25) for c in range(len(names))}
            keep = np.array([s >= th[c] for s, c in zip(scores, classes)], bool) if len(scores) else np.zeros(0, bool)
            classes = classes[keep]
            windows = len(tiles(big.shape[0], tile)) * len(tiles(big.shape[1], tile)) + 1
            row[rule] = {"windows": windows, "hazard_boxes": int(np.isin(classes, hazards).sum()),
                         "water_body_boxes": int((classes == water).sum())}
        report[name] = row
    out["slicing_unknown_scale"] = report


def score_set(preds, gts, positive, scored, cls, thresholds):
    s = he.image_scores(preds, cls)
    out = {"images": int(scored.sum()), "flood_images": int(positive[scored].sum()), "image": {}, "box": {}}
    for level in ("report", "medium", "high", "critical"):
        if level in thresholds:
            out["image"][level] = he.image_metrics(s[scored], positive[scored], thresholds[level])
    report = thresholds.get("report", 0.25)
    out["box"] = {f"iou{iou}": he.box_metrics(preds, gts, cls, report, iou) for iou in (0.3, 0.5)}
    if "high" in thresholds:
        out["box_at_high"] = {f"iou{iou}": he.box_metrics(preds, gts, cls, thresholds["high"], iou) for iou in (0.3, 0.5)}
    return out


def window_weights(tile, ramp):
    """The raised-cosine window weight of extent.MaskStitcher (Java): (0, 1] over `ramp` pixels from each edge."""
    i = np.arange(tile)
    edge = np.minimum(i, tile - 1 - i)
    w = np.where(edge >= ramp, 1.0, 0.5 - 0.5 * np.cos(np.pi * (edge + 0.5) / ramp))
    return (w[:, None] * w[None, :]).astype(np.float32)


def stitched_probability(model, img, tile=256, ramp=26):
    """Flood probability of a scene at the model's scale: windows of `tile` with 20 % overlap (tiles()), blended
    with extent.MaskStitcher's raised-cosine weights. A scene smaller than a window is padded by reflection."""
    h, w = img.shape[:2]
    ph, pw = max(h, tile), max(w, tile)
    padded = cv2.copyMakeBorder(img, 0, ph - h, 0, pw - w, cv2.BORDER_REFLECT_101) if (ph, pw) != (h, w) else img
    windows = [(x, y) for y in tiles(ph, tile) for x in tiles(pw, tile)]
    probs = predict_masks(model, [padded[y:y + tile, x:x + tile] for x, y in windows])
    weight = window_weights(tile, ramp)
    total = np.zeros((ph, pw), np.float32)
    norm = np.zeros((ph, pw), np.float32)
    for (x, y), p in zip(windows, probs):
        total[y:y + tile, x:x + tile] += weight * p
        norm[y:y + tile, x:x + tile] += weight
    return (total / norm)[:h, :w]


def polygon_mask(mask, tolerance_px):
    """The mask through a polygon step: outer rings and holes traced (OpenCV), simplified by Douglas-Peucker at
    `tolerance_px`, filled back. A stand-in for the server's extent.MaskPolygonizer (pixel-edge rings, JTS's
    topology-preserving simplifier) measuring what simplification at that tolerance costs."""
    contours, hierarchy = cv2.findContours(mask.astype(np.uint8), cv2.RETR_CCOMP, cv2.CHAIN_APPROX_NONE)
    out = np.zeros(mask.shape, np.uint8)
    if hierarchy is None:
        return out.astype(bool)
    simplified = [cv2.approxPolyDP(c, tolerance_px, True) for c in contours]
    outer = [c for c, h in zip(simplified, hierarchy[0]) if h[3] < 0]
    holes = [c for c, h in zip(simplified, hierarchy[0]) if h[3] >= 0]
    cv2.drawContours(out, outer, -1, 1, thickness=cv2.FILLED)
    cv2.drawContours(out, holes, -1, 0, thickness=cv2.FILLED)
    cv2.drawContours(out, holes, -1, 1, thickness=1)  # the hole's boundary pixels are flooded ones
    return out.astype(bool)


def pixel_set(probs, truths, threshold, valid=None):
    """Pooled flood-pixel IoU, precision, recall over images; `valid` masks out unlabelled pixels."""
    tp = fp = fn = 0
    for i, (p, t) in enumerate(zip(probs, truths)):
        v = np.ones_like(t) if valid is None else valid[i]
        a, b, c = pixel_counts(p[v], t[v], threshold)
        tp, fp, fn = tp + a, fp + b, fn + c
    return pixel_scores(tp, fp, fn)


def clear_regions_mostly_water(prob, water_before, th, share=pc.PERMANENT_WATER_SHARE):
    """SpeckFilter.removeMostlyMarked: each 4-connected region of prob >= th with at least `share` of its pixels
    water before is set to 0."""
    count, labels = cv2.connectedComponents((prob >= th).astype(np.uint8), connectivity=4)
    if count <= 1:
        return prob
    size = np.bincount(labels.ravel(), minlength=count)
    wet = np.bincount(labels.ravel(), weights=water_before.ravel().astype(np.float64), minlength=count)
    gone = wet >= share * size
    gone[0] = False
    return np.where(gone[labels], 0.0, prob).astype(np.float32)


def clear_water_pixels(prob, water_before, th):
    return np.where(water_before, 0.0, prob).astype(np.float32)


def segment_sets(model, meta):
    """The mask model's pixel figures on every real set of its view (module doc, "Mask models")."""
    th = meta["mask_threshold"]
    out = {}

    def ombria_tiles(split):
        return ombria.load_s1(split) if meta["view"] == "sar_vv_pair" else ombria.load(split)

    forms = (("_alone", False), ("_pair", True)) if meta["view"] == "sar_vv_pair" else (("", False),)
    prefix = "ombria_s1" if meta["view"] == "sar_vv_pair" else "ombria"
    for split in ("test", "2021"):
        tiles_ = ombria_tiles(split)
        truths = [t.mask for t in tiles_]
        radar = meta["view"] == "sar_vv_pair"
        # BEFORE tiles: the same places before the flood; OMBRIA maps no flood there (permanent water included).
        flagged = predict_masks(model, [ombria.sar_pair(t.before) if radar else t.before for t in tiles_]) >= th
        for suffix, pair in forms:
            after = [ombria.sar_pair(t.after, t.before if pair else None) if radar else t.after for t in tiles_]
            probs = predict_masks(model, after)
            name = f"{prefix}_{split}{suffix}"
            out[name] = {"tiles": len(tiles_), "pixels": pixel_set(probs, truths, th)}
            out[name]["pixels"]["polygon_step_10m"] = pixel_set(
                [polygon_mask(p >= th, 1.0).astype(np.float32) for p in probs], truths, 0.5)["iou"]
            out[name]["before_tiles_flagged_share"] = round(float(flagged.mean()), 4)
            if split == "2021":
                events = np.array([t.name.split("/")[1] for t in tiles_])
                for event in ombria.EVENTS_2021:
                    sel = np.flatnonzero(events == event)
                    out[f"{name}_{event.lower()}"] = {"tiles": len(sel), "pixels": pixel_set(
                        [probs[i] for i in sel], [truths[i] for i in sel], th)}
            if pair or not radar:
                # The node's extent of a scene analysed against its before scene (SceneExtent): a flooded region
                # (4-connected, as SpeckFilter) with at least PERMANENT_WATER_SHARE of its pixels water in the BEFORE
                # tile by the pair's rule (pair_change, as ChangeRules: haze and cloud judged neither way, nothing
                # when too little is clear) is cleared whole. "_per_pixel": every such pixel cleared instead (tried
                # first, not what the node does: it tore real floods apart where the BEFORE tile was already wet).
                if radar:
                    water_before = [pc.backscatter_drop(t.after, t.before, True)[1] for t in tiles_]
                else:
                    water_before = [pc.s2_new_water(t.after, t.before)[1] for t in tiles_]
                for rule, clear in (("", clear_regions_mostly_water), ("_per_pixel", clear_water_pixels)):
                    cleared = [clear(p, w, th) for p, w in zip(probs, water_before)]
                    out[f"{name}_water_before_cleared{rule}"] = {
                        "tiles": len(tiles_), "pixels": pixel_set(cleared, truths, th),
                        "flagged_pixels_cleared_share": round(float(
                            sum(int(((p >= th) & (c < th)).sum()) for p, c in zip(probs, cleared))
                            / max(1, sum(int((p >= th).sum()) for p in probs))), 4)}
    # Sen1Floods11's Spain chip against its hand label (1 water, 0 dry, -1 unlabelled).
    import tifffile
    label = tifffile.imread(shared_data_dir() / "geotiff" / SPAIN / "Labels" / "Spain_7370579_LabelHand.tif")
    if meta["view"] == "sar_vv_pair":
        scene = spain_radar()[0]
        how = "S1 GeoTIFF band 1 (VV dB), alone"
    else:
        scene = spain_scene("swir_nir_green")[0]
        how = "13-band GeoTIFF, bands B11,B8,B3"
    gsd = spain_scene("swir_nir_green")[2]
    scale = gsd / meta["gsd_m"]
    size = (round(scene.shape[1] * scale), round(scene.shape[0] * scale))
    resized = cv2.resize(scene, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
    prob = stitched_probability(model, resized, meta["size"])
    # Back to the label's grid: polygons and the mask GeoTIFF are at the model's scale, the label at the chip's.
    prob = cv2.resize(prob, (label.shape[1], label.shape[0]), interpolation=cv2.INTER_LINEAR)
    valid = label >= 0
    water = label == 1
    entry = {"input": f"{how}, resampled x{scale:.3f} to {meta['gsd_m']:g} m, windows of {meta['size']} with 20 % "
                      "overlap blended as extent.MaskStitcher, probability resampled back to the label grid",
             "labelled_pixels": int(valid.sum()), "water_share": round(float(water[valid].mean()), 4),
             "pixels": pixel_set([prob], [water], th, [valid])}
    poly = polygon_mask(prob >= th, 10 / gsd)
    entry["pixels"]["polygon_step_10m"] = pixel_set([poly.astype(np.float32)], [water], 0.5, [valid])["iou"]
    out["sen1floods11_spain" + ("_s1" if meta["view"] == "sar_vv_pair" else "")] = entry
    return out


# --- Image-level flood decisions from the masks (issue 22's image-level targets; --image-level) --------------
# Kept apart from the pixel figures above: an image is called "flood" when the share of its pixels at or above the
# model's mask_threshold reaches a fraction chosen on OMBRIA's validation carve-out (train split,
# ombria.is_validation; never test or 2021). Images and labels as the detectors' image level: an AFTER tile whose
# mapped flood covers >= FLOOD_MIN_SHARE is a flood image, its BEFORE tile a flood-free one, AFTER tiles with less
# are left out; all tiles, cloudy ones included; radar scenes alone and as pairs.
IMAGE_FRACTIONS = np.round(np.concatenate([np.arange(0.001, 0.02, 0.001), np.arange(0.02, 0.301, 0.005)]), 4)


def _image_set(tiles_, radar, pair):
    images, positive, scored = [], [], []
    for t in tiles_:
        share = float(t.mask.mean())
        after = ombria.sar_pair(t.after, t.before if pair else None) if radar else t.after
        before = ombria.sar_pair(t.before) if radar else t.before
        images += [after, before]
        positive += [share >= FLOOD_MIN_SHARE, False]
        scored += [share >= FLOOD_MIN_SHARE, True]
    return images, np.array(positive), np.array(scored)


def _image_scores(flagged, positive):
    tp, fp = int(np.sum(flagged & positive)), int(np.sum(flagged & ~positive))
    fn, tn = int(np.sum(~flagged & positive)), int(np.sum(~flagged & ~positive))
    return {"precision": round(tp / max(tp + fp, 1), 4), "recall": round(tp / max(tp + fn, 1), 4),
            "specificity": round(tn / max(tn + fp, 1), 4), "tp": tp, "fp": fp, "fn": fn, "tn": tn}


def image_level_from_masks(model, meta):
    """-> {'fraction': chosen on validation, 'rule', 'validation', '<set>': precision/recall/counts}."""
    radar = meta["view"] == "sar_vv_pair"
    load = ombria.load_s1 if radar else ombria.load
    th = meta["mask_threshold"]
    forms = (("_alone", False), ("_pair", True)) if radar else (("", False),)

    def fractions(tiles_, pair):
        images, positive, scored = _image_set(tiles_, radar, pair)
        share = (predict_masks(model, images) >= th).mean(axis=(1, 2))
        return share[scored], positive[scored]

    val = [t for t in load("train") if ombria.is_validation(t.name)]
    pooled = [fractions(val, pair) for _, pair in forms]
    share, positive = np.concatenate([p[0] for p in pooled]), np.concatenate([p[1] for p in pooled])
    f1 = [(2 * s["tp"] / max(2 * s["tp"] + s["fp"] + s["fn"], 1), -f)
          for f in IMAGE_FRACTIONS for s in [_image_scores(share >= f, positive)]]
    fraction = -max(f1)[1]
    out = {"fraction": float(fraction), "mask_threshold": th,
           "rule": "image is flood when its share of pixels >= mask_threshold reaches `fraction`; fraction with "
                   "the best F1 on the validation carve-out (AFTER >= 1 % mapped flood = flood, BEFORE = none)",
           "validation": _image_scores(share >= fraction, positive)}
    prefix = "ombria_s1" if radar else "ombria"
    for split in ("test",) if radar else ("test", "2021"):  # the sets issue 22's image-level targets name
        tiles_ = load(split)
        for suffix, pair in forms:
            s, pos = fractions(tiles_, pair)
            out[f"{prefix}_{split}{suffix}"] = _image_scores(s >= fraction, pos)
    return out


def evaluate_segmenter(onnx_path, weights, meta):
    model = load_segmenter(weights) if weights else segmenter_from_onnx(onnx_path)
    x = np.random.default_rng(0).random((1, 3, 64, 96), dtype=np.float32)
    model.export_mode = True
    with torch.no_grad():
        mine = model(torch.from_numpy(x)).numpy()
    diff = float(np.abs(mine - OnnxNumpy(onnx_path).run(x)[0]).max())
    assert diff < 1e-4, f"{onnx_path} does not compute what its weights compute ({diff})"
    t0 = time.time()
    entry = {"version": meta["version"], "view": meta["view"], "task": "segment",
             "mask_threshold": meta["mask_threshold"], "onnx_vs_torch": diff, "sets": segment_sets(model, meta)}
    entry["seconds"] = round(time.time() - t0, 1)
    return entry


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", action="append", required=True, help="ONNX=CHECKPOINT, or ONNX alone to rebuild the model from the file")
    p.add_argument("--out", required=True)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--update", action="store_true",
                   help="keep the entries of models not given here from an existing --out (re-evaluating some)")
    p.add_argument("--image-level", action="store_true",
                   help="mask models only: also image-level flood decisions from the masks (image_level_from_masks)")
    p.add_argument("--image-level-only", action="store_true",
                   help="with --update: only add the mask models' image-level decisions to their existing entries")
    p.add_argument("--contrast-haze", metavar="BAND,SIDE,RATIO,BRIGHTER",
                   help="S2 pairs with pair_change.contrast_haze on the later date (band swir or nir, e.g. "
                        "nir,31,0.7,10): a rule the node does NOT apply, so write to another --out than "
                        "training/metrics-real.json")
    a = p.parse_args()
    contrast = None
    if a.contrast_haze:
        band, side, ratio, brighter = a.contrast_haze.split(",")
        contrast = {"band": ("swir", "nir").index(band), "side": int(side), "ratio": float(ratio),
                    "brighter": float(brighter)}
    torch.set_num_threads(a.threads)
    results = json.loads(Path(a.out).read_text()) if a.update and Path(a.out).exists() else {}
    # For fusion, per split ('test', '2021'): view -> {place: (best flood score, flood image?)} on OMBRIA's AFTER
    # tiles (and "/before" entries, flood-free), and view -> {place: (boxes, scores, classes)} of the same tiles for
    # the node's per-box form; the flood class index per view.
    fusion_scores = {"test": {}, "2021": {}}
    fusion_boxes = {"test": {}, "2021": {}}
    test_flood = {}
    for spec in a.model:
        onnx_path, _, weights = spec.partition("=")
        meta = metadata(onnx_path)
        if meta["task"] == "segment":
            if not a.image_level_only:
                results[Path(onnx_path).name] = evaluate_segmenter(onnx_path, weights, meta)
            if a.image_level or a.image_level_only:
                results[Path(onnx_path).name]["image_level"] = image_level_from_masks(
                    load_segmenter(weights) if weights else segmenter_from_onnx(onnx_path), meta)
                print(json.dumps({"image_level": results[Path(onnx_path).name]["image_level"]}), flush=True)
            if a.image_level_only:
                continue
            print(json.dumps({Path(onnx_path).name: {k: v["pixels"] for k, v in
                                                     results[Path(onnx_path).name]["sets"].items()}}), flush=True)
            continue
        model = load_model(weights) if weights else model_from_onnx(onnx_path, len(meta["names"]))
        model.export_mode = True
        diff = check_onnx(model, onnx_path, meta["size"])
        flood = meta["names"].index("flood")
        th = meta["thresholds"].get("flood", {})
        view = meta["view"]
        entry = {"version": meta["version"], "view": view, "thresholds": meta["thresholds"], "onnx_vs_torch": diff,
                 "sets": {}}
        t0 = time.time()
        if view == "sar_vv_pair":
            for pair in (False, True):
                for name, split in (("ombria_s1_test", "test"), ("ombria_s1_2021", "2021")):
                    images, gts, positive, scored = ombria_s1_set(split, pair)
                    preds = he.predict(model, images, meta["size"])
                    key = name + ("_pair" if pair else "_alone")
                    entry["sets"][key] = score_set(preds, gts, positive, scored, flood, th)
                    if not pair:
                        remember_for_fusion(fusion_scores[split], fusion_boxes[split], view, ombria.load_s1(split),
                                            preds, positive, scored, flood)
                        test_flood[view] = flood
            entry["sets"].update(pair_sets(model, meta, flood, th, True))
            scene, water = spain_radar()
            gsd = spain_scene("swir_nir_green")[2]
            scale = gsd / meta["gsd_m"] if meta["gsd_m"] else 1.0
            size = (round(scene.shape[1] * scale), round(scene.shape[0] * scale))
            resized = cv2.resize(scene, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
            pred = sliced_predict(model, resized, meta["size"])
            pred = (pred[0] / scale, pred[1], pred[2])
            boxes = ombria.mask_boxes(water)
            gt = np.concatenate([np.full((len(boxes), 1), flood), boxes], 1)
            best = float(pred[1][pred[2] == flood].max()) if np.any(pred[2] == flood) else 0.0
            level = max([lv for lv in ("report", "medium", "high", "critical") if lv in th and best >= th[lv]],
                        key=("report", "medium", "high", "critical").index, default="none")
            entry["sets"]["sen1floods11_spain_s1"] = {
                "input": f"S1 GeoTIFF, band 1 (VV dB), alone, resampled x{scale:.3f} to {meta['gsd_m']:g} m, sliced",
                "best_flood_score": round(best, 4), "flood_level": level,
                "flood_boxes_at_report": int(np.sum((pred[2] == flood) & (pred[1] >= th.get("report", 0.25)))),
                "box": {f"iou{iou}": he.box_metrics([pred], [gt], flood, th.get("report", 0.25), iou)
                        for iou in (0.3, 0.5)}}
            entry["seconds"] = round(time.time() - t0, 1)
            results[Path(onnx_path).name] = entry
            print(json.dumps({Path(onnx_path).name: entry["sets"]}, indent=1), flush=True)
            continue
        for name, split in (("ombria_test", "test"), ("ombria_2021", "2021")):
            images, gts, positive, scored = ombria_set(split, view, flood)
            preds = he.predict(model, images, meta["size"])
            key = name if view == "swir_nir_green" else name + "_approx_true_colour"
            entry["sets"][key] = score_set(preds, gts, positive, scored, flood, th)
            if view == "swir_nir_green":
                remember_for_fusion(fusion_scores[split], fusion_boxes[split], view, ombria.load(split), preds,
                                    positive, scored, flood)
                test_flood[view] = flood
            if split == "2021":
                names = [t.name.split("/")[1] for t in ombria.load("2021") for _ in (0, 1)]
                for event in ombria.EVENTS_2021:
                    sel = np.array([n == event for n in names])
                    entry["sets"][f"{key}_{event.lower()}"] = score_set(
                        [pr for pr, s in zip(preds, sel) if s], [g for g, s in zip(gts, sel) if s],
                        positive[sel], scored[sel], flood, th)
        if view == "swir_nir_green":
            entry["sets"].update(pair_sets(model, meta, flood, th, False, contrast))
        rgb, water, gsd = spain_scene(view)
        if view == "swir_nir_green":
            scale = gsd / meta["gsd_m"] if meta["gsd_m"] else 1.0
            size = (round(rgb.shape[1] * scale), round(rgb.shape[0] * scale))
            scene = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
            pred = sliced_predict(model, scene, meta["size"])
            pred = (pred[0] / scale, pred[1], pred[2])
            how = f"13-band GeoTIFF, bands B11,B8,B3, resampled x{scale:.3f} to {meta['gsd_m']:g} m, sliced"
        else:
            jpeg = cv2.imread(str(shared_data_dir() / "samples" / "sentinel2-spain-flood-rgb.jpg"))[..., ::-1].copy()
            pred = he.predict(model, [jpeg], meta["size"])[0]
            how = "the sample RGB JPEG, letterboxed whole"
        boxes = ombria.mask_boxes(water)
        gt = np.concatenate([np.full((len(boxes), 1), flood), boxes], 1)
        best = float(pred[1][pred[2] == flood].max()) if np.any(pred[2] == flood) else 0.0
        level = max([lv for lv in ("report", "medium", "high", "critical") if lv in th and best >= th[lv]],
                    key=("report", "medium", "high", "critical").index, default="none")
        entry["sets"]["sen1floods11_spain"] = {
            "input": how, "best_flood_score": round(best, 4), "flood_level": level,
            "flood_boxes_at_report": int(np.sum((pred[2] == flood) & (pred[1] >= th.get("report", 0.25)))),
            "box": {f"iou{iou}": he.box_metrics([pred], [gt], flood, th.get("report", 0.25), iou) for iou in (0.3, 0.5)}}
        if view == "rgb":
            slicing_effect(model, meta, entry)
        entry["seconds"] = round(time.time() - t0, 1)
        results[Path(onnx_path).name] = entry
        print(json.dumps({Path(onnx_path).name: {k: v for k, v in entry["sets"].items() if "_" in k and
                                                 not k.endswith(tuple(e.lower() for e in ombria.EVENTS_2021))}},
                         indent=1), flush=True)
    if {"swir_nir_green", "sar_vv_pair"} <= set(fusion_scores["test"]):
        th2 = next(e["thresholds"]["flood"] for e in results.values() if e.get("view") == "swir_nir_green")
        th1 = next(e["thresholds"]["flood"] for e in results.values() if e.get("view") == "sar_vv_pair")
        if test_flood["swir_nir_green"] != test_flood["sar_vv_pair"]:
            raise SystemExit("fusion: the two models number the flood class differently")
        flood = test_flood["swir_nir_green"]

        def fused(split, keep=lambda name: True):
            sc, bx = fusion_scores[split], fusion_boxes[split]
            pick = lambda d: {n: v for n, v in d.items() if keep(n)}
            return fusion(pick(sc["swir_nir_green"]), pick(sc["sar_vv_pair"]), th2, th1,
                          pick(bx["swir_nir_green"]), pick(bx["sar_vv_pair"]), flood)

        results["fusion_s2_s1_ombria_test"] = fused("test")
        # The 2021 events, evaluation only, as for each model alone: pooled and per event (Guyana is the cloudy one).
        results["fusion_s2_s1_ombria_2021"] = fused("2021")
        for event in ombria.EVENTS_2021:
            results[f"fusion_s2_s1_ombria_2021_{event.lower()}"] = fused(
                "2021", lambda name, e=event: name.split("/")[1] == e)
        print(json.dumps({k: v for k, v in results.items() if k.startswith("fusion_")}, indent=1), flush=True)
    Path(a.out).write_text(json.dumps(results, indent=1) + "\n")
    print("wrote", a.out)


if __name__ == "__main__":
    main()
