"""Figures of notebooks 05 and 05b (risk trade-offs; deciding with the patient): dose-response, icon arrays,
dose safety, cost, anecdote, decision.

Each figure's fixed parts (layout, trace styles and names, x data that never changes) are built once and
cached; ``*_state()`` returns the whole figure state for model results, changing only what the model changes.
No model is called here: the explorables (``helpers.explorables.risk``) compute the results and pass them in.
"""
from __future__ import annotations

import functools

import numpy as np

from ..theme import COLOURS, FONT_SIZES, GREYS, fill
from .theme import figure_base, restyled, state_of

GRID = 10                                             # icons per row
ICON_X = np.tile(np.arange(GRID), GRID).astype(float)
ICON_Y = np.repeat(np.arange(GRID)[::-1], GRID).astype(float)
GAP = 13                                              # x offset of the harm array
ICONS_X, ICONS_Y = np.concatenate([ICON_X, ICON_X + GAP]), np.concatenate([ICON_Y, ICON_Y])  # both arrays of 100
RELIEF_COLOURS = (COLOURS["bluish_green"], COLOURS["sky_blue"], GREYS["neutral"])
HARM_COLOURS = (COLOURS["vermillion"], COLOURS["orange"], GREYS["neutral"])
# A discrete colour scale over category codes 0-5 (relief: 0-2, harm: 3-5): numbers travel as one binary array.
_ALL = RELIEF_COLOURS + HARM_COLOURS
ICON_SCALE = [[edge, colour] for i, colour in enumerate(_ALL) for edge in (i / 6, (i + 1) / 6)]


def _band(figure, name, colour, pattern=None):
    """A shaded low-high band; ``pattern`` hatches it (plotly fill pattern shape): bands differ by more than colour."""
    figure.add_scatter(name=name, mode="lines", fill="toself", fillcolor=colour, line=dict(width=0),
                       hoverinfo="skip", **({"fillpattern": dict(shape=pattern, size=8)} if pattern else {}))


def _band_outline(doses, bands: dict) -> dict:
    """The closed outline of a low-high band over ``doses``: high forwards, low backwards."""
    return {"x": np.concatenate([doses, doses[::-1]]),
            "y": np.round(np.concatenate([bands["high"], bands["low"][::-1]]), 2)}


# --------------------------------------------------------------------------------------------- benefit-harm
@functools.cache
def _dose_response_base(last_dose: float) -> dict:
    figure = figure_base("More toxin buys little extra relief but steadily more harm",
                         "dose per session (onabotulinumtoxinA units)", "patients affected (%)", height=380,
                         y_range=[0, 100], x_range=[0, last_dose])
    _band(figure, "relief: range of the evidence", fill(COLOURS["bluish_green"], 0.18))
    figure.add_scatter(name="relief after a sham injection", mode="lines", x=[0, last_dose],
                       line=dict(color=COLOURS["sky_blue"], dash="dash", width=2), hoverinfo="skip")
    figure.add_scatter(name="relief on toxin (central)", mode="lines",
                       line=dict(color=COLOURS["bluish_green"], width=3),
                       hovertemplate="%{x} U: %{y:.0f}% with relief<extra></extra>")
    _band(figure, "adverse effect: range", fill(COLOURS["vermillion"], 0.15), pattern="/")
    # dashed as well as vermillion: the harm curve differs from the relief curve by more than its colour
    figure.add_scatter(name="adverse effect (central)", mode="lines",
                       line=dict(color=COLOURS["vermillion"], width=3, dash="dash"),
                       hovertemplate="%{x} U: %{y:.1f}% with the effect<extra></extra>")
    figure.add_scatter(name="chosen dose", mode="markers",
                       marker=dict(size=12, color=COLOURS["black"], symbol="diamond"),
                       hovertemplate="%{x} U: %{y:.1f}%<extra></extra>")
    return state_of(figure)


def dose_response_state(doses, relief: dict, harm: dict, placebo_percent: float, harm_label: str, dose: float,
                        relief_here: float, harm_here: float) -> dict:
    """Relief and harm curves over ``doses`` (``{level: percent array}`` for low, central, high), the relief
    after a sham injection, the adverse effect's label and the chosen dose with its two percentages."""
    return restyled(_dose_response_base(float(doses[-1])), {
        0: _band_outline(doses, relief),
        1: {"y": np.array([placebo_percent, placebo_percent], dtype=float)},
        2: {"x": doses, "y": np.round(relief["central"], 2)},
        3: _band_outline(doses, harm),
        4: {"x": doses, "y": np.round(harm["central"], 2), "name": f"{harm_label} (central)"},
        5: {"x": np.array([dose, dose], dtype=float), "y": np.round([relief_here, harm_here], 2)},
    })


