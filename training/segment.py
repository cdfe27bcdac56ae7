"""GeoHazard-Seg: per-pixel flood probability from the detectors' pretrained MobileNetV2 backbone and a light
U-Net-like decoder (models/README.md, "Flood extent models").

Encoder: MobileNetV2 (mobilenet.py, ImageNet weights from TFLite) read at strides 2, 4, 8, 16 and 32. Decoder:
from stride 32 up, each step doubles the resolution (nearest neighbour), concatenates the encoder's map of that
stride and fuses them with one 3 x 3 convolution; the last step joins the input image itself at full
resolution, so flood edges follow the pixels rather than a stride-2 grid. One logit per pixel; in export mode a
sigmoid gives the flood probability [batch, 1, H, W] at the input's own size (H, W multiples of 32).

Nearest-neighbour upsampling (not bilinear) keeps every operator inside what the numpy reference interpreter
(onnx_numpy.py) and ONNX Runtime compute alike.

head_stride 2 (the 1.1 mask models, S2 and S1; issue 24's time limit): the decoder stops at stride 2 (no full-resolution
fusion with the input, the costliest step of the decoder in ONNX Runtime) and its logit is upsampled x2
bilinearly (OpenCV/torch half-pixel convention) to the input's size: built from nearest-neighbour x2, edge padding
and a fixed 3 x 3 [1,2,1] x [1,2,1] / 16 convolution, which is exactly that interpolation and keeps the operator set
unchanged.
"""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from mobilenet import MobileNetV2Backbone
from model import ConvBnAct

# Encoder channels at strides 2, 4, 8, 16, 32 (MobileNetV2 groups 1, 2, 3, 5, 7).
ENCODER = (16, 24, 32, 96, 320)
# Decoder channels after fusing at strides 16, 8, 4, 2, 1.
DECODER = (64, 48, 32, 16, 8)


def _up(x):
    return F.interpolate(x, scale_factor=2.0, mode="nearest")


class BilinearUp2(nn.Module):
    """x2 bilinear upsampling of a one-channel map, half-pixel centres and clamped edges (F.interpolate(...,
    mode="bilinear", align_corners=False)), as nearest x2 + edge padding + a fixed [1,2,1] x [1,2,1] / 16 kernel:
    output pixel 2i gets 1/4 of input i-1 and 3/4 of input i, as the interpolation does."""

    def __init__(self):
        super().__init__()
        k = torch.tensor([1.0, 2.0, 1.0])
        self.register_buffer("kernel", (k[:, None] * k[None, :] / 16.0)[None, None], persistent=False)

    def forward(self, x):
        return F.conv2d(F.pad(_up(x), (1, 1, 1, 1), mode="replicate"), self.kernel)


