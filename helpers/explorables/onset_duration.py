"""Notebook 03: how onset, duration and re-injection shape a patient's year."""
from __future__ import annotations

import functools

import numpy as np

from .. import controls
from ..data import load_presets
from ..figures import relief as relief_figures
from ..models import relief

SLIDERS = ("onset_days", "duration_days", "peak_relief_percent", "interval_weeks", "needle_relief_percent")


@functools.lru_cache(maxsize=1)
def single_days() -> np.ndarray:
    """Days after one injection, day 0 to the latest onset plus the longest duration the sliders allow: the drug's
    whole effect always fits."""
    specs = relief.parameter_specs()
    last = specs["onset_days"].max + specs["duration_days"].max
    days = np.arange(0, int(last) + 1)
    days.flags.writeable = False
    return days


def render(values: dict) -> dict:
    """Both figures and the readout for one set of slider values."""
    params = relief.default_params(**values)
    days = single_days()
    needle, drug, combined = relief.one_injection(days, params)
    year = relief.simulate_year(params)
    return {
        "single": relief_figures.single_injection_state(days, needle * 100, drug * 100, combined * 100,
                                                        params.meaningful_relief_percent),
        "year": relief_figures.year_state(year),
        "readout": controls.readout_html(relief.describe(relief.experience_metrics(year), params)),
    }


def describe_values(values: dict) -> str:
    params = relief.default_params(**values)
    return relief.describe(relief.experience_metrics(relief.simulate_year(params)), params)


def _layout(parts: controls.Parts) -> list:
    outputs = parts.outputs
    views = controls.FigureViews({"A year of injections": outputs["year"],
                                  "One injection, taken apart": outputs["single"]})
    return [parts.bar, *(parts.controls[name] for name in SLIDERS), views, outputs["readout"]]


@controls.explorable
def onset_and_duration() -> controls.Explorable:
    """Sliders for onset, duration, peak, interval and needle effect; presets; Reset; two figures, one shown at a
    time; a readout."""
    return controls.Explorable.from_spec(controls.Spec(
        controls=controls.sliders(relief.parameter_specs(), SLIDERS), render=render, layout=_layout,
        fallback=lambda values: ("Interactive: run this cell to move the sliders for onset, duration, peak relief, "
                                 "re-injection interval and needle effect. Default patient: "
                                 f"{describe_values(values)}"),
        presets=load_presets(relief.PRESETS_FILE, relief.PARAMETERS_FILE), preset_title="Patients",
        reset="Back to the default patient"))


def compare_patients():
    """A table of the experience metrics of every preset patient (Markdown, compared by nbval)."""
    from IPython.display import Markdown

    presets = load_presets(relief.PRESETS_FILE, relief.PARAMETERS_FILE)
    lines = ["Every number below follows from **assumed** onsets, durations and peaks (teaching archetypes, none "
             "measured in fibromyalgia); the injection counts are how the model spaces injections, not a schedule.",
             "",
             "| patient | assumed onset, duration, peak | first meaningful relief | weeks with meaningful relief | "
             "longest stretch without | injections in the model year | relief-weeks per injection |",
             "|---|---|---|---|---|---|---|"]
    for preset in presets.values():
        params = relief.default_params(**preset.values)
        metrics = relief.experience_metrics(relief.simulate_year(params))
        first = "never" if metrics.first_relief_day is None else f"day {metrics.first_relief_day}"
        lines.append(f"| {preset.label} | day {params.onset_days:g}, {params.duration_days:g} days, "
                     f"{params.peak_relief_percent:g}% | {first} | {metrics.relief_weeks:.1f} | "
                     f"{metrics.longest_gap_days} days | {metrics.injections} | "
                     f"{metrics.relief_weeks_per_injection:.1f} |")
    return Markdown("\n".join(lines))
