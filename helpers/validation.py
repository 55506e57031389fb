"""Input checks shared by every model.

Models call these before computing so that a learner (or a test) who passes a value outside
the allowed range gets one clear sentence: which parameter, what value, which range.
"""
from __future__ import annotations

import math

import numpy as np


def require_in_range(name: str, value, low: float, high: float, unit: str = "") -> float:
    """Return ``value`` as a float if ``low <= value <= high``; raise ``ValueError`` otherwise.

    The message names the parameter, the value and the allowed range, with the unit, e.g.
    ``onset_days = 40 is outside the allowed range 2 to 28 days``.
    """
    unit_text = f" {unit}" if unit else ""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(
            f"{name} = {value!r} is not a number; allowed range {low:g} to {high:g}{unit_text}"
        ) from None
    if math.isnan(number) or not (low <= number <= high):
        raise ValueError(
            f"{name} = {value!r} is outside the allowed range {low:g} to {high:g}{unit_text}"
        )
    return number


def require_array_in_range(name: str, values, low: float, high: float, unit: str = "") -> np.ndarray:
    """Array version of :func:`require_in_range`; the message quotes the first bad value."""
    array = np.asarray(values, dtype=float)
    bad = np.isnan(array) | (array < low) | (array > high)
    if bad.any():
        first = array[bad].flat[0]
        unit_text = f" {unit}" if unit else ""
        raise ValueError(
            f"{name} contains {first:g}, outside the allowed range {low:g} to {high:g}{unit_text}"
        )
    return array


def require_integer_in_range(name: str, value, low: int, high: int, unit: str = "") -> int:
    """Like :func:`require_in_range` for counts: the value must also be a whole number."""
    number = require_in_range(name, value, low, high, unit)
    if number != int(number):
        raise ValueError(f"{name} = {value!r} must be a whole number from {low} to {high}")
    return int(number)


def require_parameter(name: str, value, spec, integer: bool = False):
    """Check ``value`` against a parameter record's range (``spec``: ``min``, ``max``, ``unit``, as every row
    of a ``data/*_parameters.csv`` file has); ``integer`` for counts. Returns the checked number."""
    if integer:
        return require_integer_in_range(name, value, int(spec.min), int(spec.max), spec.unit)
    return require_in_range(name, value, spec.min, spec.max, spec.unit)


def with_overrides(defaults: dict, overrides: dict, model: str, also: tuple = ()) -> dict:
    """``defaults`` with ``overrides`` put in; an override that names no parameter of ``model`` (nor one of
    ``also``, parameters with no row in ``data/``) raises ``ValueError`` naming it."""
    unknown = set(overrides) - set(defaults) - set(also)
    if unknown:
        raise ValueError(f"unknown {model} parameter(s): {', '.join(sorted(unknown))}")
    return {**defaults, **overrides}
