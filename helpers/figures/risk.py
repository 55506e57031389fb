"""Figures of notebook 05 (risk trade-offs): dose-response, icon arrays, dose safety, cost, anecdote, decision.

``*_figure()`` builds a FigureWidget once with its layout fixed; ``update_*()`` changes only trace data
inside one ``batch_update``.
"""
from __future__ import annotations

import numpy as np

from ..models import risk
from .theme import COLOURS, figure_widget as _theme_figure


def figure_widget(*args, **kwargs):
    """The course figure, with the legend moved below the x-axis title (these figures have long legends)."""
    figure = _theme_figure(*args, **kwargs)
    figure.update_layout(legend=dict(y=-0.3), margin=dict(b=110))
    return figure

DOSES = np.arange(0, 401, 5, dtype=float)
GRID = 10                                             # icons per row
ICON_X = np.tile(np.arange(GRID), GRID).astype(float)
ICON_Y = np.repeat(np.arange(GRID)[::-1], GRID).astype(float)
GAP = 13                                              # x offset of the harm array
RELIEF_COLOURS = (COLOURS["bluish_green"], COLOURS["sky_blue"], "#d9d9d9")
HARM_COLOURS = (COLOURS["vermillion"], COLOURS["orange"], "#d9d9d9")
# A discrete colour scale over category codes 0-5 (relief: 0-2, harm: 3-5): numbers update faster than colour strings.
_ALL = RELIEF_COLOURS + HARM_COLOURS
ICON_SCALE = [[edge, colour] for i, colour in enumerate(_ALL) for edge in (i / 6, (i + 1) / 6)]


def _band(figure, name, colour):
    figure.add_scatter(name=name, mode="lines", x=np.concatenate([DOSES, DOSES[::-1]]), fill="toself",
                       fillcolor=colour, line=dict(width=0), hoverinfo="skip")


# --------------------------------------------------------------------------------------------- benefit-harm
def dose_response_figure():
    figure = figure_widget("More toxin buys little extra relief but steadily more harm",
                           "dose per session (onabotulinumtoxinA units)", "patients affected (%)", height=380)
    figure.update_yaxes(range=[0, 100])
    figure.update_xaxes(range=[0, 400])
    _band(figure, "relief: range of the evidence", "rgba(0,158,115,0.18)")
    figure.add_scatter(name="relief after a sham injection", mode="lines", x=[0, 400],
                       line=dict(color=COLOURS["sky_blue"], dash="dash", width=2), hoverinfo="skip")
    figure.add_scatter(name="relief on toxin (central)", mode="lines", x=DOSES, line=dict(color=COLOURS["bluish_green"], width=3),
                       hovertemplate="%{x} U: %{y:.0f}% with relief<extra></extra>")
    _band(figure, "adverse effect: range", "rgba(213,94,0,0.15)")
    figure.add_scatter(name="adverse effect (central)", mode="lines", x=DOSES, line=dict(color=COLOURS["vermillion"], width=3),
                       hovertemplate="%{x} U: %{y:.1f}% with the effect<extra></extra>")
    figure.add_scatter(name="chosen dose", mode="markers", marker=dict(size=12, color=COLOURS["black"], symbol="diamond"),
                       hovertemplate="%{x} U: %{y:.1f}%<extra></extra>")
    return figure


def update_dose_response(figure, dose, region, effect, ed50=None, exponent=None):
    relief = {level: risk.relief_chance(DOSES, region, level, ed50) for level in risk.LEVELS}
    harm = {level: risk.harm_chance(DOSES, region, effect, level, exponent) for level in risk.LEVELS}
    placebo = risk.load_benefit()[region].placebo_percent
    here_relief = float(risk.relief_chance(dose, region, "central", ed50))
    here_harm = float(risk.harm_chance(dose, region, effect, "central", exponent))
    with figure.batch_update():
        band, sham, central, harm_band, harm_central, marker = figure.data
        band.y = np.round(np.concatenate([relief["high"], relief["low"][::-1]]), 2)
        sham.y = [placebo, placebo]
        central.y = np.round(relief["central"], 2)
        harm_band.y = np.round(np.concatenate([harm["high"], harm["low"][::-1]]), 2)
        harm_central.y = np.round(harm["central"], 2)
        harm_central.name = f"{risk.EFFECT_LABELS[effect]} (central)"
        marker.x, marker.y = [dose, dose], [round(here_relief, 2), round(here_harm, 2)]


