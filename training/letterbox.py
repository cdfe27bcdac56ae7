"""Ultralytics' LetterBox as used when predicting, which the server's Java Letterbox reproduces:
scale to fit (upscaling allowed), cv2.resize INTER_LINEAR on 8-bit RGB only when the size changes,
borders split as round(d - 0.1) / round(d + 0.1) and filled with grey 114. Training, evaluation and the
fidelity reference all go through this one function, so what the model learnt is what the server feeds it."""
import cv2
import numpy as np

PAD = 114


def placement(h, w, size):
    r = min(size / h, size / w)
    new_w, new_h = max(1, int(round(w * r))), max(1, int(round(h * r)))  # Python round: half-to-even, like Java rint
    dw, dh = (size - new_w) / 2, (size - new_h) / 2
    top, bottom = int(round(dh - 0.1)), int(round(dh + 0.1))
    left, right = int(round(dw - 0.1)), int(round(dw + 0.1))
    return r, new_w, new_h, top, bottom, left, right


def letterbox(rgb, size):
    """uint8 HxWx3 RGB -> (uint8 size x size x 3, scale, (pad_left, pad_top))."""
    h, w = rgb.shape[:2]
    r, new_w, new_h, top, bottom, left, right = placement(h, w, size)
    if (new_w, new_h) != (w, h):
        rgb = cv2.resize(rgb, (new_w, new_h), interpolation=cv2.INTER_LINEAR)
    out = cv2.copyMakeBorder(rgb, top, bottom, left, right, cv2.BORDER_CONSTANT, value=(PAD, PAD, PAD))
    return out, r, (left, top)


def to_tensor_layout(batch_uint8):
    """N x H x W x 3 uint8 RGB -> N x 3 x H x W float32 in [0, 1]."""
    return np.ascontiguousarray(batch_uint8.transpose(0, 3, 1, 2)).astype(np.float32) / 255.0
