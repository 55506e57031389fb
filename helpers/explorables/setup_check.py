"""Notebook 00: a one-slider self-test that widgets and plotly work in this JupyterLab."""
from __future__ import annotations

import ipywidgets as widgets

from .. import controls
from ..figures import relief as relief_figures
from ..figures.theme import COLOURS, figure_widget
from ..models import relief


def setup_check() -> controls.Explorable:
    """Move the slider: a marker walks along one injection's relief curve and the sentence changes."""
    params = relief.default_params()
    days = relief_figures.SINGLE_DAYS
    _, _, combined = relief.one_injection(days, params)
    slider = widgets.IntSlider(value=30, min=0, max=int(days[-1]), step=1, description="Day after injection",
                               style=controls.SLIDER_STYLE, layout=controls.SLIDER_LAYOUT)
    figure = figure_widget("Set-up check: the dot follows the slider", "days after the injection",
                           "pain relief (%)", height=260)
    figure.update_yaxes(range=[0, 100])
    figure.add_scatter(x=days, y=combined * 100, mode="lines", name="relief", line=dict(color=COLOURS["blue"], width=3))
    figure.add_scatter(mode="markers", name="selected day", marker=dict(size=14, color=COLOURS["vermillion"]))
    readout = controls.readout()

    def sentence(day: int) -> str:
        return f"Day {day}: the default patient has {combined[day] * 100:.0f}% less pain than without treatment."

    def update(change=None):
        day = slider.value
        with figure.batch_update():
            figure.data[1].x, figure.data[1].y = [day], [combined[day] * 100]
        readout.value = controls.readout_html(sentence(day) + " If this sentence and the red dot move with the slider, your set-up works.")

    slider.observe(update, names="value")
    update()
    return controls.Explorable(
        [controls.with_range(slider, _DaySpec(int(days[-1]))), figure, readout],
        fallback_text=f"Interactive set-up check: run this cell and move the slider. {sentence(slider.value)}",
        controls={"day": slider}, figures=(figure,), readout=readout)


class _DaySpec:
    """Just enough of a parameter record for :func:`controls.with_range`."""

    def __init__(self, max_day: int):
        self.min, self.max, self.unit = 0, max_day, "days"
