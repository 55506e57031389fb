"""Figures of the relief model (notebook 03): one injection taken apart, and a year of injections.

Each figure's fixed parts (layout, trace styles) are built once; ``*_state()`` returns the whole figure
state for model results, changing only what the model changes.
"""
from __future__ import annotations

import functools

import numpy as np

from ..theme import COLOURS, fill
from .theme import figure_base, restyled, state_of


@functools.cache
def _single_base(last_day: int) -> dict:
    figure = figure_base("One injection, taken apart: the needle helps first, the drug later",
                         "days after the injection", "pain relief (% less pain)", height=330,
                         y_range=[0, 100], x_range=[0, last_day])
    figure.add_scatter(name="meaningful relief threshold", mode="lines", x=[0, last_day], y=[30, 30],
                       line=dict(color=COLOURS["black"], dash="dot", width=1.5), hoverinfo="skip")
    for name, colour, width, dash in (("needle effect", "orange", 2, "dash"), ("drug effect", "sky_blue", 2, "dashdot"),
                                      ("relief felt (both combined)", "blue", 3, None)):
        figure.add_scatter(name=name, mode="lines", line=dict(color=COLOURS[colour], width=width, dash=dash))
    return state_of(figure)


def single_injection_state(days, needle_percent, drug_percent, combined_percent, threshold_percent) -> dict:
    """One injection's relief curves (percent, on ``days`` after it) and the meaningful-relief threshold."""
    curves = (needle_percent, drug_percent, combined_percent)
    return restyled(_single_base(int(days[-1])), {
        0: {"y": [threshold_percent, threshold_percent]},
        **{index: {"x": days, "y": np.round(values, 2)} for index, values in enumerate(curves, 1)}})


@functools.cache
def _year_base(first_day: int, last_day: int) -> dict:
    figure = figure_base("A year of injections: shaded weeks are the windows for exercise",
                         "days since the first injection", "pain (0-10 scale)", height=380,
                         y_range=[0, 10.5], x_range=[first_day, last_day])
    figure.add_scatter(name="meaningful relief (shaded)", mode="lines", fill="tozeroy", line=dict(width=0, shape="hv"),
                       fillcolor=fill(COLOURS["bluish_green"], 0.18), hoverinfo="skip")
    ends = [first_day, last_day]
    figure.add_scatter(name="pain without treatment", mode="lines", x=ends,
                       line=dict(color=COLOURS["grey"], dash="dash", width=1.5), hoverinfo="skip")
    figure.add_scatter(name="30% less pain", mode="lines", x=ends,
                       line=dict(color=COLOURS["bluish_green"], dash="dot", width=1.5), hoverinfo="skip")
    figure.add_scatter(name="pain with treatment", mode="lines", line=dict(color=COLOURS["vermillion"], width=3),
                       hovertemplate="day %{x}: pain %{y:.1f}/10<extra></extra>")
    figure.add_scatter(name="injection", mode="markers",
                       marker=dict(symbol="triangle-down", size=13, color=COLOURS["black"]),
                       hovertemplate="injection on day %{x}<extra></extra>")
    return state_of(figure)


def year_state(year) -> dict:
    """The year's pain timeline for a :class:`helpers.models.relief.ReliefYear`."""
    days = year.days
    return restyled(_year_base(int(days[0]), int(days[-1])), {
        0: {"x": days, "y": np.where(year.meaningful, 10.5, np.nan)},
        1: {"y": [year.params.baseline_pain] * 2},
        2: {"y": [year.meaningful_pain_level] * 2},
        3: {"x": days, "y": np.round(year.pain, 3)},
        4: {"x": year.injection_days, "y": np.full(year.injection_days.size, 10.2)},
    })
