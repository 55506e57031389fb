"""Notebook 03: how onset, duration and re-injection shape a patient's year."""
from __future__ import annotations

import ipywidgets as widgets

from .. import controls
from ..data import load_presets
from ..figures import relief as relief_figures
from ..models import relief
from ..widgets import Figure

SLIDERS = ("onset_days", "duration_days", "peak_relief_percent", "interval_weeks", "needle_relief_percent")


def render(values: dict) -> dict:
    """Both figures and the readout for one set of slider values."""
    params = relief.default_params(**values)
    needle, drug, combined = relief.one_injection(relief_figures.SINGLE_DAYS, params)
    year = relief.simulate_year(params)
    return {
        "single": relief_figures.single_injection_state(needle * 100, drug * 100, combined * 100,
                                                        params.meaningful_relief_percent),
        "year": relief_figures.year_state(year),
        "readout": controls.readout_html(relief.describe(relief.experience_metrics(year), params)),
    }


@controls.explorable
def onset_and_duration() -> controls.Explorable:
    """Sliders for onset, duration, peak, interval and needle effect; presets; Reset; two figures, one shown at a
    time; a readout."""
    specs = relief.parameter_specs()
    presets = load_presets(relief.PRESETS_FILE, relief.PARAMETERS_FILE)
    sliders = {name: controls.slider(specs[name]) for name in SLIDERS}
    defaults = {name: control.value for name, control in sliders.items()}
    first = render(defaults)
    single, year_plot, readout = Figure(first["single"]), Figure(first["year"]), controls.readout()
    live = controls.Live(sliders, render, {"single": single, "year": year_plot, "readout": readout})
    bar, preset_buttons, reset = controls.preset_bar(
        presets, on_choose=lambda name: live.set_values(presets[name].values), on_reset=lambda: live.set_values(defaults))

    default_text = relief.describe(relief.experience_metrics(relief.simulate_year(relief.default_params())),
                                   relief.default_params())
    box = controls.Explorable(
        [bar, *sliders.values(),
         controls.FigureViews({"A year of injections": year_plot, "One injection, taken apart": single}), readout],
        fallback_text=("Interactive: run this cell to move the sliders for onset, duration, peak relief, "
                       f"re-injection interval and needle effect. Default patient: {default_text}"),
        live=live, figures=(single, year_plot), layout=widgets.Layout(width="100%"))
    box.preset_buttons, box.reset_button = preset_buttons, reset
    return box


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
                     f"{metrics.longest_gap_days} days | {metrics.injections} | {metrics.relief_weeks_per_injection:.1f} |")
    return Markdown("\n".join(lines))
