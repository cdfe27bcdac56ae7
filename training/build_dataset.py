"""Renders the synthetic training and validation sets, letterboxed to the model's input size.

    /usr/bin/python3 training/build_dataset.py --out training/runs/data --train 6000 --val 600 --size 320

Scene i of a split is drawn from numpy's PCG64 seeded with (split seed, i), so any image can be re-rendered
alone. Real-raster backgrounds come from disjoint column ranges per split (see shared_data.RealTextures.crop).
Output per split: images.npy (uint8 N x S x S x 3, RGB), labels.npz (class, x1, y1, x2, y2 in input pixels).
"""
import argparse
import multiprocessing as mp
import time
from pathlib import Path

import numpy as np

from letterbox import letterbox
from scenes import SceneGenerator
from shared_data import RealTextures

SPLIT_SEEDS = {"train": 1001, "val": 2002}
_generator = None


def _init():
    global _generator
    _generator = SceneGenerator(RealTextures())


def render(args):
    split, index, size = args
    rng = np.random.default_rng([SPLIT_SEEDS[split], index])
    img, boxes, classes = _generator.scene(rng, split)
    boxed, r, (left, top) = letterbox(img, size)
    boxes = boxes * r + np.array([left, top, left, top], np.float32)
    return boxed, np.concatenate([classes[:, None].astype(np.float32), boxes], 1)


def build(out, split, count, size, workers):
    folder = Path(out) / split
    folder.mkdir(parents=True, exist_ok=True)
    images = np.lib.format.open_memmap(folder / "images.npy.tmp", mode="w+", dtype=np.uint8,
                                       shape=(count, size, size, 3))
    labels = []
    t0 = time.time()
    with mp.Pool(workers, initializer=_init) as pool:
        for i, (img, lab) in enumerate(pool.imap(render, [(split, i, size) for i in range(count)], chunksize=8)):
            images[i] = img
            labels.append(lab)
            if (i + 1) % 500 == 0:
                print(f"{split}: {i + 1}/{count} scenes, {time.time() - t0:.0f} s", flush=True)
    images.flush()
    del images
    (folder / "images.npy.tmp").rename(folder / "images.npy")
    lengths = np.array([len(l) for l in labels])
    np.savez(folder / "labels.npz", offsets=np.concatenate([[0], np.cumsum(lengths)]),
             labels=np.concatenate(labels) if labels else np.zeros((0, 5), np.float32))
    per_class = np.bincount(np.concatenate(labels)[:, 0].astype(int), minlength=4)
    print(f"{split}: {count} images, {lengths.sum()} boxes, per class {per_class.tolist()}", flush=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--train", type=int, default=6000)
    p.add_argument("--val", type=int, default=600)
    p.add_argument("--size", type=int, default=320)
    p.add_argument("--workers", type=int, default=2)
    a = p.parse_args()
    for split, count in (("val", a.val), ("train", a.train)):
        if (Path(a.out) / split / "labels.npz").exists():
            print(f"{split}: already built, kept")
            continue
        build(a.out, split, count, a.size, a.workers)


if __name__ == "__main__":
    main()
