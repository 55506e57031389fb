"""Notebook 02: the toxin's steps at the neuromuscular junction, and the blockade over months.

* :func:`junction_steps` - a step-through of a schematic (Next/Back buttons and a step slider);
  the steps and their captions come from ``data/junction_steps.yaml``.
* :func:`blockade_explorer` - sliders for dose, number of injections and interval, presets and
  Reset; the muscle response, intact SNAP-25 and release by parent terminal vs sprouts over months,
  with a live readout.
* :func:`calibration_table` - every published point beside the model's value (Markdown).
"""
from __future__ import annotations

import functools
import html

import ipywidgets as widgets

from .. import controls
from ..data import load_presets, load_records
from ..figures import junction as junction_figures
from ..models import junction
from ..schemas import Step
from ..widgets import Figure

STEPS_FILE = "junction_steps.yaml"
PRESETS_FILE = "junction_presets.csv"
SLIDERS = ("dose_units", "injections", "interval_weeks")


# ---------------------------------------------------------------------------------------------
# Steps (data/junction_steps.yaml; the record, Step, is declared in helpers/schemas.py)
# ---------------------------------------------------------------------------------------------
def load_steps(data_dir=None) -> tuple:
    """``data/junction_steps.yaml`` as a tuple of :class:`helpers.schemas.Step`, validated; the elements shown are
    those the schematic can draw."""
    return load_records(Step, STEPS_FILE, data_dir, elements=junction_figures.ELEMENTS)


def caption_html(step: Step, number: int, total: int) -> str:
    sources = ", ".join(f"<code>{html.escape(s)}</code>" for s in step.sources)
    return (f"<div style='font-size:15px;line-height:1.45;max-width:900px'>"  # the Readout is the live region
            f"<b>Step {number} of {total}: {html.escape(step.title.split('. ', 1)[-1])}</b> "
            f"<span style='color:#555'>({html.escape(step.when)})</span><br>{html.escape(step.caption)} "
            f"<span style='color:#555'>Source: {sources}</span></div>")


@functools.lru_cache(maxsize=None)
def step_figure_state(step: Step) -> dict:
    """The schematic of one step (the same for every visit, so drawn once)."""
    return junction_figures.step_state(step.title, step.when, step.show, step.highlight, step.release)


def render_step(values: dict, steps: tuple | None = None) -> dict:
    """The schematic and its caption for step ``values["step"]`` (1 = the first step)."""
    steps = load_steps() if steps is None else steps
    number = int(values["step"])
    step = steps[number - 1]
    return {"figure": step_figure_state(step), "caption": caption_html(step, number, len(steps))}


@controls.explorable
def junction_steps() -> controls.Explorable:
    """A schematic of the junction stepped through with Back/Next buttons and a step slider."""
    steps = load_steps()
    step_slider = controls.make_slider("Step (1 = normal junction)", 1, len(steps), 1, 1, "")
    back = widgets.Button(description="Back", icon="arrow-left", tooltip="Previous step", layout=widgets.Layout(width="auto"))
    forward = widgets.Button(description="Next", icon="arrow-right", tooltip="Next step", layout=widgets.Layout(width="auto"))

    def render(values: dict) -> dict:
        return render_step(values, steps)

    figure, caption = Figure(render({"step": step_slider.value})["figure"]), controls.readout()
    live = controls.Live({"step": step_slider}, render, {"figure": figure, "caption": caption})

    def enable_buttons(number: int):
        back.disabled = number == 1
        forward.disabled = number == len(steps)

    step_slider.observe(lambda change: enable_buttons(change["new"]), names="value")
    back.on_click(lambda _b: setattr(step_slider, "value", max(1, step_slider.value - 1)))
    forward.on_click(lambda _b: setattr(step_slider, "value", min(len(steps), step_slider.value + 1)))
    enable_buttons(step_slider.value)

    names = "; ".join(f"{n}) {s.title.split('. ', 1)[-1]}" for n, s in enumerate(steps, start=1))
    box = controls.Explorable(
        [widgets.HBox([back, forward, step_slider], layout=widgets.Layout(align_items="center", flex_flow="row wrap")),
         figure, caption],
        fallback_text=(f"Interactive: run this cell and press Next to step through the junction in {len(steps)} steps: "
                       f"{names}."),
        live=live, figures=(figure,), readout=caption, layout=widgets.Layout(width="100%"))
    box.back_button, box.next_button, box.steps = back, forward, steps
    return box


# ---------------------------------------------------------------------------------------------
# The blockade over months
# ---------------------------------------------------------------------------------------------
def describe_values(values: dict) -> str:
    params = junction.default_params(**values)
    return junction.describe(junction.metrics(junction.simulate(params)), params)


def render(values: dict) -> dict:
    """The three panels and the readout for one set of slider values."""
    params = junction.default_params(**values)
    course = junction.simulate(params)
    return {"figure": junction_figures.course_state(course),
            "readout": controls.readout_html(junction.describe(junction.metrics(course), params))}


@controls.explorable
def blockade_explorer() -> controls.Explorable:
    """Sliders for dose, injections and interval; presets; Reset; three panels; a live readout."""
    specs = junction.parameter_specs()
    presets = load_presets(PRESETS_FILE, junction.PARAMETERS_FILE)
    sliders = {name: controls.slider(specs[name]) for name in SLIDERS}
    defaults = {name: control.value for name, control in sliders.items()}
    figure, readout = Figure(render(defaults)["figure"]), controls.readout()
    live = controls.Live(sliders, render, {"figure": figure, "readout": readout})
    bar, preset_buttons, reset = controls.preset_bar(
        presets, on_choose=lambda name: live.set_values(presets[name].values), on_reset=lambda: live.set_values(defaults))
    bar.children = (widgets.HTML("<b>Schedules:</b>"), *bar.children[1:])

    box = controls.Explorable(
        [bar, *(sliders[name] for name in SLIDERS), figure, readout],
        fallback_text=("Interactive: run this cell to move the sliders for dose, number of injections and interval "
                       f"(never below 12 weeks). Default, 10 U once: {describe_values(defaults)}"),
        live=live, figures=(figure,), readout=readout, layout=widgets.Layout(width="100%"))
    box.preset_buttons, box.reset_button = preset_buttons, reset
    return box


# ---------------------------------------------------------------------------------------------
# Calibration, as a table
# ---------------------------------------------------------------------------------------------
def calibration_table_markdown() -> str:
    """One row per calibration point: what the study reports (in its own terms), the target the fit used and
    the model's value. A target the study gave no number for is marked illustrative, never shown as reported."""
    params = junction.default_params()
    lines = ["| what is compared | source | study dose | what the study reports | target used in the fit | model (run at) |",
             "|---|---|---|---|---|---|"]
    for point in junction.load_calibration():
        value = junction.model_value(point, params)
        what = junction.QUANTITIES[point.quantity].replace("`at_day`", f"{point.at_day:g}" if point.at_day is not None else "")
        unit = "%" if point.unit == "percent" else f" {point.unit}"
        target = f"{point.value:g}{unit} ± {point.tolerance:g}"
        if point.illustrative:
            target += " (**illustrative**: no value reported)"
        lines.append(f"| {what} | `{point.source_id}` ({point.species}) | {point.study_dose} | {point.reported} | "
                     f"{target} | {value:.1f}{unit} ({point.dose_units:g} U) |")
    return "\n".join(lines)


def calibration_table():
    """Every calibration point with the model's value (Markdown, compared by nbval)."""
    from IPython.display import Markdown

    return Markdown(calibration_table_markdown())
