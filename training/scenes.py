"""Synthetic nadir scenes with landslides, floods, standing water and vegetation loss, labelled as boxes.

Every scene is drawn from a seeded numpy Generator, so a seed reproduces it bit for bit. Pixels are float
RGB "reflectance" in [0, 1] until `finish()` turns them into 8-bit like a sensor product would arrive:
either an 8-bit product (gamma, contrast) or a 16-bit one reduced by the server's 2-98 % percentile stretch.

Class semantics the generator follows (and the model card repeats):
  landslide       - fresh bare soil / rock scar on a vegetated slope, elongated downslope, debris tongue
  flood           - turbid brown/grey water spread over land, irregular edges, around a river or low ground
  water_body      - compact standing water (lake, pond, reservoir): dark, smooth shoreline
  vegetation_loss - vegetation replaced by bare, dry or burnt ground: clear-cuts and burn scars
Unlabelled on purpose (the model must learn to ignore them): rivers, roads, towns, bare and ploughed fields,
beaches, clouds and their shadows, snow, haze.
"""
import math

import cv2
import numpy as np

CLASSES = ["landslide", "flood", "water_body", "vegetation_loss"]
LANDSLIDE, FLOOD, WATER_BODY, VEGETATION_LOSS = range(4)


# ---------------------------------------------------------------- noise and shapes
def fractal_noise(rng, h, w, base=4, octaves=5, persistence=0.55):
    """Value noise summed over octaves, normalised to [0, 1]."""
    out = np.zeros((h, w), np.float32)
    amp, total = 1.0, 0.0
    cells = base
    for _ in range(octaves):
        grid = rng.random((cells + 1, cells + 1)).astype(np.float32)
        out += amp * cv2.resize(grid, (w, h), interpolation=cv2.INTER_CUBIC)
        total += amp
        amp *= persistence
        cells *= 2
        if cells > max(h, w):
            break
    out /= total
    lo, hi = out.min(), out.max()
    return (out - lo) / max(hi - lo, 1e-6)


def blob_mask(rng, size_h, size_w, roughness=0.35, lobes=6):
    """A closed blob with a wobbly outline filling roughly a size_h x size_w box."""
    n = 64
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    r = np.ones(n)
    for k in range(1, lobes + 1):
        r += roughness / k * rng.normal() * np.cos(k * t + rng.uniform(0, 2 * np.pi))
    r = np.clip(r, 0.25, None)
    pts = np.stack([np.cos(t) * r, np.sin(t) * r], 1)
    return pts


def teardrop(rng):
    """Landslide outline: narrow crown (scarp) at the top, widening body, rounded toe (y grows downslope)."""
    n = 48
    t = np.linspace(0, 1, n)
    width = (0.25 + 0.75 * np.sin(np.pi * np.clip(t * rng.uniform(0.8, 1.1), 0, 1)) ** rng.uniform(0.6, 1.4))
    width *= 1 + 0.15 * rng.normal(size=n).cumsum() / np.sqrt(n)
    width = np.clip(width, 0.1, None)
    left = np.stack([-width * 0.5, t], 1)
    right = np.stack([width * 0.5, t], 1)[::-1]
    pts = np.concatenate([left, right])
    pts[:, 0] += 0.1 * np.sin(t.repeat(2)[:len(pts)] * rng.uniform(1, 4))  # gentle bend
    return pts


def raster_polygon(pts, h, w, center, size, angle):
    """Rasterises polygon `pts` (normalised, roughly centred) scaled to `size` (sx, sy), rotated by `angle`
    and centred at `center`; returns a float mask with soft (anti-aliased) edges."""
    p = pts - pts.mean(axis=0)
    span = np.maximum(p.max(axis=0) - p.min(axis=0), 1e-6)
    p = p / span * np.asarray(size)
    c, s = math.cos(angle), math.sin(angle)
    p = p @ np.array([[c, s], [-s, c]])
    p += np.asarray(center)
    mask = np.zeros((h, w), np.uint8)
    cv2.fillPoly(mask, [np.round(p * 4).astype(np.int32)], 255, lineType=cv2.LINE_AA, shift=2)
    return mask.astype(np.float32) / 255.0


def box_of(mask, thr=0.5):
    ys, xs = np.nonzero(mask > thr)
    if len(xs) == 0:
        return None
    return np.array([xs.min(), ys.min(), xs.max() + 1, ys.max() + 1], np.float32)


