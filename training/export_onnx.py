"""Exports a trained GeoHazardDet to ONNX in the Ultralytics YOLOv8/11 detect interface.

    /usr/bin/python3 training/export_onnx.py --weights training/runs/main/final.pt --out models/geohazard-yolo.onnx

Input 'images' float32 [batch, 3, height, width] (batch, height and width dynamic; height and width must be
multiples of 32), RGB in [0, 1], letterboxed with grey 114. Output 'output0' float32 [batch, 8, N]:
cx, cy, w, h in input pixels, then 4 sigmoid class scores. Metadata as Ultralytics writes it.
"""
import argparse
import datetime
import json

import numpy as np
import onnx
import torch

from model import GeoHazardDet
from scenes import CLASSES

VERSION = "geohazard-det-1.0"


def load_model(weights):
    m = GeoHazardDet()
    state = torch.load(weights, map_location="cpu")
    # final.pt holds the averaged (EMA) weights as "model"; a training checkpoint (last.pt) holds both
    # and its EMA is the one to use.
    m.load_state_dict(state["ema"] if "ema" in state else state["model"] if "model" in state else state)
    return m.eval().fuse()


def export(weights, out, size, extra=None):
    model = load_model(weights)
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
    dims[1].dim_value = 4 + len(CLASSES)
    dims[2].dim_param = "anchors"
    meta = {
        "description": "GeoHazard-Det: landslide, flood, water body and vegetation loss detector (see models/README.md)",
        "author": "geohazard project",
        "date": datetime.date.today().isoformat(),
        "version": VERSION,
        "license": "trained on synthetic scenes and openly licensed rasters; see models/README.md",
        "stride": "32",
        "task": "detect",
        "batch": "1",
        "imgsz": f"[{size}, {size}]",
        "names": "{" + ", ".join(f"{i}: '{n}'" for i, n in enumerate(CLASSES)) + "}",
    }
    if extra:
        meta.update(extra)
    del proto.metadata_props[:]
    for k, v in meta.items():
        proto.metadata_props.add(key=k, value=v)
    proto.producer_name = "geohazard"
    onnx.checker.check_model(proto)
    onnx.save(proto, out)
    return proto


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--weights", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--size", type=int, default=320)
    a = p.parse_args()
    proto = export(a.weights, a.out, a.size)
    ops = sorted({n.op_type for n in proto.graph.node})
    print("exported", a.out, "ops:", ops)


if __name__ == "__main__":
    main()
