"""Controls in the PhET manner: labelled sliders with units and their range shown, presets, Reset,
plain-language readouts, the wiring that keeps figures equal to the model (:class:`Live`), and the
container every explorable returns.

Sliders are built from parameter records (``helpers.data.Parameter``), so a slider's label, unit,
range, step and default always match ``data/``.
"""
from __future__ import annotations

import functools
import html
import uuid
from typing import Callable

import ipywidgets as widgets
import numpy as np

from .widgets import AriaStates, Figure, IntegerSlider, Readout, Slider
from .widgets.figure import plain_text
from .widgets.state import same_state, state_key


class Explorable(widgets.VBox):
    """A VBox whose saved output reads as a sentence before the notebook is run.

    JupyterLab shows the live widgets; a viewer without a kernel (GitHub, nbviewer, nbval's
    comparison) sees ``fallback_text`` instead of a ``VBox(children=(...))`` repr.
    ``controls``, ``figures``, ``readout`` and ``slider_group`` (the :class:`Live` wiring) are kept as
    attributes for tests and benchmarks.
    """

    def __init__(self, children, fallback_text: str, live: "Live | None" = None, controls: dict | None = None,
                 figures: tuple = (), readout: Readout | None = None, **kwargs):
        self._button_rows = _button_rows(children)
        # an explorable with controls gets its AriaStates (button states, control keys); a plain box (the quiz's
        # saved-output wrapper) keeps exactly its children
        self.aria = AriaStates() if live is not None or self._button_rows else None
        super().__init__(children=(*children, self.aria) if self.aria is not None else tuple(children), **kwargs)
        self.fallback_text = fallback_text
        self.slider_group = live
        self.controls = dict(controls if controls is not None else (live.controls if live else {}))
        self.figures = tuple(figures) or (live.figures() if live else ())
        self.readout = readout or (live.readouts()[0] if live and live.readouts() else None)
        for row in self._button_rows.values():
            if isinstance(row, PresetBar):
                row.follow(live, self._sync_aria)
            else:
                row.observe(lambda _change: self._sync_aria(), names="index")
        self._sync_aria()

    def _sync_aria(self) -> None:
        """Send each button row's name and its buttons' pressed states to the page (``widgets.AriaStates``)."""
        if self.aria is None:
            return
        self.aria.groups = {name: {"label": _row_label(row), "pressed": _pressed(row)}
                            for name, row in self._button_rows.items()}

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = self.fallback_text
        return bundle


def _button_rows(children) -> dict:
    """The rows of buttons with a state among ``children`` and their descendants (choice toggles, figure views,
    preset rows), each tagged with a CSS class that names it in the page: ``{class: widget}``."""
    rows = {}
    for child in children:
        if isinstance(child, widgets.ToggleButtons) or (isinstance(child, PresetBar) and child.buttons):
            name = next((c for c in child._dom_classes if c.startswith("course-buttons-")), None)
            if name is None:
                name = f"course-buttons-{uuid.uuid4().hex[:10]}"
                child.add_class(name)
            rows[name] = child
        rows.update(_button_rows(getattr(child, "children", ())))
    return rows


def _row_label(row) -> str:
    """A row's name for screen readers: a toggle row's description, a preset row's heading ("Patients")."""
    if isinstance(row, PresetBar):
        head = row.children[0] if row.children and isinstance(row.children[0], widgets.HTML) else None
        return plain_text(head.value).rstrip(":") if head is not None else "Presets"
    return row.description or "Choose one"


def _pressed(row) -> list:
    """``aria-pressed`` of a row's buttons in page order; ``None`` for an action (Reset)."""
    if isinstance(row, PresetBar):
        return [name == row.pressed_name for name in row.buttons] + [None]
    return [index == row.index for index in range(len(row.options))]


def explorable(factory: Callable[..., Explorable]) -> Callable[..., Explorable]:
    """Marks an explorable's function: what it returns carries the CSS classes ``course-explorable`` and
    ``course-x-<function name>``, so the browser suite can find it, rebuild the same explorable and check that
    the page draws what the model computes."""
    @functools.wraps(factory)
    def build(*args, **kwargs) -> Explorable:
        box = factory(*args, **kwargs)
        box.add_class("course-explorable")
        box.add_class(f"course-x-{factory.__name__}")
        return box
    return build


def _decimals(step: float) -> int:
    text = f"{step:g}"
    return len(text.split(".")[1]) if "." in text else 0


def slider(spec, description: str | None = None) -> Slider:
    """A course slider for a parameter record: label with unit, range, step, default.

    The number beside the slider is editable (type a value), the handle moves with the arrow keys once
    focused, and the allowed range is shown after it.
    """
    return make_slider(description or f"{spec.label} ({spec.unit})", spec.min, spec.max, spec.step, spec.value,
                       spec.unit)


