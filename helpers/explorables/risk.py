"""Notebook 05: risk trade-offs. One public function per explorable, plus Markdown tables of the data.

benefit_harm()      dose and region -> chance of relief and of one adverse effect, icon arrays, NNT/NNH
dose_safety()       12-week window, cumulative ceiling, antibodies, unit mix-up between products
patient_checklist() contraindications, high-risk conditions, and adverse effects that are not contraindications
anecdote()          a treatment with no effect in an uncontrolled series vs a randomised comparison
cost()              price per unit -> cost per session and per week of meaningful relief
shared_decision()   the patient's importance weights -> a net-benefit score in words

Each explorable has a pure ``render_*(values)``: the model run for one set of control values (sliders and
choices, by name) and the figure states and readouts it gives. ``controls.Live`` calls it on every change
and over a slider's whole range ahead of a drag.
"""
from __future__ import annotations

import functools
import html
import math
from types import SimpleNamespace

import ipywidgets as widgets
import numpy as np

from .. import controls
from ..data import load_presets
from ..figures import risk as risk_figures
from ..models import anecdote as anecdote_model
from ..models import risk
from ..theme import COLOURS

PARAMETERS = risk.PARAMETERS_FILE


@functools.lru_cache(maxsize=1)
def region_options() -> tuple:
    """``(label, region)`` for each injection site of ``risk_benefit.csv`` (read on first use, not at import)."""
    return tuple((row.label, region) for region, row in risk.load_benefit().items())


EFFECT_OPTIONS = [(label[0].upper() + label[1:], effect) for effect, label in risk.EFFECT_LABELS.items()]
TOGGLE_LAYOUT = widgets.Layout(width="auto")


def _toggle(options, value, description):
    return widgets.ToggleButtons(options=options, value=value, description=description,
                                 style={"description_width": "120px", "button_width": "auto"}, layout=TOGGLE_LAYOUT)


@functools.lru_cache(maxsize=1)
def grids() -> dict:
    """The x values of the risk figures, over their sliders' ranges (``data/risk_parameters.csv``): doses and intervals
    at the sliders' steps; prices every 0.25 USD (the cost lines are straight in the price: 39 points draw them and
    keep the price slider's 951 frames small)."""
    specs = risk.parameter_specs()
    made = {"doses": controls.grid(specs["dose_units"]), "intervals_weeks": controls.grid(specs["interval_weeks"]),
            "prices": controls.grid(specs["price_per_unit_usd"], 0.25)}
    for array in made.values():
        array.flags.writeable = False
    return made


def _presets(name):
    return load_presets(f"risk_presets_{name}.csv", PARAMETERS)


def _sliders(names, descriptions: dict | None = None) -> dict:
    return controls.sliders(risk.parameter_specs(), names, descriptions)


def _views(parts: controls.Parts, views: dict) -> controls.FigureViews:
    """The figures ``{button label: output name}`` shown one at a time."""
    return controls.FigureViews({label: parts.outputs[name] for label, name in views.items()})


def _spec(controls_: dict, render, layout, fallback, presets=None, title: str | None = None) -> controls.Spec:
    """Every risk explorable has a row of presets (perhaps none) and Reset, headed by ``title``."""
    return controls.Spec(controls=controls_, render=render, layout=layout, fallback=fallback, presets=presets or {},
                         preset_title=title, reset="Back to the default patient")


# ---------------------------------------------------------------------------------------------
def _benefit_result(values: dict) -> risk.BenefitHarm:
    return risk.benefit_harm(values["dose_units"], values["region"], values["ed50_units"], values["harm_dose_exponent"])


def describe_benefit(values: dict) -> str:
    return risk.describe_benefit_harm(_benefit_result(values), values["effect"])


