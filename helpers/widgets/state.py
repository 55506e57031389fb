"""The wire format of figure state (plain plotly JSON, ``{"data": [...], "layout": {...}}``), in which every
numeric array travels as a binary buffer, and the key that names the control values a state was drawn for.

Binary buffers keep NaN (JSON has none: a gap in a line or a shaded band is NaN), cost no text encoding,
and arrive in the browser as typed arrays that plotly.js draws directly.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np


def _number(value: float) -> float | None:
    return None if math.isnan(value) or math.isinf(value) else value


def to_wire(value: Any) -> Any:
    """JSON-ready copy of a figure state (or frames of states): numeric arrays become
    ``{"dtype": "float64", "shape": [...], "buffer": memoryview}``, which ipywidgets sends as binary buffers."""
    if isinstance(value, dict):
        return {str(key): to_wire(item) for key, item in value.items()}
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "biuf":
            array = np.ascontiguousarray(value, dtype=np.float64)
            return {"dtype": "float64", "shape": list(array.shape), "buffer": memoryview(array).cast("B")}
        return [to_wire(item) for item in value.tolist()]
    if isinstance(value, (list, tuple)):
        return [to_wire(item) for item in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return _number(float(value))
    return value


def same_state(a: Any, b: Any) -> bool:
    """Equal figure states (or readouts): shared parts by identity, arrays by value (NaN equal to NaN)."""
    if a is b:
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_state(a[key], b[key]) for key in a)
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        if a.shape != b.shape:
            return False
        if a.dtype.kind in "biuf" and b.dtype.kind in "biuf":
            return bool(np.array_equal(a, b, equal_nan=True))
        return a.tolist() == b.tolist()
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same_state(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def wire_serializer(value: Any, _widget=None) -> Any:
    """``to_json`` for a synced trait holding figure states."""
    return to_wire(value)


def state_key(values: dict) -> str:
    """A short, stable text key for a set of control values: each value in the order of the sorted control
    names, joined by ``|``. A figure drawn for these values carries it, so the browser can tell a frame it
    already shows from a new state, and a test can read back what a drawn figure was computed for
    (12, 12.0 and np.int64(12) give one key). Frames repeat it per state, so it stays short."""
    def norm(value):
        if isinstance(value, (bool, np.bool_)):
            return "true" if value else "false"
        if isinstance(value, (int, float, np.integer, np.floating)):
            return format(float(value), ".10g")
        return str(value)
    return "|".join(norm(values[name]) for name in sorted(values))
