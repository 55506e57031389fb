"""Controls in the PhET manner: labelled sliders with units and their range shown, presets, Reset,
plain-language readouts, the wiring that keeps figures equal to the model (:class:`Live`), and the
container every explorable returns.

Sliders are built from parameter records (``helpers.data.Parameter``), so a slider's label, unit,
range, step and default always match ``data/``.
"""
from __future__ import annotations

import functools
import html
import operator
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable

import ipywidgets as widgets
import numpy as np

from .widgets import AriaStates, Figure, IntegerSlider, Readout, Slider
from .widgets.figure import plain_text
from .widgets.state import same_state, state_key

# A learner's actions can reach the kernel on two threads at once. JupyterLab 4.6 sends widget messages to a kernel
# subshell (its setting "commsOverSubshells"), and ipykernel 7 hands each message to the thread that last sent on that
# widget's comm: Reset, made in a cell, is handled on the main thread; a checkbox that a preset changed, on the
# subshell's. The course's own settings turn this off (jupyter-config/); in a JupyterLab without them this lock still
# lets one action at a time change controls and render, so every output shows one render of one set of values.
_ONE_ACTION = threading.RLock()


def one_action_at_a_time(method: Callable) -> Callable:
    """Run ``method`` while no other thread changes or renders an explorable (re-entrant on one thread)."""
    @functools.wraps(method)
    def locked(*args, **kwargs):
        with _ONE_ACTION:
            return method(*args, **kwargs)
    return locked


@dataclass(frozen=True)
class Spec:
    """An explorable declared once; :meth:`Explorable.from_spec` builds its widgets, its outputs, Reset, presets and
    the wiring that keeps the outputs equal to the model (:class:`Live`).

    ``controls`` maps the names ``render`` reads to their widgets (course sliders from parameter records:
    :func:`sliders`; toggles, drop-downs, checkboxes); ``render(values)`` is the explorable's pure view of its model,
    ``{output name: figure state (dict) or readout HTML (str)}``: a dict becomes a ``Figure``, a string a
    ``Readout``. ``layout(parts)`` places the built :class:`Parts`; ``fallback(start values)`` is the sentence a
    viewer without a kernel reads. ``start`` sets controls away from their own defaults (Reset returns there too);
    ``view_controls`` name controls that only show and hide parts (not inputs of ``render``). ``presets`` are records
    with ``label`` and ``description``; ``preset_values`` turns one into control values. ``reset`` is Reset's
    tooltip (``None``: no Reset); ``preset_title`` heads the row of presets and Reset (``in_row=False``: Reset
    stands alone, for the layout to place).
    """

    controls: dict
    render: Callable[[dict], dict]
    layout: Callable[["Parts"], list]
    fallback: Callable[[dict], str]
    start: dict = field(default_factory=dict)
    view_controls: tuple = ()
    presets: dict = field(default_factory=dict)
    preset_values: Callable[[Any], dict] = operator.attrgetter("values")
    preset_title: str | None = None
    reset: str | None = None
    in_row: bool = True


@dataclass
class Parts:
    """What :meth:`Explorable.from_spec` built, for the spec's ``layout`` to place. The layout names in ``named``
    the widgets it makes that readers and tests reach (views, Back and Next)."""

    controls: dict
    outputs: dict
    bar: "PresetBar | None"
    reset: widgets.Button | None
    named: dict = field(default_factory=dict)


