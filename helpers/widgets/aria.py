"""What ipywidgets' own buttons cannot say to a screen reader, said for them: an explorable's preset and choice
buttons expose their state (``aria-pressed``) and each row of them a group name, and the keys that operate a control
(Enter, Space, arrows, Home, End, Page Up/Down, unmodified) belong to it, not to JupyterLab's notebook shortcuts
(on a focused button, drop-down or checkbox they would otherwise enter a cell's editor or move between cells).

One invisible :class:`AriaStates` sits in each explorable (``controls.Explorable`` adds it). ``groups`` maps the
CSS class of a row of buttons (an ipywidgets ``ToggleButtons`` or a preset row) to its name and, button by button
in page order, ``True``/``False`` for ``aria-pressed`` or ``None`` for a plain action button (Reset).
"""
from __future__ import annotations

import anywidget
import traitlets

from ..theme import COLOURS
from .figure import _module

# Focus is always visible inside an explorable: ipywidgets draws a 1 px light-blue outline, hard to see on a
# projector; the course draws 3 px in Okabe-Ito blue (5:1 against white).
_CSS = f"""
.course-explorable button:focus-visible, .course-explorable select:focus-visible,
.course-explorable input[type=checkbox]:focus-visible, .course-explorable input[type=number]:focus-visible {{
  outline: 3px solid {COLOURS["blue"]} !important; outline-offset: 2px; }}
.course-aria {{ display: none; }}
/* Reset (ipywidgets' "warning" style): dark words on the orange button, 8:1 (white on it is 2.7:1) */
.course-explorable .jupyter-button.mod-warning {{ color: {COLOURS["black"]}; }}
"""


class AriaStates(anywidget.AnyWidget):
    """See the module docstring."""

    _esm = _module("aria.js")
    _css = _CSS
    groups = traitlets.Dict().tag(sync=True)
