"""Notebook 04: where should botulinum toxin A sit in a sequence of fibromyalgia treatments?"""
from __future__ import annotations

import functools

import ipywidgets as widgets

from .. import controls
from ..figures import sequencing as sequencing_figures
from ..models import sequencing

SEED = 2016                     # fixed, so the readout (and nbval) is reproducible
GLOBAL_SLIDERS = ("horizon_months",)
REFERENCE_NAME = "stepped care with the toxin last"
POSITION_LABELS = ("1st: toxin first, before exercise", "2nd", "3rd", "4th",
                   "5th: toxin last, after all other steps (stepped care)")


def step_sliders(step: str) -> tuple:
    return tuple(f"{step}_{item}" for item in sequencing.RATE_FIELDS)


def _reference(values: dict):
    """The stepped-care cohort (toxin last) for these rates."""
    return _reference_for(tuple(sorted(values.items())))


@functools.lru_cache(maxsize=1)
def _reference_for(rates: tuple):
    """The last reference is kept: moving the toxin does not change it."""
    return sequencing.simulate_cohort(sequencing.params_from_values(dict(rates), sequencing.STEPS), seed=SEED)


def simulate(values: dict, position: int) -> tuple:
    """The cohort for the chosen position of the toxin, and the stepped-care reference (toxin last)."""
    reference = _reference(values)
    order = sequencing.move_step(sequencing.STEPS, "botulinum", position)
    if order == reference.order:
        return reference, reference
    return sequencing.simulate_cohort(sequencing.params_from_values(values, order), seed=SEED), reference


def readout_text(result, reference) -> str:
    return f"{sequencing.describe(result)} {sequencing.compare(result, reference, REFERENCE_NAME)}"


def render(values: dict) -> dict:
    """The four figures and the readout for one position of the toxin (``values["position"]``) and one set of
    rates. Both cohorts (this sequence and the stepped-care reference) are simulated once here."""
    rates = {name: value for name, value in values.items() if name != "position"}
    result, reference = simulate(rates, int(values["position"]))
    months, share = sequencing.relief_curve(result)
    _, share_reference = sequencing.relief_curve(reference, months)
    return {
        "flow": sequencing_figures.flow_state(result),
        "waiting": sequencing_figures.relief_time_state(months, share, share_reference),
        "refractory": sequencing_figures.refractory_state(result),
        "exposure": sequencing_figures.exposure_state(result, reference),
        "readout": controls.readout_html(readout_text(result, reference)),
    }


def _step_boxes(parts: controls.Parts) -> dict:
    """One box of rate sliders per step; the step chooser shows one at a time (it only shows and hides boxes: no
    input of the model)."""
    chooser = parts.controls["step"]
    boxes = {step: widgets.VBox([parts.controls[name] for name in step_sliders(step)]) for step in sequencing.STEPS}

    def show_step(_change=None):
        for key, box in boxes.items():
            box.layout.display = "" if key == chooser.value else "none"

    chooser.observe(show_step, names="value")
    show_step()
    return boxes


def _layout(parts: controls.Parts) -> list:
    outputs, step_boxes = parts.outputs, _step_boxes(parts)
    views = controls.FigureViews({"Patient flow": outputs["flow"], "Waiting for relief": outputs["waiting"],
                                  "Still refractory": outputs["refractory"], "Who is exposed": outputs["exposure"]})
    parts.named.update(step_boxes=step_boxes, views=views)
    return [widgets.HBox([parts.controls["position"], parts.reset],
                         layout=widgets.Layout(align_items="center", flex_flow="row wrap")),
            parts.controls["step"], *step_boxes.values(), parts.controls["horizon_months"], views, outputs["readout"]]


@controls.explorable
def treatment_sequencing() -> controls.Explorable:
    """Position of the toxin; step chooser with its four rate sliders; horizon; Reset; four figures shown one at a
    time; a readout."""
    names = [name for step in sequencing.STEPS for name in step_sliders(step)] + list(GLOBAL_SLIDERS)
    last = len(sequencing.STEPS) - 1
    position = widgets.Dropdown(options=[(label, index) for index, label in enumerate(POSITION_LABELS)], value=last,
                                description="Position of botulinum toxin A in the sequence",
                                style={"description_width": "320px"}, layout=widgets.Layout(width="660px"))
    step = widgets.ToggleButtons(options=[(sequencing.STEP_LABELS[s], s) for s in sequencing.STEPS], value="botulinum",
                                 description="Rates of", style={"description_width": "60px", "button_width": "auto"})
    return controls.Explorable.from_spec(controls.Spec(
        controls={"position": position, "step": step, **controls.sliders(sequencing.parameter_specs(), names)},
        view_controls=("step",), render=render, layout=_layout,
        fallback=lambda values: ("Interactive: run this cell to move botulinum toxin A within the treatment sequence "
                                 "and change each step's response, adverse-effect and relapse rates. Default (stepped "
                                 "care, toxin last): " + sequencing.describe(simulate(
                                     {n: v for n, v in values.items() if n in names}, values["position"])[0])),
        reset="Back to stepped care with the default rates", in_row=False))


def compare_positions():
    """A Markdown table: the default cohort with the toxin in each position (compared by nbval)."""
    from IPython.display import Markdown

    defaults = {name: spec.value for name, spec in sequencing.parameter_specs().items()}
    lines = [f"Counts of virtual patients with {sequencing.ASSUMED}; not predictions for a clinic.", "",
             "| toxin position | patients injected | improved and stayed improved on the toxin (placebo responders "
             "included) | relief within 36 months | median month of first relief | still refractory after all steps |",
             "|---|---|---|---|---|---|"]
    for index, label in enumerate(POSITION_LABELS):
        result, _ = simulate(defaults, index)
        toxin = result.step_index("botulinum")
        lines.append(f"| {label} | {result.exposed['botulinum']:,} | {int(result.lasting[toxin]):,} | "
                     f"{result.relieved_within_horizon:.0%} | {result.median_months_to_relief:.0f} | "
                     f"{result.refractory_after[-1]:.0%} |")
    return Markdown("\n".join(lines))


@controls.explorable
def eular_ladder() -> controls.Explorable:
    """The EULAR 2016 ladder as a figure, with a sentence version for viewers without a kernel."""
    recommendations = sequencing.load_eular2016()
    state = sequencing_figures.ladder_state(recommendations)
    text = sequencing_figures.ladder_description(recommendations)
    return controls.Explorable.from_spec(controls.Spec(
        controls={}, render=lambda _values: {"figure": state, "caption": controls.readout_html(text)},
        layout=lambda parts: [parts.outputs["figure"], parts.outputs["caption"]],
        fallback=lambda _values: "EULAR 2016 recommendation ladder. " + text))