def render_benefit(values: dict) -> dict:
    """Dose-response curves, icon arrays and readout for a dose, region, adverse effect, ED50 and harm exponent."""
    dose, region, effect = values["dose_units"], values["region"], values["effect"]
    ed50, exponent = values["ed50_units"], values["harm_dose_exponent"]
    result = _benefit_result(values)
    doses = grids()["doses"]
    relief = {level: risk.relief_chance(doses, region, level, ed50) for level in risk.LEVELS}
    harm = {level: risk.harm_chance(doses, region, effect, level, exponent) for level in risk.LEVELS}
    label = risk.EFFECT_LABELS[effect]
    relief_counts = risk.icon_counts(result.relief["central"], result.placebo_relief)
    harm_counts = risk.icon_counts(result.harm[effect]["central"], result.harm_placebo[effect])
    return {
        "curve": risk_figures.dose_response_state(doses, relief, harm, result.placebo_relief, label, dose,
                                                  result.relief["central"], result.harm[effect]["central"]),
        "icons": risk_figures.icon_state(risk.icon_categories(relief_counts), risk.icon_categories(harm_counts), label),
        "readout": controls.readout_html(risk.describe_benefit_harm(result, effect)),
    }


def _benefit_layout(parts: controls.Parts) -> list:
    views = _views(parts, {"Dose-response curves": "curve", "100 patients (icon arrays)": "icons"})
    choices = [parts.controls[name] for name in ("region", "effect")]
    sliders = [parts.controls[name] for name in BENEFIT_SLIDERS]
    return [parts.bar, *choices, *sliders, views, parts.outputs["readout"]]


BENEFIT_SLIDERS = ("dose_units", "ed50_units", "harm_dose_exponent")


@controls.explorable
def benefit_harm() -> controls.Explorable:
    """Dose slider, region and adverse-effect toggles; dose-response figure or two 100-person icon arrays; readout."""
    choices = {"region": _toggle(region_options(), "upper_back_fixed", "Injection sites"),
               "effect": _toggle(EFFECT_OPTIONS, "neck_pain_weakness", "Adverse effect")}
    return controls.Explorable.from_spec(_spec(
        {**_sliders(BENEFIT_SLIDERS), **choices}, render_benefit, _benefit_layout,
        lambda values: ("Interactive: run this cell to move the dose slider and choose the injection sites and an "
                        f"adverse effect. Default: {describe_benefit(values)}"),
        _presets("benefit"), "Doses"))


# ---------------------------------------------------------------------------------------------
def _dose_safety_results(values: dict) -> tuple:
    safety = risk.dose_safety(values["dose_units"], values["interval_weeks"])
    mixup = risk.unit_mixup(values["prescribed_units"], values["written"], values["given"])
    return safety, mixup


def render_dose_safety(values: dict) -> dict:
    """Dose and mix-up bars, the antibody curve and the readout for a session dose, interval and unit mix-up."""
    safety, mixup = _dose_safety_results(values)
    intervals = grids()["intervals_weeks"]
    curve = risk.antibody_percent(values["dose_units"], intervals)
    minimum = risk.limits()["min_interval_weeks"].value
    return {
        "units": risk_figures.dose_safety_state(safety, mixup),
        "antibodies": risk_figures.antibody_state(intervals, curve, values["interval_weeks"], safety.antibody_percent,
                                                  minimum),
        "readout": controls.readout_html(risk.describe_dose_safety(safety, mixup)),
    }


def _dose_safety_layout(parts: controls.Parts) -> list:
    views = _views(parts, {"Dose and unit mix-up": "units", "Antibodies and interval": "antibodies"})
    sliders = [parts.controls[name] for name in ("dose_units", "interval_weeks", "prescribed_units")]
    products = widgets.HBox([parts.controls["written"], parts.controls["given"]])
    return [parts.bar, *sliders, products, views, parts.outputs["readout"]]


def _product_choice(value: str, description: str) -> widgets.Dropdown:
    options = [(f"{p.label} ({p.brand})", name) for name, p in risk.load_products().items()]
    return widgets.Dropdown(options=options, value=value, description=description, style={"description_width": "120px"})


