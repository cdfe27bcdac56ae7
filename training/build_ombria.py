"""Writes OMBRIA's training tiles as training sets in the format train.py reads, for two views:

    /usr/bin/python3 training/build_ombria.py --view s2flood --out training/runs/ombria_s2
    /usr/bin/python3 training/build_ombria.py --view rgb --out training/runs/ombria_rgb --size 320

s2flood: the tiles as they are (B11/B8/B3, 10 m), 256 x 256; class 0 = flood.
s1:      OmbriaS1's VV tiles as the SAR view (ombria.sar_pair): each AFTER tile twice, with its BEFORE tile and
         alone; each BEFORE tile alone and, as a pair that brightens (water receding), with the AFTER tile as
         its "before"; 256 x 256, class 0 = flood. No cloud filter (radar sees through cloud).
rgb:     the tiles turned into approximate true colour (ombria.to_true_colour), letterboxed to --size;
         class 1 = flood in the RGB model's four classes.
Splits: OMBRIA's own train split only; ombria.is_validation() keeps 15 % of it apart as 'val' for choosing
thresholds. AFTER tiles that are mostly cloud are left out (ombria.CLOUD_LIMIT); every used AFTER tile's BEFORE
tile comes along as a flood-free image. OMBRIA's test split and the 2021 events are never read here.
"""
import argparse
from pathlib import Path

import numpy as np

import ombria
from letterbox import letterbox


def write(folder, images, labels):
    folder.mkdir(parents=True, exist_ok=True)
    np.save(folder / "images.npy", np.stack(images))
    lengths = np.array([len(l) for l in labels])
    np.savez(folder / "labels.npz", offsets=np.concatenate([[0], np.cumsum(lengths)]),
             labels=np.concatenate(labels).astype(np.float32) if len(labels) else np.zeros((0, 5), np.float32))
    print(f"{folder}: {len(images)} images ({sum(1 for l in labels if len(l))} with floods), {lengths.sum()} boxes",
          flush=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--view", choices=("s2flood", "s1", "rgb"), required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--size", type=int, default=256)
    p.add_argument("--root", default=str(ombria.DEFAULT_ROOT))
    a = p.parse_args()
    flood_class = 0 if a.view == "s2flood" else 1
    splits = {"train": ([], []), "val": ([], [])}
    dropped = 0
    if a.view == "s1":
        for tile in ombria.load_s1("train", a.root):
            images, labels = splits["val" if ombria.is_validation(tile.name) else "train"]
            boxes = ombria.mask_boxes(tile.mask)
            none = np.zeros((0, 4), np.float32)
            for img, b in ((ombria.sar_pair(tile.after, tile.before), boxes), (ombria.sar_pair(tile.after), boxes),
                           (ombria.sar_pair(tile.before), none), (ombria.sar_pair(tile.before, tile.after), none)):
                images.append(img)
                labels.append(np.concatenate([np.zeros((len(b), 1), np.float32), b], 1))
        for split, (images, labels) in splits.items():
            write(Path(a.out) / split, images, labels)
        return
    for tile in ombria.load("train", a.root):
        if tile.cloud_fraction() > ombria.CLOUD_LIMIT:
            dropped += 1
            continue
        images, labels = splits["val" if ombria.is_validation(tile.name) else "train"]
        for img, boxes in ((tile.after, ombria.mask_boxes(tile.mask)), (tile.before, np.zeros((0, 4), np.float32))):
            if a.view == "rgb":
                img = ombria.to_true_colour(img)
            img, r, (left, top) = letterbox(img, a.size)
            boxes = boxes * r + np.array([left, top, left, top], np.float32)
            images.append(img)
            labels.append(np.concatenate([np.full((len(boxes), 1), flood_class, np.float32), boxes], 1))
    print(f"left out {dropped} cloudy AFTER tiles (cloud fraction > {ombria.CLOUD_LIMIT})")
    for split, (images, labels) in splits.items():
        write(Path(a.out) / split, images, labels)


if __name__ == "__main__":
    main()
