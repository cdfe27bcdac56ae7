"""Trains a GeoHazardDet; resumable.

    /usr/bin/python3 training/train.py --data training/runs/ombria_s2 --run training/runs/s2flood \
        --nc 1 --iterations 1500 --pretrained training/runs/sources/pretrained/mobilenet_v2_1.0_224_quant.tflite

--data takes one or more prepared sets (FOLDER or FOLDER:WEIGHT); each batch draws its images from them in
proportion to the weights. The backbone starts from the pretrained MobileNetV2 weights; its first layers
(strides 2 to 8: edges, colours, small textures) stay frozen, the rest learns at --backbone-lr-mult of the
learning rate, and the neck and head are trained from scratch.

Checkpoints (training/runs/<run>/last.pt) are written every --save-minutes and at each epoch's end;
running the same command again resumes from the last one. Batch order and augmentation are drawn from
seeds derived from (seed, epoch, batch), so a resumed run sees the batches an uninterrupted one would.
"""
import argparse
import copy
import json
import math
import os
import time
from pathlib import Path

# Idle OpenMP threads must sleep, not spin: on a shared machine spinning tripled the CPU per batch.
# (OpenMP reads this when torch loads, hence before the import.)
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import cv2  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

from loss import detection_loss
from model import GeoHazardDet

PAD = 114


def load_split(folder):
    images = np.load(Path(folder) / "images.npy", mmap_mode="r")
    lab = np.load(Path(folder) / "labels.npz")
    offsets, labels = lab["offsets"], lab["labels"]
    return images, [labels[offsets[i]:offsets[i + 1]] for i in range(len(offsets) - 1)]


def augment(rng, img, lab, crop):
    """Nadir imagery has no 'up': flips and quarter turns are free. Then scale/shift, colour jitter and a
    random crop x crop window: the model is fully convolutional, so training on windows of the
    letterboxed input keeps the object scale the server sees while costing fewer pixels per sample."""
    size = img.shape[0]
    img = np.array(img)
    boxes = lab[:, 1:].copy()
    if rng.random() < 0.5:
        img = img[:, ::-1]
        boxes[:, [0, 2]] = size - boxes[:, [2, 0]]
    if rng.random() < 0.5:
        img = img[::-1]
        boxes[:, [1, 3]] = size - boxes[:, [3, 1]]
    k = int(rng.integers(4))
    for _ in range(k):  # rotate 90 deg counter-clockwise: (x, y) -> (y, size - x)
        img = np.rot90(img)
        boxes = np.stack([boxes[:, 1], size - boxes[:, 2], boxes[:, 3], size - boxes[:, 0]], 1)
    img = np.ascontiguousarray(img)
    if rng.random() < 0.5:
        s = rng.uniform(0.6, 1.5)
        tx, ty = rng.uniform(-0.2, 0.2, 2) * size
        m = np.array([[s, 0, (1 - s) * size / 2 + tx], [0, s, (1 - s) * size / 2 + ty]], np.float32)
        img = cv2.warpAffine(img, m, (size, size), flags=cv2.INTER_LINEAR, borderValue=(PAD, PAD, PAD))
        old_area = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1]) * s * s
        boxes = boxes * s + np.array([m[0, 2], m[1, 2], m[0, 2], m[1, 2]], np.float32)
        boxes = boxes.clip(0, size)
        area = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
        keep = (area > 0.4 * old_area) & (boxes[:, 2] - boxes[:, 0] > 2) & (boxes[:, 3] - boxes[:, 1] > 2)
        boxes, lab = boxes[keep], lab[keep]
    if crop < size:
        x0, y0 = rng.integers(0, size - crop + 1, 2)
        img = img[y0:y0 + crop, x0:x0 + crop]
        old_area = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
        boxes = (boxes - np.array([x0, y0, x0, y0], np.float32)).clip(0, crop)
        area = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
        keep = (area > 0.4 * old_area) & (boxes[:, 2] - boxes[:, 0] > 2) & (boxes[:, 3] - boxes[:, 1] > 2)
        boxes, lab = boxes[keep], lab[keep]
    out = np.concatenate([lab[:, :1], boxes], 1).astype(np.float32)
    return photometric(rng, img), out


def photometric(rng, img):
    """Colour augmentation of a uint8 H x W x 3 image (the detectors' and the segmenters' alike)."""
    x = img.astype(np.float32)
    if rng.random() < 0.4:
        # Re-stretch each band between random low/high percentiles: the server maps a 16-bit scene to 8 bits
        # with its own 2-98 % stretch, and an 8-bit product arrives however its maker rendered it.
        for c in range(3):
            lo, hi = np.percentile(x[..., c], [rng.uniform(0, 5), rng.uniform(95, 100)])
            x[..., c] = (x[..., c] - lo) * (255 / max(hi - lo, 1.0))
    if rng.random() < 0.3:
        x = 255 * (np.clip(x, 0, 255) / 255) ** rng.uniform(0.7, 1.4)
    if rng.random() < 0.8:
        gain = rng.uniform(0.7, 1.3) * rng.uniform(0.9, 1.1, 3)
        grey = x.mean(-1, keepdims=True)
        sat = rng.uniform(0.6, 1.4)
        x = (grey + (x - grey) * sat) * gain + rng.uniform(-20, 20)
    return np.clip(x, 0, 255).round().astype(np.uint8)


