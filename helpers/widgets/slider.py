"""The course slider (anywidget): a labelled native range input with its unit, an editable number and its
range shown, keyboard operable. The browser tells the kernel its value on release and on each key step;
while it is dragged, figures on the page swap frames the kernel computed ahead for its whole range (see
``controls.Live``), which the slider asks for as soon as the pointer or the focus reaches it."""
from __future__ import annotations

import uuid
from typing import Callable

import anywidget
import numpy as np
import traitlets

from ..theme import COLOURS, GREYS
from .figure import _module

_CSS = f"""
.course-slider {{ display: flex; align-items: center; gap: 10px; flex-wrap: wrap; margin: 2px 0; }}
.course-slider label {{ width: 320px; text-align: right; font-size: var(--jp-widgets-font-size, 13px); }}
.course-slider input[type=range] {{ width: 260px; accent-color: {COLOURS["blue"]}; }}
.course-slider .course-slider-number {{ width: 72px; font-size: var(--jp-widgets-font-size, 13px); }}
.course-slider .course-slider-range {{ color: {GREYS["muted"]}; font-size: var(--jp-widgets-font-size, 13px); }}
.course-slider input:focus-visible {{ outline: 3px solid {COLOURS["blue"]}; outline-offset: 2px; }}
"""

# How a unit of data/units.csv is read out in a slider's value text ("12 weeks", "150 units"); units missing here
# are read as written. A dimensionless scale (score, ratio, count, fraction) adds no word: its label names it.
SPOKEN_UNITS = {
    "U": "units", "U/kg": "units per kilogram", "mV": "millivolts", "1/day": "per day",
    "1/(U*day)": "per unit per day", "USD": "US dollars", "GBP": "pounds", "USD/U": "US dollars per unit",
    "GBP/U": "pounds per unit", "importance": "out of 10", "points": "points", "percent": "percent",
    "score": "", "ratio": "", "count": "", "fraction": "",
}


def spoken_unit(unit: str) -> str:
    """The words a screen reader says after a slider's value for ``unit``."""
    return SPOKEN_UNITS.get(unit, unit)


class Slider(anywidget.AnyWidget):
    """A slider over ``min..max`` in steps of ``step``; ``value`` is kept inside the range.

    ``channel`` names the slider to the figures on the page; ``framed`` says that the browser holds frames
    for its whole range (then a drag need not reach the kernel).
    """

    _esm = _module("slider.js")
    _css = _CSS
    value = traitlets.CFloat(0.0).tag(sync=True)
    min = traitlets.CFloat(0.0).tag(sync=True)
    max = traitlets.CFloat(100.0).tag(sync=True)
    step = traitlets.CFloat(1.0).tag(sync=True)
    decimals = traitlets.CInt(0).tag(sync=True)
    description = traitlets.Unicode("").tag(sync=True)
    unit = traitlets.Unicode("").tag(sync=True)
    unit_text = traitlets.Unicode("").tag(sync=True)  # the unit as read out in aria-valuetext (spoken_unit)
    channel = traitlets.Unicode().tag(sync=True)
    framed = traitlets.Bool(False).tag(sync=True)
    control_name = traitlets.Unicode("").tag(sync=True)  # its name among an explorable's controls (for tests)

    def __init__(self, **kwargs):
        kwargs.setdefault("channel", uuid.uuid4().hex)
        unit = kwargs.get("unit", "")
        kwargs.setdefault("unit_text", f"out of {kwargs['max']:g}" if unit == "score" and "max" in kwargs
                          else spoken_unit(unit))
        value = kwargs.pop("value", None)
        super().__init__(**kwargs)
        if value is not None:
            self.value = value
        self._frames_wanted: list[Callable[[], None]] = []
        self.on_msg(self._message)

    @traitlets.validate("value")
    def _inside_range(self, proposal):
        return type(proposal["value"])(min(max(proposal["value"], self.min), self.max))

    def positions(self) -> np.ndarray:
        """Every value the slider can take, in order."""
        count = int(round((self.max - self.min) / self.step)) + 1
        values = np.round(self.min + self.step * np.arange(count), self.decimals + 6)
        return values[values <= self.max + self.step * 1e-9]

    def on_frames_wanted(self, callback: Callable[[], None]) -> None:
        self._frames_wanted.append(callback)

    def _message(self, _widget, content, _buffers):
        if isinstance(content, dict) and content.get("want") == "frames":
            for callback in self._frames_wanted:
                callback()


class IntegerSlider(Slider):
    """A slider whose values are whole numbers (days, counts)."""

    value = traitlets.CInt(0).tag(sync=True)
    min = traitlets.CInt(0).tag(sync=True)
    max = traitlets.CInt(100).tag(sync=True)
    step = traitlets.CInt(1).tag(sync=True)

    def positions(self) -> np.ndarray:
        return np.arange(self.min, self.max + 1, self.step)