def icon_figure():
    figure = figure_widget("Out of 100 patients like these: relief (left) and one adverse effect (right)",
                           "", "", height=360)
    figure.update_layout(hovermode="closest")
    figure.update_xaxes(visible=False, range=[-1, GAP + GRID])
    figure.update_yaxes(visible=False, range=[-1, GRID + 0.5], scaleanchor="x")
    figure.add_scatter(name="people", mode="markers", x=np.concatenate([ICON_X, ICON_X + GAP]),
                       y=np.concatenate([ICON_Y, ICON_Y]), showlegend=False,
                       marker=dict(size=15, symbol="circle", line=dict(width=1, color="#666"), color=np.full(200, 2.0),
                                   colorscale=ICON_SCALE, cmin=0, cmax=5, showscale=False),
                       hoverinfo="skip")
    names = ("relief owed to the toxin", "relief anyway (as after a sham)", "no relief / no effect",
             "adverse effect caused by the toxin", "would have had it anyway")
    for name, colour in zip(names, RELIEF_COLOURS + HARM_COLOURS[:2]):
        figure.add_scatter(name=name, mode="markers", x=[None], y=[None], marker=dict(size=13, color=colour))
    figure.add_annotation(x=4.5, y=GRID, text="meaningful relief", showarrow=False, font=dict(size=14))
    figure.add_annotation(x=GAP + 4.5, y=GRID, text="adverse effect", showarrow=False, font=dict(size=14))
    return figure


def icon_colours(figure) -> np.ndarray:
    """The colour of each of the 200 icons (for tests and readers of the figure)."""
    return np.array(_ALL)[np.asarray(figure.data[0].marker.color, dtype=int)]


def update_icons(figure, relief_counts, harm_counts, harm_label):
    codes = np.concatenate([risk.icon_categories(relief_counts), risk.icon_categories(harm_counts) + 3]).astype(float)
    with figure.batch_update():
        figure.data[0].marker.color = codes
        figure.layout.annotations[1].text = harm_label


# --------------------------------------------------------------------------------------------- dose safety
def dose_safety_figure():
    figure = figure_widget("A unit mix-up multiplies the dose; the 12-week window adds sessions up",
                           "", "onabotulinumtoxinA-equivalent units", height=380)
    figure.update_layout(hovermode="closest")
    figure.update_yaxes(autorange=True, rangemode="tozero")  # plotly rescales with the data: no relayout
    figure.add_bar(name="units", x=["one session", "any 12-week window", "mix-up: intended", "mix-up: given"],
                   marker=dict(color=[COLOURS["blue"], COLOURS["sky_blue"], COLOURS["bluish_green"], COLOURS["vermillion"]]),
                   error_y=dict(type="data", symmetric=False, array=[0, 0, 0, 0], arrayminus=[0, 0, 0, 0]),
                   showlegend=False, hovertemplate="%{x}: %{y:.0f} U<extra></extra>")
    figure.add_scatter(name="400-U cumulative 3-month ceiling (secondary source)", mode="lines",
                       x=["one session", "mix-up: given"], y=[400, 400],
                       line=dict(color=COLOURS["black"], dash="dash", width=2), hoverinfo="skip")
    return figure


def update_dose_safety(figure, safety, mixup):
    values = [safety.session_units, safety.units_per_12_weeks, mixup.intended_ona["central"], mixup.given_ona["central"]]
    up = [0, 0, max(mixup.intended_ona.values()) - mixup.intended_ona["central"], 0]
    down = [0, 0, mixup.intended_ona["central"] - min(mixup.intended_ona.values()), 0]
    with figure.batch_update():
        bar = figure.data[0]
        bar.y = np.round(values, 1)
        bar.error_y.array, bar.error_y.arrayminus = np.round(up, 1), np.round(down, 1)
        figure.data[1].y = [safety.ceiling_units, safety.ceiling_units]


INTERVALS_WEEKS = np.arange(4, 27, dtype=float)      # the interval slider's range (data/risk_parameters.csv)


