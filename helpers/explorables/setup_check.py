"""Notebook 00: a one-slider self-test that widgets and plotly work in this JupyterLab.

The quantity is deliberately neutral (a position from 0 to 10 on a straight line): the first number a learner sees
should not be a treatment effect (learner review, set-up check).
"""
from __future__ import annotations

import functools

from .. import controls
from ..figures.theme import COLOURS, figure_base, restyled, state_of

POSITIONS = tuple(range(11))
START = 3


@functools.cache
def _base() -> dict:
    figure = figure_base("Set-up check: the red dot follows the slider", "slider position", "dot height",
                         height=240)
    figure.update_xaxes(range=[-0.5, 10.5], dtick=1)
    figure.update_yaxes(range=[-0.5, 10.5], dtick=2)
    figure.add_scatter(x=list(POSITIONS), y=list(POSITIONS), mode="lines+markers", name="track",
                       line=dict(color=COLOURS["blue"], width=2), marker=dict(size=6, color=COLOURS["blue"]))
    figure.add_scatter(mode="markers", name="slider position", marker=dict(size=16, color=COLOURS["vermillion"]))
    return state_of(figure)


def sentence(position: int) -> str:
    return f"The slider stands at {position} of 10, and the red dot sits at {position} on the line."


def render(values: dict) -> dict:
    position = int(values["position"])
    return {"figure": restyled(_base(), {1: {"x": [position], "y": [position]}}),
            "readout": controls.readout_html(sentence(position) + " If this sentence and the red dot move with the "
                                             "slider, your set-up works.")}


@controls.explorable
def setup_check() -> controls.Explorable:
    """Move the slider: a dot walks along a straight line and the sentence changes."""
    return controls.Explorable.from_spec(controls.Spec(
        controls={"position": controls.make_slider("Set-up slider", POSITIONS[0], POSITIONS[-1], 1, START, "count")},
        render=render,
        layout=lambda parts: [parts.controls["position"], parts.outputs["figure"], parts.outputs["readout"]],
        fallback=lambda values: ("Interactive set-up check: run this cell and move the slider to 7. "
                                 f"{sentence(values['position'])}")))
