"""Writes the fixtures of ModelFidelityTest for one shipped model: a few images of the model's view and the
detections the Python reference path finds in them with the committed ONNX file.

    /usr/bin/python3 training/make_fidelity_fixtures.py --onnx models/geohazard-rgb.onnx \
        --out src/test/resources/fidelity/geohazard-rgb --images synthetic
    /usr/bin/python3 training/make_fidelity_fixtures.py --onnx models/geohazard-s2flood.onnx \
        --out src/test/resources/fidelity/geohazard-s2flood --images ombria

Images: synthetic scenes (scenes.py), or OMBRIA test tiles (MIT, Copernicus Sentinel data; the flood
composite the S2 model sees, or for --images ombria_s1 the radar view of a Sentinel-1 tile alone), resized to
sizes that exercise the letterbox.

The reference path: the PNG read back with OpenCV, Ultralytics' letterbox with cv2.resize INTER_LINEAR
(letterbox.py), the ONNX graph executed by the numpy interpreter (onnx_numpy.py, independent of torch and of
ONNX Runtime), the decoding and NMS of postprocess.py, each class held to its threshold (the model's
calibrated 'report' threshold where its metadata has one, else --conf), boxes mapped back to image pixels.
For a mask model (metadata task=segment, training/train_seg.py) the fixtures are OMBRIA test tiles at sizes
the model takes whole (MASK_SIZES) and the flood probability the numpy interpreter computes for every pixel, as
a 16-bit PNG; MaskFidelityTest runs them through ONNX Runtime from Java and compares after thresholding.
Scenes whose outcome would hinge on float rounding (a best score within 1e-4 of the confidence threshold,
or a same-class IoU within 1e-4 of the NMS threshold among candidates) are skipped: those are not
disagreements between the paths, only coin flips.
"""
import argparse
import hashlib
import json
from pathlib import Path

import cv2
import numpy as np
import onnx

from letterbox import letterbox, to_tensor_layout
from onnx_numpy import OnnxNumpy
from postprocess import decode, map_back, nms
from scenes import SceneGenerator
from shared_data import RealTextures

CONF, IOU, MAX_DET = 0.25, 0.45, 300
FIDELITY_SEED = 3003
MARGIN = 1e-4  # 100x the Java-vs-reference score agreement (~1e-6): only true coin flips are skipped
# Sizes chosen to exercise the letterbox: downscale (wide and tall), upscale, and no resize at all.
SIZES = [(448, 296), (232, 400), (200, 256), (320, 320), (520, 360)]


def class_thresholds(onnx_path, conf):
    """Per class id: the model's calibrated 'report' threshold, or conf (what the server's OnnxDetector does)."""
    meta = {p.key: p.value for p in onnx.load(str(onnx_path)).metadata_props}
    names = [n.split(":", 1)[1].strip().strip("'\"") for n in meta["names"].strip("{}").split(",")]
    calibrated = json.loads(meta.get("thresholds", "{}"))
    return np.array([calibrated.get(n, {}).get("report", conf) for n in names])


def reference(model, rgb, size, thresholds):
    boxed, scale, (left, top) = letterbox(rgb, size)
    out = model.run(to_tensor_layout(boxed[None]))[0][0]
    best = out[4:].argmax(0)
    scores = out[4:].max(0)
    borderline = bool(np.any(np.abs(scores - thresholds[best]) < MARGIN))
    boxes, sc, cls = decode(out, float(thresholds.min()))
    # Pairs of candidates whose suppression is a rounding decision.
    for c in np.unique(cls):
        b = boxes[cls == c]
        if len(b) > 1:
            lt = np.maximum(b[:, None, :2], b[None, :, :2])
            rb = np.minimum(b[:, None, 2:], b[None, :, 2:])
            inter = np.clip(rb - lt, 0, None).prod(-1)
            area = (b[:, 2:] - b[:, :2]).prod(-1)
            iou = inter / (area[:, None] + area[None] - inter + 1e-12)
            if np.any(np.abs(iou[np.triu_indices(len(b), 1)] - IOU) < MARGIN):
                borderline = True
    kb, ks, kc = nms(boxes, sc, cls, IOU, MAX_DET)
    keep = ks > thresholds[kc]
    kb, ks, kc = kb[keep], ks[keep], kc[keep]
    h, w = rgb.shape[:2]
    return map_back(kb, scale, left, top, w, h), ks, kc, borderline


# Mask models (task=segment): sizes the model takes as they are (multiples of 32), square and not.
MASK_SIZES = [(256, 256), (224, 320), (256, 192)]


