"""Trains a flood segmenter (segment.FloodSegNet) on OMBRIA's masks and chooses its probability threshold on
OMBRIA's own validation carve-out; resumable.

    /usr/bin/python3 training/train_seg.py --view swir_nir_green --run training/runs/s2seg --iterations 900 \
        --pretrained training/runs/sources/pretrained/mobilenet_v2_1.0_224_quant.tflite \
        --thresholds-out training/thresholds-s2seg.json

Data, read straight from OMBRIA's train split (ombria.py; the test split and the 2021 events are never read
here), with ombria.is_validation() keeping the same 15 % apart as the detectors do:
- swir_nir_green: each AFTER tile (B11/B8/B3) with its mask; AFTER tiles mostly cloud are left out
  (ombria.CLOUD_LIMIT), as for the detector; each BEFORE tile with an empty mask, drawn a quarter as often
  (a scene without a flood must give an empty mask; permanent water is background in OMBRIA's masks).
- sar_vv_pair: the radar view the S1 detector reads (ombria.sar_pair): each AFTER tile with its BEFORE tile and
  alone, both with the mask; the BEFORE tile alone and as a receding pair, empty, a quarter as often.
Augmentation: flips, quarter turns, scale 0.75-1.33 (image and mask alike), a random --crop window, then the
detectors' colour augmentation (train.photometric); with --radar-stretch (the S1 model's stage 3) the radar
view's own levels instead (radar_levels: each VV band re-stretched as the server renders a dB scene).
Loss: binary cross-entropy + soft Dice of the flood class. The backbone's first layers (strides 2 to 8) stay
frozen as in the detectors; the rest learns at --backbone-lr-mult of the rate, the decoder from scratch.

The shipped 1.1 models are a second stage: `--init-onnx` the 1.0 file, `--head-stride 2 --freeze-encoder`: the
decoder cut at stride 2 with a bilinear x2 logit (segment.py), trained alone on the frozen encoder (train.sh).

Threshold: the EMA weights' pooled flood IoU on the validation AFTER images (every form of them) over
thresholds 0.05 ... 0.95; the best one goes to --thresholds-out with its figures (export_onnx.py stores it in
the model's metadata). Checkpoints as train.py: last.pt every --save-minutes, final.pt with the EMA weights.
"""
import argparse
import json
import os
import time
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # before torch loads (see train.py)

import cv2  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

import ombria  # noqa: E402
from shared_data import _stretch  # noqa: E402
from segment import FloodSegNet, pixel_counts, pixel_scores, predict_masks  # noqa: E402
from train import FROZEN, Ema, optimizer, photometric, resume, save_checkpoint, set_learning_rate, step  # noqa: E402

EMPTY_WEIGHT = 0.25  # flood-free images are drawn this often relative to flood images


def samples(view, root=ombria.DEFAULT_ROOT):
    """{'train'|'val': [(image uint8 HxWx3, mask bool HxW, is_after, weight)]} from OMBRIA's train split."""
    out = {"train": [], "val": []}
    if view == "sar_vv_pair":
        for t in ombria.load_s1("train", root):
            split = out["val" if ombria.is_validation(t.name) else "train"]
            empty = np.zeros_like(t.mask)
            split += [(ombria.sar_pair(t.after, t.before), t.mask, True, 1.0),
                      (ombria.sar_pair(t.after), t.mask, True, 1.0),
                      (ombria.sar_pair(t.before), empty, False, EMPTY_WEIGHT),
                      (ombria.sar_pair(t.before, t.after), empty, False, EMPTY_WEIGHT)]
        return out
    for t in ombria.load("train", root):
        if t.cloud_fraction() > ombria.CLOUD_LIMIT:
            continue
        split = out["val" if ombria.is_validation(t.name) else "train"]
        split += [(t.after, t.mask, True, 1.0), (t.before, np.zeros_like(t.mask), False, EMPTY_WEIGHT)]
    return out


