"""Stand-in for the `aenum` package, which Debian 12 does not ship.

The generated SDK (openapi-generator, python-pydantic-v1) only does
`from aenum import Enum, no_arg` in its enum models, and uses a plain
`class Priority(str, Enum)`, so the standard library's Enum would do -- except
for one thing: each enum annotates `def from_json(...) -> Priority:` inside its
own class body, without `from __future__ import annotations`. That name does
not exist yet while the body runs; aenum's namespace answers it with its Enum
class, the standard library's raises NameError. This does the same as aenum.

It is on the path only through `sdk/python`; where a real aenum is installed,
leave `sdk/python` off PYTHONPATH (or put it last) to use that one.
"""
import enum

no_arg = object()  # imported by the generated enums, never used by them


class _EnumDict(enum._EnumDict):
    def __missing__(self, key):
        # Only the class's own name, only while its body runs (as aenum does).
        if key == self._cls_name:
            return Enum
        raise KeyError(key)


class _EnumMeta(enum.EnumMeta):
    @classmethod
    def __prepare__(metacls, cls, bases, **kwds):
        namespace = super().__prepare__(cls, bases, **kwds)
        namespace.__class__ = _EnumDict  # same layout, adds only __missing__
        return namespace


class Enum(enum.Enum, metaclass=_EnumMeta):
    pass