@controls.explorable
def dose_safety() -> controls.Explorable:
    """Session dose and interval sliders; a prescription written for one product and drawn up as another."""
    sliders = _sliders(("dose_units", "interval_weeks", "prescribed_units"),
                       {"dose_units": "Session dose (onabotulinumtoxinA units) (U)"})
    choices = {"written": _product_choice("abobotulinumtoxinA", "Written for"),
               "given": _product_choice("onabotulinumtoxinA", "Drawn up as")}
    return controls.Explorable.from_spec(_spec(
        {**sliders, **choices}, render_dose_safety, _dose_safety_layout,
        lambda values: ("Interactive: run this cell to change the session dose, the interval and the products in the "
                        f"unit mix-up. Default: {risk.describe_dose_safety(*_dose_safety_results(values))}")))


# ---------------------------------------------------------------------------------------------
KIND_TEXT = {"contraindication": ("CONTRAINDICATION", COLOURS["vermillion"]),
             "high_risk": ("HIGH RISK", COLOURS["orange"]),
             "not_established": ("SAFETY NOT ESTABLISHED", COLOURS["reddish_purple"]),
             "adverse_effect": ("ADVERSE EFFECT, not a contraindication", COLOURS["blue"])}
ARTICLE_ITEMS = ("had_back_pain", "had_neck_pain", "had_ptosis")


def _item_html(item) -> str:
    label, colour = KIND_TEXT[item.kind]
    return (f"<div style='border-left:4px solid {colour};padding:2px 8px;margin:3px 0'><b>{label}</b>: "
            f"{html.escape(item.label)}. {html.escape(item.why)} <i>[{item.evidence}; "
            f"{', '.join(item.sources)}]</i></div>")


def render_checklist(values: dict) -> dict:
    """The flagged items explained, and the verdict, for ``{checklist id: ticked}``."""
    result = risk.screen([name for name, ticked in values.items() if ticked])
    chosen = result.contraindications + result.high_risk + result.not_established + result.adverse_effects
    return {"details": "".join(_item_html(item) for item in chosen),
            "readout": controls.readout_html(risk.describe_screen(result))}


def _article_preset(items) -> SimpleNamespace:
    """The first lay article's 'contra-indications' as a preset (a record like a presets file's rows)."""
    return SimpleNamespace(label="The article's 'contra-indications'",
                           description="Back pain, neck pain and a drooping eyelid, as listed in the first lay article",
                           values={item.id: item.id in ARTICLE_ITEMS for item in items})


@controls.explorable
def patient_checklist() -> controls.Explorable:
    """A checkbox per item of ``risk_contraindications.yaml``; each ticked item is flagged and explained."""
    items = risk.load_checklist()
    boxes = {item.id: widgets.Checkbox(value=False, description=item.label, indent=False,
                                       layout=widgets.Layout(width="640px")) for item in items}
    return controls.Explorable.from_spec(_spec(
        boxes, render_checklist,
        lambda parts: [parts.bar, *parts.controls.values(), parts.outputs["details"], parts.outputs["readout"]],
        lambda _values: ("Interactive: run this cell to tick conditions in the patient checklist "
                         f"({len(items)} items: contraindications, high-risk conditions, conditions in which safety "
                         "is not established and earlier side effects); each ticked item is flagged and explained. "
                         "With nothing ticked: " + risk.describe_screen(risk.screen([]))),
        {"article": _article_preset(items)}))


# ---------------------------------------------------------------------------------------------
def render_anecdote(values: dict) -> dict:
    """The uncontrolled series, the randomised comparison and the readout for a placebo response, a selection
    threshold and a week-to-week swing."""
    params = anecdote_model.default_params(**values)
    series = anecdote_model.simulate_series(params)
    summary = anecdote_model.summarise(series)
    return {"series": risk_figures.anecdote_state(series), "comparison": risk_figures.comparison_state(summary),
            "readout": controls.readout_html(anecdote_model.describe(summary, params))}


def describe_anecdote(values: dict) -> str:
    params = anecdote_model.default_params(**values)
    return anecdote_model.describe(anecdote_model.summarise(anecdote_model.simulate_series(params)), params)


