"""GeoHazard-Det: a compact anchor-free detector written for this project.

Backbone: stride-2 3x3 convolutions and cross-stage blocks (split, a chain of residual bottlenecks,
concatenate, fuse) down to strides 8, 16, 32, then a fast spatial pyramid pool. Neck: top-down and
bottom-up path aggregation. Head: per level, decoupled box and class branches; every grid cell predicts
its distances to the box's left/top/right/bottom (in strides, through softplus) and 4 class logits.
No anchors: the cell centre is the prior. In export mode the forward returns what an Ultralytics
YOLOv8/11 detect export returns: [batch, 4 + nc, N], cx cy w h in input pixels, sigmoid class scores.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

STRIDES = (8, 16, 32)


class ConvBnAct(nn.Module):
    def __init__(self, cin, cout, k=1, s=1):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, s, k // 2, bias=False)
        self.bn = nn.BatchNorm2d(cout, eps=1e-3, momentum=0.03)
        self.act = nn.SiLU()

    def forward(self, x):
        return self.act(self.bn(self.conv(x)))

    def fuse(self):
        """Folds the batch norm into the convolution (for export: fewer ops, same function)."""
        w = self.conv.weight
        scale = self.bn.weight / torch.sqrt(self.bn.running_var + self.bn.eps)
        fused = nn.Conv2d(self.conv.in_channels, self.conv.out_channels, self.conv.kernel_size,
                          self.conv.stride, self.conv.padding, bias=True)
        fused.weight.data = w * scale.reshape(-1, 1, 1, 1)
        fused.bias.data = self.bn.bias - self.bn.running_mean * scale
        self.conv = fused
        self.bn = nn.Identity()


class Bottleneck(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.a = ConvBnAct(c, c, 3)
        self.b = ConvBnAct(c, c, 3)

    def forward(self, x):
        return x + self.b(self.a(x))


class CrossStage(nn.Module):
    """Split the channels, run one half through n bottlenecks keeping every stage, concatenate, fuse."""

    def __init__(self, cin, cout, n=1):
        super().__init__()
        self.hidden = cout // 2
        self.split = ConvBnAct(cin, 2 * self.hidden, 1)
        self.blocks = nn.ModuleList(Bottleneck(self.hidden) for _ in range(n))
        self.fuse_conv = ConvBnAct((2 + n) * self.hidden, cout, 1)

    def forward(self, x):
        y = self.split(x)
        parts = [y[:, :self.hidden], y[:, self.hidden:]]
        for block in self.blocks:
            parts.append(block(parts[-1]))
        return self.fuse_conv(torch.cat(parts, 1))


class PyramidPool(nn.Module):
    """Three chained 5x5 max pools (receptive fields 5, 9, 13) concatenated: context at stride 32."""

    def __init__(self, c):
        super().__init__()
        self.reduce = ConvBnAct(c, c // 2, 1)
        self.pool = nn.MaxPool2d(5, 1, 2)
        self.expand = ConvBnAct(c * 2, c, 1)

    def forward(self, x):
        x = self.reduce(x)
        p1 = self.pool(x)
        p2 = self.pool(p1)
        return self.expand(torch.cat([x, p1, p2, self.pool(p2)], 1))


class Head(nn.Module):
    def __init__(self, channels, nc, hidden=32):
        super().__init__()
        self.box = nn.ModuleList(nn.Sequential(ConvBnAct(c, hidden, 3), ConvBnAct(hidden, hidden, 3),
                                               nn.Conv2d(hidden, 4, 1)) for c in channels)
        self.cls = nn.ModuleList(nn.Sequential(ConvBnAct(c, hidden, 3), ConvBnAct(hidden, hidden, 3),
                                               nn.Conv2d(hidden, nc, 1)) for c in channels)
        for seq, stride in zip(self.cls, STRIDES):
            # Prior: about 5 objects per 320 x 320 image spread over the cells of this level.
            nn.init.constant_(seq[-1].bias, float(torch.log(torch.tensor(5 / nc / (320 / stride) ** 2))))
        for seq in self.box:
            nn.init.constant_(seq[-1].bias, 1.0)


class PathAggregation(nn.Module):
    """Top-down then bottom-up fusion of three feature maps (strides 8, 16, 32) into (c3, c4, c5) channels."""

    def __init__(self, cin, cout, pool=False):
        super().__init__()
        (i3, i4, i5), (c3, c4, c5) = cin, cout
        self.lat3 = ConvBnAct(i3, c3, 1) if i3 != c3 else nn.Identity()
        self.lat4 = ConvBnAct(i4, c4, 1) if i4 != c4 else nn.Identity()
        self.lat5 = nn.Sequential(ConvBnAct(i5, c5, 1) if i5 != c5 else nn.Identity(),
                                  *([PyramidPool(c5)] if pool else []))
        self.top_down4 = CrossStage(c5 + c4, c4, 1)
        self.top_down3 = CrossStage(c4 + c3, c3, 1)
        self.down3 = ConvBnAct(c3, c3, 3, 2)
        self.bottom_up4 = CrossStage(c3 + c4, c4, 1)
        self.down4 = ConvBnAct(c4, c4, 3, 2)
        self.bottom_up5 = CrossStage(c4 + c5, c5, 1)

    def forward(self, p3, p4, p5):
        p3, p4, p5 = self.lat3(p3), self.lat4(p4), self.lat5(p5)
        t4 = self.top_down4(torch.cat([F.interpolate(p5, scale_factor=2.0, mode="nearest"), p4], 1))
        n3 = self.top_down3(torch.cat([F.interpolate(t4, scale_factor=2.0, mode="nearest"), p3], 1))
        n4 = self.bottom_up4(torch.cat([self.down3(n3), t4], 1))
        n5 = self.bottom_up5(torch.cat([self.down4(n4), p5], 1))
        return n3, n4, n5


class ScratchBackbone(nn.Module):
    """GeoHazard-Det 1.0's own backbone (random initialisation), kept for comparison runs."""

    channels = (48, 96, 160)

    def __init__(self, widths=(16, 32, 48, 96, 160)):
        super().__init__()
        c1, c2, c3, c4, c5 = widths
        self.stem = ConvBnAct(3, c1, 3, 2)
        self.stage2 = nn.Sequential(ConvBnAct(c1, c2, 3, 2), CrossStage(c2, c2, 1))
        self.stage3 = nn.Sequential(ConvBnAct(c2, c3, 3, 2), CrossStage(c3, c3, 2))
        self.stage4 = nn.Sequential(ConvBnAct(c3, c4, 3, 2), CrossStage(c4, c4, 2))
        self.stage5 = nn.Sequential(ConvBnAct(c4, c5, 3, 2), CrossStage(c5, c5, 1), PyramidPool(c5))

    def forward(self, x):
        p3 = self.stage3(self.stage2(self.stem(x)))
        p4 = self.stage4(p3)
        return p3, p4, self.stage5(p4)


