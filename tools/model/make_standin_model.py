#!/usr/bin/python3
"""Build the deterministic stand-in detector models/geohazard-standin.onnx.

The stand-in is not trained. It is a small hand-wired graph with the exact interface of an
Ultralytics YOLOv8/11 detection export (input ``images`` [batch, 3, 640, 640] RGB in [0, 1],
output ``output0`` [batch, 4 + nc, N], Ultralytics metadata), so that the server, its tests and
its benchmarks can run end to end before the project's trained model exists. Its scores follow
simple colour rules (see tools/model/README.md), which lets a test paint an image and know what
the model will say.

Graph:
    images [B,3,640,640]
      -> AveragePool 32x32, stride 32          mean colour of each 32x32 cell   [B,3,20,20]
      -> Conv 1x1 (3 -> 4 classes x 4 rules)   one signed margin per colour rule [B,16,20,20]
      -> Reshape [B,4,4,400] -> ReduceMin      a class fires only if all its rules hold
      -> Sigmoid                               class scores                      [B,4,400]
    constant cell grid (cx, cy, w, h)  -> Expand to [B,4,400]
    Concat(boxes, scores) -> output0 [B,8,400]

Run with Debian's interpreter, which sees python3-onnx and python3-numpy:
    /usr/bin/python3 tools/model/make_standin_model.py            # writes the model, prints the colour table
    /usr/bin/python3 tools/model/make_standin_model.py --check    # also fails if the committed file differs
"""

import argparse
import hashlib
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

CLASS_NAMES = ["landslide", "flood", "water_body", "vegetation_loss"]
INPUT_SIZE = 640
STRIDE = 32
GRID = INPUT_SIZE // STRIDE  # 20 cells per side
CELLS = GRID * GRID  # 400 candidate boxes per image
RULES_PER_CLASS = 4
OPSET = 17
VERSION = "standin-0.1"

# A rule is a margin in 8-bit colour units, computed from the cell's mean colour (R, G, B in 0..255):
#   margin = wr*R + wg*G + wb*B + bias, and the rule holds when margin > 0.
# A class score is sigmoid(min(margins of its rules) / MARGIN_PER_LOGIT): it is above 0.5 exactly
# when every rule of the class holds, and saturates once the weakest rule holds by ~15 units.
MARGIN_PER_LOGIT = 5.0

# (description, wr, wg, wb, bias) per rule; the text is what tools/model/README.md documents.
ALWAYS = ("(always holds)", 0.0, 0.0, 0.0, 255.0)
RULES = {
    # Bright bare soil, fresh scars: ochre / tan, clearly red > green > blue, and bright.
    "landslide": [
        ("R - B >= 50", 1.0, 0.0, -1.0, -50.0),
        ("G - B >= 15", 0.0, 1.0, -1.0, -15.0),
        ("R - G >= 15", 1.0, -1.0, 0.0, -15.0),
        ("R >= 165", 1.0, 0.0, 0.0, -165.0),
    ],
    # Turbid flood water: dull, mid-dark brown (red > green > blue, but not bright).
    "flood": [
        ("R - B >= 25", 1.0, 0.0, -1.0, -25.0),
        ("G - B >= 10", 0.0, 1.0, -1.0, -10.0),
        ("R - G >= 5", 1.0, -1.0, 0.0, -5.0),
        ("R <= 150", -1.0, 0.0, 0.0, 150.0),
    ],
    # Clear or deep water: blue, or dark cyan, dominant.
    "water_body": [
        ("B - R >= 40", -1.0, 0.0, 1.0, -40.0),
        ("B - G >= -10", 0.0, -1.0, 1.0, 10.0),
        ALWAYS,
        ALWAYS,
    ],
    # Dried / yellowed vegetation: straw, khaki (red close to green, both well above blue).
    "vegetation_loss": [
        ("R - B >= 60", 1.0, 0.0, -1.0, -60.0),
        ("G - B >= 60", 0.0, 1.0, -1.0, -60.0),
        ("R - G >= -20", 1.0, -1.0, 0.0, 20.0),
        ("G - R >= -20", -1.0, 1.0, 0.0, 20.0),
    ],
}

# Colours a test author is likely to paint, with what the model is expected to say about them.
PROBES = [
    ("water_body (deep blue)", (30, 60, 160)),
    ("water_body (dark cyan)", (20, 90, 110)),
    ("flood (muddy brown water)", (125, 100, 65)),
    ("landslide (ochre bare soil)", (200, 150, 90)),
    ("vegetation_loss (straw / khaki)", (165, 165, 60)),
    ("neutral grey", (128, 128, 128)),
    ("letterbox pad grey", (114, 114, 114)),
    ("black", (0, 0, 0)),
    ("white", (255, 255, 255)),
    ("healthy green vegetation", (40, 120, 40)),
    ("forest green", (34, 139, 34)),
    ("dark olive", (80, 100, 40)),
    ("red roof", (200, 40, 40)),
    ("concrete", (170, 170, 165)),
]


def rule_matrix():
    """Conv weights [16, 3, 1, 1] and bias [16] acting on input in [0, 1], already in logit units."""
    weights = np.zeros((len(CLASS_NAMES) * RULES_PER_CLASS, 3, 1, 1), dtype=np.float32)
    bias = np.zeros((len(CLASS_NAMES) * RULES_PER_CLASS,), dtype=np.float32)
    for c, name in enumerate(CLASS_NAMES):
        rules = RULES[name]
        assert len(rules) == RULES_PER_CLASS, name
        for k, (_, wr, wg, wb, b) in enumerate(rules):
            row = c * RULES_PER_CLASS + k
            # The input is colour/255, so an 8-bit weight w becomes w*255 on the [0, 1] scale.
            weights[row, :, 0, 0] = np.array([wr, wg, wb]) * 255.0 / MARGIN_PER_LOGIT
            bias[row] = b / MARGIN_PER_LOGIT
    return weights, bias


