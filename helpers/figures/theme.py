"""The course's figure layout and figure state helpers; the colours and font sizes come from ``helpers.theme``."""
from __future__ import annotations

import base64
from typing import Any

import numpy as np
import plotly.graph_objects as go

from ..theme import COLOURS, FONT_SIZES, GREYS, OKABE_ITO

__all__ = ["AXIS", "COLOURS", "OKABE_ITO", "figure_base", "merged", "restyled", "state_of"]  # palette: helpers.theme

AXIS = dict(showgrid=True, gridcolor=GREYS["grid"], zeroline=False, showline=True, linecolor=GREYS["axis"],
            ticks="outside")


def figure_base(title: str, x_title: str, y_title: str, height: int = 360, x_range=None, y_range=None,
                **layout) -> go.Figure:
    """A ``go.Figure`` with the course layout (a title that states the message, axis titles with units), to
    build a figure's fixed parts once: traces' styles, axes, annotations. :func:`state_of` turns it into
    figure state; a figure function then changes only what the model changes (:func:`restyled`).
    ``x_range`` and ``y_range`` fix the axes; ``layout`` adds to or replaces the course layout (``hovermode``).
    """
    figure = go.Figure()
    figure.update_layout(**{
        "title": dict(text=title, x=0.01, xanchor="left", font=dict(size=FONT_SIZES["title"])),
        "xaxis": dict(title=dict(text=x_title), **AXIS),
        "yaxis": dict(title=dict(text=y_title), **AXIS),
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "font": dict(size=FONT_SIZES["body"]),
        "height": height,
        "margin": dict(l=70, r=20, t=60, b=110),
        "legend": dict(orientation="h", yanchor="top", y=-0.3, x=0),
        "hovermode": "x unified",
        **layout,
    })
    if x_range is not None:
        figure.update_xaxes(range=list(x_range))
    if y_range is not None:
        figure.update_yaxes(range=list(y_range))
    return figure


def state_of(figure: go.Figure) -> dict:
    """Plain plotly JSON of a figure, without plotly.py's default template (plotly.js has its own defaults;
    the template is about 10 KB that every state and frame would carry)."""
    state = _arrays(figure.to_plotly_json())
    state["layout"].pop("template", None)
    return {"data": state["data"], "layout": state["layout"]}


def _arrays(value: Any) -> Any:
    """plotly.py writes numpy arrays as base64 typed-array specs (``{"dtype", "bdata", "shape"}``); turn them back
    into numpy arrays, which the course figure sends as binary buffers like every other array."""
    if isinstance(value, dict):
        if "bdata" in value and "dtype" in value:
            array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
            shape = value.get("shape")
            if isinstance(shape, str):
                shape = [int(n) for n in shape.split(",")]
            return array.reshape(shape) if shape else array
        return {key: _arrays(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_arrays(item) for item in value]
    return value


def merged(base: Any, patch: Any) -> Any:
    """``base`` with ``patch`` laid over it; neither is changed.

    Dicts merge key by key; a dict with integer keys patches a list at those positions
    (``{"annotations": {1: {"text": "..."}}}``); anything else replaces the value.
    """
    if isinstance(patch, dict) and isinstance(base, dict):
        out = dict(base)
        for key, value in patch.items():
            out[key] = merged(base.get(key), value)
        return out
    if isinstance(patch, dict) and isinstance(base, (list, tuple)) and all(isinstance(k, int) for k in patch):
        out = list(base)
        for index, value in patch.items():
            out[index] = merged(out[index], value)
        return out
    return patch


def restyled(state: dict, traces: dict[int, dict] | None = None, layout: dict | None = None) -> dict:
    """A new figure state: ``state`` with some properties of some traces (by index) and of the layout replaced."""
    data = state["data"]
    if traces:
        data = list(data)
        for index, patch in traces.items():
            data[index] = merged(data[index], patch)
    return {"data": data, "layout": merged(state["layout"], layout) if layout else state["layout"]}
