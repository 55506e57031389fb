"""Figures of the treatment-sequencing model (notebook 04).

Each figure's fixed parts (layout, trace styles) are built once; ``*_state()`` returns the whole figure
state for model results (the explorable runs the model), changing only what the model changes.
:func:`ladder_state` draws the EULAR 2016 recommendation ladder.
"""
from __future__ import annotations

import functools
import math

import numpy as np

from ..models.sequencing import STEP_LABELS, STEPS
from ..theme import COLOURS, FONT_SIZES, GREYS, LIGHT_VERMILLION
from .theme import figure_base, restyled, state_of

TOXIN_COLOUR = COLOURS["orange"]
STEP_COLOUR = COLOURS["blue"]


# ---------------------------------------------------------------------------------------------
# The EULAR 2016 ladder
# ---------------------------------------------------------------------------------------------
RUNGS = {
    "strong_for": ("Strong for", COLOURS["bluish_green"]),
    "weak_for": ("Weak for", COLOURS["sky_blue"]),
    "weak_against": ("Weak against", LIGHT_VERMILLION),
    "strong_against": ("Strong against", COLOURS["vermillion"]),
    "not_assessed": ("Not assessed by EULAR<br>(off-label in fibromyalgia)", COLOURS["orange"]),
}
UNVERIFIED_MARK = "†"


def _named(r) -> str:
    """A therapy as written on its rung: a star if FDA-approved for fibromyalgia, a dagger if unverified."""
    return r.therapy + (" ★" if r.fda_fibromyalgia else "") + ("" if r.verified else " " + UNVERIFIED_MARK)


def _agreement(r) -> str:
    """'75% agreement', '70-80% agreement' or 'agreement not given'."""
    low, high = r.agreement_min_percent, r.agreement_max_percent
    if math.isnan(low):
        return "agreement not given"
    return f"{low:g}" + ("" if low == high else f"-{high:g}") + "% agreement"


