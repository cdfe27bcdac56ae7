"""A small ONNX interpreter in numpy: the Python reference path of the fidelity test.

Python's onnxruntime is not available here and onnx 1.12 has no reference evaluator, so this runs the
exported graph node by node from the .onnx file itself (weights, topology, attributes), independently of
torch and of ONNX Runtime. It implements only the operators our export uses and refuses any other, so a
change in the exported graph cannot slip past it silently. Convolutions are im2col + matmul in float64,
which makes it a slow but exact reference (float32 runtimes agree with it to ~1e-5).
"""
import numpy as np
import onnx
from onnx import numpy_helper

_DTYPES = {1: np.float32, 6: np.int32, 7: np.int64, 9: np.bool_, 11: np.float64}


def _attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _conv(x, w, b, strides, pads, group, dilations):
    n, c, h, wd = x.shape
    co, ci, kh, kw = w.shape
    if any(d != 1 for d in dilations) or c != ci * group or co % group:
        raise NotImplementedError("dilated Conv, or groups that do not divide the channels")
    x = np.pad(x, ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])))
    sh, sw = strides
    oh = (x.shape[2] - kh) // sh + 1
    ow = (x.shape[3] - kw) // sw + 1
    cols = np.empty((n, c, kh, kw, oh, ow), x.dtype)
    for i in range(kh):
        for j in range(kw):
            cols[:, :, i, j] = x[:, :, i:i + sh * oh:sh, j:j + sw * ow:sw]
    if group == 1:
        out = np.einsum("nckloq,dckl->ndoq", cols, w, optimize=True)
    else:  # grouped (MobileNetV2's depthwise convolutions): each group sees its own input channels
        cols = cols.reshape(n, group, ci, kh, kw, oh, ow)
        wg = w.reshape(group, co // group, ci, kh, kw)
        out = np.einsum("ngckloq,gdckl->ngdoq", cols, wg, optimize=True).reshape(n, co, oh, ow)
    if b is not None:
        out += b.reshape(1, -1, 1, 1)
    return out


def _maxpool(x, kernel, strides, pads):
    x = np.pad(x, ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])), constant_values=-np.inf)
    kh, kw = kernel
    sh, sw = strides
    oh = (x.shape[2] - kh) // sh + 1
    ow = (x.shape[3] - kw) // sw + 1
    out = np.full(x.shape[:2] + (oh, ow), -np.inf, x.dtype)
    for i in range(kh):
        for j in range(kw):
            out = np.maximum(out, x[:, :, i:i + sh * oh:sh, j:j + sw * ow:sw])
    return out


