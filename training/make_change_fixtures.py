"""Fixtures for ChangeRulesFidelityTest: the Python change rules (pair_change.py) on made-up pairs shaped like
OMBRIA's (8-bit S2 composites R = B11, G = B8, B = B3 and 8-bit S1 VV, with speckle, a lake in both dates and a
flood in the later one) and on a dB radar pair (and the same in linear power), with the pixels Python finds, so
that the Java rules (org.geohazard.change.ChangeRules) are checked against them. Made up rather than copied from
OMBRIA, so that no data set is copied into the repository; the arithmetic is what is compared.

    /usr/bin/python3 training/make_change_fixtures.py --out src/test/resources/fidelity/change

Writes per pair: the after and before inputs (PNG, or raw little-endian float32 for dB), the new-water and
water-before masks after regions below MIN_PIXELS are dropped (PNG, 255 = set), and index.json (S2 pairs: also
the share of compared pixels clear of cloud and haze in both dates, and whether the pair was judged). The S2
pairs carry cloud in one date or the other (pixels judged neither way), and one is overcast (not judged).
"""
import argparse
import json
from pathlib import Path

import cv2
import numpy as np

import pair_change as pc


def save_mask(path, mask):
    cv2.imwrite(str(path), mask.astype(np.uint8) * 255)


def s2_pair(out, index, name, after, before):
    cv2.imwrite(str(out / f"{name}_after.png"), after[..., ::-1])
    cv2.imwrite(str(out / f"{name}_before.png"), before[..., ::-1])
    new, was, clear = pc.s2_new_water(after, before)
    kept, boxes, _ = pc.regions(new)
    save_mask(out / f"{name}_new.png", kept)
    save_mask(out / f"{name}_was.png", was)
    index.append({"name": name, "kind": "s2_mndwi", "regions": boxes.astype(int).tolist(), "clear_share": clear,
                  "judged": clear >= pc.MIN_CLEAR_SHARE})


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--count", type=int, default=3)
    a = p.parse_args()
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    index = []
    rng = np.random.default_rng(2022)
    sky = np.random.default_rng(7)  # clouds: their own draws, so that the other fixtures stay as they were
    for k in range(a.count):
        h, w = 160 + 32 * k, 192
        # Land: SWIR above green (MNDWI < 0); water: green above SWIR. Noise makes edges and speckle.
        # Levels as OMBRIA's (about 255 x reflectance): land SWIR 70, NIR 90, green 30; water dark in SWIR.
        land = np.stack([rng.normal(70, 12, (h, w)), rng.normal(90, 12, (h, w)), rng.normal(30, 8, (h, w))], -1)
        before = land.copy()
        before[20:60, 20:80] = np.stack([rng.normal(15, 5, (40, 60)), rng.normal(30, 8, (40, 60)),
                                         rng.normal(50, 8, (40, 60))], -1)
        after = before + rng.normal(0, 8, before.shape)
        fy, fx = 90 + 10 * k, 100
        after[fy:fy + 40, fx:fx + 70] = np.stack([rng.normal(25, 8, (40, 70)), rng.normal(50, 10, (40, 70)),
                                                  rng.normal(55, 10, (40, 70))], -1)
        # Cloud (bright in every band, green at least as bright as SWIR) over part of the flood before and over part
        # of the lake after: those pixels, dilated, are neither new water nor water before.
        before[fy + 20:fy + 50, fx + 40:fx + 90] = np.stack([sky.normal(150, 12, (30, 50)),
                                                             sky.normal(165, 12, (30, 50)),
                                                             sky.normal(175, 12, (30, 50))], -1)
        after[10:40, 50:90] = np.stack([sky.normal(140, 12, (30, 40)), sky.normal(150, 12, (30, 40)),
                                        sky.normal(160, 12, (30, 40))], -1)
        after, before = [np.clip(x, 0, 255).round().astype(np.uint8) for x in (after, before)]
        s2_pair(out, index, f"s2_made_{k}", after, before)
        vv_before = rng.normal(200, 25, (h, w))
        vv_before[20:60, 20:80] = rng.normal(60, 20, (40, 60))
        vv_after = vv_before + rng.normal(0, 12, (h, w))
        vv_after[fy:fy + 40, fx:fx + 70] = rng.normal(120, 30, (40, 70))
        vv_after, vv_before = [np.clip(x, 0, 255).round().astype(np.uint8) for x in (vv_after, vv_before)]
        name = f"s1_made_{k}"
        cv2.imwrite(str(out / f"{name}_after.png"), vv_after)
        cv2.imwrite(str(out / f"{name}_before.png"), vv_before)
        new, was = pc.backscatter_drop(vv_after, vv_before, True)
        kept, boxes, _ = pc.regions(new)
        save_mask(out / f"{name}_new.png", kept)
        save_mask(out / f"{name}_was.png", was)
        index.append({"name": name, "kind": "s1_8bit", "regions": boxes.astype(int).tolist()})
    # Overcast before: cloud over all but a corner, so that less than MIN_CLEAR_SHARE is clear and the pair is not
    # judged (no new water, no water before), though the corner and the flood under the cloud would read as new water.
    h, w = 128, 160
    before = np.stack([sky.normal(70, 12, (h, w)), sky.normal(90, 12, (h, w)), sky.normal(30, 8, (h, w))], -1)
    after = before + sky.normal(0, 4, before.shape)
    after[60:120, 0:60] = np.stack([sky.normal(25, 8, (60, 60)), sky.normal(50, 10, (60, 60)),
                                    sky.normal(55, 10, (60, 60))], -1)
    before[:, 30:] = np.stack([sky.normal(180, 15, (h, w - 30)), sky.normal(190, 15, (h, w - 30)),
                               sky.normal(200, 15, (h, w - 30))], -1)
    after, before = [np.clip(x, 0, 255).round().astype(np.uint8) for x in (after, before)]
    s2_pair(out, index, "s2_overcast", after, before)
    # A dB pair: land around -8 dB with speckle, a lake at -20 dB in both, a new flood at -19 dB after only; and
    # the same in linear power, which the rule turns into dB first.
    before = rng.normal(-8, 1.5, (96, 128)).astype(np.float32)
    before[10:30, 10:40] = rng.normal(-20, 1, (20, 30))
    after = before + rng.normal(0, 0.7, before.shape).astype(np.float32)
    after[50:80, 60:110] = rng.normal(-19, 1, (30, 50))
    for name, (x, y) in (("s1_db", (after, before)), ("s1_linear", (10 ** (after / 10), 10 ** (before / 10)))):
        x = x.astype(np.float32)
        y = y.astype(np.float32)
        x.astype("<f4").tofile(out / f"{name}_after.f32")
        y.astype("<f4").tofile(out / f"{name}_before.f32")
        new, was = pc.backscatter_drop(x, y, False)
        kept, boxes, _ = pc.regions(new)
        save_mask(out / f"{name}_new.png", kept)
        save_mask(out / f"{name}_was.png", was)
        index.append({"name": name, "kind": "s1_float", "width": 128, "height": 96,
                      "regions": boxes.astype(int).tolist()})
    (out / "index.json").write_text(json.dumps(index, indent=1) + "\n")
    print("wrote", len(index), "pairs to", out)


if __name__ == "__main__":
    main()