class Ema:
    """Exponential moving average of the weights, with a warm-up so early averages are not stale."""

    def __init__(self, model, decay=0.9995, tau=1000):
        self.model = copy.deepcopy(model).eval()
        self.decay, self.tau, self.updates = decay, tau, 0
        for p in self.model.parameters():
            p.requires_grad_(False)

    def update(self, model):
        self.updates += 1
        d = self.decay * (1 - math.exp(-self.updates / self.tau))
        with torch.no_grad():
            msd = model.state_dict()
            for k, v in self.model.state_dict().items():
                if v.dtype.is_floating_point:
                    v.mul_(d).add_(msd[k].detach(), alpha=1 - d)


class Mixture:
    """Several prepared sets sampled in proportion to their weights; batch b of epoch e is drawn from seeds
    (seed, e, b), so a resumed run sees the batches an uninterrupted one would."""

    def __init__(self, specs):
        self.sets = []
        for spec in specs:
            folder, _, weight = spec.partition(":")
            images, labels = load_split(Path(folder) / "train")
            self.sets.append((images, labels, float(weight or 1)))
        sizes = {s[0].shape[1] for s in self.sets}
        if len(sizes) != 1:
            raise SystemExit(f"all --data sets must share one image size, got {sorted(sizes)}")
        w = np.array([s[2] for s in self.sets])
        self.p = w / w.sum()
        self.size = len(self.sets[0][0])

    def batch(self, seed, epoch, b, batch, crop):
        rng = np.random.default_rng([seed, epoch, b, 1])
        which = rng.choice(len(self.sets), batch, p=self.p)
        imgs, labs = [], []
        for k in which:
            images, labels, _ = self.sets[k]
            i = int(rng.integers(len(images)))
            img, lab = augment(rng, images[i], labels[i], crop)
            imgs.append(img)
            labs.append(lab)
        return collate(imgs, labs)


def collate(imgs, labs):
    x = torch.from_numpy(np.stack(imgs)).permute(0, 3, 1, 2).float().div_(255)
    m = max(1, max(len(l) for l in labs))
    gt = torch.zeros(len(labs), m, 5)
    mask = torch.zeros(len(labs), m, dtype=torch.bool)
    for j, l in enumerate(labs):
        if len(l):
            gt[j, :len(l)] = torch.from_numpy(l)
            mask[j, :len(l)] = True
    return x, gt[..., 0].long(), gt[..., 1:], mask


FROZEN = ("backbone.stem.", "backbone.to8.")


def optimizer(model, lr, backbone_lr_mult, pretrained, frozen=FROZEN):
    """AdamW over three groups: weights with decay, biases and norms without, and (from a pretrained start) the
    backbone at backbone_lr_mult of the rate, its first layers (FROZEN) not trained. -> (optimizer, rate multipliers
    by group name)."""
    groups = {"decay": [], "no_decay": [], "backbone": []}
    for n, prm in model.named_parameters():
        if frozen and n.startswith(frozen) and pretrained:
            prm.requires_grad_(False)
        elif n.startswith("backbone.") and pretrained:
            groups["backbone"].append(prm)
        else:
            groups["no_decay" if prm.ndim <= 1 else "decay"].append(prm)
    lr_mult = {"decay": 1.0, "no_decay": 1.0, "backbone": backbone_lr_mult}
    opt = torch.optim.AdamW([{"params": groups["decay"], "weight_decay": 5e-4, "name": "decay"},
                             {"params": groups["no_decay"], "weight_decay": 0, "name": "no_decay"},
                             {"params": groups["backbone"], "weight_decay": 5e-5, "name": "backbone"}],
                            lr=lr, betas=(0.9, 0.999))
    return opt, lr_mult


def resume(ckpt_path, model, ema, opt, total_iters):
    """Loads a training checkpoint if there is one; -> (iteration to start at, seconds trained so far)."""
    if not ckpt_path.exists():
        return 0, 0.0
    ck = torch.load(ckpt_path)
    model.load_state_dict(ck["model"])
    ema.model.load_state_dict(ck["ema"])
    ema.updates = ck["ema_updates"]
    opt.load_state_dict(ck["optimizer"])
    print(f"resumed at iteration {ck['iteration']}/{total_iters} ({ck['elapsed_s'] / 60:.1f} min done)", flush=True)
    return ck["iteration"], ck["elapsed_s"]