def antibody_figure():
    """Illustrative antibody chance against the interval between sessions, for the chosen session dose."""
    figure = figure_widget("Shorter intervals and bigger doses: more neutralising antibodies (illustrative)",
                           "weeks between sessions", "chance of antibodies (%)", height=320)
    figure.update_layout(hovermode="closest")
    figure.update_xaxes(range=[INTERVALS_WEEKS[0], INTERVALS_WEEKS[-1]])
    figure.update_yaxes(autorange=True, rangemode="tozero")
    figure.add_scatter(name="below the label's 12-week minimum", x=[4, 12, 12, 4, 4], y=[0, 0, 100, 100, 0],
                       mode="lines", fill="toself", fillcolor="rgba(213,94,0,0.10)", line=dict(width=0), hoverinfo="skip")
    figure.add_scatter(name="this session dose", x=INTERVALS_WEEKS, mode="lines",
                       line=dict(color=COLOURS["blue"], width=3), hovertemplate="every %{x} weeks: %{y:.1f}%<extra></extra>")
    figure.add_scatter(name="chosen interval", mode="markers", marker=dict(size=14, color=COLOURS["vermillion"]),
                       hovertemplate="every %{x} weeks: %{y:.1f}%<extra></extra>")
    return figure


def update_antibody(figure, curve_percent, interval_weeks, chosen_percent):
    """``curve_percent`` over ``INTERVALS_WEEKS`` (from ``risk.antibody_percent``) and the chosen point."""
    top = max(float(np.max(curve_percent)) * 1.15, 1.0)
    with figure.batch_update():
        figure.data[0].y = [0, 0, top, top, 0]
        figure.data[1].y = np.round(curve_percent, 3)
        figure.data[2].x, figure.data[2].y = [interval_weeks], [round(float(chosen_percent), 3)]


# --------------------------------------------------------------------------------------------- cost
PRICES = np.round(np.arange(0.5, 10.001, 0.05), 2)


def cost_figure():
    figure = figure_widget("Cheaper units cut the cost of relief, but the visit and the uncertainty remain",
                           "price per unit (USD)", "USD per relief-week", height=380)
    figure.update_xaxes(range=[0, 10])
    figure.update_yaxes(autorange=True, rangemode="tozero")
    figure.add_scatter(name="if the patient responds", mode="lines", x=PRICES, line=dict(color=COLOURS["blue"], width=3),
                       hovertemplate="USD %{x:.2f}/U: USD %{y:,.0f} per relief-week<extra></extra>")
    figure.add_scatter(name="counting the chance of relief", mode="lines", x=PRICES,
                       line=dict(color=COLOURS["vermillion"], width=3, dash="dash"),
                       hovertemplate="USD %{x:.2f}/U: USD %{y:,.0f} per expected relief-week<extra></extra>")
    figure.add_scatter(name="chosen price", mode="markers", marker=dict(size=12, color=COLOURS["black"], symbol="diamond"))
    figure.add_scatter(name="Medicare 2005 and 2026 (secondary source)", mode="markers",
                       marker=dict(size=11, color=COLOURS["orange"], symbol="triangle-up"),
                       hovertemplate="USD %{x:.2f}/U<extra></extra>")
    return figure


def update_cost(figure, dose, admin, region, summary, reference_prices):
    per_session = dose * PRICES + admin
    annual = per_session * summary.sessions_per_year
    responder = annual / summary.relief_weeks_if_responder if summary.relief_weeks_if_responder > 0 else np.full(PRICES.size, np.nan)
    expected = annual / summary.expected_relief_weeks if summary.expected_relief_weeks > 0 else np.full(PRICES.size, np.nan)
    refs = np.array(reference_prices, dtype=float)
    with figure.batch_update():
        figure.data[0].y = np.round(responder, 1)
        figure.data[1].y = np.round(expected, 1)
        point = summary.cost_per_expected_relief_week
        figure.data[2].x, figure.data[2].y = [summary.price_per_unit], [round(point, 1) if np.isfinite(point) else None]
        ref_y = (dose * refs + admin) * summary.sessions_per_year / summary.expected_relief_weeks \
            if summary.expected_relief_weeks > 0 else np.full(refs.size, np.nan)
        figure.data[3].x, figure.data[3].y = refs, np.round(ref_y, 1)


