"""Figures of the criteria calculator (notebook 01): the body map of the 19 widespread-pain-index sites,
and the score plane (WPI against SSS).

Each figure's fixed parts (outline, markers' places and shapes, region labels' places, zones, layout) are
built once; :func:`body_map_state` and :func:`score_plane_state` return the whole figure state for one
patient, changing only what the patient changes. The map is drawn facing the patient, so the patient's
right is on the viewer's left.
"""
from __future__ import annotations

import functools

import numpy as np

from ..theme import COLOURS, FONT_SIZES, GREYS, fill
from .theme import figure_base, restyled, state_of

# Schematic positions (x, y) facing the patient: negative x = patient's right. Axial sites run down
# the midline (the back sites are drawn on the midline too: one outline serves front and back).
SITE_XY = {
    "jaw_right": (-0.32, 8.75), "jaw_left": (0.32, 8.75),
    "neck": (0.0, 8.15),
    "shoulder_girdle_right": (-0.95, 7.75), "shoulder_girdle_left": (0.95, 7.75),
    "upper_arm_right": (-1.4, 6.75), "upper_arm_left": (1.4, 6.75),
    "lower_arm_right": (-1.7, 5.55), "lower_arm_left": (1.7, 5.55),
    "upper_back": (0.0, 7.45), "chest": (0.0, 6.8), "abdomen": (0.0, 5.85), "lower_back": (0.0, 5.2),
    "hip_right": (-0.6, 4.55), "hip_left": (0.6, 4.55),
    "upper_leg_right": (-0.68, 3.35), "upper_leg_left": (0.68, 3.35),
    "lower_leg_right": (-0.75, 1.7), "lower_leg_left": (0.75, 1.7),
}
REGION_LABEL_XY = {
    "right_upper": (-2.45, 7.6), "left_upper": (2.45, 7.6),
    "right_lower": (-2.2, 3.0), "left_lower": (2.2, 3.0),
    "axial": (0.0, 0.35),
}
REGION_ORDER = tuple(REGION_LABEL_XY)
# A stick-figure outline: head, torso, arms, legs (None breaks the line).
_OUTLINE = [
    (-0.5, 9.2), (-0.45, 9.6), (0.0, 9.85), (0.45, 9.6), (0.5, 9.2), (0.35, 8.55), (0.0, 8.4), (-0.35, 8.55),
    (-0.5, 9.2), None,
    (-0.2, 8.45), (-0.2, 8.05), (-1.1, 7.95), (-1.55, 6.9), (-1.95, 5.0), None,
    (0.2, 8.45), (0.2, 8.05), (1.1, 7.95), (1.55, 6.9), (1.95, 5.0), None,
    (-0.75, 7.9), (-0.65, 5.0), (-0.9, 4.3), (-0.85, 2.6), (-0.9, 0.9), None,
    (0.75, 7.9), (0.65, 5.0), (0.9, 4.3), (0.85, 2.6), (0.9, 0.9), None,
    (-0.9, 4.3), (0.9, 4.3),
]

PAINFUL_COUNTED = COLOURS["vermillion"]
PAINFUL_NOT_COUNTED = COLOURS["orange"]
NOT_PAINFUL = GREYS["white"]


@functools.cache
def _body_map_base(sites: tuple, width: int | None, height: int) -> dict:
    """The outline, one marker per site (``sites``: records with name, label, in_generalized_pain, in
    body-layout order), the five region labels' places and the key; all unpainful."""
    figure = figure_base("Generalized pain needs 4 of 5 regions<br>(\u25c6 jaw, chest, abdomen do not count)",
                         "patient's right \u2190   \u2192 patient's left", "", height=height, showlegend=False)
    if width is not None:
        figure.update_layout(width=width)
    figure.update_layout(title=dict(font=dict(size=FONT_SIZES["body"])), margin=dict(l=10, r=10, t=75, b=45),
                         hovermode="closest")
    hidden = dict(showticklabels=False, showgrid=False, showline=False, ticks="", fixedrange=True)
    figure.update_xaxes(range=[-3.3, 3.3], **hidden)
    figure.update_yaxes(range=[0, 10.1], scaleanchor="x", scaleratio=1, **hidden)
    # NaN breaks the line where the outline had None (and travels in the binary array).
    xs = np.array([point[0] if point else np.nan for point in _OUTLINE])
    ys = np.array([point[1] if point else np.nan for point in _OUTLINE])
    figure.add_scatter(x=xs, y=ys, mode="lines", line=dict(color=COLOURS["grey"], width=2), hoverinfo="skip")
    names = [site.name for site in sites]
    figure.add_scatter(
        x=np.array([SITE_XY[name][0] for name in names]), y=np.array([SITE_XY[name][1] for name in names]),
        mode="markers",
        marker=dict(size=20, color=[NOT_PAINFUL] * len(names),
                    symbol=["circle" if site.in_generalized_pain else "diamond" for site in sites],
                    line=dict(color=COLOURS["black"], width=1.5)),
        customdata=[site.label for site in sites], hovertemplate="%{customdata}: %{text}<extra></extra>",
        text=["not painful"] * len(names))
    keys = REGION_ORDER
    figure.add_scatter(x=np.array([REGION_LABEL_XY[key][0] for key in keys]),
                       y=np.array([REGION_LABEL_XY[key][1] for key in keys]),
                       mode="text", text=[""] * len(keys), textfont=dict(size=FONT_SIZES["label"]), hoverinfo="skip")
    figure.add_annotation(x=0, y=0, xref="paper", yref="paper", xanchor="left", yanchor="bottom",
                          showarrow=False, align="left",
                          font=dict(size=FONT_SIZES["small"], color=GREYS["axis"]),
                          text="white = no pain<br>red = painful, counts for its region"
                               "<br>orange \u25c6 = painful, adds to the WPI only<br>(hover a marker for its site)")
    return state_of(figure)