def augment(rng, img, mask, crop, colour=True):
    img, mask = np.asarray(img), mask.astype(np.uint8)
    if rng.random() < 0.5:
        img, mask = img[:, ::-1], mask[:, ::-1]
    if rng.random() < 0.5:
        img, mask = img[::-1], mask[::-1]
    k = int(rng.integers(4))
    img, mask = np.ascontiguousarray(np.rot90(img, k)), np.ascontiguousarray(np.rot90(mask, k))
    size = img.shape[0]
    if rng.random() < 0.5:
        s = float(np.exp(rng.uniform(np.log(0.75), np.log(1.33))))
        m = np.array([[s, 0, (1 - s) * size / 2], [0, s, (1 - s) * size / 2]], np.float32)
        img = cv2.warpAffine(img, m, (size, size), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT_101)
        mask = cv2.warpAffine(mask, m, (size, size), flags=cv2.INTER_NEAREST, borderMode=cv2.BORDER_REFLECT_101)
    if crop < size:
        x0, y0 = rng.integers(0, size - crop + 1, 2)
        img, mask = img[y0:y0 + crop, x0:x0 + crop], mask[y0:y0 + crop, x0:x0 + crop]
    return (photometric(rng, img) if colour else img), mask


def radar_levels(rng, grey):
    """A VV band (uint8) rendered as the server may render it: with a probability, re-stretched between random
    low (0-5 %) and high (95-100 %) percentiles of its own to the full 0-255 range. The server stretches a dB scene
    2-98 % over the whole scene, which fills the range; OMBRIA's makers stretched each patch into a narrower
    one (median 2nd and 98th percentiles of the training tiles 56 and 222, water at a median of 94): without
    this the model learns OMBRIA's levels, not water's contrast. Then a gamma and a gain and offset, one draw for
    the band as a whole (a band's levels move together; the colour augmentation's per-channel saturation would
    tear the pair view's channels apart)."""
    x = grey.astype(np.float32)
    if rng.random() < 0.6:
        lo, hi = np.percentile(x, [rng.uniform(0, 5), rng.uniform(95, 100)])
        x = (x - lo) * (255 / max(hi - lo, 1.0))
    if rng.random() < 0.3:
        x = 255 * (np.clip(x, 0, 255) / 255) ** rng.uniform(0.7, 1.4)
    if rng.random() < 0.8:
        x = x * rng.uniform(0.8, 1.2) + rng.uniform(-20, 20)
    return np.clip(x, 0, 255).round().astype(np.uint8)


def augment_radar(rng, img, mask, crop):
    """augment() for the sar_vv_pair view: the same geometry on the composed view, then each VV band's levels
    drawn on its own (after and before are separate scenes, stretched separately by the server; a scene alone
    keeps green = red) and the view composed again, so its change band stays 128 + (after - before) / 2."""
    alone = np.array_equal(img[..., 0], img[..., 1])
    img, mask = augment(rng, img, mask, crop, colour=False)
    after = radar_levels(rng, img[..., 0])
    return ombria.sar_pair(after, None if alone else radar_levels(rng, img[..., 1])), mask


def batch(data, p, seed, it, size, crop, radar_stretch=False):
    rng = np.random.default_rng([seed, it, 2])
    imgs, masks = [], []
    for i in rng.choice(len(data), size, p=p):
        if radar_stretch:
            img, mask = augment_radar(rng, data[i][0], data[i][1], crop)
        else:
            img, mask = augment(rng, data[i][0], data[i][1], crop)
        imgs.append(img)
        masks.append(mask)
    x = torch.from_numpy(np.stack(imgs)).permute(0, 3, 1, 2).float().div_(255)
    return x, torch.from_numpy(np.stack(masks)).float()[:, None]


def lovasz_hinge(logit, target):
    """Lovasz hinge (Berman et al., CVPR 2018) over all pixels of the batch: a convex surrogate of 1 - IoU of the
    flood class at logit 0, the figure the model is judged by."""
    logit, target = logit.flatten(), target.flatten()
    errors = 1 - logit * (2 * target - 1)
    errors, order = torch.sort(errors, descending=True)
    gt = target[order]
    total = gt.sum()
    jaccard = 1 - (total - gt.cumsum(0)) / (total + (1 - gt).cumsum(0))
    jaccard = torch.cat([jaccard[:1], jaccard[1:] - jaccard[:-1]])
    return torch.dot(F.relu(errors), jaccard)