def set_learning_rate(opt, lr_mult, base_lr, it, total_iters, warmup):
    """Linear warm-up, then cosine down to 2 % of the rate; sets each group's rate and returns the base one."""
    if it < warmup:
        lr = base_lr * (it + 1) / warmup
    else:
        lr = 0.02 * base_lr + 0.98 * base_lr * 0.5 * (1 + math.cos(math.pi * (it - warmup) / (total_iters - warmup)))
    for g in opt.param_groups:
        g["lr"] = lr * lr_mult[g["name"]]
    return lr


def step(opt, model, ema, loss):
    """One optimiser step on `loss` (gradients clipped at norm 10) and the EMA's update."""
    opt.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 10.0)
    opt.step()
    ema.update(model)


def save_checkpoint(ckpt_path, model, ema, opt, iteration, elapsed, extra):
    """Writes last.pt atomically (a temporary file renamed over it)."""
    tmp = ckpt_path.with_name(ckpt_path.name + ".tmp")
    torch.save({"model": model.state_dict(), "ema": ema.model.state_dict(), "ema_updates": ema.updates,
                "optimizer": opt.state_dict(), "iteration": iteration, "elapsed_s": elapsed, **extra}, tmp)
    os.replace(tmp, ckpt_path)


def build_model(config):
    model = GeoHazardDet(nc=config["nc"], backbone=config["backbone"])
    return model


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True, nargs="+", help="FOLDER or FOLDER:WEIGHT, each with train/")
    p.add_argument("--run", required=True)
    p.add_argument("--iterations", type=int, required=True)
    p.add_argument("--nc", type=int, required=True)
    p.add_argument("--backbone", default="mobilenet_v2", choices=("mobilenet_v2", "scratch"))
    p.add_argument("--pretrained", help="TFLite file with the backbone's ImageNet weights")
    p.add_argument("--backbone-lr-mult", type=float, default=0.2)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--save-minutes", type=float, default=5)
    p.add_argument("--crop", type=int, default=256, help="training window in pixels (multiple of 32)")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    run = Path(a.run)
    run.mkdir(parents=True, exist_ok=True)

    data = Mixture(a.data)
    per_epoch = max(1, data.size // a.batch)
    total_iters = a.iterations
    warmup = min(300, total_iters // 10)
    config = {"nc": a.nc, "backbone": a.backbone}

    model = build_model(config)
    if a.pretrained:
        from mobilenet import check_imagenet, load_tflite
        rest = load_tflite(model.backbone, a.pretrained)
        for answer in check_imagenet(model.backbone, rest, Path(a.pretrained).parent):
            print("pretrained weights read right:", answer)
    opt, lr_mult = optimizer(model, a.lr, a.backbone_lr_mult, bool(a.pretrained))
    ema = Ema(model)
    ckpt_path = run / "last.pt"
    start_iter, elapsed = resume(ckpt_path, model, ema, opt, total_iters)

    def save(iteration):
        save_checkpoint(ckpt_path, model, ema, opt, iteration, elapsed, {"args": vars(a), "config": config})

    model.train()
    t_last_save = time.time()
    t0 = time.time()
    log = open(run / "train_log.jsonl", "a")
    running = None
    for it in range(start_iter, total_iters):
        epoch, b = divmod(it, per_epoch)
        x, gl, gb, gm = data.batch(a.seed, epoch, b, a.batch, a.crop)
        lr = set_learning_rate(opt, lr_mult, a.lr, it, total_iters, warmup)
        dist, logits, centres, strides = model(x)
        loss, lbox, lcls = detection_loss(dist, logits, centres, strides, gl, gb, gm)
        step(opt, model, ema, loss)
        now = time.time()
        elapsed += now - t0
        t0 = now
        vals = np.array([loss.item(), lbox.item(), lcls.item()])
        running = vals if running is None else 0.98 * running + 0.02 * vals
        if (it + 1) % 25 == 0:
            rec = {"iter": it + 1, "epoch": epoch, "lr": lr, "loss": running[0], "box": running[1],
                   "cls": running[2], "elapsed_min": elapsed / 60}
            log.write(json.dumps(rec) + "\n")
            log.flush()
            print(f"it {it + 1}/{total_iters} ep {epoch} lr {lr:.2e} loss {running[0]:.3f} "
                  f"(box {running[1]:.3f} cls {running[2]:.3f}) {elapsed / 60:.1f} min", flush=True)
        if now - t_last_save > a.save_minutes * 60:
            save(it + 1)
            t_last_save = now
    save(total_iters)
    torch.save({"model": ema.model.state_dict(), "config": config, "elapsed_s": elapsed,
                "iterations": total_iters, "images_seen": total_iters * a.batch}, run / "final.pt")
    print(f"done: {total_iters} iterations, {elapsed / 60:.1f} min", flush=True)


if __name__ == "__main__":
    main()
