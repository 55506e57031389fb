"""Figures of notebook 02: the junction schematic (drawn with plotly shapes) and the blockade time course.

Each figure's fixed parts are built once; ``*_state()`` returns the whole figure state for one step or
one model result. The schematic is a cartoon, not to scale.
"""
from __future__ import annotations

import functools

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..theme import COLOURS, FONT_SIZES, GREYS, SCHEMATIC, fill
from .theme import AXIS, restyled, state_of

LABEL_PX, MUTED = FONT_SIZES["label"], GREYS["muted"]  # the step's timing beside its title

DAYS_PER_MONTH = 30.44

# ---------------------------------------------------------------------------------------------
# Schematic of the junction
# ---------------------------------------------------------------------------------------------
#: Every element a step may show (data/junction_steps.yaml, field ``show``/``highlight``).
ELEMENTS = ("terminal", "vesicles", "vesicles_stuck", "snare", "snare_cut", "ach", "ach_sprouts", "muscle",
            "muscle_weak", "receptors", "toxin_bound", "endosome", "light_chain", "sprouts", "sprouts_fading")

_TERMINAL = dict(x0=2.0, x1=8.0, y0=2.4, y1=4.6)
_VESICLE_X = (3.2, 4.4, 5.6, 6.8)
_RECEPTOR_X = (2.8, 3.8, 4.8, 5.8, 6.8, 7.4)
_HIGHLIGHT = COLOURS["black"]
RIGHT = 10.1  # x of the column of labels to the right of the drawing


def _circle(x, y, r, fill, line=GREYS["ink"], width=1.0, dash="solid", opacity=1.0):
    return dict(type="circle", x0=x - r, x1=x + r, y0=y - r, y1=y + r, fillcolor=fill, opacity=opacity,
                line=dict(color=line, width=width, dash=dash), layer="above")


def _rect(x0, x1, y0, y1, fill, line=GREYS["ink"], width=1.0, opacity=1.0):
    return dict(type="rect", x0=x0, x1=x1, y0=y0, y1=y1, fillcolor=fill, opacity=opacity,
                line=dict(color=line, width=width), layer="above")


def _line(x0, y0, x1, y1, colour, width=2.0, dash="solid"):
    return dict(type="line", x0=x0, y0=y0, x1=x1, y1=y1, opacity=1.0, line=dict(color=colour, width=width, dash=dash),
                layer="above")


def _path(path, colour, width=3.0, dash="solid"):
    return dict(type="path", path=path, fillcolor=fill(COLOURS["black"], 0), opacity=1.0,
                line=dict(color=colour, width=width, dash=dash), layer="above")


def _label(x, y, text, bold=False, colour=GREYS["ink_dark"], anchor="center"):
    return dict(x=x, y=y, text=f"<b>{text}</b>" if bold else text, showarrow=False, xanchor=anchor,
                font=dict(size=FONT_SIZES["label"], color=colour))


def _ach_dots(count, x_low, x_high, seed):
    rng = np.random.default_rng(seed)
    xs = rng.uniform(x_low, x_high, count).tolist()
    ys = rng.uniform(1.9, 2.3, count).tolist()
    return [_circle(x, y, 0.06, COLOURS["bluish_green"], line=COLOURS["bluish_green"], width=0.5)
            for x, y in zip(xs, ys, strict=True)]


def _outline(style: dict, width: float = 1.0) -> dict:
    """A shape's outline: the highlight's when ``style`` marks it, else the schematic's ink."""
    return {"line": style.get("line", GREYS["ink"]), "width": style.get("width", width)}


def _snare_strands(style: dict, colour: str, left: tuple, right: tuple) -> list:
    """Two strands under each docked vesicle, from ``(top, bottom)`` y each; a cut strand stops short of the other."""
    line, width = style.get("line", colour), style.get("width", 3.5)
    return [_line(x + dx, top, x + dx, bottom, line, width)
            for x in _VESICLE_X for dx, (top, bottom) in ((-0.12, left), (0.12, right))]