@controls.explorable
def anecdote() -> controls.Explorable:
    """Placebo response, selection threshold and week-to-week swing -> the uncontrolled series and a randomised
    comparison."""
    def layout(parts: controls.Parts) -> list:
        views = _views(parts, {"Uncontrolled series": "series", "Randomised comparison": "comparison"})
        return [parts.bar, *parts.controls.values(), views, parts.outputs["readout"]]

    return controls.Explorable.from_spec(_spec(
        _sliders(("placebo_points", "selection_threshold", "visit_noise_sd")), render_anecdote, layout,
        lambda values: ("Interactive: run this cell to change the placebo response, the pain needed to be injected "
                        f"and how much pain swings from week to week. Default: {describe_anecdote(values)}"),
        _presets("anecdote"), "Clinics"))


# ---------------------------------------------------------------------------------------------
def _along_price(prices, ends: tuple, costs: tuple) -> np.ndarray:
    """The straight line through the model's costs at two prices, at ``prices``; unlimited (inf) when the model's cost
    is (no relief-week to pay for)."""
    if not all(math.isfinite(cost) for cost in costs):
        return np.full(np.shape(prices), math.inf)
    slope = (costs[1] - costs[0]) / (ends[1] - ends[0])
    return costs[0] + slope * (np.asarray(prices, dtype=float) - ends[0])


@functools.lru_cache(maxsize=64)
def _cost_lines(dose: float, admin: float, region: str, weeks: float) -> tuple:
    """USD per relief-week over the ``prices`` grid (for a responder; per relief-week owed to the toxin) and at the two
    Medicare prices. A session costs dose x price + visit, so every cost per relief-week is straight in the price: the
    model at the price range's two ends gives the whole line. None of it depends on the chosen price: the price
    slider's frames compute it once (read-only arrays)."""
    prices, listed = grids()["prices"], risk.load_prices()
    references = np.array([listed["medicare_2005"].value, listed["medicare_2026"].value], dtype=float)
    ends = (float(prices[0]), float(prices[-1]))
    at_ends = [risk.cost_summary(dose, price, admin, region, weeks) for price in ends]
    responder = tuple(summary.cost_per_relief_week_if_responder for summary in at_ends)
    toxin = tuple(summary.cost_per_toxin_relief_week["central"] for summary in at_ends)
    lines = (_along_price(prices, ends, responder), _along_price(prices, ends, toxin), references,
             _along_price(references, ends, toxin))
    for array in lines:
        array.flags.writeable = False
    return lines


def _cost_summary(values: dict) -> risk.CostSummary:
    return risk.cost_summary(values["dose_units"], values["price_per_unit_usd"], values["admin_cost_usd"],
                             values["region"], values["relief_weeks_per_session"])


def render_cost(values: dict) -> dict:
    """Cost per relief-week against the price per unit, and the readout, for a price, dose, visit cost, assumed weeks of
    relief per session and injection sites."""
    summary = _cost_summary(values)
    responder, toxin, references, reference_cost = _cost_lines(
        float(values["dose_units"]), float(values["admin_cost_usd"]), values["region"],
        float(values["relief_weeks_per_session"]))
    state = risk_figures.cost_state(grids()["prices"], responder, toxin, summary.price_per_unit,
                                    summary.cost_per_toxin_relief_week["central"], references, reference_cost)
    return {"cost": state, "readout": controls.readout_html(risk.describe_cost(summary))}


def _one_figure_layout(choices: tuple, sliders: tuple, figure: str):
    """Presets, choices, sliders, one figure and the readout, in that order."""
    def layout(parts: controls.Parts) -> list:
        return [parts.bar, *(parts.controls[name] for name in choices + sliders), parts.outputs[figure],
                parts.outputs["readout"]]
    return layout


COST_SLIDERS = ("price_per_unit_usd", "dose_units", "admin_cost_usd", "relief_weeks_per_session")