class OnnxNumpy:
    def __init__(self, path):
        self.model = onnx.load(str(path))
        g = self.model.graph
        self.inits = {t.name: numpy_helper.to_array(t) for t in g.initializer}
        self.inputs = [i.name for i in g.input if i.name not in self.inits]
        self.outputs = [o.name for o in g.output]
        unknown = {n.op_type for n in g.node} - set(self.OPS)
        if unknown:
            raise NotImplementedError(f"operators not supported by the reference: {sorted(unknown)}")

    def run(self, x):
        env = dict(self.inits)
        env = {k: (v.astype(np.float64) if v.dtype == np.float32 else v) for k, v in env.items()}
        env[self.inputs[0]] = x.astype(np.float64)
        for node in self.model.graph.node:
            args = [env[i] if i else None for i in node.input]
            outs = self.OPS[node.op_type](self, args, _attrs(node))
            if not isinstance(outs, tuple):
                outs = (outs,)
            for name, val in zip(node.output, outs):
                env[name] = val
        return [env[o].astype(np.float32) if env[o].dtype == np.float64 else env[o] for o in self.outputs]

    # ---- operators: exactly what the exported GeoHazardDet graph contains
    def _conv_op(self, a, at):
        w = a[1]
        k = w.shape[2:]
        pads = at.get("pads", [0, 0, 0, 0])
        return _conv(a[0], w, a[2] if len(a) > 2 else None, at.get("strides", [1, 1]), pads,
                     at.get("group", 1), at.get("dilations", [1, 1]))

    def _sigmoid(self, a, at):
        return 1 / (1 + np.exp(-a[0]))

    def _softplus(self, a, at):
        return np.logaddexp(0, a[0])

    def _resize(self, a, at):
        x = a[0]
        if at.get("mode", b"nearest") not in (b"nearest", "nearest"):
            raise NotImplementedError("Resize mode " + str(at.get("mode")))
        scales = a[2] if len(a) > 2 and a[2] is not None and a[2].size else None
        if scales is None:
            sizes = a[3]
            scales = sizes / np.array(x.shape)
        fy, fx = int(round(scales[2])), int(round(scales[3]))
        if scales[2] != fy or scales[3] != fx:
            raise NotImplementedError("non-integer Resize")
        return x.repeat(fy, 2).repeat(fx, 3)

    def _constant(self, a, at):
        return numpy_helper.to_array(at["value"]).copy()

    def _split(self, a, at):
        axis = at.get("axis", 0)
        sizes = a[1] if len(a) > 1 and a[1] is not None else at.get("split")
        return tuple(np.split(a[0], np.cumsum(sizes)[:-1], axis=axis))

    def _slice(self, a, at):
        x, starts, ends = a[0], a[1], a[2]
        axes = a[3] if len(a) > 3 and a[3] is not None else range(len(starts))
        steps = a[4] if len(a) > 4 and a[4] is not None else [1] * len(starts)
        sl = [slice(None)] * x.ndim
        for s, e, ax, st in zip(starts, ends, axes, steps):
            sl[int(ax)] = slice(int(s), int(min(e, np.iinfo(np.int64).max)), int(st))
        return x[tuple(sl)]

    def _cast(self, a, at):
        t = _DTYPES[at["to"]]
        return a[0].astype(np.float64 if t == np.float32 else t)

    def _range(self, a, at):
        return np.arange(a[0], a[1], a[2]).astype(np.result_type(a[0]))

    def _constant_of_shape(self, a, at):
        v = numpy_helper.to_array(at["value"]) if "value" in at else np.zeros(1, np.float32)
        return np.full(tuple(int(s) for s in a[0]), v.ravel()[0],
                       np.float64 if v.dtype == np.float32 else v.dtype)

    def _expand(self, a, at):
        return a[0] * np.ones(tuple(int(s) for s in a[1]), a[0].dtype)

    def _reshape(self, a, at):
        shape = [int(s) for s in a[1]]
        shape = [a[0].shape[i] if s == 0 else s for i, s in enumerate(shape)]
        return a[0].reshape(shape)

    def _gather(self, a, at):
        return np.take(a[0], a[1], axis=at.get("axis", 0))

    def _unsqueeze(self, a, at):
        axes = a[1] if len(a) > 1 else at["axes"]
        x = a[0]
        for ax in sorted(int(v) for v in axes):
            x = np.expand_dims(x, ax)
        return x

    def _concat(self, a, at):
        return np.concatenate(a, axis=at["axis"])

    def _clip(self, a, at):
        lo = a[1] if len(a) > 1 and a[1] is not None else -np.inf
        hi = a[2] if len(a) > 2 and a[2] is not None else np.inf
        return np.clip(a[0], lo, hi)

    def _pad(self, a, at):
        pads = [int(v) for v in a[1]]
        mode = at.get("mode", b"constant")
        mode = mode.decode() if isinstance(mode, bytes) else mode
        n = a[0].ndim
        widths = [(pads[i], pads[i + n]) for i in range(n)]
        if mode == "edge":  # the mask models' bilinear upsampling (segment.BilinearUp2)
            return np.pad(a[0], widths, mode="edge")
        if mode != "constant":
            raise NotImplementedError("Pad mode " + mode)
        value = float(a[2]) if len(a) > 2 and a[2] is not None and a[2].size else 0.0
        return np.pad(a[0], widths, constant_values=value)

    def _softmax(self, a, at):
        axis = at.get("axis", -1)
        e = np.exp(a[0] - a[0].max(axis=axis, keepdims=True))
        return e / e.sum(axis=axis, keepdims=True)

    OPS = {
        "Conv": _conv_op,
        "Softmax": _softmax,  # not in our graph; Ultralytics' distribution-focal box head uses it
        "Sigmoid": _sigmoid,
        "Softplus": _softplus,
        "Mul": lambda s, a, at: a[0] * a[1],
        "Add": lambda s, a, at: a[0] + a[1],
        "Sub": lambda s, a, at: a[0] - a[1],
        "Div": lambda s, a, at: a[0] / a[1] if a[0].dtype.kind == "f" else a[0] // a[1],
        "Concat": _concat,
        "Split": _split,
        "Slice": _slice,
        "MaxPool": lambda s, a, at: _maxpool(a[0], at["kernel_shape"], at.get("strides", [1, 1]),
                                             at.get("pads", [0, 0, 0, 0])),
        "Resize": _resize,
        "Constant": _constant,
        "Shape": lambda s, a, at: np.array(a[0].shape, np.int64),
        "Gather": _gather,
        "Cast": _cast,
        "Range": _range,
        "Unsqueeze": _unsqueeze,
        "Reshape": _reshape,
        "Expand": _expand,
        "ConstantOfShape": _constant_of_shape,
        "Transpose": lambda s, a, at: np.transpose(a[0], at.get("perm")),
        "Flatten": lambda s, a, at: a[0].reshape(a[0].shape[:at.get("axis", 1)] + (-1,)),
        "Identity": lambda s, a, at: a[0],
        "Tile": lambda s, a, at: np.tile(a[0], tuple(int(v) for v in a[1])),
        "Clip": _clip,  # MobileNetV2's ReLU6
        "Pad": _pad,    # TensorFlow 'SAME' padding of its stride-2 convolutions
    }
