"""Figures of the relief model (notebook 03): one injection taken apart, and a year of injections.

``*_figure()`` builds a FigureWidget once, with its layout fixed; ``update_*()`` changes only trace
data inside one ``batch_update`` so a slider move costs one message to the browser.
"""
from __future__ import annotations

import numpy as np

from .theme import COLOURS, figure_widget

SINGLE_DAYS = np.arange(0, 211)  # onset (<= 28 d) + duration (<= 182 d) always fits


def single_injection_figure():
    figure = figure_widget("One injection, taken apart: the needle helps first, the drug later",
                           "days after the injection", "pain relief (% less pain)", height=330)
    figure.update_yaxes(range=[0, 100])
    figure.update_xaxes(range=[0, SINGLE_DAYS[-1]])
    figure.add_scatter(name="meaningful relief threshold", mode="lines", x=[0, SINGLE_DAYS[-1]], y=[30, 30],
                       line=dict(color=COLOURS["black"], dash="dot", width=1.5), hoverinfo="skip")
    figure.add_scatter(name="needle effect", mode="lines", x=SINGLE_DAYS, line=dict(color=COLOURS["orange"], width=2, dash="dash"))
    figure.add_scatter(name="drug effect", mode="lines", x=SINGLE_DAYS, line=dict(color=COLOURS["sky_blue"], width=2, dash="dashdot"))
    figure.add_scatter(name="relief felt (both combined)", mode="lines", x=SINGLE_DAYS, line=dict(color=COLOURS["blue"], width=3))
    return figure


def update_single_injection(figure, needle_percent, drug_percent, combined_percent, threshold_percent):
    with figure.batch_update():
        figure.data[0].y = [threshold_percent, threshold_percent]
        for trace, values in zip(figure.data[1:], (needle_percent, drug_percent, combined_percent)):
            trace.y = np.round(values, 2)


def year_figure(days):
    """The year's pain timeline; ``days`` (the model's day grid) is set once here."""
    figure = figure_widget("A year of injections: shaded weeks are the windows for exercise",
                           "days since the first injection", "pain (0-10 scale)", height=380)
    figure.update_yaxes(range=[0, 10.5])
    figure.update_xaxes(range=[days[0], days[-1]])
    figure.add_scatter(name="meaningful relief (shaded)", mode="lines", x=days, fill="tozeroy", line=dict(width=0, shape="hv"),
                       fillcolor="rgba(0,158,115,0.18)", hoverinfo="skip")
    ends = [days[0], days[-1]]
    figure.add_scatter(name="pain without treatment", mode="lines", x=ends,
                       line=dict(color=COLOURS["grey"], dash="dash", width=1.5), hoverinfo="skip")
    figure.add_scatter(name="30% less pain", mode="lines", x=ends,
                       line=dict(color=COLOURS["bluish_green"], dash="dot", width=1.5), hoverinfo="skip")
    figure.add_scatter(name="pain with treatment", mode="lines", x=days, line=dict(color=COLOURS["vermillion"], width=3),
                       hovertemplate="day %{x}: pain %{y:.1f}/10<extra></extra>")
    figure.add_scatter(name="injection", mode="markers", marker=dict(symbol="triangle-down", size=13, color=COLOURS["black"]),
                       hovertemplate="injection on day %{x}<extra></extra>")
    return figure


def update_year(figure, year):
    """Put a :class:`helpers.models.relief.ReliefYear` into a figure made by :func:`year_figure`."""
    shade = np.where(year.meaningful, 10.5, np.nan)
    with figure.batch_update():
        shaded, baseline, threshold, pain, shots = figure.data
        shaded.y = shade
        baseline.y = [year.params.baseline_pain] * 2
        threshold.y = [year.meaningful_pain_level] * 2
        pain.y = np.round(year.pain, 3)
        shots.x, shots.y = year.injection_days, np.full(year.injection_days.size, 10.2)