def make_slider(description: str, min_value, max_value, step, value, unit: str) -> Slider:
    """A whole-number slider when every bound is whole, else a decimal one showing the step's decimals."""
    whole = all(float(v).is_integer() for v in (min_value, max_value, step, value))
    kind = IntegerSlider if whole else Slider
    return kind(value=value, min=min_value, max=max_value, step=step, description=description, unit=unit,
                decimals=0 if whole else _decimals(step))


def readout() -> Readout:
    """The live text under a figure (``aria-live`` so screen readers announce changes)."""
    return Readout()


def readout_html(text: str) -> str:
    return f"<div>{html.escape(text)}</div>"


class PresetBar(widgets.HBox):
    """A heading, preset buttons and Reset. ``pressed_name`` is the preset whose values the controls hold now:
    the one last chosen, until a control moves away from its values (and again when they come back). The
    explorable shows it to screen readers as ``aria-pressed`` (:class:`Explorable`, ``widgets.AriaStates``)."""

    def __init__(self, presets: dict, on_choose: Callable[[str], None], on_reset: Callable[[], None]):
        self.buttons = {}
        for name, preset in presets.items():
            button = widgets.Button(description=preset.label, tooltip=preset.description,
                                    layout=widgets.Layout(width="auto"))
            button.on_click(lambda _button, chosen=name: self._choose(chosen))
            self.buttons[name] = button
        self.reset = widgets.Button(description="Reset", icon="undo", button_style="warning",
                                    tooltip="Back to the default patient", layout=widgets.Layout(width="auto"))
        self.reset.on_click(lambda _button: self._reset())
        self._on_choose, self._on_reset = on_choose, on_reset
        self.pressed_name, self._chosen = None, None  # the chosen preset's name and the control values it set
        self._live, self._changed, self._choosing = None, lambda: None, False
        super().__init__([widgets.HTML("<b>Patients:</b>"), *self.buttons.values(), self.reset],
                         layout=widgets.Layout(flex_flow="row wrap", align_items="center"))

    def follow(self, live: "Live | None", changed: Callable[[], None]) -> None:
        """Watch ``live``'s controls, so that moving one away from the chosen preset's values clears it; call
        ``changed`` whenever ``pressed_name`` changes."""
        self._live, self._changed = live, changed
        for control in (live.controls.values() if live else ()):
            control.observe(lambda _change: self._moved(), names="value")

    def _values(self):
        return self._live.values() if self._live is not None else None

    def _choose(self, name: str) -> None:
        self._choosing = True
        try:
            self._on_choose(name)
        finally:
            self._choosing = False
        self._chosen = (name, self._values())
        self._press(name)

    def _reset(self) -> None:
        self._on_reset()
        self._chosen = None
        self._press(None)

    def _moved(self) -> None:
        if not self._choosing and self._chosen is not None:
            name, values = self._chosen
            self._press(name if values is not None and self._values() == values else None)

    def _press(self, name) -> None:
        if name != self.pressed_name:
            self.pressed_name = name
            self._changed()


def preset_bar(presets: dict, on_choose: Callable[[str], None], on_reset: Callable[[], None]) -> tuple:
    """A row of preset buttons and a Reset button (:class:`PresetBar`). Returns ``(row, {name: button}, reset_button)``."""
    row = PresetBar(presets, on_choose, on_reset)
    return row, row.buttons, row.reset


MAX_FRAMES = 201  # frames per slider at most (each 2-20 KB); a finer slider gets every k-th value
MAX_FRAMED = 2  # sliders whose frames the page holds at once (each set is sent whole, 0.1-1 MB)


