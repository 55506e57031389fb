"""The course's figure theme: Okabe-Ito colours (safe for colour-blind readers) and one layout."""
from __future__ import annotations

import plotly.graph_objects as go

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision deficiency.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "grey": "#999999",
}
COLOURS = OKABE_ITO  # short alias used by the figure builders


class CourseFigureWidget(go.FigureWidget):
    """A FigureWidget that keeps its last edit message in its widget state.

    Plotly sends each edit (restyle, relayout, update) as a one-off value of a synced trait and resets
    it to ``None`` straight away, so a frontend model that reads the trait late, or is created after
    the edit, sees ``None``. Keeping the last message leaves the latest edit in the state; every
    message carries a new edit id, so none is mistaken for a repeat.
    """

    def __setattr__(self, name, value):
        if value is None and name.startswith("_py2js_"):
            return
        super().__setattr__(name, value)


def figure_widget(title: str, x_title: str, y_title: str, height: int = 360, **layout) -> go.FigureWidget:
    """An empty ``FigureWidget`` with the course layout: a title that states the message, axis titles with units.

    The layout is set once here; explorables then change only trace data (no relayout per slider move).
    """
    figure = CourseFigureWidget()
    figure.update_layout(
        title=dict(text=title, x=0.01, xanchor="left", font=dict(size=16)),
        xaxis=dict(title=dict(text=x_title), showgrid=True, gridcolor="#e5e5e5", zeroline=False),
        yaxis=dict(title=dict(text=y_title), showgrid=True, gridcolor="#e5e5e5", zeroline=False),
        template="simple_white",
        font=dict(size=14),
        height=height,
        margin=dict(l=70, r=20, t=60, b=110),
        legend=dict(orientation="h", yanchor="top", y=-0.3, x=0),
        hovermode="x unified",
        **layout,
    )
    return figure
