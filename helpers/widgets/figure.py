"""The course figure and readout widgets.

A :class:`Figure`'s synced ``figure`` trait *is* the figure: plotly JSON for all traces and the layout, with
numeric arrays sent as binary buffers. The browser draws it with ``Plotly.react``, so whatever messages
were merged or lost, the last state wins, after a page reload, in a second view and in Voila alike.

``frames`` holds states computed ahead for a slider's whole range (``{channel: {"values", "states"}}``):
while that slider is dragged, the browser swaps them locally and the kernel stays idle.
"""
from __future__ import annotations

import functools
import html
import re
import uuid
from pathlib import Path

import anywidget
import ipywidgets
import plotly
import plotly.graph_objects as go
import traitlets
from plotly.offline import get_plotlyjs

from ..theme import COLOURS, READOUT_CSS
from .state import wire_serializer

HERE = Path(__file__).parent


def _module(*names: str) -> str:
    """An ES module made of the named files beside this one (shared code first)."""
    return "\n".join((HERE / name).read_text() for name in names)


class PlotlyLibrary(anywidget.AnyWidget):
    """plotly.js from the plotly package, sent to the page once per kernel; every figure loads it from here."""

    _esm = "export default {};"
    source = traitlets.Unicode().tag(sync=True)
    version = traitlets.Unicode().tag(sync=True)


@functools.lru_cache(maxsize=1)
def _plotly_source() -> str:
    """plotly.js as ASCII: its few non-ASCII characters (inside regular expressions) written as ``\\uXXXX``
    escapes, which JavaScript reads as the same characters. One non-ASCII character makes Python store the whole
    4.8 MB string at 2 bytes a character, 4.6 MB more in every kernel (issue 16: memory per student)."""
    return _ascii_javascript(get_plotlyjs())


def _ascii_javascript(source: str) -> str:
    """``source`` with every non-ASCII character as a JavaScript ``\\uXXXX`` escape (a surrogate pair above U+FFFF)."""
    def escape(match: re.Match) -> str:
        encoded = match.group().encode("utf-16-be")
        return "".join(f"\\u{int.from_bytes(encoded[i:i + 2], 'big'):04x}" for i in range(0, len(encoded), 2))
    return re.sub(r"[^\x00-\x7f]", escape, source)


_library: PlotlyLibrary | None = None


def plotly_library() -> PlotlyLibrary:
    """The kernel's one library widget (made again if it was closed)."""
    global _library
    if _library is None or _library.comm is None:
        source = _plotly_source()
        _library = PlotlyLibrary(source=source, version=f"{plotly.__version__}-{len(source)}")
    return _library


def plain_text(markup: str) -> str:
    """Text of a plotly label for a screen reader: tags dropped (``<br>`` becomes a space), entities decoded."""
    text = re.sub(r"<br\s*/?>", " ", markup or "", flags=re.IGNORECASE)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", text))).strip()


def _title(part) -> str:
    title = part.get("title") if isinstance(part, dict) else None
    return plain_text(title.get("text", "") if isinstance(title, dict) else str(title or ""))


def _axis_titles(layout: dict, letter: str) -> str:
    """The titles of every x (or y) axis of a layout, in axis order, joined in words."""
    names = sorted((key for key in layout if re.fullmatch(rf"{letter}axis\d*", key)), key=lambda k: int(k[5:] or 1))
    titles = list(dict.fromkeys(t for t in (_title(layout[name]) for name in names) if t))
    return ", ".join(titles[:-1]) + f" and {titles[-1]}" if len(titles) > 1 else "".join(titles)


def describe_state(state: dict) -> str:
    """The text alternative of a figure state: its title (course titles state the figure's message), then what
    it plots ("Chart of <y axes> against <x axis>."), from the axis titles with their units."""
    layout = state.get("layout", {})
    message = _title(layout)
    x_title, y_title = _axis_titles(layout, "x"), _axis_titles(layout, "y")
    if x_title and y_title:
        axes = f"Chart of {y_title} against {x_title}."
    elif x_title or y_title:
        axes = f"Chart of {x_title or y_title}."
    else:
        axes = "Diagram."
    return f"{message.rstrip('.')}. {axes}" if message else axes


class Figure(anywidget.AnyWidget):
    """A plotly figure whose widget state is the whole figure; see the module docstring.

    ``data`` and ``layout`` read the current state back as plotly objects (validated by plotly), for
    tests and readers; change the figure only by assigning a new state to ``figure``.

    Accessibility: the drawn graphic is an image (``role="img"``) named by ``description``, which follows the
    state's title and axes (:func:`describe_state`) unless given; ``described_by`` holds the element ids of the
    readouts that say in words what it shows (``controls.Live`` links them).
    """

    _esm = _module("live.js", "figure.js")
    _css = f"""
.course-figure {{ width: 100%; min-height: 120px; }}
.course-figure .modebar:focus-within {{ opacity: 1 !important; }}
.course-figure .modebar-btn:focus-visible {{ outline: 3px solid {COLOURS["blue"]}; outline-offset: 1px; }}
"""
    figure = traitlets.Dict().tag(sync=True, to_json=wire_serializer)
    frames = traitlets.Dict().tag(sync=True, to_json=wire_serializer)
    description = traitlets.Unicode("").tag(sync=True)
    described_by = traitlets.Unicode("").tag(sync=True)  # space-separated element ids (aria-describedby)
    output_name = traitlets.Unicode("").tag(sync=True)  # its name among an explorable's outputs (for tests)
    library = traitlets.Instance(PlotlyLibrary).tag(sync=True, **ipywidgets.widget_serialization)

    def __init__(self, state: dict, description: str | None = None, **kwargs):
        self._fixed_description = bool(description)
        super().__init__(figure=state, library=plotly_library(), description=description or describe_state(state),
                         **kwargs)

    @traitlets.observe("figure")
    def _describe(self, change) -> None:
        """A figure whose title changes with its state (the junction's steps) is described anew."""
        if not getattr(self, "_fixed_description", True):
            self.description = describe_state(change["new"])

    def plotly(self) -> go.Figure:
        """The current state as a validated ``plotly.graph_objects.Figure`` (built anew when the state changed)."""
        cached = getattr(self, "_plotly_cache", None)
        if cached is None or cached[0] is not self.figure:
            state = {key: value for key, value in self.figure.items() if key in ("data", "layout")}
            cached = (self.figure, go.Figure(state))
            self._plotly_cache = cached
        return cached[1]

    @property
    def data(self):
        return self.plotly().data

    @property
    def layout(self):
        return self.plotly().layout


class Readout(anywidget.AnyWidget):
    """The sentence under a figure (``value``, HTML made by ``controls.readout_html``), read out politely by
    screen readers; ``frames`` as for :class:`Figure`, with sentences for states."""

    _esm = _module("live.js", "readout.js")
    _css = READOUT_CSS
    value = traitlets.Unicode("").tag(sync=True)
    # the id of its element in the page, so a figure can name it in aria-describedby
    element_id = traitlets.Unicode().tag(sync=True)

    @traitlets.default("element_id")
    def _new_element_id(self) -> str:
        return f"course-readout-{uuid.uuid4().hex[:12]}"

    key = traitlets.Unicode("").tag(sync=True)  # the control values ``value`` was written for (state_key)
    frames = traitlets.Dict().tag(sync=True, to_json=wire_serializer)
    output_name = traitlets.Unicode("").tag(sync=True)