# --------------------------------------------------------------------------------------------- anecdote
def anecdote_figure():
    figure = figure_widget("A useless injection: most points fall below the 30% line anyway",
                           "pain in the week of the injection (0-10)", "pain at follow-up (0-10)", height=420)
    figure.update_layout(hovermode="closest")
    figure.update_xaxes(range=[0, 10.2])
    figure.update_yaxes(range=[0, 10.2])
    figure.add_scatter(name="no change", mode="lines", x=[0, 10], y=[0, 10],
                       line=dict(color=COLOURS["grey"], dash="dash", width=1.5), hoverinfo="skip")
    figure.add_scatter(name="30% less pain ('it worked')", mode="lines", x=[0, 10], y=[0, 7],
                       line=dict(color=COLOURS["bluish_green"], dash="dot", width=2), hoverinfo="skip")
    figure.add_scatter(name="'improved'", mode="markers", marker=dict(size=7, color=COLOURS["bluish_green"], opacity=0.75),
                       hovertemplate="before %{x:.1f}, after %{y:.1f}<extra></extra>")
    figure.add_scatter(name="not improved", mode="markers", marker=dict(size=7, color=COLOURS["vermillion"], symbol="x", opacity=0.75),
                       hovertemplate="before %{x:.1f}, after %{y:.1f}<extra></extra>")
    return figure


def update_anecdote(figure, series):
    improved = series.improved
    with figure.batch_update():
        figure.data[2].x, figure.data[2].y = np.round(series.at_enrolment[improved], 2), np.round(series.at_followup[improved], 2)
        figure.data[3].x, figure.data[3].y = np.round(series.at_enrolment[~improved], 2), np.round(series.at_followup[~improved], 2)


def comparison_figure():
    figure = figure_widget("Only a control group reveals that the drug adds nothing",
                           "", "patients 'improved' (%)", height=320)
    figure.update_layout(hovermode="closest")
    figure.update_yaxes(range=[0, 100])
    figure.add_bar(x=["uncontrolled series (all on toxin)", "randomised: toxin", "randomised: saline"],
                   marker=dict(color=[COLOURS["orange"], COLOURS["blue"], COLOURS["sky_blue"]]), showlegend=False,
                   hovertemplate="%{x}: %{y:.0f}%<extra></extra>")
    return figure


def update_comparison(figure, summary):
    values = [summary.percent_improved, summary.toxin_arm_improved, summary.saline_arm_improved]
    with figure.batch_update():
        figure.data[0].y = [None if not np.isfinite(v) else round(v, 1) for v in values]


# --------------------------------------------------------------------------------------------- decision
def decision_figure():
    figure = figure_widget("What tips the balance for this patient", "score (importance x percentage points)", "",
                           height=400)
    figure.update_layout(hovermode="closest")
    labels = ["relief"] + [risk.EFFECT_LABELS[e] for e in risk.EFFECTS] + ["cost", "NET"]
    figure.add_bar(orientation="h", y=labels[::-1], showlegend=False, hovertemplate="%{y}: %{x:+.0f}<extra></extra>")
    figure.add_scatter(name="net score: pessimistic to optimistic evidence", mode="lines+markers", y=["NET", "NET"],
                       line=dict(color=COLOURS["grey"], width=3), marker=dict(symbol="line-ns-open", size=14, color=COLOURS["grey"]),
                       hovertemplate="%{x:+.0f}<extra></extra>")
    figure.update_yaxes(showgrid=False)
    figure.update_xaxes(autorange=True)
    figure.update_layout(margin=dict(l=230, r=20, t=60, b=60))
    return figure


def update_decision(figure, result):
    values = [result.relief_score["central"]] + [-result.harm_scores[e] for e in risk.EFFECTS] + [-result.cost_score,
                                                                                                 result.net["central"]]
    colours = [COLOURS["bluish_green"]] + [COLOURS["vermillion"]] * len(risk.EFFECTS) + [COLOURS["orange"]]
    colours.append(COLOURS["blue"] if result.net["central"] >= 0 else COLOURS["black"])
    with figure.batch_update():
        bar = figure.data[0]
        bar.x = np.round(values[::-1], 1)
        bar.marker.color = colours[::-1]
        figure.data[1].x = [round(result.net["low"], 1), round(result.net["high"], 1)]