# Each icon's category has a shape as well as a colour (colour is never the only carrier): relief owed to the toxin
# a circle, relief anyway a square, the adverse effect caused by the toxin a diamond, had anyway a triangle; an open
# circle for neither.
ICON_SYMBOLS = ("circle", "square", "circle-open", "diamond", "triangle-up")
ICON_SYMBOL_CODES = (0, 1, 100, 2, 5, 100)  # plotly's numbers for those symbols, by category code 0-5


@functools.cache
def _icon_base() -> dict:
    figure = figure_base("Out of 100 patients like these: relief (left) and one adverse effect (right)",
                         "", "", height=360, hovermode="closest")
    figure.update_xaxes(visible=False, range=[-1, GAP + GRID])
    figure.update_yaxes(visible=False, range=[-1, GRID + 0.5], scaleanchor="x")
    figure.add_scatter(name="people", mode="markers", x=ICONS_X, y=ICONS_Y, showlegend=False,
                       marker=dict(size=15, symbol="circle", line=dict(width=1, color=GREYS["outline"]),
                                   colorscale=ICON_SCALE, cmin=0, cmax=5, showscale=False),
                       hoverinfo="skip")
    names = ("relief owed to the toxin", "relief anyway (as after a sham)", "no relief / no effect",
             "adverse effect caused by the toxin", "would have had it anyway")
    for name, colour, symbol in zip(names, RELIEF_COLOURS + HARM_COLOURS[:2], ICON_SYMBOLS, strict=True):
        figure.add_scatter(name=name, mode="markers", x=[None], y=[None],
                           marker=dict(size=13, color=colour, symbol=symbol))
    for x, text in ((4.5, "meaningful relief"), (GAP + 4.5, "adverse effect")):
        figure.add_annotation(x=x, y=GRID, text=text, showarrow=False, font=dict(size=FONT_SIZES["body"]))
    return state_of(figure)


def icon_state(relief_categories, harm_categories, harm_label: str) -> dict:
    """Two 100-person icon arrays from the category of each person (``risk.icon_categories``: 0 = owed to the
    toxin, 1 = anyway, 2 = neither) and the adverse effect's label over the right-hand array."""
    codes = np.concatenate([np.asarray(relief_categories, dtype=float),
                            np.asarray(harm_categories, dtype=float) + 3])
    symbols = np.array(ICON_SYMBOL_CODES, dtype=float)[codes.astype(int)]
    return restyled(_icon_base(), {0: {"marker": {"color": codes, "symbol": symbols}}},
                    layout={"annotations": {1: {"text": harm_label}}})


def icon_colours(figure) -> np.ndarray:
    """The colour of each of the 200 icons of a figure state or a ``Figure`` widget (for tests and readers)."""
    state = figure.figure if hasattr(figure, "figure") else figure
    return np.array(_ALL)[np.asarray(state["data"][0]["marker"]["color"], dtype=int)]


# --------------------------------------------------------------------------------------------- dose safety
@functools.cache
def _dose_safety_base() -> dict:
    figure = figure_base("A unit mix-up multiplies the dose; the 12-week window adds sessions up",
                         "", "onabotulinumtoxinA-equivalent units", height=380, hovermode="closest")
    figure.update_yaxes(autorange=True, rangemode="tozero")
    figure.add_bar(name="units", x=["one session", "any 12-week window", "mix-up: intended", "mix-up: given"],
                   marker=dict(color=[COLOURS[name] for name in ("blue", "sky_blue", "bluish_green", "vermillion")]),
                   error_y=dict(type="data", symmetric=False, array=[0, 0, 0, 0], arrayminus=[0, 0, 0, 0]),
                   showlegend=False, hovertemplate="%{x}: %{y:.0f} U<extra></extra>")
    figure.add_scatter(name="label's 400-U maximum in any 3 months (approved uses)", mode="lines",
                       x=["one session", "mix-up: given"],
                       line=dict(color=COLOURS["black"], dash="dash", width=2), hoverinfo="skip")
    return state_of(figure)


def dose_safety_state(safety, mixup) -> dict:
    """Bars for one session, a 12-week window and a unit mix-up (``risk.DoseSafety``, ``risk.UnitMixup``)."""
    intended = mixup.intended_ona
    values = [safety.session_units, safety.units_per_12_weeks, intended["central"], mixup.given_ona["central"]]
    up = [0, 0, max(intended.values()) - intended["central"], 0]
    down = [0, 0, intended["central"] - min(intended.values()), 0]
    return restyled(_dose_safety_base(), {
        0: {"y": np.round(values, 1), "error_y": {"array": np.round(up, 1), "arrayminus": np.round(down, 1)}},
        1: {"y": np.array([safety.ceiling_units, safety.ceiling_units], dtype=float)},
    })


