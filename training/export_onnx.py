"""Exports a trained GeoHazardDet to ONNX in the Ultralytics YOLOv8/11 detect interface, with the metadata the
server reads to serve it beside others (see models/README.md, "Metadata"):

    /usr/bin/python3 training/export_onnx.py --weights training/runs/s2flood/final.pt \
        --out models/geohazard-s2flood.onnx --size 256 --names flood --view swir_nir_green --gsd-m 10 \
        --thresholds training/thresholds-s2flood.json --version geohazard-s2flood-2.0

Input 'images' float32 [batch, 3, height, width] (batch, height and width dynamic; height and width must be
multiples of 32), RGB in [0, 1], letterboxed with grey 114. Output 'output0' float32 [batch, 8, N]:
cx, cy, w, h in input pixels, then 4 sigmoid class scores. Metadata as Ultralytics writes it.

With --segmenter (a flood extent model from train_seg.py):

    /usr/bin/python3 training/export_onnx.py --segmenter --weights training/runs/s2seg/final.pt \
        --out models/geohazard-s2seg.onnx --size 256 --names flood --view swir_nir_green --gsd-m 10 \
        --thresholds training/thresholds-s2seg.json --version geohazard-s2seg-1.0

Output 'mask' float32 [batch, 1, height, width]: each input pixel's flood probability. Metadata: task=segment,
output=mask, mask_threshold (chosen on validation by train_seg.py), besides imgsz, names, view, gsd_m, version.
"""
import argparse
import datetime
import json
from pathlib import Path

import numpy as np
import onnx
import torch

from model import GeoHazardDet

VIEWS = ("rgb", "true_colour", "swir_nir_green", "sar_vv_pair")
# What the weights were made from; the model card and NOTICE give sources, commits and SHA-256.
LICENCE = ("trained by the geohazard project from MobileNetV2 ImageNet weights (Apache-2.0) on OMBRIA (MIT; "
           "Copernicus Sentinel data) and, for the RGB model, scenes over licensed rasters (BSD-3-Clause, "
           "Apache-2.0, MIT); see models/README.md and NOTICE")


def load_model(weights):
    state = torch.load(weights, map_location="cpu")
    config = state.get("config", {"nc": 4, "backbone": "scratch"})
    m = GeoHazardDet(nc=config["nc"], backbone=config["backbone"])
    # final.pt holds the averaged (EMA) weights as "model"; a training checkpoint (last.pt) holds both
    # and its EMA is the one to use.
    m.load_state_dict(state["ema"] if "ema" in state else state["model"] if "model" in state else state)
    return m.eval().fuse()


def export(weights, out, size, names, version, extra=None):
    model = load_model(weights)
    if model.nc != len(names):
        raise SystemExit(f"the weights have {model.nc} classes, --names gives {len(names)}")
    model.export_mode = True
    dummy = torch.zeros(1, 3, size, size)
    torch.onnx.export(model, dummy, out, opset_version=17, input_names=["images"], output_names=["output0"],
                      dynamic_axes={"images": {0: "batch", 2: "height", 3: "width"},
                                    "output0": {0: "batch", 2: "anchors"}},
                      do_constant_folding=True)
    proto = onnx.load(out)
    # torch's shape inference loses the channel count through the anchor arithmetic; declare it, so the
    # server can resolve the output layout ([batch, 4 + nc, anchors], Ultralytics v8) when it loads the model.
    dims = proto.graph.output[0].type.tensor_type.shape.dim
    dims[0].dim_param = "batch"
    dims[1].dim_value = 4 + len(names)
    dims[2].dim_param = "anchors"
    return write_metadata(proto, out, common_metadata("GeoHazard-Det: " + ", ".join(names) + " detector", "detect",
                                                      size, names, version, extra))


def common_metadata(description, task, size, names, version, extra):
    meta = {
        "description": description + " (see models/README.md)",
        "author": "geohazard project",
        "date": datetime.date.today().isoformat(),
        "version": version,
        "license": LICENCE,
        "stride": "32",
        "task": task,
        "batch": "1",
        "imgsz": f"[{size}, {size}]",
        "names": "{" + ", ".join(f"{i}: '{n}'" for i, n in enumerate(names)) + "}",
    }
    meta.update(extra or {})
    return meta


def write_metadata(proto, out, meta):
    del proto.metadata_props[:]
    for k, v in meta.items():
        proto.metadata_props.add(key=k, value=v)
    proto.producer_name = "geohazard"
    onnx.checker.check_model(proto)
    onnx.save(proto, out)
    return proto


def export_segmenter(weights, out, size, names, version, extra):
    """A segment.FloodSegNet as 'images' [batch, 3, H, W] -> 'mask' [batch, 1, H, W], the flood probability
    of every input pixel (H and W dynamic multiples of 32), with task=segment and the mask threshold."""
    from segment import load_segmenter
    model = load_segmenter(weights)
    model.export_mode = True
    torch.onnx.export(model, torch.zeros(1, 3, size, size), out, opset_version=17, input_names=["images"],
                      output_names=["mask"], do_constant_folding=True,
                      dynamic_axes={"images": {0: "batch", 2: "height", 3: "width"},
                                    "mask": {0: "batch", 2: "height", 3: "width"}})
    proto = onnx.load(out)
    dims = proto.graph.output[0].type.tensor_type.shape.dim
    dims[1].dim_value = 1
    return write_metadata(proto, out, common_metadata("GeoHazard-Seg: per-pixel " + ", ".join(names) + " probability",
                                                      "segment", size, names, version, extra))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--weights", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--size", type=int, default=320)
    p.add_argument("--names", required=True, help="class names in id order, comma-separated")
    p.add_argument("--version", required=True)
    p.add_argument("--view", required=True, choices=VIEWS,
                   help="what the model sees: rgb (any 3-band picture; true colour bands of a multi-band scene), "
                        "true_colour (only true colour), swir_nir_green (the flood composite B11,B8,B3 or Landsat's)")
    p.add_argument("--gsd-m", type=float, help="ground sample distance the model was trained at, in metres")
    p.add_argument("--thresholds", help="JSON file written by calibrate.py (train_seg.py with --segmenter)")
    p.add_argument("--segmenter", action="store_true",
                   help="the weights are a flood segmenter (train_seg.py): output 'mask', task=segment")
    a = p.parse_args()
    extra = {"view": a.view}
    if a.gsd_m:
        extra["gsd_m"] = f"{a.gsd_m:g}"
    if a.segmenter:
        chosen = json.loads(Path(a.thresholds).read_text())
        extra.update({"mask_threshold": f"{chosen['threshold']:g}", "output": "mask"})
        proto = export_segmenter(a.weights, a.out, a.size, a.names.split(","), a.version, extra)
        print("exported", a.out, "ops:", sorted({n.op_type for n in proto.graph.node}))
        return
    if a.thresholds:
        extra["thresholds"] = json.dumps(json.loads(Path(a.thresholds).read_text())["thresholds"],
                                         separators=(",", ":"))
    proto = export(a.weights, a.out, a.size, a.names.split(","), a.version, extra)
    ops = sorted({n.op_type for n in proto.graph.node})
    print("exported", a.out, "ops:", ops)


if __name__ == "__main__":
    main()
