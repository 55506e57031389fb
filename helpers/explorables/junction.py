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
from ..theme import GREYS

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
    muted = f"<span style='color:{GREYS['muted']}'>"
    return (f"<div><b>Step {number} of {total}: {html.escape(step.title.split('. ', 1)[-1])}</b> "  # Readout's style
            f"{muted}({html.escape(step.when)})</span><br>{html.escape(step.caption)} "
            f"{muted}Source: {sources}</span></div>")


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


def _step_buttons(parts: controls.Parts, last: int) -> widgets.HBox:
    """Back and Next beside the step slider; each is disabled at its end."""
    step = parts.controls["step"]
    back = widgets.Button(description="Back", icon="arrow-left", tooltip="Previous step",
                          layout=widgets.Layout(width="auto"))
    forward = widgets.Button(description="Next", icon="arrow-right", tooltip="Next step",
                             layout=widgets.Layout(width="auto"))

    def enable_buttons(number: int):
        back.disabled = number == 1
        forward.disabled = number == last

    step.observe(lambda change: enable_buttons(change["new"]), names="value")
    back.on_click(controls.one_action_at_a_time(lambda _b: setattr(step, "value", max(1, step.value - 1))))
    forward.on_click(controls.one_action_at_a_time(lambda _b: setattr(step, "value", min(last, step.value + 1))))
    enable_buttons(step.value)
    parts.named.update(back=back, next=forward)
    return widgets.HBox([back, forward, step], layout=widgets.Layout(align_items="center", flex_flow="row wrap"))


@controls.explorable
def junction_steps() -> controls.Explorable:
    """A schematic of the junction stepped through with Back/Next buttons and a step slider."""
    steps = load_steps()
    names = "; ".join(f"{n}) {s.title.split('. ', 1)[-1]}" for n, s in enumerate(steps, start=1))
    return controls.Explorable.from_spec(controls.Spec(
        controls={"step": controls.make_slider("Step (1 = normal junction)", 1, len(steps), 1, 1, "")},
        render=functools.partial(render_step, steps=steps),
        layout=lambda parts: [_step_buttons(parts, len(steps)), parts.outputs["figure"], parts.outputs["caption"]],
        fallback=lambda _values: (f"Interactive: run this cell and press Next to step through the junction in "
                                  f"{len(steps)} steps: {names}.")))


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
    return controls.Explorable.from_spec(controls.Spec(
        controls=controls.sliders(junction.parameter_specs(), SLIDERS), render=render,
        layout=lambda parts: [parts.bar, *parts.controls.values(), parts.outputs["figure"], parts.outputs["readout"]],
        fallback=lambda values: ("Interactive: run this cell to move the sliders for dose, number of injections and "
                                 f"interval (never below 12 weeks). Default, 10 U once: {describe_values(values)}"),
        presets=load_presets(PRESETS_FILE, junction.PARAMETERS_FILE), preset_title="Schedules",
        reset="Back to the default patient"))


# ---------------------------------------------------------------------------------------------
# Calibration, as a table
# ---------------------------------------------------------------------------------------------
def calibration_table_markdown() -> str:
    """One row per calibration point: what the study reports (in its own terms), the target the fit used and
    the model's value. A target the study gave no number for is marked illustrative, never shown as reported."""
    params = junction.default_params()
    lines = ["| what is compared | source | study dose | what the study reports | target used in the fit "
             "| model (run at) |",
             "|---|---|---|---|---|---|"]
    for point in junction.load_calibration():
        value = junction.model_value(point, params)
        at_day = f"{point.at_day:g}" if point.at_day is not None else ""
        what = junction.QUANTITIES[point.quantity].replace("`at_day`", at_day)
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