@controls.explorable
def cost() -> controls.Explorable:
    """Price per unit, dose, visit cost and assumed weeks of relief -> cost per session and per week of meaningful
    relief."""
    choices = {"region": _toggle(region_options(), "upper_back_trigger", "Injection sites")}
    return controls.Explorable.from_spec(_spec(
        {**_sliders(COST_SLIDERS), **choices}, render_cost, _one_figure_layout(("region",), COST_SLIDERS, "cost"),
        lambda values: ("Interactive: run this cell to move the price per unit, the dose, the visit cost and the "
                        f"assumed weeks of relief. Default: {risk.describe_cost(_cost_summary(values))}"),
        _presets("cost"), "Prices"))


# ---------------------------------------------------------------------------------------------
WEIGHTS = ("weight_relief", "weight_ptosis", "weight_neck_pain_weakness", "weight_dysphagia", "weight_back_pain",
           "weight_injection_site_pain", "weight_flu_like", "weight_cost")


def _net_benefit(values: dict) -> risk.NetBenefit:
    specs = risk.parameter_specs()
    weights = {name: values[name] for name in WEIGHTS}
    return risk.net_benefit(values["dose_units"], values["region"], weights, specs["price_per_unit_usd"].value,
                            specs["admin_cost_usd"].value)


def render_decision(values: dict) -> dict:
    """The score bars and the readout for a dose, a region and the patient's importance weights."""
    result = _net_benefit(values)
    harms = {risk.EFFECT_LABELS[effect]: result.harm_scores[effect] for effect in risk.EFFECTS}
    return {"decision": risk_figures.decision_state(result.relief_score["central"], harms, result.cost_score,
                                                    result.net),
            "readout": controls.readout_html(risk.describe_net_benefit(result, values["region"]))}


@controls.explorable
def shared_decision() -> controls.Explorable:
    """Importance sliders for relief, each harm and cost, plus dose and region -> a net-benefit score in words."""
    names = ("dose_units",) + WEIGHTS
    choices = {"region": _toggle(region_options(), "upper_back_fixed", "Injection sites")}
    return controls.Explorable.from_spec(_spec(
        {**_sliders(names), **choices}, render_decision, _one_figure_layout(("region",), names, "decision"),
        lambda values: ("Interactive: run this cell to set how much this patient cares about relief, each adverse "
                        "effect and cost. Default patient: "
                        f"{risk.describe_net_benefit(_net_benefit(values), values['region'])}"),
        _presets("decision"), "Patients"))


# ---------------------------------------------------------------------------------------------
def evidence_table():
    """The benefit data by region, with sources (Markdown, compared by nbval)."""
    from IPython.display import Markdown

    lines = ["| injection sites | relief counted as | trial dose (ona U) | relief after sham "
             "| extra relief on toxin: low / central / high | source | evidence |",
             "|---|---|---|---|---|---|---|"]
    for row in risk.load_benefit().values():
        effect = " / ".join(f"{row.effect[level]:g}" for level in risk.LEVELS)
        tag = "**illustrative**" if row.evidence == "illustrative" else row.evidence
        lines.append(f"| {row.label} | {row.outcome} | {row.trial_dose_units:g} | {row.placebo_percent:g}% "
                     f"| {effect} points | "
                     f"`{row.source_id}` | {tag} |")
    return Markdown("\n".join(lines))


def adverse_effect_table(region: str = "upper_back_fixed"):
    """Adverse-effect rates of one region, with sources (Markdown)."""
    from IPython.display import Markdown

    lines = [f"| {risk.load_benefit()[region].label}: adverse effect | reference dose | after sham "
             "| on toxin: low / central / high | source | evidence |",
             "|---|---|---|---|---|---|"]
    for effect in risk.EFFECTS:
        row = risk.load_adverse_effects()[(region, effect)]
        rates = " / ".join(f"{row.rate[level]:g}" for level in risk.LEVELS)
        tag = "**illustrative**" if row.evidence == "illustrative" else row.evidence
        lines.append(f"| {risk.EFFECT_LABELS[effect]} | {row.reference_dose_units:g} U | {row.placebo_percent:g}% | "
                     f"{rates}% | `{row.source_id}` | {tag} |")
    return Markdown("\n".join(lines))
