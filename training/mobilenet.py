"""MobileNetV2 (width 1.0) as a detector backbone, with its ImageNet weights taken from the quantized TFLite
file Google ships in google-coral/test_data (Apache-2.0).

The TFLite graph has every BatchNorm folded into its convolution (weights + bias) and ReLU6 fused; the
backbone here has the same shape: convolutions with a bias and no normalisation, so the pretrained function
is reproduced exactly (TensorFlow's 'SAME' padding included: a stride-2 3x3 convolution on an even input
pads one pixel on the right and bottom only). The network's convolutions appear in the file in forward
order, which is how they are matched to the modules here; shapes are checked one by one.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

import tflite_reader

# (expansion, output channels, repeats, first stride) of MobileNetV2's inverted-residual groups.
BLOCKS = ((1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1))
# Channels of the feature maps handed to the neck, at strides 8, 16, 32.
FEATURE_CHANNELS = (32, 96, 320)


class SameConv(nn.Module):
    """k x k convolution with a bias and TensorFlow 'SAME' padding, optionally followed by ReLU6."""

    def __init__(self, cin, cout, k, stride=1, groups=1, relu6=True):
        super().__init__()
        self.stride, self.k = stride, k
        pad = 0 if stride == 2 else k // 2
        self.conv = nn.Conv2d(cin, cout, k, stride, pad, groups=groups, bias=True)
        self.relu6 = relu6

    def forward(self, x):
        if self.stride == 2 and self.k > 1:
            x = F.pad(x, (0, 1, 0, 1))  # inputs are even-sized here (multiples of 32 at the model's input)
        x = self.conv(x)
        return x.clamp(0, 6) if self.relu6 else x


class InvertedResidual(nn.Module):
    def __init__(self, cin, cout, expansion, stride):
        super().__init__()
        hidden = cin * expansion
        layers = [] if expansion == 1 else [SameConv(cin, hidden, 1)]
        layers += [SameConv(hidden, hidden, 3, stride, groups=hidden), SameConv(hidden, cout, 1, relu6=False)]
        self.layers = nn.Sequential(*layers)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        y = self.layers(x)
        return x + y if self.residual else y


class MobileNetV2Backbone(nn.Module):
    """Input: RGB in [0, 1]. Output: feature maps at strides 8, 16, 32 (32, 96, 320 channels)."""

    def __init__(self):
        super().__init__()
        self.stem = SameConv(3, 32, 3, 2)
        groups, cin = [], 32
        for t, c, n, s in BLOCKS:
            blocks = []
            for i in range(n):
                blocks.append(InvertedResidual(cin, c, t, s if i == 0 else 1))
                cin = c
            groups.append(nn.Sequential(*blocks))
        self.to8 = nn.Sequential(*groups[:3])     # strides 2 -> 8, 32 channels
        self.to16 = nn.Sequential(*groups[3:5])   # -> 16, 96 channels
        self.to32 = nn.Sequential(*groups[5:])    # -> 32, 320 channels

    def forward(self, x):
        # The network was trained on (q - 128) / 128 of 8-bit pixels q; x is q / 255.
        x = self.stem(x * (255.0 / 128.0) - 1.0)
        c3 = self.to8(x)
        c4 = self.to16(c3)
        return c3, c4, self.to32(c4)

    def convolutions(self):
        return [m.conv for m in self.modules() if isinstance(m, SameConv)]


def tflite_convolutions(path):
    """(weight [O, I/groups, k, k], bias [O], is_depthwise) of every convolution in the file, in order."""
    tensors, operators = tflite_reader.read(path)
    out = []
    for op in operators:
        if op.op not in ("CONV_2D", "DEPTHWISE_CONV_2D"):
            continue
        w = tensors[op.inputs[1]].dequantized()
        b = tensors[op.inputs[2]].dequantized()
        if op.op == "CONV_2D":
            w = w.transpose(0, 3, 1, 2)        # OHWI -> OIHW
        else:
            w = w.transpose(3, 0, 1, 2)        # 1HWC -> C1HW
        out.append((torch.from_numpy(w.copy()), torch.from_numpy(b.copy()), op.op == "DEPTHWISE_CONV_2D"))
    return out


def load_tflite(backbone, path):
    """Copies the pretrained weights into the backbone; returns the convolutions left over (the classifier's
    1x1 to 1280 channels and the 1001-way logits), which the ImageNet check uses."""
    convs = tflite_convolutions(path)
    mine = backbone.convolutions()
    for conv, (w, b, depthwise) in zip(mine, convs):
        if tuple(conv.weight.shape) != tuple(w.shape) or (conv.groups > 1) != depthwise:
            raise ValueError(f"pretrained tensor {tuple(w.shape)} does not fit {conv}")
        with torch.no_grad():
            conv.weight.copy_(w)
            conv.bias.copy_(b)
    return convs[len(mine):]


@torch.no_grad()
def imagenet_logits(backbone, rest, rgb01):
    """Runs the pretrained classifier on [B, 3, 224, 224] RGB in [0, 1]; -> [B, 1001] logits (0 = background)."""
    c5 = backbone(rgb01)[2]
    (w1, b1, _), (w2, b2, _) = rest
    x = F.conv2d(c5, w1, b1).clamp(0, 6).mean((2, 3), keepdim=True)
    return F.conv2d(x, w2, b2).flatten(1)


# The test pictures shipped beside the weights, and what ImageNet calls what is in them (the canonical answers
# of TensorFlow's label_image example for Grace Hopper; a cat class for the cat; the chickadee).
IMAGENET_CHECK = (("grace_hopper.bmp", {"military uniform"}),
                  ("cat.bmp", {"tabby, tabby cat", "tiger cat", "Egyptian cat"}),
                  ("bird.bmp", {"chickadee"}))


def check_imagenet(backbone, rest, folder):
    """Proves the weights were read right before anything trains on them: the pretrained classifier must give
    each test picture its expected ImageNet class as the top-1 answer. Raises ValueError otherwise."""
    import cv2
    import numpy as np
    from pathlib import Path
    folder = Path(folder)
    labels = (folder / "imagenet_labels.txt").read_text().splitlines()
    was_training = backbone.training
    backbone.eval()
    answers = []
    for name, expected in IMAGENET_CHECK:
        img = cv2.imread(str(folder / name), cv2.IMREAD_COLOR)
        if img is None:
            raise ValueError(f"ImageNet check: cannot read {folder / name}")
        img = cv2.resize(img[:, :, ::-1], (224, 224), interpolation=cv2.INTER_AREA).astype(np.float32) / 255
        top = int(imagenet_logits(backbone, rest, torch.from_numpy(img).permute(2, 0, 1)[None])[0].argmax())
        answers.append(f"{name}: {labels[top]}")
        if labels[top] not in expected:
            raise ValueError(f"ImageNet check failed, the pretrained weights were not read right: {name} is "
                             f"'{labels[top]}', expected one of {sorted(expected)}")
    backbone.train(was_training)
    return answers