# SNARE complexes: intact (both strands whole) or cut by the light chain (SNAP-25 cleaved, no fusion)
SNARES = (("snare", COLOURS["blue"], (2.78, 2.42), (2.78, 2.42), "SNARE complex (SNAP-25 intact)"),
          ("snare_cut", COLOURS["vermillion"], (2.78, 2.62), (2.55, 2.42), "SNAP-25 cut: no fusion"))


def junction_shapes(show, highlight: str | None, release: float) -> tuple[list, list]:
    """Shapes and annotations for one step: the elements in ``show``, ``highlight`` outlined.

    ``release`` (0-1) sets how many acetylcholine dots are drawn in the cleft.
    """
    show = set(show)
    shapes, notes = [], []

    def mark(name):
        return dict(line=_HIGHLIGHT, width=3.5) if name == highlight else {}

    # the axon and terminal (always drawn: the nerve is never destroyed)
    shapes.append(_rect(4.4, 5.6, 4.2, 6.2, SCHEMATIC["terminal"], width=1.5))
    shapes.append(dict(type="circle", **_TERMINAL, fillcolor=SCHEMATIC["terminal"], opacity=1.0,
                       line=dict(color=GREYS["ink"], width=1.5), layer="above"))
    notes.append(_label(6.0, 5.6, "motor nerve terminal", anchor="left"))

    # muscle fibre and its acetylcholine receptors
    if "muscle" in show or "muscle_weak" in show:
        weak = "muscle_weak" in show
        style = mark("muscle_weak") or {}
        shapes.append(_rect(0.4, 9.6, 0.1, 1.6, SCHEMATIC["muscle_weak"] if weak else SCHEMATIC["muscle"],
                            **_outline(style)))
        notes.append(_label(5.0, 0.55, "muscle fibre: weak, few fibres fire" if weak else "muscle fibre contracts",
                            bold=weak and highlight == "muscle_weak"))
    if "receptors" in show:
        for x in _RECEPTOR_X:
            shapes.append(_rect(x - 0.12, x + 0.12, 1.6, 1.8, COLOURS["blue"], line=COLOURS["blue"]))
        notes.append(_label(RIGHT, 1.7, "ACh receptors", anchor="left"))

    # vesicles, docked by SNARE complexes (intact or cut)
    stuck = "vesicles_stuck" in show
    if "vesicles" in show or stuck:
        style = mark("vesicles_stuck") if stuck else {}
        for x in _VESICLE_X:
            shapes.append(_circle(x, 3.05, 0.3, SCHEMATIC["receptor"] if not stuck else SCHEMATIC["stuck"],
                                  **_outline(style)))
        for x in (3.8, 6.2):
            shapes.append(_circle(x, 3.85, 0.28, SCHEMATIC["receptor"], line=GREYS["ink"]))
        notes.append(_label(RIGHT, 3.3, "vesicles stuck: cannot fuse" if stuck else "vesicles full of ACh",
                            anchor="left", bold=stuck and highlight == "vesicles_stuck"))
    for element, colour, left, right, text in SNARES:
        if element in show:
            shapes.extend(_snare_strands(mark(element), colour, left, right))
            notes.append(_label(RIGHT, 2.7, text, bold=highlight == element, anchor="left"))

    # acetylcholine in the cleft, from the parent terminal and from sprouts
    if "ach" in show:
        shapes.extend(_ach_dots(int(round(14 * release)), 2.8, 7.2, seed=2))
        notes.append(_label(RIGHT, 2.15, "acetylcholine (ACh) in the gap", anchor="left"))
    if "ach_sprouts" in show:
        shapes.extend(_ach_dots(4, 0.9, 1.6, seed=3) + _ach_dots(4, 8.4, 9.1, seed=4))

    # the toxin: docked, taken inside, light chain released
    if "toxin_bound" in show:
        style = mark("toxin_bound")
        shapes.append(_rect(1.55, 2.05, 3.35, 3.75, COLOURS["orange"], **_outline(style)))
        shapes.append(_circle(1.4, 3.55, 0.18, COLOURS["yellow"], **_outline(style)))
        notes.append(_label(0.1, 4.1, "toxin docked on gangliosides + SV2", bold=highlight == "toxin_bound",
                            anchor="left"))
    if "endosome" in show:
        style = mark("endosome")
        shapes.append(_circle(3.0, 3.9, 0.42, SCHEMATIC["endosome"], **_outline(style, 1.2)))
        shapes.append(_rect(2.8, 3.1, 3.8, 4.05, COLOURS["orange"]))
        notes.append(_label(1.9, 5.0, "toxin inside a vesicle (endocytosis)", bold=highlight == "endosome"))
    if "light_chain" in show:
        style = mark("light_chain")
        for x, y in ((4.0, 3.45), (5.0, 3.5), (6.0, 3.4), (7.0, 3.55)):
            shapes.append(_circle(x, y, 0.14, COLOURS["yellow"], **_outline(style)))
        notes.append(_label(RIGHT, 3.9, "light chain (protease) loose", bold=highlight == "light_chain", anchor="left"))

    # sprouts: new contacts beside the parent terminal
    if "sprouts" in show or "sprouts_fading" in show:
        fading = "sprouts_fading" in show
        style = mark("sprouts_fading" if fading else "sprouts")
        colour = style.get("line", COLOURS["sky_blue"])
        dash = "dot" if fading else "solid"
        width = 2.0 if fading else style.get("width", 3.0)
        shapes.append(_path("M 2.3 3.0 Q 1.2 2.8 1.25 1.75", colour, width, dash))
        shapes.append(_path("M 7.7 3.0 Q 8.8 2.8 8.75 1.75", colour, width, dash))
        if not fading:
            shapes.append(_circle(1.25, 1.8, 0.12, COLOURS["sky_blue"], line=colour))
            shapes.append(_circle(8.75, 1.8, 0.12, COLOURS["sky_blue"], line=colour))
        notes.append(_label(0.2, 3.35, "sprouts retracting" if fading else "nerve sprouts", anchor="left",
                            bold=highlight in ("sprouts", "sprouts_fading")))
    return shapes, notes