# ---------------------------------------------------------------- palettes
def season_palette(rng):
    """Land-cover colours for one scene: summer, dry season, autumn or early spring."""
    season = rng.choice(["summer", "dry", "autumn", "spring"], p=[0.4, 0.25, 0.2, 0.15])
    forest = {"summer": (0.10, 0.22, 0.09), "dry": (0.16, 0.22, 0.11),
              "autumn": (0.26, 0.22, 0.10), "spring": (0.14, 0.24, 0.10)}[season]
    grass = {"summer": (0.25, 0.40, 0.18), "dry": (0.45, 0.42, 0.26),
             "autumn": (0.38, 0.36, 0.20), "spring": (0.30, 0.45, 0.20)}[season]
    jitter = lambda c: np.clip(np.asarray(c) * rng.uniform(0.8, 1.2, 3), 0, 1).astype(np.float32)
    return season, jitter(forest), jitter(grass)


# ---------------------------------------------------------------- the scene
class SceneGenerator:
    def __init__(self, textures=None):
        self.textures = textures  # RealTextures or None

    def terrain(self, rng, h, w):
        """Procedural land: hillshaded relief, forest / grass / fields / bare ground, maybe snow."""
        season, forest, grass = season_palette(rng)
        elev = fractal_noise(rng, h, w, base=rng.integers(2, 5), octaves=6)
        cover = fractal_noise(rng, h, w, base=rng.integers(2, 6), octaves=4)
        forest_share = rng.uniform(0.2, 0.9)
        is_forest = cover < np.quantile(cover, forest_share)
        img = np.where(is_forest[..., None], forest, grass).astype(np.float32)
        # Canopy and grass texture.
        tex = fractal_noise(rng, h, w, base=max(8, w // 6), octaves=2)
        img *= (0.8 + 0.4 * tex)[..., None]
        # Agricultural fields: a rotated grid of parcels with their own crop colours (some bare, some ploughed).
        if rng.random() < 0.6:
            img = self._fields(rng, img, elev, h, w)
        # Arid scenes: mostly tan/bare.
        if rng.random() < 0.12:
            desert = np.array([0.62, 0.52, 0.38], np.float32) * rng.uniform(0.8, 1.1)
            mix = fractal_noise(rng, h, w, base=3, octaves=3)[..., None]
            img = img * (1 - mix * 0.85) + desert * mix * 0.85
        # Hillshade: the relief lit from a random sun direction.
        relief = rng.uniform(2, 14)
        gy, gx = np.gradient(elev * relief * min(h, w) / 64.0)
        az = rng.uniform(0, 2 * np.pi)
        shade = 0.75 + 0.5 * np.clip(-(gx * math.cos(az) + gy * math.sin(az)) / (1 + np.hypot(gx, gy)), -0.6, 0.6)
        img *= shade[..., None]
        if season in ("spring", "autumn") and rng.random() < 0.25:  # snow on high ground
            line = rng.uniform(0.6, 0.9)
            snow = np.clip((elev - line) / 0.05, 0, 1)[..., None]
            img = img * (1 - snow) + np.float32(0.85) * snow * shade[..., None]
        return img, elev, is_forest, shade

    def _fields(self, rng, img, elev, h, w):
        crop_colours = [(0.30, 0.45, 0.18), (0.45, 0.44, 0.25), (0.55, 0.45, 0.32), (0.40, 0.32, 0.24),
                        (0.22, 0.35, 0.15), (0.60, 0.55, 0.35)]
        size = rng.uniform(12, 60)
        angle = rng.uniform(0, np.pi)
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        u = (xx * math.cos(angle) + yy * math.sin(angle)) / size
        v = (-xx * math.sin(angle) + yy * math.cos(angle)) / (size * rng.uniform(0.5, 2))
        cell = (np.floor(u).astype(np.int64) * 7919 + np.floor(v).astype(np.int64) * 104729) % 9973
        palette = np.array(crop_colours, np.float32)[rng.integers(0, len(crop_colours), 9973)]
        palette *= rng.uniform(0.8, 1.2, (9973, 1)).astype(np.float32)
        fields = palette[cell]
        region = fractal_noise(rng, h, w, base=2, octaves=3) < rng.uniform(0.3, 0.8)
        # Low ground is farmed; steep/high ground stays as it was.
        region &= elev < rng.uniform(0.5, 0.8)
        edges = ((u % 1) < 0.04) | ((v % 1) < 0.04)
        fields = np.where(edges[..., None], fields * 0.85, fields)
        return np.where(region[..., None], fields, img)

    # ------------------------------------------------------------ distractors
    def river(self, rng, img, h, w, turbid=None):
        """A meandering river (unlabelled); returns its centre line for floods to follow."""
        horizontal = rng.random() < 0.5
        n = 40
        t = np.linspace(-0.1, 1.1, n)
        wander = np.cumsum(rng.normal(0, 0.04, n))
        wander = 0.2 + 0.6 * rng.random() + wander - wander.mean()
        amp = rng.uniform(0.02, 0.08)
        wander += amp * np.sin(t * rng.uniform(4, 14) + rng.uniform(0, 6))
        if horizontal:
            pts = np.stack([t * w, wander * h], 1)
        else:
            pts = np.stack([wander * w, t * h], 1)
        width = int(rng.uniform(1, max(2, min(h, w) / 60)))
        colour = (np.array([0.08, 0.12, 0.16]) if not turbid else np.array([0.35, 0.30, 0.22]))
        colour = colour * rng.uniform(0.8, 1.3, 3)
        mask = np.zeros((h, w), np.uint8)
        cv2.polylines(mask, [np.round(pts * 4).astype(np.int32)], False, 255, thickness=max(1, width),
                      lineType=cv2.LINE_AA, shift=2)
        a = (mask.astype(np.float32) / 255)[..., None]
        img[:] = img * (1 - a) + colour.astype(np.float32) * a
        return pts

    def roads_and_towns(self, rng, img, h, w):
        for _ in range(rng.integers(0, 4)):
            p0 = rng.uniform(0, 1, 2) * (w, h)
            p1 = rng.uniform(0, 1, 2) * (w, h)
            col = float(rng.uniform(0.35, 0.6))
            cv2.line(img, tuple(int(v) for v in p0), tuple(int(v) for v in p1), (col, col, col * 0.95),
                     int(rng.integers(1, 3)), cv2.LINE_AA)
        if rng.random() < 0.3:  # a town: grey blocks with bright roofs
            cx, cy = rng.uniform(0, w), rng.uniform(0, h)
            rad = rng.uniform(20, 80)
            for _ in range(int(rad * rng.uniform(1, 3))):
                x = int(cx + rng.normal() * rad)
                y = int(cy + rng.normal() * rad)
                s = int(rng.integers(2, 7))
                roof = rng.choice([0.45, 0.55, 0.7, 0.8]) * rng.uniform(0.85, 1.1, 3)
                if rng.random() < 0.3:
                    roof = np.array([0.55, 0.30, 0.22]) * rng.uniform(0.9, 1.1)  # red tiles
                cv2.rectangle(img, (x, y), (x + s, y + s), tuple(float(v) for v in roof), -1)

    # ------------------------------------------------------------ hazards
    def add_landslide(self, rng, img, shade, h, w, scale):
        length = rng.uniform(10, 130) * scale
        aspect = rng.uniform(1.3, 4.5)
        use_real = self.textures is not None and self.textures.landslide_shapes and rng.random() < 0.4
        pts = self.textures.landslide_shapes[rng.integers(len(self.textures.landslide_shapes))] \
            if use_real else teardrop(rng)
        centre = rng.uniform(-0.05, 1.05, 2) * (w, h)
        angle = rng.uniform(0, 2 * np.pi)
        if use_real:
            size = (length * rng.uniform(0.6, 1.4), length * rng.uniform(0.6, 1.4))
        else:
            size = (length / aspect, length)
        mask = raster_polygon(pts, h, w, centre, size, angle)
        # Bare soil/rock: light brown to grey, brighter than vegetation, with debris grain.
        base = np.array(rng.choice([(0.62, 0.55, 0.45), (0.58, 0.52, 0.44), (0.70, 0.64, 0.55),
                                    (0.52, 0.42, 0.32), (0.65, 0.60, 0.58)]), np.float32)
        base *= rng.uniform(0.85, 1.15)
        grain = fractal_noise(rng, h, w, base=max(16, w // 4), octaves=2)
        # Fresher at the crown, darker wet debris towards the toe.
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        along = ((xx - centre[0]) * -math.sin(angle) + (yy - centre[1]) * math.cos(angle)) / max(length, 1)
        tone = 1.05 - 0.25 * np.clip(along + 0.5, 0, 1)
        colour = base * (0.8 + 0.35 * grain)[..., None] * tone[..., None] * shade[..., None]
        a = (mask * rng.uniform(0.85, 1.0))[..., None]
        img[:] = img * (1 - a) + colour * a
        # Scarp shadow: a thin dark rim on one side of the crown.
        edge = cv2.dilate(mask, np.ones((3, 3), np.uint8)) - mask
        img *= (1 - 0.35 * edge * (along < 0))[..., None]
        return mask

    def add_water_body(self, rng, img, h, w, scale):
        r = rng.uniform(6, 90) * scale
        pts = blob_mask(rng, r, r, roughness=rng.uniform(0.1, 0.45))
        centre = rng.uniform(-0.05, 1.05, 2) * (w, h)
        mask = raster_polygon(pts, h, w, centre, (r * rng.uniform(1, 2.5), r * rng.uniform(1, 2.5)),
                              rng.uniform(0, np.pi))
        mask = cv2.GaussianBlur(mask, (0, 0), 0.7)
        colour = np.array(rng.choice([(0.05, 0.09, 0.16), (0.04, 0.10, 0.10), (0.08, 0.14, 0.22),
                                      (0.10, 0.18, 0.20), (0.03, 0.05, 0.08)]), np.float32)
        colour = colour * rng.uniform(0.8, 1.4)
        depth = cv2.erode(mask, np.ones((5, 5), np.uint8))
        tex = fractal_noise(rng, h, w, base=6, octaves=3)
        water = colour * (0.9 + 0.2 * tex)[..., None] * (1.15 - 0.2 * depth)[..., None]
        a = mask[..., None]
        img[:] = img * (1 - a) + water * a
        return mask

    def add_flood(self, rng, img, elev, river_pts, h, w, scale):
        """Turbid water spread over low ground: centred near the river when there is one."""
        if river_pts is not None and rng.random() < 0.8:
            centre = river_pts[rng.integers(len(river_pts))] + rng.normal(0, 10, 2)
        else:
            centre = rng.uniform(-0.05, 1.05, 2) * (w, h)
        rx = rng.uniform(25, 160) * scale
        ry = rx * rng.uniform(0.35, 1.0)
        angle = rng.uniform(0, np.pi)
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        c, s = math.cos(angle), math.sin(angle)
        u = ((xx - centre[0]) * c + (yy - centre[1]) * s) / rx
        v = (-(xx - centre[0]) * s + (yy - centre[1]) * c) / ry
        envelope = 1 - np.sqrt(u * u + v * v)
        ragged = fractal_noise(rng, h, w, base=max(4, int(w / max(rx, 8))), octaves=4) - 0.5
        level = envelope + 0.6 * ragged - 0.5 * (elev - elev.mean())
        mask = np.clip(level * 8, 0, 1).astype(np.float32)
        if mask.sum() < 30:
            return None
        colour = np.array(rng.choice([(0.42, 0.35, 0.24), (0.36, 0.32, 0.25), (0.30, 0.28, 0.22),
                                      (0.46, 0.40, 0.30), (0.28, 0.27, 0.20)]), np.float32)
        colour *= rng.uniform(0.8, 1.2, 3).astype(np.float32)
        sediment = fractal_noise(rng, h, w, base=5, octaves=4)
        water = colour * (0.85 + 0.3 * sediment)[..., None]
        # Shallow edges let fields and trees show through.
        alpha = mask * rng.uniform(0.75, 0.95)
        alpha = np.where(mask < 1, alpha * 0.8, alpha)[..., None]
        img[:] = img * (1 - alpha) + water * alpha
        return mask

    def add_vegetation_loss(self, rng, img, is_forest, h, w, scale):
        burn = rng.random() < 0.45
        size = rng.uniform(18, 170) * scale
        centre = rng.uniform(-0.05, 1.05, 2) * (w, h)
        if burn:
            pts = blob_mask(rng, size, size, roughness=rng.uniform(0.35, 0.7), lobes=9)
            colour = np.array(rng.choice([(0.14, 0.11, 0.09), (0.22, 0.17, 0.12), (0.30, 0.22, 0.15)]),
                              np.float32)
            sz = (size * rng.uniform(0.8, 1.8), size * rng.uniform(0.6, 1.2))
        else:  # clear-cut: straight-edged polygon, tan/straw ground with slash piles
            k = rng.integers(4, 7)
            t = np.sort(rng.uniform(0, 2 * np.pi, k))
            pts = np.stack([np.cos(t), np.sin(t)], 1) * rng.uniform(0.7, 1.0, (k, 1))
            colour = np.array(rng.choice([(0.50, 0.42, 0.30), (0.56, 0.48, 0.33), (0.45, 0.38, 0.28),
                                          (0.55, 0.50, 0.36)]), np.float32)
            sz = (size * rng.uniform(0.7, 1.6), size * rng.uniform(0.5, 1.2))
        mask = raster_polygon(pts, h, w, centre, sz, rng.uniform(0, np.pi))
        colour *= rng.uniform(0.85, 1.15)
        tex = fractal_noise(rng, h, w, base=max(12, w // 5), octaves=2)
        ground = colour * (0.8 + 0.4 * tex)[..., None]
        # Residual trees: green specks kept inside the patch.
        keep = (fractal_noise(rng, h, w, base=max(16, w // 3), octaves=1) > rng.uniform(0.75, 0.95))
        a = (mask * np.where(keep, 0.3, 1.0))[..., None]
        img[:] = img * (1 - a) + ground * a
        return mask

    # ------------------------------------------------------------ atmosphere and sensor
    def clouds(self, rng, img, h, w):
        """Clouds and their shadows; returns the cloud opacity, used to drop hidden objects."""
        cover = fractal_noise(rng, h, w, base=rng.integers(2, 6), octaves=6)
        amount = rng.uniform(0.05, 0.55)
        thr = np.quantile(cover, 1 - amount)
        alpha = np.clip((cover - thr) / rng.uniform(0.05, 0.25), 0, 1) * rng.uniform(0.6, 1.0)
        alpha = alpha.astype(np.float32)
        dx, dy = rng.integers(-25, 26, 2)
        shadow = np.roll(np.roll(alpha, dy, 0), dx, 1)
        img *= (1 - 0.55 * shadow)[..., None]
        white = np.float32(rng.uniform(0.8, 1.0))
        img[:] = img * (1 - alpha[..., None]) + white * alpha[..., None]
        return alpha

    def finish(self, rng, img):
        """Atmosphere, optics, sensor and product: float RGB -> uint8 RGB as an upload would arrive."""
        h, w = img.shape[:2]
        if rng.random() < 0.35:  # haze: bluish-white veil, uneven
            veil = fractal_noise(rng, h, w, base=2, octaves=2)[..., None] * rng.uniform(0.1, 0.5)
            img = img * (1 - veil) + np.array([0.7, 0.75, 0.8], np.float32) * veil
        if rng.random() < 0.5:  # optics / resampling softness
            img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.3, 1.2))
        img = img * rng.uniform(0.9, 1.1, 3).astype(np.float32)  # white balance between sensors
        img = img + rng.normal(0, rng.uniform(0.002, 0.02), img.shape).astype(np.float32)
        if rng.random() < 0.15:  # detector striping
            img = img + rng.normal(0, 0.01, (1, w, 1) if rng.random() < 0.5 else (h, 1, 1)).astype(np.float32)
        img = np.clip(img, 0, 1)
        if rng.random() < 0.3:
            # 16-bit product (reflectance x 10000) brought to 8 bits by the server's 2-98 % stretch.
            dn = np.round(img * rng.uniform(3000, 10000)).astype(np.uint16)
            out = np.empty_like(img)
            for b in range(3):
                lo, hi = np.percentile(dn[..., b], [2, 98])
                out[..., b] = np.clip((dn[..., b].astype(np.float32) - lo) / max(hi - lo, 1), 0, 1)
            img = out
        else:
            gamma = rng.uniform(0.6, 1.1)
            gain = rng.uniform(1.0, 1.8)
            img = np.clip(img * gain, 0, 1) ** gamma
        out = np.round(img * 255).astype(np.uint8)
        if rng.random() < 0.4:  # JPEG delivery
            ok, buf = cv2.imencode(".jpg", out[..., ::-1], [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(40, 95))])
            out = cv2.imdecode(buf, cv2.IMREAD_COLOR)[..., ::-1]
        return np.ascontiguousarray(out)

    # ------------------------------------------------------------ one labelled scene
    def scene(self, rng, split="train"):
        """Returns (uint8 RGB HxWx3, boxes float32 [n,4] x1y1x2y2 in pixels, classes int64 [n])."""
        h = int(rng.integers(24, 57)) * 8
        w = int(rng.integers(24, 57)) * 8
        if max(h, w) / min(h, w) > 2.2:
            w = h = min(h, w) * 2
        scale = min(h, w) / 320.0 * rng.uniform(0.5, 1.4)  # ground sample distance varies
        real_water = None
        img = elev = None
        if self.textures is not None and rng.random() < 0.3:
            got = self.textures.crop(rng, h, w, split)
            if got is not None:
                img, real_water = got
                img = img.astype(np.float32) * 0.8
                elev = fractal_noise(rng, h, w, base=3, octaves=4)
                is_forest = (img[..., 1] > img[..., 0]) & (img[..., 1] > img[..., 2])
                shade = np.ones((h, w), np.float32)
        if img is None:
            img, elev, is_forest, shade = self.terrain(rng, h, w)
        objects = []  # (class, mask)
        if real_water is not None:
            n, lab, stats, _ = cv2.connectedComponentsWithStats(real_water.astype(np.uint8), connectivity=8)
            for i in range(1, n):
                area = stats[i, cv2.CC_STAT_AREA]
                fill = area / max(1, stats[i, cv2.CC_STAT_WIDTH] * stats[i, cv2.CC_STAT_HEIGHT])
                component = (lab == i).astype(np.float32)
                if area >= 150 and fill >= 0.3:
                    objects.append((WATER_BODY, component))
                else:
                    # Thin channels and specks: unlabelled, and kept out of any other object's label.
                    img[component > 0] *= 1.0
        river_pts = None
        if rng.random() < 0.5:
            river_pts = self.river(rng, img, h, w, turbid=rng.random() < 0.3)
        self.roads_and_towns(rng, img, h, w)
        # How many of each hazard: most scenes have a few, some have none (negatives matter).
        if rng.random() < 0.1:
            counts = [0, 0, 0, 0]
        else:
            counts = [rng.poisson(1.0), rng.poisson(0.5), rng.poisson(0.7), rng.poisson(0.6)]
        for _ in range(counts[WATER_BODY]):
            objects.append((WATER_BODY, self.add_water_body(rng, img, h, w, scale)))
        for _ in range(counts[VEGETATION_LOSS]):
            objects.append((VEGETATION_LOSS, self.add_vegetation_loss(rng, img, is_forest, h, w, scale)))
        for _ in range(counts[FLOOD]):
            m = self.add_flood(rng, img, elev, river_pts, h, w, scale)
            if m is not None:
                objects.append((FLOOD, m))
        for _ in range(counts[LANDSLIDE]):
            objects.append((LANDSLIDE, self.add_landslide(rng, img, shade, h, w, scale)))
        cloud = self.clouds(rng, img, h, w) if rng.random() < 0.4 else np.zeros((h, w), np.float32)
        # Later objects are painted over earlier ones: compute what is still visible of each.
        boxes, classes = [], []
        painted = np.zeros((h, w), np.float32)
        visible_masks = []
        for cls, mask in reversed(objects):
            visible = mask * (1 - painted) * (1 - cloud)
            painted = np.maximum(painted, mask)
            visible_masks.append((cls, mask, visible))
        for cls, mask, visible in reversed(visible_masks):
            full = mask.sum()
            seen = visible.sum()
            b = box_of(visible, 0.5)
            if b is None or full < 1 or seen / full < 0.35:
                continue  # mostly hidden (cloud, other hazard, outside the tile): not labelled
            if min(b[2] - b[0], b[3] - b[1]) < 3 or (b[2] - b[0]) * (b[3] - b[1]) < 30:
                continue
            boxes.append(b)
            classes.append(cls)
        out = self.finish(rng, img)
        boxes = np.array(boxes, np.float32).reshape(-1, 4)
        return out, boxes, np.array(classes, np.int64)
