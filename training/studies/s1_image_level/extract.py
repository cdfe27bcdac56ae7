"""Run the two shipped S1 models on every OMBRIA S1 tile in four views and cache their raw outputs.

    cd training && nice -n 19 /usr/bin/python3 studies/s1_image_level/extract.py [train test 2021]

Views per place (ombria.sar_pair): A0 = AFTER alone, B0 = BEFORE alone, AB = AFTER with BEFORE as its before scene
(flood pair), BA = BEFORE with AFTER as its before scene (receding pair, pair_sets' flood-free pair).
Writes training/runs/s1_image_level/<split>_seg.npy (uint8 [N, 4, 256, 256], flood probability x 255, rounded),
<split>_det.pkl (per place, per view: flood boxes [k, 4] and scores [k] at >= hazard_eval.FLOOR) and <split>_meta.json.
Reuses the project's modules (imported from training/), copies none of them.
"""
import json
import pickle
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import numpy as np  # noqa: E402
import torch  # noqa: E402

import hazard_eval as he  # noqa: E402
import ombria  # noqa: E402
from evaluate_real import metadata, model_from_onnx  # noqa: E402
from segment import predict_masks, segmenter_from_onnx  # noqa: E402

MODELS = Path(__file__).resolve().parents[3] / "models"
OUT = Path(__file__).resolve().parents[2] / "runs" / "s1_image_level"
VIEWS = ("A0", "B0", "AB", "BA")


def views(t):
    return [ombria.sar_pair(t.after), ombria.sar_pair(t.before), ombria.sar_pair(t.after, t.before),
            ombria.sar_pair(t.before, t.after)]


def main(splits):
    torch.set_num_threads(1)
    OUT.mkdir(parents=True, exist_ok=True)
    dmeta = metadata(MODELS / "geohazard-s1flood.onnx")
    det = model_from_onnx(MODELS / "geohazard-s1flood.onnx", len(dmeta["names"]))
    det.export_mode = True
    flood = dmeta["names"].index("flood")
    seg = segmenter_from_onnx(MODELS / "geohazard-s1seg.onnx").eval()
    for split in splits:
        t0 = time.time()
        tiles = ombria.load_s1(split)
        segs = np.zeros((len(tiles), 4, 256, 256), np.uint8)
        dets = []
        chunk = 8
        for s in range(0, len(tiles), chunk):
            part = tiles[s:s + chunk]
            imgs = [v for t in part for v in views(t)]
            preds = he.predict(det, imgs, dmeta["size"])
            probs = predict_masks(seg, imgs)
            segs[s:s + len(part)] = np.round(probs * 255).astype(np.uint8).reshape(len(part), 4, 256, 256)
            for i in range(len(part)):
                d = {}
                for j, v in enumerate(VIEWS):
                    b, sc, c = preds[4 * i + j]
                    d[v] = (b[c == flood].astype(np.float32), sc[c == flood].astype(np.float32))
                dets.append(d)
            print(split, s + len(part), "/", len(tiles), round(time.time() - t0, 1), "s", flush=True)
        np.save(OUT / f"{split}_seg.npy", segs)
        with open(OUT / f"{split}_det.pkl", "wb") as f:
            pickle.dump(dets, f)
        (OUT / f"{split}_meta.json").write_text(json.dumps({
            "names": [t.name for t in tiles], "flood_share": [float(t.mask.mean()) for t in tiles],
            "validation": [ombria.is_validation(t.name) for t in tiles], "views": VIEWS,
            "det_thresholds": dmeta["thresholds"]["flood"]}))


if __name__ == "__main__":
    main(sys.argv[1:] or ["test", "2021", "train"])