@functools.cache
def _antibody_base(first_week: float, last_week: float, label_minimum_weeks: float) -> dict:
    figure = figure_base("Shorter intervals and bigger doses: more neutralising antibodies (illustrative)",
                         "weeks between sessions", "chance of antibodies (%)", height=320,
                         hovermode="closest", x_range=[first_week, last_week])
    figure.update_yaxes(autorange=True, rangemode="tozero")
    shaded = [first_week, label_minimum_weeks, label_minimum_weeks, first_week, first_week]
    figure.add_scatter(name=f"below the label's {label_minimum_weeks:g}-week minimum", x=shaded, mode="lines",
                       fill="toself", fillcolor=fill(COLOURS["vermillion"], 0.10), line=dict(width=0), hoverinfo="skip")
    figure.add_scatter(name="this session dose", mode="lines",
                       line=dict(color=COLOURS["blue"], width=3),
                       hovertemplate="every %{x} weeks: %{y:.1f}%<extra></extra>")
    figure.add_scatter(name="chosen interval", mode="markers", marker=dict(size=14, color=COLOURS["vermillion"]),
                       hovertemplate="every %{x} weeks: %{y:.1f}%<extra></extra>")
    return state_of(figure)


def antibody_state(intervals_weeks, curve_percent, interval_weeks: float, chosen_percent: float,
                   label_minimum_weeks: float) -> dict:
    """Illustrative antibody chance over ``intervals_weeks`` (``risk.antibody_percent``), the chosen point, and the
    intervals shorter than the label's minimum shaded."""
    top = max(float(np.max(curve_percent)) * 1.15, 1.0)
    base = _antibody_base(float(intervals_weeks[0]), float(intervals_weeks[-1]), float(label_minimum_weeks))
    return restyled(base, {
        0: {"y": np.array([0, 0, top, top, 0], dtype=float)},
        1: {"x": intervals_weeks, "y": np.round(curve_percent, 3)},
        2: {"x": np.array([interval_weeks], dtype=float), "y": np.round([float(chosen_percent)], 3)},
    })


# --------------------------------------------------------------------------------------------- cost


def _finite(values) -> np.ndarray:
    """Rounded to 0.1; an unlimited cost (no relief at all) becomes a gap (NaN)."""
    array = np.asarray(values, dtype=float)
    return np.round(np.where(np.isfinite(array), array, np.nan), 1)


@functools.cache
def _cost_base(last_price: float) -> dict:
    figure = figure_base("Cheaper units cut the cost of relief, but the visit and the uncertainty remain",
                         "price per unit (USD)", "USD per relief-week", height=380, x_range=[0, last_price])
    figure.update_yaxes(autorange=True, rangemode="tozero")
    figure.add_scatter(name="if the patient responds", mode="lines", line=dict(color=COLOURS["blue"], width=3),
                       hovertemplate="USD %{x:.2f}/U: USD %{y:,.0f} per relief-week<extra></extra>")
    figure.add_scatter(name="relief owed to the toxin (central)", mode="lines",
                       line=dict(color=COLOURS["vermillion"], width=3, dash="dash"),
                       hovertemplate="USD %{x:.2f}/U: USD %{y:,.0f} per relief-week owed to the toxin<extra></extra>")
    figure.add_scatter(name="chosen price", mode="markers",
                       marker=dict(size=12, color=COLOURS["black"], symbol="diamond"))
    figure.add_scatter(name="Medicare 2005 and 2026 (secondary source)", mode="markers",
                       marker=dict(size=11, color=COLOURS["orange"], symbol="triangle-up"),
                       hovertemplate="USD %{x:.2f}/U<extra></extra>")
    return state_of(figure)


def cost_state(prices, if_responder, expected, price: float, chosen_cost: float, reference_prices,
               reference_cost) -> dict:
    """USD per relief-week over ``prices`` (for a responder, and per relief-week owed to the toxin: ``expected``), the
    chosen price with its cost per relief-week owed to the toxin, and the reference prices with theirs. Unlimited costs
    are left out."""
    return restyled(_cost_base(float(prices[-1])), {
        0: {"x": prices, "y": _finite(if_responder)},
        1: {"x": prices, "y": _finite(expected)},
        2: {"x": np.array([price], dtype=float), "y": _finite([chosen_cost])},
        3: {"x": np.asarray(reference_prices, dtype=float), "y": _finite(reference_cost)},
    })