def cell_boxes():
    """[1, 4, 400]: centre x, centre y, width, height of each 32x32 cell, in input pixels.

    Cells are numbered row by row (n = row * 20 + col), the order Ultralytics uses for anchors.
    """
    rows, cols = np.meshgrid(np.arange(GRID), np.arange(GRID), indexing="ij")
    cx = (cols.reshape(-1) + 0.5) * STRIDE
    cy = (rows.reshape(-1) + 0.5) * STRIDE
    size = np.full(CELLS, float(STRIDE))
    return np.stack([cx, cy, size, size]).astype(np.float32)[None]


def build_model():
    weights, bias = rule_matrix()
    nc = len(CLASS_NAMES)
    initializers = [
        numpy_helper.from_array(weights, "rules.weight"),
        numpy_helper.from_array(bias, "rules.bias"),
        numpy_helper.from_array(np.array([0, nc, RULES_PER_CLASS, -1], dtype=np.int64), "rules.by_class_shape"),
        numpy_helper.from_array(cell_boxes(), "cells.boxes"),
        numpy_helper.from_array(np.array([4, CELLS], dtype=np.int64), "cells.box_dims"),
    ]
    nodes = [
        helper.make_node("AveragePool", ["images"], ["cell_colour"], name="cell_mean",
                         kernel_shape=[STRIDE, STRIDE], strides=[STRIDE, STRIDE]),
        helper.make_node("Conv", ["cell_colour", "rules.weight", "rules.bias"], ["rule_margins"],
                         name="colour_rules", kernel_shape=[1, 1]),
        helper.make_node("Reshape", ["rule_margins", "rules.by_class_shape"], ["margins_by_class"],
                         name="group_rules_by_class"),
        helper.make_node("ReduceMin", ["margins_by_class"], ["class_logits"], name="all_rules_hold",
                         axes=[2], keepdims=0),
        helper.make_node("Sigmoid", ["class_logits"], ["class_scores"], name="scores"),
        helper.make_node("Shape", ["images"], ["batch_dim"], name="batch_size", start=0, end=1),
        helper.make_node("Concat", ["batch_dim", "cells.box_dims"], ["boxes_shape"], name="boxes_shape", axis=0),
        helper.make_node("Expand", ["cells.boxes", "boxes_shape"], ["boxes"], name="boxes_per_image"),
        helper.make_node("Concat", ["boxes", "class_scores"], ["output0"], name="detect", axis=1),
    ]
    graph = helper.make_graph(
        nodes,
        "geohazard_standin",
        [helper.make_tensor_value_info("images", TensorProto.FLOAT, ["batch", 3, INPUT_SIZE, INPUT_SIZE])],
        [helper.make_tensor_value_info("output0", TensorProto.FLOAT, ["batch", 4 + nc, CELLS])],
        initializer=initializers,
        doc_string="Untrained colour-rule stand-in with the Ultralytics YOLOv8 detect interface.",
    )
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", OPSET)],
        producer_name="geohazard tools/model/make_standin_model.py",
        producer_version=VERSION,
        doc_string="Deterministic stand-in detector for tests; see tools/model/README.md.",
    )
    names = "{" + ", ".join(f"{i}: '{n}'" for i, n in enumerate(CLASS_NAMES)) + "}"
    metadata = {
        "description": "geohazard stand-in detector: untrained colour rules on 32x32 cells "
                       "(tools/model/README.md), for tests only",
        "author": "geohazard project",
        "version": VERSION,
        "task": "detect",
        "stride": str(STRIDE),
        "batch": "-1",
        "imgsz": f"[{INPUT_SIZE}, {INPUT_SIZE}]",
        "names": names,
    }
    helper.set_model_props(model, metadata)
    onnx.checker.check_model(model, full_check=True)
    return model


def reference_scores(rgb):
    """What the graph computes for a cell of one solid colour, mirrored in numpy."""
    weights, bias = rule_matrix()
    colour = np.asarray(rgb, dtype=np.float32) / 255.0
    margins = weights[:, :, 0, 0] @ colour + bias
    logits = margins.reshape(len(CLASS_NAMES), RULES_PER_CLASS).min(axis=1)
    return 1.0 / (1.0 + np.exp(-logits))


def colour_table():
    header = "| colour | RGB | " + " | ".join(CLASS_NAMES) + " |"
    lines = [header, "|" + " --- |" * (2 + len(CLASS_NAMES))]
    for label, rgb in PROBES:
        scores = reference_scores(rgb)
        lines.append(f"| {label} | {rgb} | " + " | ".join(f"{s:.3f}" for s in scores) + " |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    repo = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    parser.add_argument("--out", default=os.path.join(repo, "models", "geohazard-standin.onnx"))
    parser.add_argument("--check", action="store_true",
                        help="fail if the file at --out differs from what this script builds")
    args = parser.parse_args()

    data = build_model().SerializeToString()
    if args.check:
        with open(args.out, "rb") as committed:
            if committed.read() != data:
                sys.exit(f"{args.out} differs from what {os.path.basename(__file__)} builds; rerun without --check")
    else:
        os.makedirs(os.path.dirname(args.out), exist_ok=True)
        with open(args.out, "wb") as out:
            out.write(data)
    # Check what is on disk, loaded: checking by path with full_check rewrites the file (onnx 1.12).
    onnx.checker.check_model(onnx.load(args.out), full_check=True)
    print(f"{args.out}: {len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()}")
    print(colour_table())


if __name__ == "__main__":
    main()
