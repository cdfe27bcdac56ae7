"""The shipped models on real labelled imagery that no training or tuning step has read; writes
training/metrics-real.json, the source of the real-label table in models/README.md.

    /usr/bin/python3 training/evaluate_real.py \\
        --model models/geohazard-s2flood.onnx=training/runs/s2flood/final.pt \\
        --model models/geohazard-rgb.onnx=training/runs/rgb/final.pt --out training/metrics-real.json

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
- rgb:
  - the Spain sample as the RGB JPEG in ../shared/data/samples (B4, B3, B2, 2-98 % stretched), letterboxed
    whole as the server does for a JPEG without a ground sample distance;
  - OMBRIA test and 2021 turned into approximate true colour (ombria.to_true_colour): real flood shapes,
    converted colours; a proxy, reported apart.
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
from shared_data import _stretch, shared_data_dir

FLOOD_MIN_SHARE = 0.01
SPAIN = "sen1floods11/sample"


def metadata(path):
    meta = {p.key: p.value for p in onnx.load(str(path)).metadata_props}
    names = [n.split(":", 1)[1].strip().strip("'\"") for n in meta["names"].strip("{}").split(",")]
    size = int(meta["imgsz"].strip("[]").split(",")[0])
    return {"names": names, "size": size, "view": meta.get("view", "rgb"), "gsd_m": float(meta.get("gsd_m", 0) or 0),
            "thresholds": json.loads(meta.get("thresholds", "{}")), "version": meta.get("version", "")}


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


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", action="append", required=True, help="ONNX=CHECKPOINT, or ONNX alone to rebuild the model from the file")
    p.add_argument("--out", required=True)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    results = {}
    for spec in a.model:
        onnx_path, _, weights = spec.partition("=")
        meta = metadata(onnx_path)
        model = load_model(weights) if weights else model_from_onnx(onnx_path, len(meta["names"]))
        model.export_mode = True
        diff = check_onnx(model, onnx_path, meta["size"])
        flood = meta["names"].index("flood")
        th = meta["thresholds"].get("flood", {})
        view = meta["view"]
        entry = {"version": meta["version"], "view": view, "thresholds": meta["thresholds"], "onnx_vs_torch": diff,
                 "sets": {}}
        t0 = time.time()
        for name, split in (("ombria_test", "test"), ("ombria_2021", "2021")):
            images, gts, positive, scored = ombria_set(split, view, flood)
            preds = he.predict(model, images, meta["size"])
            key = name if view == "swir_nir_green" else name + "_approx_true_colour"
            entry["sets"][key] = score_set(preds, gts, positive, scored, flood, th)
            if split == "2021":
                names = [t.name.split("/")[1] for t in ombria.load("2021") for _ in (0, 1)]
                for event in ombria.EVENTS_2021:
                    sel = np.array([n == event for n in names])
                    entry["sets"][f"{key}_{event.lower()}"] = score_set(
                        [pr for pr, s in zip(preds, sel) if s], [g for g, s in zip(gts, sel) if s],
                        positive[sel], scored[sel], flood, th)
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
    Path(a.out).write_text(json.dumps(results, indent=1) + "\n")
    print("wrote", a.out)


if __name__ == "__main__":
    main()