@functools.cache
def _step_base() -> dict:
    """The empty schematic: fixed axes (hidden), no data traces; shapes and notes are set per step."""
    figure = go.Figure()
    figure.update_layout(
        height=430, margin=dict(l=10, r=10, t=50, b=10), plot_bgcolor="white", paper_bgcolor="white",
        title=dict(text="", x=0.01, xanchor="left", font=dict(size=FONT_SIZES["title"])),
        xaxis=dict(range=[0, 13.6], visible=False, fixedrange=True),
        yaxis=dict(range=[0, 6.2], visible=False, fixedrange=True, scaleanchor="x", scaleratio=1),
        showlegend=False,
    )
    return state_of(figure)


def step_state(title: str, when: str, show, highlight: str | None, release: float) -> dict:
    """The schematic of one step: its title (and when it happens), its shapes and notes."""
    shapes, notes = junction_shapes(show, highlight, release)
    return restyled(_step_base(), layout={
        "title": {"text": f"{title} <span style='font-size:{LABEL_PX}px;color:{MUTED}'>({when})</span>"},
        "shapes": shapes, "annotations": notes})


# ---------------------------------------------------------------------------------------------
# The blockade time course
# ---------------------------------------------------------------------------------------------
@functools.cache
def _course_base() -> dict:
    """Three stacked panels sharing the time axis: muscle response, intact SNAP-25, release by source."""
    figure = make_subplots(rows=3, cols=1, shared_xaxes=True, vertical_spacing=0.07, row_heights=[0.4, 0.27, 0.33])
    figure.update_layout(
        font=dict(size=FONT_SIZES["body"]), height=660, margin=dict(l=80, r=20, t=60, b=120), plot_bgcolor="white",
        paper_bgcolor="white",
        title=dict(text="The muscle weakens within days, is weakest at about 3 weeks and recovers over months",
                   x=0.01, xanchor="left", font=dict(size=FONT_SIZES["title"])),
        legend=dict(orientation="h", yanchor="top", y=-0.12, x=0), hovermode="x unified",
    )
    for row, title, top in ((1, "muscle response<br>(CMAP, % of baseline)", 105),
                            (2, "intact SNAP-25<br>(% of normal)", 105),
                            (3, "ACh release<br>(% of normal)", 105)):
        figure.update_yaxes(title_text=title, range=[0, top], row=row, col=1, **AXIS)
        figure.update_xaxes(row=row, col=1, **AXIS)
    figure.update_xaxes(title_text="months since the first injection", row=3, col=1)
    figure.add_scatter(name="clinical threshold (25% fall)", mode="lines",
                       line=dict(color=COLOURS["black"], dash="dot", width=1.5), hoverinfo="skip", row=1, col=1)
    figure.add_scatter(name="muscle response", mode="lines", line=dict(color=COLOURS["vermillion"], width=3),
                       hovertemplate="%{y:.0f}% of baseline<extra></extra>", row=1, col=1)
    figure.add_scatter(name="injection", mode="markers",
                       marker=dict(symbol="triangle-down", size=12, color=COLOURS["black"]),
                       hovertemplate="injection<extra></extra>", row=1, col=1)
    figure.add_scatter(name="intact SNAP-25", mode="lines", line=dict(color=COLOURS["blue"], width=3),
                       hovertemplate="%{y:.0f}% intact<extra></extra>", row=2, col=1)
    figure.add_scatter(name="release by the parent terminal", mode="lines", stackgroup="release",
                       line=dict(color=COLOURS["bluish_green"], width=1), fillcolor=fill(COLOURS["bluish_green"], 0.45),
                       hovertemplate="parent %{y:.0f}%<extra></extra>", row=3, col=1)
    figure.add_scatter(name="release by sprouts", mode="lines", stackgroup="release",
                       line=dict(color=COLOURS["sky_blue"], width=1), fillcolor=fill(COLOURS["sky_blue"], 0.55),
                       fillpattern=dict(shape="/", fgcolor=fill(COLOURS["black"], 0.35), size=8),  # not by colour alone
                       hovertemplate="sprouts %{y:.0f}%<extra></extra>", row=3, col=1)
    return state_of(figure)


