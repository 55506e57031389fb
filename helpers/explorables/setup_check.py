"""Notebook 00: a one-slider self-test that widgets and plotly work in this JupyterLab."""
from __future__ import annotations

import functools

from .. import controls
from ..figures import relief as relief_figures
from ..figures.theme import COLOURS, figure_base, restyled, state_of
from ..models import relief
from ..widgets import Figure


@functools.cache
def _relief_percent():
    _, _, combined = relief.one_injection(relief_figures.SINGLE_DAYS, relief.default_params())
    return combined * 100


@functools.cache
def _base() -> dict:
    figure = figure_base("Set-up check: the dot follows the slider", "days after the injection", "pain relief (%)",
                         height=260)
    figure.update_yaxes(range=[0, 100])
    figure.add_scatter(x=relief_figures.SINGLE_DAYS, y=_relief_percent(), mode="lines", name="relief",
                       line=dict(color=COLOURS["blue"], width=3))
    figure.add_scatter(mode="markers", name="selected day", marker=dict(size=14, color=COLOURS["vermillion"]))
    return state_of(figure)


def sentence(day: int) -> str:
    peak = relief.default_params().peak_relief_percent
    return (f"Day {day}: on this illustrative teaching curve, pain is {_relief_percent()[day]:.0f}% lower than "
            f"without treatment; its assumed {peak:g}% peak is not a measured effect of the toxin.")


def render(values: dict) -> dict:
    day = int(values["day"])
    return {"figure": restyled(_base(), {1: {"x": [day], "y": [float(_relief_percent()[day])]}}),
            "readout": controls.readout_html(sentence(day) + " If this sentence and the red dot move with the "
                                             "slider, your set-up works.")}


@controls.explorable
def setup_check() -> controls.Explorable:
    """Move the slider: a marker walks along one injection's relief curve and the sentence changes."""
    days = relief_figures.SINGLE_DAYS
    slider = controls.make_slider("Day after injection", 0, int(days[-1]), 1, 30, "days")
    first = render({"day": slider.value})
    figure, readout = Figure(first["figure"]), controls.readout()
    live = controls.Live({"day": slider}, render, {"figure": figure, "readout": readout})
    return controls.Explorable(
        [slider, figure, readout],
        fallback_text=f"Interactive set-up check: run this cell and move the slider. {sentence(slider.value)}",
        live=live)
