"""Notebook 04: where should botulinum toxin A sit in a sequence of fibromyalgia treatments?"""
from __future__ import annotations

import ipywidgets as widgets

from .. import controls
from ..figures import sequencing as sequencing_figures
from ..models import sequencing
from ..widgets import Figure

SEED = 2016                     # fixed, so the readout (and nbval) is reproducible
GLOBAL_SLIDERS = ("horizon_months",)
REFERENCE_NAME = "stepped care with the toxin last"
POSITION_LABELS = ("1st: toxin first, before exercise", "2nd", "3rd", "4th",
                   "5th: toxin last, after all other steps (stepped care)")


def step_sliders(step: str) -> tuple:
    return tuple(f"{step}_{item}" for item in sequencing.RATE_FIELDS)


_REFERENCE_CACHE: dict = {}


def _reference(values: dict):
    """The stepped-care cohort (toxin last) for these rates; the last one is kept, as moving the toxin
    does not change it."""
    key = tuple(sorted(values.items()))
    if key not in _REFERENCE_CACHE:
        _REFERENCE_CACHE.clear()
        _REFERENCE_CACHE[key] = sequencing.simulate_cohort(
            sequencing.params_from_values(values, sequencing.STEPS), seed=SEED)
    return _REFERENCE_CACHE[key]


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


@controls.explorable
def treatment_sequencing() -> controls.Explorable:
    """Position of the toxin; step chooser with its four rate sliders; horizon; Reset; four figures shown one at a
    time; a readout."""
    specs = sequencing.parameter_specs()
    names = [name for step in sequencing.STEPS for name in step_sliders(step)] + list(GLOBAL_SLIDERS)
    sliders = {name: controls.slider(specs[name]) for name in names}
    defaults = {name: control.value for name, control in sliders.items()}
    last = len(sequencing.STEPS) - 1
    position = widgets.Dropdown(options=[(label, index) for index, label in enumerate(POSITION_LABELS)], value=last,
                                description="Position of botulinum toxin A in the sequence",
                                style={"description_width": "320px"}, layout=widgets.Layout(width="660px"))
    step = widgets.ToggleButtons(options=[(sequencing.STEP_LABELS[s], s) for s in sequencing.STEPS], value="botulinum",
                                 description="Rates of", style={"description_width": "60px", "button_width": "auto"})
    step_boxes = {s: widgets.VBox([sliders[name] for name in step_sliders(s)]) for s in sequencing.STEPS}

    first = render({"position": last, **defaults})
    flow, waiting = Figure(first["flow"]), Figure(first["waiting"])
    refractory, exposure = Figure(first["refractory"]), Figure(first["exposure"])
    readout = controls.readout()
    views = controls.FigureViews({"Patient flow": flow, "Waiting for relief": waiting,
                                  "Still refractory": refractory, "Who is exposed": exposure})
    live = controls.Live({"position": position, **sliders}, render,
                         {"flow": flow, "waiting": waiting, "refractory": refractory, "exposure": exposure,
                          "readout": readout})

    def show_step(_change=None):  # shows and hides boxes of sliders only: not a control of ``live``
        for key, box in step_boxes.items():
            box.layout.display = "" if key == step.value else "none"

    def reset():
        step.value = "botulinum"
        live.set_values({"position": last, **defaults})

    step.observe(show_step, names="value")
    reset_button = widgets.Button(description="Reset", icon="undo", button_style="warning",
                                  tooltip="Back to stepped care with the default rates", layout=widgets.Layout(width="auto"))
    reset_button.on_click(lambda _button: reset())
    show_step()

    default_result, _ = simulate(defaults, last)
    box = controls.Explorable(
        [widgets.HBox([position, reset_button], layout=widgets.Layout(align_items="center", flex_flow="row wrap")),
         step, *step_boxes.values(), sliders["horizon_months"], views, readout],
        fallback_text=("Interactive: run this cell to move botulinum toxin A within the treatment sequence and change "
                       "each step's response, adverse-effect and relapse rates. Default (stepped care, toxin last): "
                       + sequencing.describe(default_result)),
        live=live, controls={"position": position, "step": step, **sliders},
        figures=(flow, waiting, refractory, exposure), readout=readout, layout=widgets.Layout(width="100%"))
    box.reset_button, box.step_boxes, box.views = reset_button, step_boxes, views
    return box


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
    figure, caption = Figure(state), controls.readout()
    live = controls.Live({}, lambda _values: {"figure": state, "caption": controls.readout_html(text)},
                         {"figure": figure, "caption": caption})
    return controls.Explorable([figure, caption], fallback_text="EULAR 2016 recommendation ladder. " + text, live=live)
