"""Controls in the PhET manner: labelled sliders with units and their range shown, presets, Reset,
plain-language readouts, and the container every explorable returns.

Sliders are built from parameter records (``helpers.data.Parameter``), so a slider's label, unit,
range, step and default always match ``data/``.
"""
from __future__ import annotations

import copy
import html
from typing import Callable

import ipywidgets as widgets

SLIDER_STYLE = {"description_width": "320px"}
SLIDER_LAYOUT = widgets.Layout(width="660px")


class Explorable(widgets.VBox):
    """A VBox whose saved output reads as a sentence before the notebook is run.

    JupyterLab shows the live widgets; a viewer without a kernel (GitHub, nbviewer, nbval's
    comparison) sees ``fallback_text`` instead of a ``VBox(children=(...))`` repr.
    ``controls``, ``figures`` and ``readout`` are kept as attributes for tests and benchmarks.
    """

    def __init__(self, children, fallback_text: str, controls: dict | None = None,
                 figures: tuple = (), readout: widgets.HTML | None = None, **kwargs):
        super().__init__(children=children, **kwargs)
        self.fallback_text = fallback_text
        self.controls = dict(controls or {})
        self.figures = tuple(figure for figure in figures if figure is not None)
        self.readout = readout
        for figure in self.figures:
            sync_figure_state(figure)

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        bundle["text/plain"] = self.fallback_text
        return bundle


def sync_figure_state(figure) -> None:
    """Copy a FigureWidget's current traces and layout into its synced widget state.

    Plotly sends later changes (added traces, restyles) as one-off messages that only a frontend
    already connected receives. Voila, or a page reloaded in JupyterLab, builds the figure from the
    widget state instead, which without this sync holds only the empty figure we started from.
    """
    if hasattr(figure, "_widget_data"):
        figure._widget_data = copy.deepcopy(figure._data)
        figure._widget_layout = copy.deepcopy(figure._layout_obj._props)


def _decimals(step: float) -> int:
    text = f"{step:g}"
    return len(text.split(".")[1]) if "." in text else 0


def slider(spec, description: str | None = None) -> widgets.Widget:
    """An Int- or FloatSlider for a parameter record: label with unit, range, step, default.

    The readout beside the slider is editable (type a value) and the handle moves with the
    arrow keys once focused, as ipywidgets 8 sliders do.
    """
    label = description or f"{spec.label} ({spec.unit})"
    whole = all(float(v).is_integer() for v in (spec.min, spec.max, spec.step, spec.value))
    common = dict(value=spec.value, min=spec.min, max=spec.max, step=spec.step, description=label,
                  continuous_update=True, style=SLIDER_STYLE, layout=SLIDER_LAYOUT)
    if whole:
        return widgets.IntSlider(**{k: int(v) if isinstance(v, float) else v for k, v in common.items()})
    return widgets.FloatSlider(readout_format=f".{_decimals(spec.step)}f", **common)


def with_range(control: widgets.Widget, spec) -> widgets.HBox:
    """The control followed by its allowed range, e.g. ``2-28 days``, so the limits are always visible."""
    limits = widgets.HTML(f"<span style='color:#555'>range {spec.min:g}&ndash;{spec.max:g} {html.escape(spec.unit)}</span>")
    return widgets.HBox([control, limits], layout=widgets.Layout(align_items="center"))


def readout() -> widgets.HTML:
    """The live text under a figure; ``aria-live`` so screen readers announce changes."""
    return widgets.HTML(layout=widgets.Layout(margin="6px 0 0 0"))


def readout_html(text: str) -> str:
    return f"<div aria-live='polite' style='font-size:15px;line-height:1.45;max-width:900px'>{html.escape(text)}</div>"


def preset_bar(presets: dict, on_choose: Callable[[str], None], on_reset: Callable[[], None]) -> tuple:
    """A row of preset buttons and a Reset button. Returns ``(row, {name: button}, reset_button)``."""
    buttons = {}
    for name, preset in presets.items():
        button = widgets.Button(description=preset.label, tooltip=preset.description,
                                layout=widgets.Layout(width="auto"))
        button.on_click(lambda _button, chosen=name: on_choose(chosen))
        buttons[name] = button
    reset = widgets.Button(description="Reset", icon="undo", button_style="warning",
                           tooltip="Back to the default patient", layout=widgets.Layout(width="auto"))
    reset.on_click(lambda _button: on_reset())
    row = widgets.HBox([widgets.HTML("<b>Patients:</b>"), *buttons.values(), reset],
                       layout=widgets.Layout(flex_flow="row wrap", align_items="center"))
    return row, buttons, reset


class SliderGroup:
    """Sliders that share one callback; presets and Reset set many values with a single update."""

    def __init__(self, sliders: dict, on_change: Callable[[dict], None]):
        self.sliders = sliders
        self._on_change = on_change
        self._holding = False
        for control in sliders.values():
            control.observe(self._changed, names="value")

    def values(self) -> dict:
        return {name: control.value for name, control in self.sliders.items()}

    def _changed(self, _change=None):
        if not self._holding:
            self._on_change(self.values())

    def set_values(self, values: dict):
        """Set several sliders, then call the callback once."""
        self._holding = True
        try:
            for name, value in values.items():
                if name in self.sliders:
                    self.sliders[name].value = value
        finally:
            self._holding = False
        self._changed()


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
