#!/usr/bin/env python3
"""Writes models/<name>.card.json, the accuracy table the server's model registry (GET /api/v1/models)
shows for each shipped model, from the evaluation outputs: training/metrics-real.json (real labels,
evaluate_real.py) and, where present, training/metrics-<name>-synthetic.json (evaluate.py).

Run by train.sh after evaluate_real.py; run it alone after re-evaluating:
    python3 training/write_model_cards.py
"""
import argparse
import hashlib
import json
import os


def image_levels(image):
    # tp and fp too: the node pools them over independent sets (org.geohazard.analysis.ModelEvidence).
    return {level: {k: image[level][k] for k in ("threshold", "tp", "fp", "precision", "recall", "specificity")
                    if k in image[level]}
            for level in image}


def evidence_sets(real):
    """Per class, the real sets the node pools for its evidence rule: the image-level sets that do not overlap
    (OMBRIA test and the 2021 events as a whole; the per-event subsets of 2021 are left out, they would count the
    same images twice). evaluate_real.py measures the flood class only."""
    names = [n for n, r in real["sets"].items() if isinstance(r, dict) and "image" in r and "pairs" not in r]
    whole = [n for n in names if not any(n != o and n.startswith(o + "_") for o in names)]
    if any(n.endswith("_alone") for n in whole):
        # The radar model is measured on scenes alone and as before/after pairs (the same places twice); the node
        # shows it scenes alone, so its evidence is the sets of scenes alone.
        whole = [n for n in whole if n.endswith("_alone")]
    return {"flood": {"sets": sorted(whole),
                      "rule": "counts pooled over these sets; a level is supported when the pooled precision at its "
                              "threshold reaches its target (medium 0.70, high 0.85, critical 0.95) over >= 20 "
                              "flagged images (README, 'Risk from evidence')"}} if whole else {}


def boxes(box):
    return {key: {k: box[key][k] for k in ("precision", "recall")} for key in box}


def card_for(model_file, real, synthetic, sha256=None):
    sets = {}
    for name, result in real["sets"].items():
        if not isinstance(result, dict):
            continue  # a figure beside the sets (e.g. rule_ms_per_pair_median)
        entry = {}
        if "pairs" in result:
            # Before/after pairs through the change rules (pair_change.py): shown, never pooled as evidence.
            entry["before_after_pairs"] = result
        if "images" in result:
            entry["images"] = result["images"]
            entry["hazard_images"] = result.get("flood_images")
        if "image" in result:
            entry["image_level"] = image_levels(result["image"])
        if "box" in result:
            entry["boxes"] = boxes(result["box"])
        if "pixels" in result:
            # A mask model's set: flood-pixel IoU, precision, recall at its mask_threshold (evaluate_real.py).
            entry["pixel_level"] = {k: v for k, v in result["pixels"].items() if k not in ("tp", "fp", "fn")}
            for key in ("tiles", "before_tiles_flagged_share", "labelled_pixels", "water_share"):
                if key in result:
                    entry[key] = result[key]
        for key in ("input", "best_flood_score", "flood_level"):
            if key in result:
                entry[key] = result[key]
        sets[name] = entry
    card = {
        "model_file": model_file,
        # The weights these figures were measured on: the node uses the card's evidence only for this file.
        "sha256": sha256,
        "version": real["version"],
        "source": "training/evaluate_real.py -> training/metrics-real.json (real labels; see models/README.md)",
        "real_labels": sets,
        "evidence": evidence_sets(real),
    }
    if real.get("task") == "segment":
        card["task"] = "segment"
        card["mask_threshold"] = real["mask_threshold"]
    if synthetic:
        card["synthetic_validation"] = {
            "source": "training/evaluate.py (synthetic scenes; flatters the model)",
            "map50": synthetic["validation"].get("map50"),
            "per_class": synthetic["validation"]["per_class"],
        }
    return card


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", default="training/metrics-real.json")
    parser.add_argument("--models", default="models")
    args = parser.parse_args()
    with open(args.real) as f:
        real = json.load(f)
    for model_file, result in sorted(real.items()):
        if not model_file.endswith(".onnx"):
            continue  # measurements of several models together (the S2 + S1 fusion), not one model's card
        stem = model_file[:-len(".onnx")]
        synthetic_path = os.path.join(os.path.dirname(args.real), "metrics-%s-synthetic.json" % stem.split("-")[-1])
        synthetic = None
        if os.path.exists(synthetic_path):
            with open(synthetic_path) as f:
                synthetic = json.load(f)
            onnx_path = os.path.join(args.models, model_file)
            with open(onnx_path, "rb") as f:
                if hashlib.sha256(f.read()).hexdigest() != synthetic.get("sha256"):
                    synthetic = None  # measured on other weights than the file shipped
        out = os.path.join(args.models, stem + ".card.json")
        with open(out, "w") as f:
            with open(os.path.join(args.models, model_file), "rb") as model:
                sha256 = hashlib.sha256(model.read()).hexdigest()
            json.dump(card_for(model_file, result, synthetic, sha256), f, indent=1, sort_keys=True)
            f.write("\n")
        print("wrote", out)


if __name__ == "__main__":
    main()