class Explorable(widgets.VBox):
    """A VBox whose saved output reads as a sentence before the notebook is run, and which owns its state.

    JupyterLab shows the live widgets; a viewer without a kernel (GitHub, nbviewer, nbval's comparison) sees
    ``fallback_text`` instead of a ``VBox(children=(...))`` repr. Built from a :class:`Spec`
    (:meth:`from_spec`), it keeps ``controls`` (every control by name; ``sliders`` and ``choices`` split them),
    ``outputs``, ``figures``, ``readout``, ``slider_group`` (the :class:`Live` wiring), ``preset_buttons``,
    ``reset_button`` and ``parts`` (the layout's named widgets), and :meth:`reset` puts every control back at its
    start with one render. Built from children alone it is a plain box with a fallback sentence (the quiz).
    """

    def __init__(self, children, fallback_text: str, live: "Live | None" = None, controls: dict | None = None,
                 presets: dict | None = None, bar: "PresetBar | None" = None,
                 reset_button: widgets.Button | None = None, parts: dict | None = None, **kwargs):
        self._button_rows = _button_rows(children)
        # an explorable with controls gets its AriaStates (button states, control keys); a plain box (the quiz's
        # saved-output wrapper) keeps exactly its children
        self.aria = AriaStates() if live is not None or self._button_rows else None
        super().__init__(children=(*children, self.aria) if self.aria is not None else tuple(children), **kwargs)
        self.fallback_text = fallback_text
        self.slider_group = live
        self.controls = dict(controls if controls is not None else (live.controls if live else {}))
        self.sliders = {name: c for name, c in self.controls.items() if isinstance(c, Slider)}
        self.choices = {name: c for name, c in self.controls.items() if not isinstance(c, Slider)}
        self.start = {name: control.value for name, control in self.controls.items()}
        self.outputs = dict(live.outputs) if live else {}
        self.figures = live.figures() if live else ()
        readouts = live.readouts() if live else ()
        self.readout = self.outputs.get("readout", readouts[0] if readouts else None)
        self.presets = dict(presets or {})
        self.preset_buttons = dict(bar.buttons) if bar is not None else {}
        self.reset_button = reset_button
        self.parts = dict(parts or {})
        if reset_button is not None:
            reset_button.on_click(lambda _button: self.reset())
        if bar is not None:
            bar.connect(live, self.choose, self._sync_aria)
        for row in self._button_rows.values():
            if not isinstance(row, PresetBar):
                row.observe(lambda _change: self._sync_aria(), names="index")
        self._sync_aria()

    @classmethod
    def from_spec(cls, spec: Spec) -> "Explorable":
        """Set the controls at their start, render once for the outputs, wire them (:class:`Live`), make the presets
        and Reset, and place everything with the spec's layout."""
        for name, value in spec.start.items():
            spec.controls[name].value = value
        inputs = {name: c for name, c in spec.controls.items() if name not in spec.view_controls}
        first = spec.render({name: control.value for name, control in inputs.items()})
        outputs = {name: Figure(state) if isinstance(state, dict) else Readout() for name, state in first.items()}
        live = Live(inputs, spec.render, outputs)
        reset = reset_button(spec.reset) if spec.reset is not None else None
        bar = PresetBar(spec.presets, reset, spec.preset_title) if spec.in_row and reset is not None else None
        parts = Parts(dict(spec.controls), live.outputs, bar, reset)
        children = spec.layout(parts)
        return cls(children, spec.fallback({name: control.value for name, control in spec.controls.items()}),
                   live=live, controls=spec.controls,
                   presets={name: spec.preset_values(preset) for name, preset in spec.presets.items()},
                   bar=bar, reset_button=reset, parts=parts.named, layout=widgets.Layout(width="100%"))

    @one_action_at_a_time
    def choose(self, name: str) -> None:
        """Set the controls to preset ``name``'s values, with one render."""
        self.slider_group.set_values(self.presets[name])

    @one_action_at_a_time
    def reset(self) -> None:
        """Every control back at its start: the controls that only show parts first, then the model's inputs with
        one render."""
        live = self.slider_group
        for name, value in self.start.items():
            if name not in live.controls:
                self.controls[name].value = value
        live.set_values({name: value for name, value in self.start.items() if name in live.controls})

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


def sliders(parameters: dict, names, descriptions: dict | None = None) -> dict:
    """``{name: course slider}`` for the parameter records ``parameters[name]`` (label with unit, range, step,
    default from ``data/``); ``descriptions`` replaces the label of some."""
    descriptions = descriptions or {}
    return {name: slider(parameters[name], descriptions.get(name)) for name in names}