def mask_fixtures(onnx_path, out, tiles):
    """A mask model's fixtures: PNG tiles of its view and, for each, the flood probability the numpy interpreter
    computes with the ONNX file, stored as a 16-bit PNG (p x 65535, 1.5e-5 steps) beside the tile."""
    meta = {p.key: p.value for p in onnx.load(str(onnx_path)).metadata_props}
    threshold = float(meta["mask_threshold"])
    model = OnnxNumpy(onnx_path)
    cases = []
    for index, (want_h, want_w) in enumerate(MASK_SIZES):
        rng = np.random.default_rng([FIDELITY_SEED, 1000 + index])
        img = tiles[int(rng.integers(len(tiles)))]
        img = cv2.resize(img, (want_w, want_h), interpolation=cv2.INTER_AREA)
        name = f"tile-{index:03d}-{want_w}x{want_h}.png"
        cv2.imwrite(str(out / name), img[..., ::-1], [cv2.IMWRITE_PNG_COMPRESSION, 9])
        rgb = cv2.imread(str(out / name), cv2.IMREAD_COLOR)[..., ::-1].copy()
        x = rgb.astype(np.float32).transpose(2, 0, 1)[None] / 255
        prob = model.run(x)[0][0, 0]
        mask_name = name.replace(".png", "-mask.png")
        cv2.imwrite(str(out / mask_name), np.round(np.clip(prob, 0, 1) * 65535).astype(np.uint16),
                    [cv2.IMWRITE_PNG_COMPRESSION, 9])
        near = int((np.abs(prob - threshold) < 1e-4).sum())
        cases.append({"file": name, "mask": mask_name, "width": want_w, "height": want_h,
                      "flooded_share": round(float((prob >= threshold).mean()), 4), "pixels_within_1e-4": near})
        print(name, f"{100 * (prob >= threshold).mean():.1f} % flooded", flush=True)
    fixture = {
        "model_file": Path(onnx_path).name,
        "model_sha256": hashlib.sha256(Path(onnx_path).read_bytes()).hexdigest(),
        "task": "segment", "mask_threshold": threshold, "mask_scale": 65535,
        "reference": "PNG read by cv2, RGB / 255, numpy ONNX interpreter; probabilities x 65535 as 16-bit PNG",
        "images": cases,
    }
    (out / "expected.json").write_text(json.dumps(fixture, indent=1) + "\n")
    print("wrote", out / "expected.json")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--onnx", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--size", type=int, default=320)
    p.add_argument("--conf", type=float, default=CONF)
    p.add_argument("--max-tries", type=int, default=40, help="scenes tried per fixture size before giving up")
    p.add_argument("--images", choices=("synthetic", "ombria", "ombria_s1"), default="synthetic")
    a = p.parse_args()
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    if {p.key: p.value for p in onnx.load(a.onnx).metadata_props}.get("task") == "segment":
        import ombria
        if a.images == "ombria_s1":
            tiles = [ombria.sar_pair(t.after) for t in ombria.load_s1("test")]
        elif a.images == "ombria":
            tiles = [t.after for t in ombria.load("test")]
        else:
            raise SystemExit("a mask model's fixtures come from OMBRIA: --images ombria or ombria_s1")
        mask_fixtures(a.onnx, out, tiles)
        return
    model = OnnxNumpy(a.onnx)
    thresholds = class_thresholds(a.onnx, a.conf)
    if a.images == "synthetic":
        gen = SceneGenerator(RealTextures())
        source = lambda rng: gen.scene(rng, "val")[0]  # noqa: E731
    elif a.images == "ombria_s1":
        import ombria
        tiles = [ombria.sar_pair(t.after) for t in ombria.load_s1("test")]  # the radar view of a scene alone
        source = lambda rng: tiles[int(rng.integers(len(tiles)))]  # noqa: E731
    else:
        import ombria
        tiles = [t.after for t in ombria.load("test")]
        source = lambda rng: tiles[int(rng.integers(len(tiles)))]  # noqa: E731
    cases = []
    index = 0
    for want_h, want_w in SIZES:
        for _ in range(a.max_tries):
            rng = np.random.default_rng([FIDELITY_SEED, index])
            index += 1
            img = source(rng)
            img = cv2.resize(img, (want_w, want_h), interpolation=cv2.INTER_AREA)
            name = f"scene-{index:03d}-{want_w}x{want_h}.png"
            cv2.imwrite(str(out / name), img[..., ::-1], [cv2.IMWRITE_PNG_COMPRESSION, 9])
            rgb = cv2.imread(str(out / name), cv2.IMREAD_COLOR)[..., ::-1].copy()
            boxes, scores, classes, borderline = reference(model, rgb, a.size, thresholds)
            if borderline or len(scores) == 0:
                (out / name).unlink()
                continue
            cases.append({"file": name, "width": want_w, "height": want_h, "detections": [
                {"class_id": int(c), "score": round(float(s), 6),
                 "box": [round(float(v), 3) for v in b]} for b, s, c in zip(boxes, scores, classes)]})
            print(name, len(scores), "detections", flush=True)
            break
        else:
            raise SystemExit(f"no usable {want_w}x{want_h} scene in {a.max_tries} tries: is the model trained?")
    onnx_bytes = Path(a.onnx).read_bytes()
    fixture = {
        "model_file": Path(a.onnx).name,
        "model_sha256": hashlib.sha256(onnx_bytes).hexdigest(),
        "conf_threshold": a.conf, "class_thresholds": [round(float(t), 6) for t in thresholds],
        "iou_threshold": IOU, "max_detections": MAX_DET, "images_from": a.images,
        "reference": "cv2 letterbox (INTER_LINEAR, pad 114) + numpy ONNX interpreter + postprocess.py",
        "images": cases,
    }
    (out / "expected.json").write_text(json.dumps(fixture, indent=1) + "\n")
    print("wrote", out / "expected.json")


if __name__ == "__main__":
    main()