def make_backbone(name):
    if name == "mobilenet_v2":
        from mobilenet import FEATURE_CHANNELS, MobileNetV2Backbone
        bb = MobileNetV2Backbone()
        bb.channels = FEATURE_CHANNELS
        return bb
    if name == "scratch":
        return ScratchBackbone()
    raise ValueError(f"unknown backbone {name}")


class GeoHazardDet(nn.Module):
    """Backbone (pretrained MobileNetV2 by default) -> path aggregation -> anchor-free decoupled head."""

    def __init__(self, nc=4, backbone="mobilenet_v2", neck=(64, 96, 128), head_hidden=48):
        super().__init__()
        self.nc = nc
        self.backbone = make_backbone(backbone)
        self.neck = PathAggregation(self.backbone.channels, neck, pool=backbone != "scratch")
        self.head = Head(neck, nc, head_hidden)
        self.export_mode = False

    def features(self, x):
        return self.neck(*self.backbone(x))

    def forward(self, x):
        """Training: (box distances [B, N, 4] in strides, class logits [B, N, nc], anchor centres [N, 2]
        in pixels, strides [N, 1]). Export: [B, 4 + nc, N] like an Ultralytics detect export."""
        feats = self.features(x)
        dists, logits, centres, strides = [], [], [], []
        for i, (f, stride) in enumerate(zip(feats, STRIDES)):
            b, _, h, w = f.shape
            dists.append(F.softplus(self.head.box[i](f)).flatten(2))
            logits.append(self.head.cls[i](f).flatten(2))
            # Cell centres computed from the feature map's own size: the exported graph keeps a dynamic input.
            ys = (torch.arange(h, dtype=x.dtype) + 0.5) * stride
            xs = (torch.arange(w, dtype=x.dtype) + 0.5) * stride
            gy, gx = torch.meshgrid(ys, xs, indexing="ij")
            centres.append(torch.stack([gx.flatten(), gy.flatten()], 0))
            strides.append(torch.full((1, h * w), float(stride), dtype=x.dtype))
        dist = torch.cat(dists, 2)      # [B, 4, N]  l t r b in strides
        logit = torch.cat(logits, 2)    # [B, nc, N]
        centre = torch.cat(centres, 1)  # [2, N]
        stride = torch.cat(strides, 1)  # [1, N]
        if self.export_mode:
            lt = dist[:, :2] * stride
            rb = dist[:, 2:] * stride
            xy = centre + (rb - lt) / 2
            wh = lt + rb
            return torch.cat([xy, wh, logit.sigmoid()], 1)
        return dist.transpose(1, 2), logit.transpose(1, 2), centre.t(), stride.t()

    def fuse(self):
        for m in self.modules():
            if isinstance(m, ConvBnAct) and not isinstance(m.bn, nn.Identity):
                m.fuse()
        return self


def count_flops(model, size):
    """Multiply-accumulates of conv layers x 2, for one size x size image (the usual 'FLOPs' of detectors)."""
    total = [0]

    def hook(m, inp, out):
        k = m.kernel_size[0] * m.kernel_size[1] * (m.in_channels // m.groups)
        total[0] += 2 * k * out.numel() // out.shape[0]

    handles = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, nn.Conv2d)]
    with torch.no_grad():
        model(torch.zeros(1, 3, size, size))
    for h in handles:
        h.remove()
    return total[0]