def grid(parameter, step: float | None = None) -> np.ndarray:
    """A figure's x values over a parameter record's whole range: every ``step`` (default the slider's own step), both
    ends included, so a figure spans what its slider can reach and changes with ``data/``."""
    step = parameter.step if step is None else step
    count = int(round((parameter.max - parameter.min) / step)) + 1
    return np.round(parameter.min + step * np.arange(count, dtype=float), 6)


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


def reset_button(tooltip: str) -> widgets.Button:
    """Reset: dark words on ipywidgets' orange ("warning") button."""
    return widgets.Button(description="Reset", icon="undo", button_style="warning", tooltip=tooltip,
                          layout=widgets.Layout(width="auto"))


class PresetBar(widgets.HBox):
    """A heading, preset buttons and Reset. ``pressed_name`` is the preset whose values the controls hold now:
    the one last chosen, until a control moves away from its values (and again when they come back). The
    explorable shows it to screen readers as ``aria-pressed`` (:class:`Explorable`, ``widgets.AriaStates``)."""

    def __init__(self, presets: dict, reset: widgets.Button, title: str | None = None):
        self.buttons = {}
        for name, preset in presets.items():
            button = widgets.Button(description=preset.label, tooltip=preset.description,
                                    layout=widgets.Layout(width="auto"))
            button.on_click(functools.partial(self._choose, name))
            self.buttons[name] = button
        self.reset = reset
        reset.on_click(self._reset)
        self.pressed_name, self._chosen = None, None  # the chosen preset's name and the control values it set
        self._live, self._on_choose, self._changed = None, None, lambda: None
        head = [widgets.HTML(f"<b>{title}:</b>")] if title else []
        super().__init__([*head, *self.buttons.values(), reset],
                         layout=widgets.Layout(flex_flow="row wrap", align_items="center"))

    def connect(self, live: "Live", on_choose: Callable[[str], None], changed: Callable[[], None]) -> None:
        """Call ``on_choose(name)`` for a preset's button; watch ``live``'s controls, so that moving one away from the
        chosen preset's values clears it; call ``changed`` whenever ``pressed_name`` changes."""
        self._live, self._on_choose, self._changed = live, on_choose, changed
        for control in live.controls.values():
            control.observe(lambda _change: self._moved(), names="value")

    @one_action_at_a_time
    def _choose(self, name: str, _button=None) -> None:
        self._on_choose(name)
        self._chosen = (name, self._live.values())
        self._press(name)

    @one_action_at_a_time
    def _reset(self, _button=None) -> None:
        self._chosen = None
        self._press(None)

    @one_action_at_a_time
    def _moved(self) -> None:
        if not self._live.setting and self._chosen is not None:  # a preset or Reset sets several: wait for the last
            name, values = self._chosen
            self._press(name if self._live.values() == values else None)

    def _press(self, name) -> None:
        if name != self.pressed_name:
            self.pressed_name = name
            self._changed()


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
        self.setting = False  # True while set_values sets several controls (one render after)
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

    @one_action_at_a_time
    def set_values(self, values: dict) -> None:
        """Set several controls, then render once."""
        self.setting = True
        try:
            for name, value in values.items():
                if name in self.controls:
                    self.controls[name].value = value
        finally:
            self.setting = False
        self._changed(set(values) & set(self.controls))

    @one_action_at_a_time
    def _changed(self, names: set) -> None:
        if not self.setting:
            self.refresh(names)

    @one_action_at_a_time
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

    @one_action_at_a_time
    def send_frames(self, name: str) -> None:
        """Render the whole range of slider ``name`` (the other controls where they are) into the outputs' frames."""
        if name in self._framed:
            # the page asks only when it shows the slider unframed: tell it again that it holds the frames
            self.controls[name].send_state("framed")
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
                states = [{**shown[output_name], "key": state_key(setting)}
                          for shown, setting in zip(rendered, settings, strict=True)]
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