# --------------------------------------------------------------------------------------------- anecdote
@functools.cache
def _anecdote_base() -> dict:
    figure = figure_base("A useless injection: most points fall below the 30% line anyway",
                         "pain in the week of the injection (0-10)", "pain at follow-up (0-10)", height=420,
                         hovermode="closest", x_range=[0, 10.2], y_range=[0, 10.2])
    figure.add_scatter(name="no change", mode="lines", x=[0, 10], y=[0, 10],
                       line=dict(color=COLOURS["grey"], dash="dash", width=1.5), hoverinfo="skip")
    figure.add_scatter(name="30% less pain ('it worked')", mode="lines", x=[0, 10], y=[0, 7],
                       line=dict(color=COLOURS["bluish_green"], dash="dot", width=2), hoverinfo="skip")
    for name, colour, symbol in (("'improved'", "bluish_green", "circle"), ("not improved", "vermillion", "x")):
        figure.add_scatter(name=name, mode="markers",
                           marker=dict(size=7, color=COLOURS[colour], symbol=symbol, opacity=0.75),
                           hovertemplate="before %{x:.1f}, after %{y:.1f}<extra></extra>")
    return state_of(figure)


def anecdote_state(series) -> dict:
    """The uncontrolled series (``anecdote.AnecdoteSeries``): pain before and after, improved or not."""
    improved = series.improved
    before, after = series.at_enrolment, series.at_followup
    return restyled(_anecdote_base(), {
        2: {"x": np.round(before[improved], 2), "y": np.round(after[improved], 2)},
        3: {"x": np.round(before[~improved], 2), "y": np.round(after[~improved], 2)},
    })


@functools.cache
def _comparison_base() -> dict:
    figure = figure_base("Only a control group reveals that the drug adds nothing",
                         "", "patients 'improved' (%)", height=320, hovermode="closest", y_range=[0, 100])
    figure.add_bar(name="patients 'improved'",
                   x=["uncontrolled series (all on toxin)", "randomised: toxin", "randomised: saline"],
                   marker=dict(color=[COLOURS["orange"], COLOURS["blue"], COLOURS["sky_blue"]]), showlegend=False,
                   hovertemplate="%{x}: %{y:.0f}%<extra></extra>")
    return state_of(figure)


def comparison_state(summary) -> dict:
    """Percent 'improved' in the series and in each randomised arm (``anecdote.AnecdoteSummary``); NaN: no bar."""
    values = [summary.percent_improved, summary.toxin_arm_improved, summary.saline_arm_improved]
    return restyled(_comparison_base(), {0: {"y": np.round(np.asarray(values, dtype=float), 1)}})


# --------------------------------------------------------------------------------------------- decision
@functools.cache
def _decision_base(harm_labels: tuple) -> dict:
    figure = figure_base("What tips the balance for this patient", "score (importance x percentage points)", "",
                         height=400, hovermode="closest")
    labels = ["relief", *harm_labels, "cost", "NET"]
    figure.add_bar(name="score", orientation="h", y=labels[::-1], showlegend=False,
                   hovertemplate="%{y}: %{x:+.0f}<extra></extra>")
    figure.add_scatter(name="net score: pessimistic to optimistic evidence", mode="lines+markers", y=["NET", "NET"],
                       line=dict(color=COLOURS["grey"], width=3),
                       marker=dict(symbol="line-ns-open", size=14, color=COLOURS["grey"]),
                       hovertemplate="%{x:+.0f}<extra></extra>")
    figure.update_yaxes(showgrid=False)
    figure.update_xaxes(autorange=True)
    figure.update_layout(margin=dict(l=230, r=20, t=60, b=60))
    return state_of(figure)


def decision_state(relief_score: float, harm_scores: dict, cost_score: float, net: dict) -> dict:
    """Bars: relief (+), each adverse effect (``{label: score}``, drawn negative), cost (-) and the net score;
    a line over the net score's range (``net``: low, central, high)."""
    values = [relief_score, *(-score for score in harm_scores.values()), -cost_score, net["central"]]
    colours = [COLOURS["bluish_green"], *[COLOURS["vermillion"]] * len(harm_scores), COLOURS["orange"],
               COLOURS["blue"] if net["central"] >= 0 else COLOURS["black"]]
    return restyled(_decision_base(tuple(harm_scores)), {
        0: {"x": np.round(values[::-1], 1), "marker": {"color": colours[::-1]}},
        1: {"x": np.round([net["low"], net["high"]], 1)},
    })
