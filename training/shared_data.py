"""Locates the licensed rasters beside the repository and turns them into 8-bit texture sources.

Where the data lives: env GEOHAZARD_SHARED_DATA, else /work/shared/data, else ../shared/data relative to the
repository root. Each source below is listed with its licence in models/README.md.
"""
import json
import os
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parent.parent


def shared_data_dir():
    candidates = []
    if os.environ.get("GEOHAZARD_SHARED_DATA"):
        candidates.append(Path(os.environ["GEOHAZARD_SHARED_DATA"]))
    candidates += [Path("/work/shared/data"), REPO_ROOT.parent / "shared" / "data"]
    for c in candidates:
        if (c / "geotiff").is_dir():
            return c
    raise SystemExit("shared data not found: set GEOHAZARD_SHARED_DATA to the folder holding geotiff/ "
                     "(tried " + ", ".join(str(c) for c in candidates) + ")")


def _stretch(bands, low=2, high=98, valid=None):
    """Per-band 2-98 % linear stretch to [0, 1], the quick look the server's PercentileStretch also uses."""
    out = np.zeros(bands.shape, np.float32)
    for b in range(bands.shape[-1]):
        v = bands[..., b].astype(np.float32)
        sample = v[valid] if valid is not None else v.ravel()
        lo, hi = np.percentile(sample, [low, high])
        out[..., b] = np.clip((v - lo) / max(hi - lo, 1e-6), 0, 1)
    return out


class RealTextures:
    """Real scenes as float RGB in [0, 1], each with a mask of pixels that may be used as plain land
    (no nodata, no open water) and, for the Sentinel-2 chip, its hand-labelled water mask."""

    def __init__(self):
        import tifffile
        root = shared_data_dir() / "geotiff"
        self.scenes = []  # (name, rgb float32 HxWx3, usable mask, water mask or None)

        landsat7 = tifffile.imread(root / "rasterio" / "RGB.byte.tif")  # (3,H,W) or (H,W,3)
        if landsat7.shape[0] == 3:
            landsat7 = np.moveaxis(landsat7, 0, -1)
        valid = np.all(landsat7 > 0, axis=-1)
        rgb = _stretch(landsat7, valid=valid)
        # The Bahamas scene is mostly sea; open water there is unlabelled, so only land-ish pixels
        # (green/brown dominant, not blue dominant) may serve as background texture.
        landish = valid & (rgb[..., 2] < rgb[..., 0] + 0.05)
        self.scenes.append(("landsat7_bahamas", rgb, landish, None))

        etm = tifffile.imread(root / "r-cran-stars" / "L7_ETMs.tif")
        if etm.shape[0] == 6:
            etm = np.moveaxis(etm, 0, -1)
        rgb = _stretch(etm[..., [2, 1, 0]])
        nir = etm[..., 3].astype(np.float32)
        red = etm[..., 2].astype(np.float32)
        water = (nir < np.percentile(nir, 8)) & (nir < red)
        self.scenes.append(("landsat7_recife", rgb, ~water, None))

        # The Sen1Floods11 Spain chip is not a training source: it is the flood the real-label evaluation
        # (evaluate_real.py) and the README's example look for, so no pixel of it may be learnt.

        self.landslide_shapes = self._landslide_polygons(root / "kaikoura-landslides" / "derived")

    @staticmethod
    def _landslide_polygons(folder):
        """Outlines of mapped Kaikoura landslides, normalised to their own bounding box: real scar shapes."""
        shapes = []
        for f in sorted(folder.glob("*.utm59s.geojson")):
            data = json.loads(f.read_text())
            for feat in data["features"]:
                geom = feat["geometry"]
                polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
                for poly in polys:
                    ring = np.asarray(poly[0], np.float64)
                    ring[:, 1] = -ring[:, 1]  # northing grows up, image rows grow down
                    ring -= ring.min(axis=0)
                    span = ring.max(axis=0)
                    if span.min() <= 0:
                        continue
                    shapes.append((ring / span).astype(np.float32))
        return shapes

    def crop(self, rng, height, width, split):
        """A random crop from one real scene, resampled to height x width, from the part of the scene that
        belongs to `split` (train: left 70 % of columns; val: right 30 %), so validation never sees
        training pixels. Returns (rgb, usable_mask, water_mask_or_None)."""
        import cv2
        name, rgb, usable, water = self.scenes[rng.integers(len(self.scenes))]
        h, w = rgb.shape[:2]
        cut = int(w * 0.7)
        x_lo, x_hi = (0, cut) if split == "train" else (cut, w)
        for _ in range(20):
            scale = rng.uniform(0.5, 2.0)
            ch = min(h, max(16, int(height / scale)))
            cw = min(x_hi - x_lo, max(16, int(width / scale)))
            y0 = rng.integers(0, h - ch + 1)
            x0 = rng.integers(x_lo, x_hi - cw + 1)
            if usable[y0:y0 + ch, x0:x0 + cw].mean() > 0.97 or water is not None:
                break
        else:
            return None
        out = cv2.resize(rgb[y0:y0 + ch, x0:x0 + cw], (width, height), interpolation=cv2.INTER_LINEAR)
        wmask = None
        if water is not None:
            wmask = cv2.resize(water[y0:y0 + ch, x0:x0 + cw].astype(np.uint8), (width, height),
                               interpolation=cv2.INTER_NEAREST).astype(bool)
            bad = cv2.resize((~(usable | water))[y0:y0 + ch, x0:x0 + cw].astype(np.uint8), (width, height),
                             interpolation=cv2.INTER_NEAREST)
            if bad.mean() > 0.02:
                return None
        return out, wmask