def course_state(course, stride: int = 4) -> dict:
    """The three panels for a :class:`helpers.models.junction.JunctionCourse`.

    Every ``stride``-th grid point is drawn (daily points with the model's 6-hour grid). The grid is even and
    starts at 0, so the curves carry ``x0``/``dx`` instead of four copies of the time axis (half the bytes of
    each state and of the frames computed ahead for a slider).
    """
    days = course.days[::stride]
    step = float(days[1] - days[0]) / DAYS_PER_MONTH if days.size > 1 else 1.0
    end = float(np.round(days[-1] / DAYS_PER_MONTH, 3))
    threshold = 100.0 - course.params.clinical_threshold_percent
    timeline = {"x0": float(days[0]) / DAYS_PER_MONTH, "dx": step}
    return restyled(_course_base(), {
        0: {"x": [0.0, end], "y": [threshold, threshold]},
        1: {**timeline, "y": np.round(course.response[::stride] * 100, 2)},
        2: {"x": np.round(course.injection_days / DAYS_PER_MONTH, 3), "y": np.full(course.injection_days.size, 103.0)},
        3: {**timeline, "y": np.round(course.intact_snap25[::stride] * 100, 2)},
        4: {**timeline, "y": np.round(course.parent_release[::stride] * 100, 2)},
        5: {**timeline, "y": np.round(course.sprout_release[::stride] * 100, 2)},
    }, layout={axis: {"range": [0, end]} for axis in ("xaxis", "xaxis2", "xaxis3")})
