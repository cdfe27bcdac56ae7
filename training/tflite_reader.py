"""Reads the tensors and operators of a TFLite flatbuffer with nothing but `struct`, enough to take the
weights of a pretrained network out of it (no TensorFlow, no flatbuffers package).

FlatBuffers in short: a table starts with a signed offset back to its vtable; the vtable lists, per field,
where the field sits inside the table (0 when absent). Scalars sit inline; tables, vectors and strings are
reached through an unsigned offset relative to the field's own position. The field numbers below are the
order of declaration in TensorFlow Lite's schema.fbs (Model, SubGraph, Tensor, QuantizationParameters,
Buffer, Operator, OperatorCode, Conv2DOptions, DepthwiseConv2DOptions).
"""
import struct
from dataclasses import dataclass, field

import numpy as np

# TensorType values of schema.fbs that pretrained image models use.
TENSOR_TYPES = {0: np.float32, 2: np.int32, 3: np.uint8, 4: np.int64, 9: np.int8}
# BuiltinOperator values.
OPS = {0: "ADD", 1: "AVERAGE_POOL_2D", 2: "CONCATENATION", 3: "CONV_2D", 4: "DEPTHWISE_CONV_2D",
       6: "DEQUANTIZE", 9: "FULLY_CONNECTED", 14: "LOGISTIC", 22: "RESHAPE", 25: "SOFTMAX", 114: "QUANTIZE"}
ACTIVATIONS = {0: None, 1: "RELU", 2: "RELU_N1_TO_1", 3: "RELU6"}
PADDINGS = {0: "SAME", 1: "VALID"}


class _Table:
    def __init__(self, buf, pos):
        self.buf, self.pos = buf, pos
        vtable = pos - struct.unpack_from("<i", buf, pos)[0]
        vsize = struct.unpack_from("<H", buf, vtable)[0]
        self.offsets = [struct.unpack_from("<H", buf, vtable + 4 + 2 * i)[0] for i in range((vsize - 4) // 2)]

    def _at(self, i):
        return self.pos + self.offsets[i] if i < len(self.offsets) and self.offsets[i] else None

    def scalar(self, i, fmt, default=0):
        at = self._at(i)
        return default if at is None else struct.unpack_from("<" + fmt, self.buf, at)[0]

    def _deref(self, i):
        at = self._at(i)
        return None if at is None else at + struct.unpack_from("<I", self.buf, at)[0]

    def table(self, i):
        at = self._deref(i)
        return None if at is None else _Table(self.buf, at)

    def vector(self, i, fmt):
        at = self._deref(i)
        if at is None:
            return []
        n = struct.unpack_from("<I", self.buf, at)[0]
        return list(struct.unpack_from(f"<{n}{fmt}", self.buf, at + 4))

    def bytes_vector(self, i):
        at = self._deref(i)
        if at is None:
            return b""
        n = struct.unpack_from("<I", self.buf, at)[0]
        return self.buf[at + 4:at + 4 + n]

    def tables(self, i):
        at = self._deref(i)
        if at is None:
            return []
        n = struct.unpack_from("<I", self.buf, at)[0]
        out = []
        for k in range(n):
            el = at + 4 + 4 * k
            out.append(_Table(self.buf, el + struct.unpack_from("<I", self.buf, el)[0]))
        return out

    def string(self, i):
        return self.bytes_vector(i).decode("utf-8")


@dataclass
class Tensor:
    name: str
    shape: tuple
    dtype: type
    data: bytes
    scale: list
    zero_point: list
    quantized_dimension: int

    def dequantized(self):
        """float32 values; per-tensor or per-axis affine quantization undone (float tensors returned as is)."""
        q = np.frombuffer(self.data, self.dtype).reshape(self.shape)
        if self.dtype == np.float32 or not self.scale:
            return q.astype(np.float32)
        scale = np.asarray(self.scale, np.float64)
        zero = np.asarray(self.zero_point or [0], np.float64)
        if len(scale) > 1:  # per-axis
            shape = [1] * len(self.shape)
            shape[self.quantized_dimension] = -1
            scale, zero = scale.reshape(shape), zero.reshape(shape)
        return ((q.astype(np.float64) - zero) * scale).astype(np.float32)


@dataclass
class Operator:
    op: str
    inputs: list
    outputs: list
    options: dict = field(default_factory=dict)


def read(path):
    """-> (tensors [Tensor], operators [Operator]) of the first subgraph, operators in execution order."""
    buf = open(path, "rb").read()
    model = _Table(buf, struct.unpack_from("<I", buf, 0)[0])
    codes = []
    for oc in model.tables(1):
        code = oc.scalar(3, "i", 0) or oc.scalar(0, "b", 0)
        codes.append(OPS.get(code, f"OP_{code}"))
    buffers = [b.bytes_vector(0) for b in model.tables(4)]
    graph = model.tables(2)[0]
    tensors = []
    for t in graph.tables(0):
        q = t.table(4)
        tensors.append(Tensor(
            name=t.string(3), shape=tuple(t.vector(0, "i")), dtype=TENSOR_TYPES.get(t.scalar(1, "b"), None),
            data=buffers[t.scalar(2, "I")],
            scale=q.vector(2, "f") if q else [], zero_point=q.vector(3, "q") if q else [],
            quantized_dimension=q.scalar(6, "i") if q else 0))
    operators = []
    for o in graph.tables(3):
        name = codes[o.scalar(0, "I")]
        opts = o.table(4)
        options = {}
        if opts is not None and name == "CONV_2D":
            options = {"padding": PADDINGS[opts.scalar(0, "b")], "stride": (opts.scalar(2, "i"), opts.scalar(1, "i")),
                       "activation": ACTIVATIONS.get(opts.scalar(3, "b"))}
        elif opts is not None and name == "DEPTHWISE_CONV_2D":
            options = {"padding": PADDINGS[opts.scalar(0, "b")], "stride": (opts.scalar(2, "i"), opts.scalar(1, "i")),
                       "depth_multiplier": opts.scalar(3, "i"), "activation": ACTIVATIONS.get(opts.scalar(4, "b"))}
        elif opts is not None and name == "ADD":
            options = {"activation": ACTIVATIONS.get(opts.scalar(0, "b"))}
        operators.append(Operator(name, o.vector(1, "i"), o.vector(2, "i"), options))
    return tensors, operators