def _wrap(items, per_line: int = 3) -> str:
    lines = [" · ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
    return "<br>".join(lines)


def ladder_state(recommendations) -> dict:
    """One rung per recommendation strength, strongest 'for' at the top; the therapies written on it.

    FDA-approved fibromyalgia drugs carry a star. Entries not verified against the source carry a dagger, and a rung
    with any of them is hatched.
    """
    figure = figure_base("EULAR 2016: exercise is the only strong-for; strong opioids are strong-against; "
                         "botulinum toxin A was not assessed", "", "", height=620, showlegend=False,
                         hovermode="closest")
    figure.update_xaxes(visible=False, range=[0, 1])
    order = list(RUNGS)
    labels = [RUNGS[s][0] for s in order]
    texts, hovers, colours, patterns = [], [], [], []
    for strength in order:
        rows = [r for r in recommendations if r.strength == strength]
        texts.append(_wrap([_named(r) for r in rows]))
        hovers.append("<br>".join(f"{r.therapy}: {_agreement(r)}" + ("" if r.verified else " (UNVERIFIED)")
                                  for r in rows))
        colours.append(RUNGS[strength][1])
        patterns.append("" if all(r.verified for r in rows) else "/")
    figure.add_bar(y=labels, x=[1] * len(labels), orientation="h", text=texts, textposition="inside",
                   insidetextanchor="middle", textfont=dict(size=FONT_SIZES["label"], color="black"), hovertext=hovers,
                   hoverinfo="text", marker=dict(color=colours, pattern=dict(shape=patterns, fillmode="overlay",
                                                                             fgcolor="white", fgopacity=0.5),
                                                 line=dict(color="black", width=1)), width=0.8)
    figure.update_yaxes(autorange="reversed", title=None, showgrid=False, ticks="")
    figure.add_annotation(text=("★ FDA-approved for fibromyalgia (recla2010). Strengths and agreement: "
                                "Macfarlane et al. 2017 (macfarlane2017).<br>"
                                f"{UNVERIFIED_MARK} and hatching: entries from notes not yet checked "
                                "against the paper (unverified)."),
                          xref="paper", yref="paper", x=0, y=-0.08, showarrow=False, xanchor="left",
                          font=dict(size=FONT_SIZES["small"], color=GREYS["axis"]), align="left")
    figure.update_layout(margin=dict(l=230, r=20, t=60, b=80))
    return state_of(figure)


def ladder_description(recommendations) -> str:
    """The ladder in words (fallback text and screen-reader summary)."""
    parts = []
    for strength, (label, _) in RUNGS.items():
        names = [r.therapy + ("" if r.verified else " (unverified)") for r in recommendations if r.strength == strength]
        parts.append(f"{label.replace('<br>', ' ')}: {', '.join(names)}.")
    return " ".join(parts)


# ---------------------------------------------------------------------------------------------
# Patient flow
# ---------------------------------------------------------------------------------------------
FLOW_REASONS = ("lasting relief", "no response", "stopped: adverse effects", "relapsed")
FLOW_COLOURS = {"lasting relief": COLOURS["bluish_green"], "no response": COLOURS["grey"],
                "stopped: adverse effects": COLOURS["vermillion"], "relapsed": COLOURS["sky_blue"]}
# Each outcome has a fill pattern as well as a colour, so the legend reads without colour vision (WCAG 1.4.1).
FLOW_PATTERNS = {"lasting relief": "", "no response": ".", "stopped: adverse effects": "x", "relapsed": "/"}


@functools.cache
def _flow_base() -> dict:
    """Patient flow as stacked bars: one bar per step in sequence order, split by what happened to the
    patients who started it; everyone but the green part moves on to the next bar.

    (A Sankey diagram showed this before; plotly.js animates every Sankey change for a fixed 500 ms, so
    it trailed each slider move by half a second.)
    """
    figure = figure_base("Patient flow: each step helps some patients; the rest move on to the next step",
                         "patients (of the cohort of 10,000)", "", height=400, barmode="stack")
    figure.update_layout(hovermode="closest", margin=dict(l=250, r=30, t=60, b=110),
                         legend=dict(y=-0.25, traceorder="normal"))
    figure.update_yaxes(autorange="reversed")
    for reason in FLOW_REASONS:
        figure.add_bar(name=reason, orientation="h",
                       marker=dict(color=FLOW_COLOURS[reason], pattern=dict(shape=FLOW_PATTERNS[reason], size=7)),
                       hovertemplate=f"%{{y}}: %{{x:,}} patients, {reason}<extra></extra>")
    return state_of(figure)


def flow_rows(result) -> tuple:
    """Bar labels (steps in order, with the patients who start each) and patients per outcome per step."""
    labels = [f"{position + 1}. {STEP_LABELS[step]} ({int(n):,})"
              for position, (step, n) in enumerate(zip(result.order, result.entering, strict=True))]
    counts = {"lasting relief": result.lasting, "no response": result.no_response,
              "stopped: adverse effects": result.adverse_stop, "relapsed": result.relapsed}
    return labels, {reason: [int(n) for n in counts[reason]] for reason in FLOW_REASONS}


def flow_state(result) -> dict:
    """The patient-flow bars for a :class:`helpers.models.sequencing.CohortResult`."""
    labels, counts = flow_rows(result)
    return restyled(_flow_base(),
                    {index: {"y": labels, "x": np.array(counts[reason])} for index, reason in enumerate(FLOW_REASONS)},
                    layout={"xaxis": {"range": [0, result.n]}})


# ---------------------------------------------------------------------------------------------
# Time to first relief
# ---------------------------------------------------------------------------------------------
@functools.cache
def _relief_time_base() -> dict:
    figure = figure_base("Waiting for relief: the share of patients helped at least once, month by month",
                         "months since the first treatment", "relieved at least once (% of patients)",
                         height=400, y_range=[0, 100])
    figure.update_layout(legend=dict(y=-0.3), margin=dict(b=110))
    figure.add_scatter(name="stepped care (toxin last), same rates", mode="lines",
                       line=dict(color=COLOURS["grey"], width=2.5, dash="dash", shape="hv"),
                       hovertemplate="month %{x}: %{y:.0f}%<extra>toxin last</extra>")
    figure.add_scatter(name="this sequence", mode="lines", line=dict(color=COLOURS["blue"], width=3, shape="hv"),
                       hovertemplate="month %{x}: %{y:.0f}%<extra>this sequence</extra>")
    return state_of(figure)


def relief_time_state(months, share, share_reference) -> dict:
    """The share (0-1) relieved at least once by each month, for this sequence and for the reference
    (``helpers.models.sequencing.relief_curve`` of each cohort, on the same ``months``)."""
    months = np.asarray(months, dtype=float)
    return restyled(_relief_time_base(), {0: {"x": months, "y": np.round(np.asarray(share_reference) * 100, 2)},
                                          1: {"x": months, "y": np.round(np.asarray(share) * 100, 2)}},
                    layout={"xaxis": {"range": [0, float(months[-1])]}})


# ---------------------------------------------------------------------------------------------
# Refractory after each step, and exposure
# ---------------------------------------------------------------------------------------------
@functools.cache
def _refractory_base() -> dict:
    figure = figure_base("Still refractory: the share without lasting relief falls step by step",
                         "after step", "without lasting relief (%)", height=400, showlegend=False,
                         hovermode="closest", y_range=[0, 110])
    figure.add_bar(name="still refractory", texttemplate="%{y:.0f}%", textposition="outside", cliponaxis=False,
                   hovertemplate="%{x}: %{y:.1f}%<extra></extra>")
    return state_of(figure)


def refractory_state(result) -> dict:
    """The share still without lasting relief after each step of ``result.order``."""
    labels = [f"{i + 1}. {STEP_LABELS[s]}" for i, s in enumerate(result.order)]
    colours = [TOXIN_COLOUR if s == "botulinum" else STEP_COLOUR for s in result.order]
    return restyled(_refractory_base(), {0: {"x": labels, "y": np.round(result.refractory_after * 100, 2),
                                             "marker": {"color": colours}}})


@functools.cache
def _exposure_base() -> dict:
    figure = figure_base("Who is exposed: moving a treatment earlier exposes more patients to its adverse effects",
                         "patients who start the treatment", "", height=360, barmode="group", hovermode="closest")
    labels = [STEP_LABELS[s] for s in STEPS]
    figure.add_bar(name="stepped care (toxin last), same rates", y=labels, orientation="h",
                   marker=dict(color=COLOURS["grey"], pattern=dict(shape="/", size=7)),  # hatched: not by colour alone
                   hovertemplate="%{y}: %{x:,} patients<extra>toxin last</extra>")
    figure.add_bar(name="this sequence", y=labels, orientation="h",
                   marker=dict(color=[TOXIN_COLOUR if s == "botulinum" else STEP_COLOUR for s in STEPS]),
                   texttemplate="%{x:,}", textposition="outside",
                   hovertemplate="%{y}: %{x:,} patients<extra>this sequence</extra>")
    figure.update_yaxes(autorange="reversed")
    figure.update_layout(margin=dict(l=200, r=60, t=60, b=110), legend=dict(y=-0.3))
    return state_of(figure)


def exposure_state(result, reference) -> dict:
    """Patients who start each treatment (in :data:`STEPS` order) in ``result`` and in the reference cohort."""
    ours = np.array([result.exposed.get(s, 0) for s in STEPS])
    theirs = np.array([reference.exposed.get(s, 0) for s in STEPS])
    return restyled(_exposure_base(), {0: {"x": theirs}, 1: {"x": ours}},
                    layout={"xaxis": {"range": [0, result.n * 1.15]}})