def body_map_state(sites, mask, region_flags: dict, region_names: dict, width: int | None = None,
                   height: int = 560) -> dict:
    """The body map with the markers coloured from ``mask`` (bool per site) and each region's status
    (``region_flags``: region key -> counted)."""
    colours, states = [], []
    for site, hurt in zip(sites, mask, strict=True):
        if not hurt:
            colours.append(NOT_PAINFUL)
            states.append("not painful")
        elif site.in_generalized_pain:
            colours.append(PAINFUL_COUNTED)
            states.append("painful; counts for its region")
        else:
            colours.append(PAINFUL_NOT_COUNTED)
            states.append("painful; adds to the WPI only")
    counted, not_counted = "counts \u2714", "not counted"
    labels = [f"<b>{region_names[key].capitalize()}</b><br>{counted if region_flags[key] else not_counted}"
              for key in REGION_ORDER]
    return restyled(_body_map_base(tuple(sites), width, height),
                    {1: {"marker": {"color": colours}, "text": states}, 2: {"text": labels}})


# --------------------------------------------------------------------------------------------- score plane
def _rectangle(x0, x1, y0, y1):
    return np.array([x0, x1, x1, x0, x0], dtype=float), np.array([y0, y0, y1, y1, y0], dtype=float)


@functools.cache
def _score_plane_base() -> dict:
    """WPI (x) against SSS (y) with the 2016 score-rule zones shaded and the patient's dot (not placed)."""
    figure = figure_base("The score rule: the patient (dot) must sit in a shaded zone",
                         "widespread pain index, WPI (sites, 0-19)", "symptom severity, SSS (points, 0-12)",
                         height=420, hovermode="closest")
    figure.update_xaxes(range=[-0.5, 19.5], dtick=1)
    figure.update_yaxes(range=[-0.5, 12.5], dtick=1)
    for name, (x, y) in {"2016 and 2010: WPI ≥ 7 and SSS ≥ 5": _rectangle(6.5, 19.5, 4.5, 12.5),
                         "2016: WPI 4-6 and SSS ≥ 9": _rectangle(3.5, 6.5, 8.5, 12.5)}.items():
        figure.add_scatter(name=name, x=x, y=y, mode="lines", fill="toself", hoverinfo="skip",
                           fillcolor=fill(COLOURS["bluish_green"], 0.18),
                           line=dict(color=COLOURS["bluish_green"], width=1))
    x, y = _rectangle(2.5, 3.5, 8.5, 12.5)
    figure.add_scatter(name="2010 only: WPI 3 and SSS ≥ 9", x=x, y=y, mode="lines", hoverinfo="skip",
                       line=dict(color=COLOURS["blue"], width=2, dash="dash"))
    figure.add_scatter(name="this patient (filled: all 2016 rules met)", mode="markers+text", textposition="top center",
                       marker=dict(size=18, color=COLOURS["vermillion"],
                                   line=dict(width=3, color=COLOURS["vermillion"])),
                       hovertemplate="WPI %{x}, SSS %{y}<extra></extra>")
    return state_of(figure)


def score_plane_state(result) -> dict:
    """The score plane with the patient's dot at (WPI, SSS), filled only when all three 2016 rules are met
    (``result``: a :class:`helpers.models.criteria.Assessment`)."""
    months = result.symptoms.duration_months
    base = _score_plane_base()
    return restyled(base, {len(base["data"]) - 1: {
        "x": np.array([result.wpi], dtype=float), "y": np.array([result.sss], dtype=float),
        "text": [f"WPI {result.wpi}, SSS {result.sss}, {result.n_regions}/5 regions, {months:g} months"],
        "marker": {"symbol": "circle" if result.meets_2016 else "circle-open"}}})