class Live:
    """Keeps an explorable's outputs equal to ``render(values)``, the explorable's pure view of its model.

    ``controls`` maps names to widgets with a ``value`` (course sliders, toggles, dropdowns, checkboxes);
    ``render(values)`` returns ``{output name: figure state (dict) or readout HTML (str)}`` for
    ``outputs`` (``{name: Figure or Readout}``). Every change of a control renders anew and sets every
    output's whole state. When a course slider asks for frames (the pointer or focus reached it), the
    slider's whole range is rendered ahead, the others held where they are, and sent to the outputs; the
    browser then swaps them while the slider is dragged. A change of any other control drops those frames.
    Presets and Reset set several values with :meth:`set_values` and render once.
    """

    def __init__(self, controls: dict, render: Callable[[dict], dict], outputs: dict):
        self.controls = dict(controls)
        self.render = render
        self.outputs = dict(outputs)
        for name, output in self.outputs.items():
            output.output_name = name
        self._describe_figures()
        self._holding = False
        self._framed: dict[str, None] = {}  # sliders whose frames the outputs hold, oldest first
        for name, control in self.controls.items():
            control.observe(lambda _change, name=name: self._changed({name}), names="value")
            if isinstance(control, Slider):
                control.control_name = name
                control.on_frames_wanted(lambda name=name: self.send_frames(name))
        self.refresh()

    def values(self) -> dict:
        return {name: control.value for name, control in self.controls.items()}

    def _describe_figures(self) -> None:
        """Link each figure to the readouts that put it in words (``aria-describedby``): the readout named
        ``<figure>_readout`` if there is one, else every readout that is not another figure's own."""
        figures = {name: o for name, o in self.outputs.items() if isinstance(o, Figure)}
        readouts = {name: o for name, o in self.outputs.items() if isinstance(o, Readout)}
        shared = [o for name, o in readouts.items() if name.removesuffix("_readout") not in figures]
        for name, figure in figures.items():
            own = readouts.get(f"{name}_readout")
            figure.described_by = " ".join(r.element_id for r in ([own] if own is not None else shared))

    def figures(self) -> tuple:
        return tuple(output for output in self.outputs.values() if isinstance(output, Figure))

    def readouts(self) -> tuple:
        return tuple(output for output in self.outputs.values() if isinstance(output, Readout))

    def set_values(self, values: dict) -> None:
        """Set several controls, then render once."""
        self._holding = True
        try:
            for name, value in values.items():
                if name in self.controls:
                    self.controls[name].value = value
        finally:
            self._holding = False
        self._changed(set(values) & set(self.controls))

    def _changed(self, names: set) -> None:
        if not self._holding:
            self.refresh(names)

    def refresh(self, changed: set | None = None) -> None:
        """Render the current values into every output; keep only the frames the change left valid."""
        values = self.values()
        shown = self.render(values)
        keep = set(self._framed) & changed if changed is not None and len(changed) == 1 else set()
        channels = self._keep_frames(keep)
        key = state_key(values)
        for name, output in self.outputs.items():
            with output.hold_sync():
                if set(output.frames) - channels:
                    output.frames = {channel: f for channel, f in output.frames.items() if channel in channels}
                self._set(output, shown[name], key)

    def _keep_frames(self, keep: set) -> set:
        """Forget the frames of every framed slider not in ``keep`` (telling the slider first); their channels."""
        for name in [name for name in self._framed if name not in keep]:
            self.controls[name].framed = False
            del self._framed[name]
        return {self.controls[name].channel for name in self._framed}

    @staticmethod
    def _set(output, state, key: str) -> None:
        """Set an output's whole state. An output the change left as it was keeps its state and key: the page
        does not redraw it (a redraw of an unchanged figure when the kernel answers a key press costs a round
        trip), and its key still renders to what it shows."""
        if isinstance(output, Figure):
            shown = dict(output.figure)
            if shown.pop("key", None) is None or not same_state(shown, state):
                output.figure = {**state, "key": key}
        elif not output.key or output.value != state:
            output.value, output.key = state, key

    def send_frames(self, name: str) -> None:
        """Render the whole range of slider ``name`` (the other controls where they are) into the outputs' frames."""
        if name in self._framed:
            return
        # Frames for the last MAX_FRAMED sliders reached: the pointer passing over sliders does not pile them up.
        channels = self._keep_frames(set(list(self._framed)[1 - MAX_FRAMED:]) if MAX_FRAMED > 1 else set())
        control, values = self.controls[name], self.values()
        positions = control.positions()
        if positions.size > MAX_FRAMES:  # a fine slider (0.01 steps): every k-th value; the browser shows the nearest
            positions = positions[np.unique(np.linspace(0, positions.size - 1, MAX_FRAMES).round().astype(int))]
        cast = int if isinstance(control, IntegerSlider) else float
        settings = [{**values, name: cast(position)} for position in positions]
        rendered = [self.render(setting) for setting in settings]
        for output_name, output in self.outputs.items():
            kept = {channel: f for channel, f in output.frames.items() if channel in channels}
            if all(same_state(shown[output_name], rendered[0][output_name]) for shown in rendered[1:]):
                # this slider does not change this output: no frames, the page keeps showing its state
                if set(output.frames) - set(kept):
                    output.frames = kept
                continue
            if isinstance(output, Figure):
                states = [{**shown[output_name], "key": state_key(setting)} for shown, setting in zip(rendered, settings)]
            else:
                states = [shown[output_name] for shown in rendered]
            output.frames = {**kept, control.channel: {"values": positions.astype(float), "states": states}}
        self._framed[name] = None
        control.framed = True


class FigureViews(widgets.VBox):
    """Several figures in one place, one shown at a time, chosen with buttons.

    A slider move then redraws one plot instead of all of them: plotly.js redraws a shown figure in
    full on every update (about 20 ms each), while a figure that is not shown only has its data
    updated. A figure is drawn afresh from its current data when it is chosen.
    """

    def __init__(self, figures: dict, description: str = "Show"):
        self.figures = dict(figures)
        self.chooser = widgets.ToggleButtons(options=list(self.figures), description=description,
                                             style={"description_width": "60px", "button_width": "auto"})
        self.frame = widgets.VBox([next(iter(self.figures.values()))], layout=widgets.Layout(width="100%"))
        self.chooser.observe(self._show, names="value")
        super().__init__([self.chooser, self.frame], layout=widgets.Layout(width="100%"))

    def _show(self, change):
        self.frame.children = (self.figures[change["new"]],)

    @property
    def shown(self):
        return self.frame.children[0]