class FloodSegNet(nn.Module):
    def __init__(self, head_stride=1):
        super().__init__()
        if head_stride not in (1, 2):
            raise ValueError("head_stride must be 1 or 2")
        self.head_stride = head_stride
        self.backbone = MobileNetV2Backbone()
        e2, e4, e8, e16, e32 = ENCODER
        d16, d8, d4, d2, d1 = DECODER
        self.lateral = ConvBnAct(e32, d16, 1)
        self.fuse16 = ConvBnAct(d16 + e16, d16, 3)
        self.fuse8 = ConvBnAct(d16 + e8, d8, 3)
        self.fuse4 = ConvBnAct(d8 + e4, d4, 3)
        self.fuse2 = ConvBnAct(d4 + e2, d2, 3)
        if head_stride == 1:
            self.fuse1 = ConvBnAct(d2 + 3, d1, 3)
            self.logit = nn.Conv2d(d1, 1, 1)
        else:
            self.logit = nn.Conv2d(d2, 1, 1)
            self.up2 = BilinearUp2()
        # Prior: about a fifth of a training tile is flood.
        nn.init.constant_(self.logit.bias, -1.4)
        self.export_mode = False

    def encoder(self, x):
        bb = self.backbone
        s2 = bb.to8[0](bb.stem(x * (255.0 / 128.0) - 1.0))  # as MobileNetV2Backbone.forward, every stride kept
        s4 = bb.to8[1](s2)
        s8 = bb.to8[2](s4)
        s16 = bb.to16(s8)
        return s2, s4, s8, s16, bb.to32(s16)

    def forward(self, x):
        """x: [B, 3, H, W] RGB in [0, 1]. Training: flood logits [B, 1, H, W]; export: probabilities."""
        s2, s4, s8, s16, s32 = self.encoder(x)
        y = self.lateral(s32)
        y = self.fuse16(torch.cat([_up(y), s16], 1))
        y = self.fuse8(torch.cat([_up(y), s8], 1))
        y = self.fuse4(torch.cat([_up(y), s4], 1))
        y = self.fuse2(torch.cat([_up(y), s2], 1))
        if self.head_stride == 1:
            logit = self.logit(self.fuse1(torch.cat([_up(y), x], 1)))
        else:
            logit = self.up2(self.logit(y))
        return logit.sigmoid() if self.export_mode else logit

    def fuse(self):
        for m in self.modules():
            if isinstance(m, ConvBnAct) and not isinstance(m.bn, nn.Identity):
                m.fuse()
        return self


def load_segmenter(weights):
    """The EMA weights of final.pt (or of a training checkpoint), batch norms folded, in eval mode."""
    state = torch.load(weights, map_location="cpu")
    m = FloodSegNet(state.get("head_stride", 1))
    if state.get("fused"):  # fine-tuned from an exported model: trained with its batch norms already folded
        m.eval().fuse()
    m.load_state_dict(state["ema"] if "ema" in state else state["model"])
    return m.eval().fuse()


def onnx_weights(onnx_path):
    """An exported file's initializers by name (they keep the parameter names)."""
    import onnx
    from onnx import numpy_helper
    return {i.name: torch.from_numpy(numpy_helper.to_array(i).copy())
            for i in onnx.load(str(onnx_path)).graph.initializer}


def segmenter_from_onnx(onnx_path, head_stride=None):
    """The fused FloodSegNet with an exported file's weights. head_stride: the file's own (None) or another one, in
    which case the weights both share are taken and the new head starts afresh (fine-tuning a lighter decoder)."""
    weights = onnx_weights(onnx_path)
    own = 1 if "fuse1.conv.weight" in weights else 2
    m = FloodSegNet(own if head_stride is None else head_stride).eval().fuse()
    state = m.state_dict()
    shared = {k: weights[k] for k in state if k in weights and weights[k].shape == state[k].shape}
    if len(shared) < len(state) and (head_stride is None or head_stride == own):
        raise ValueError(f"{onnx_path} lacks {sorted(set(state) - set(shared))}")
    m.load_state_dict(shared, strict=False)
    return m


@torch.no_grad()
def predict_masks(model, images, batch=8):
    """uint8 H x W x 3 images (H, W multiples of 32, one size) -> float32 [N, H, W] flood probabilities."""
    was = model.export_mode
    model.export_mode = True
    out = []
    for i in range(0, len(images), batch):
        x = torch.from_numpy(np.stack(images[i:i + batch])).permute(0, 3, 1, 2).float().div_(255)
        out.append(model(x)[:, 0].numpy())
    model.export_mode = was
    return np.concatenate(out)


def pixel_counts(prob, truth, threshold):
    """Pooled pixel counts of the flood class: (true positive, false positive, false negative)."""
    pred = prob >= threshold
    return int((pred & truth).sum()), int((pred & ~truth).sum()), int((~pred & truth).sum())


def pixel_scores(tp, fp, fn):
    return {"iou": round(tp / max(tp + fp + fn, 1), 4), "precision": round(tp / max(tp + fp, 1), 4),
            "recall": round(tp / max(tp + fn, 1), 4), "tp": tp, "fp": fp, "fn": fn}