def loss_fn(logit, target, kind="dice"):
    """BCE + soft Dice (default) or BCE + Lovasz hinge; -> (loss, bce, the second term)."""
    bce = F.binary_cross_entropy_with_logits(logit, target)
    if kind == "lovasz":
        second = lovasz_hinge(logit, target)
    else:
        p = logit.sigmoid()
        second = 1 - (2 * (p * target).sum() + 1) / (p.sum() + target.sum() + 1)
    return bce + second, bce, second


def server_stretched(val):
    """The validation images as the server would render each tile were it a dB scene of its own: each VV band
    stretched 2-98 % to 0-255 (shared_data._stretch, the server's PercentileStretch), the view composed again."""
    def stretched(band):
        return (_stretch(band[..., None].astype(np.float32))[..., 0] * 255).round().astype(np.uint8)

    out = []
    for img, mask, is_after, weight in val:
        alone = np.array_equal(img[..., 0], img[..., 1])
        before = None if alone else stretched(img[..., 1])
        out.append((ombria.sar_pair(stretched(img[..., 0]), before), mask, is_after, weight))
    return out


def choose_threshold(model, val, forms=None):
    """Best pooled flood IoU on the validation AFTER images; -> (threshold, figures at it, {form: figures at it}).
    forms: {name: validation list} pooled into the choice and reported one by one (default: val alone)."""
    forms = forms or {"as_given": val}
    probs, truths = {}, {}
    for name, images in forms.items():
        after = [(img, m) for img, m, is_after, _ in images if is_after]
        probs[name] = predict_masks(model, [img for img, _ in after])
        truths[name] = np.stack([m for _, m in after])
    prob, truth = np.concatenate(list(probs.values())), np.concatenate(list(truths.values()))
    best = None
    for th in np.round(np.arange(0.05, 0.951, 0.05), 2):
        scores = pixel_scores(*pixel_counts(prob, truth, th))
        if best is None or scores["iou"] > best[1]["iou"]:
            best = (float(th), scores)
    per_form = {name: pixel_scores(*pixel_counts(probs[name], truths[name], best[0])) for name in forms}
    return best[0], best[1], per_form


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--view", required=True, choices=("swir_nir_green", "sar_vv_pair"))
    p.add_argument("--run", required=True)
    p.add_argument("--iterations", type=int, required=True)
    p.add_argument("--pretrained", required=True, help="TFLite file with the backbone's ImageNet weights")
    p.add_argument("--thresholds-out", required=True)
    p.add_argument("--backbone-lr-mult", type=float, default=0.2)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--crop", type=int, default=192, help="training window in pixels (multiple of 32)")
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--loss", choices=("dice", "lovasz"), default="dice", help="BCE + soft Dice, or BCE + Lovasz hinge")
    p.add_argument("--init-onnx", help="fine-tune an exported mask model (its fused weights: batch norms folded) "
                                       "instead of starting from the ImageNet backbone")
    p.add_argument("--head-stride", type=int, choices=(1, 2), default=1,
                   help="1: the decoder fuses the input at full resolution (1.0); 2: it stops at stride 2 and its "
                        "logit is upsampled bilinearly (1.1, lighter: issue 24's time limit)")
    p.add_argument("--freeze-encoder", action="store_true",
                   help="train the decoder only (the whole MobileNetV2 kept as it is; with --init-onnx, the "
                        "file's encoder)")
    p.add_argument("--train-all", action="store_true",
                   help="train the backbone's first layers too (strides 2-8; frozen by default as in the detectors)")
    p.add_argument("--radar-stretch", action="store_true",
                   help="sar_vv_pair: augment each VV band's levels as the server's 2-98 %% stretch renders a dB "
                        "scene (radar_levels) instead of the colour augmentation, and choose the threshold on the "
                        "validation images as given and as the server would stretch them, pooled")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--seed", type=int, default=11)
    p.add_argument("--save-minutes", type=float, default=5)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    run = Path(a.run)
    run.mkdir(parents=True, exist_ok=True)
    data = samples(a.view)
    train = data["train"]
    weights = np.array([s[3] for s in train])
    print(f"{a.view}: {len(train)} training images ({sum(s[2] for s in train)} with a mapped flood), "
          f"{len(data['val'])} validation images", flush=True)

    if a.init_onnx:
        from segment import segmenter_from_onnx
        model = segmenter_from_onnx(a.init_onnx, a.head_stride)
        print(f"fine-tuning {a.init_onnx} (fused weights), head stride {a.head_stride}", flush=True)
    else:
        model = FloodSegNet(a.head_stride)
        from mobilenet import check_imagenet, load_tflite
        rest = load_tflite(model.backbone, a.pretrained)
        for answer in check_imagenet(model.backbone, rest, Path(a.pretrained).parent):
            print("pretrained weights read right:", answer)
    frozen = ("backbone.",) if a.freeze_encoder else () if a.train_all else FROZEN
    opt, lr_mult = optimizer(model, a.lr, a.backbone_lr_mult, True, frozen=frozen)
    ema = Ema(model, decay=0.999, tau=200)
    ckpt = run / "last.pt"
    start, elapsed = resume(ckpt, model, ema, opt, a.iterations)

    def save(iteration):
        save_checkpoint(ckpt, model, ema, opt, iteration, elapsed, {"args": vars(a)})

    warmup = min(100, a.iterations // 10)
    model.train()
    t0 = t_save = time.time()
    log = open(run / "train_log.jsonl", "a")
    running = None
    for it in range(start, a.iterations):
        x, y = batch(train, weights / weights.sum(), a.seed, it, a.batch, a.crop, a.radar_stretch)
        lr = set_learning_rate(opt, lr_mult, a.lr, it, a.iterations, warmup)
        loss, bce, dice = loss_fn(model(x), y, a.loss)
        step(opt, model, ema, loss)
        now = time.time()
        elapsed += now - t0
        t0 = now
        vals = np.array([loss.item(), bce.item(), dice.item()])
        running = vals if running is None else 0.95 * running + 0.05 * vals
        if (it + 1) % 10 == 0:
            rec = {"iter": it + 1, "lr": lr, "loss": running[0], "bce": running[1], "dice": running[2],
                   "elapsed_min": elapsed / 60}
            log.write(json.dumps(rec) + "\n")
            log.flush()
            print(f"it {it + 1}/{a.iterations} lr {lr:.2e} loss {running[0]:.3f} (bce {running[1]:.3f} "
                  f"dice {running[2]:.3f}) {elapsed / 60:.1f} min", flush=True)
        if now - t_save > a.save_minutes * 60:
            save(it + 1)
            t_save = now
    if start < a.iterations or not (run / "final.pt").exists():
        save(a.iterations)
        torch.save({"model": ema.model.state_dict(), "elapsed_s": elapsed, "iterations": a.iterations,
                    "images_seen": a.iterations * a.batch, "crop": a.crop, "view": a.view,
                    "fused": bool(a.init_onnx), "init_onnx": a.init_onnx,
                    "head_stride": a.head_stride}, run / "final.pt")
    print(f"trained: {a.iterations} iterations, {elapsed / 60:.1f} min", flush=True)

    from segment import load_segmenter
    final = load_segmenter(run / "final.pt")
    forms = {"as_given": data["val"]}
    if a.radar_stretch:
        forms["server_stretched"] = server_stretched(data["val"])
    threshold, scores, per_form = choose_threshold(final, data["val"], forms)
    chosen_on = "OMBRIA train split, validation carve-out (ombria.is_validation), AFTER images"
    if a.radar_stretch:
        chosen_on += ", as given and as the server would stretch each tile (pooled)"
    Path(a.thresholds_out).write_text(json.dumps({
        "view": a.view, "chosen_on": chosen_on,
        "rule": "best pooled flood-pixel IoU over thresholds 0.05..0.95", "threshold": threshold,
        "validation": scores, "validation_by_form": per_form, "iterations": a.iterations,
        "training_minutes": round(elapsed / 60, 1),
        "recipe": {k: getattr(a, k) for k in ("batch", "crop", "lr", "backbone_lr_mult", "train_all", "loss",
                                                "init_onnx", "seed", "head_stride", "freeze_encoder",
                                                "radar_stretch")}}, indent=1)
        + "\n")
    print(f"threshold {threshold} on validation: {scores}; by form: {per_form}", flush=True)


if __name__ == "__main__":
    main()
