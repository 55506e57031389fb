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
from types import SimpleNamespace

import ipywidgets as widgets
import numpy as np

from .. import controls
from ..data import load_presets
from ..figures import risk as risk_figures
from ..models import anecdote as anecdote_model
from ..models import risk
from ..widgets import Figure

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


def _presets(name):
    return load_presets(f"risk_presets_{name}.csv", PARAMETERS)


def _live(control_widgets: dict, render, outputs: dict) -> controls.Live:
    """``Live`` over the controls; an output given as the class ``Figure`` becomes a Figure of the first render."""
    first = render({name: control.value for name, control in control_widgets.items()})
    made = {name: Figure(first[name]) if output is Figure else output for name, output in outputs.items()}
    return controls.Live(control_widgets, render, made)


def _preset_row(live: controls.Live, presets: dict, title: str | None) -> tuple:
    """Preset buttons and Reset: a preset sets its values, Reset every control (sliders and choices) back to its
    value now, each with one render. Returns ``(row, {name: button}, reset_button)``."""
    defaults = live.values()
    row, buttons, reset = controls.preset_bar(presets, lambda chosen: live.set_values(presets[chosen].values),
                                              lambda: live.set_values(defaults))
    head = (widgets.HTML(f"<b>{title}:</b>"),) if title else ()
    row.children = (*head, *row.children[1:])
    return row, buttons, reset


def _box(children, fallback, live, sliders, buttons, reset, choices=None, readout=None):
    """The explorable; ``controls`` are its sliders (or checkboxes), ``choices`` its toggles and dropdowns."""
    box = controls.Explorable(children, fallback_text=fallback, live=live, controls=sliders, readout=readout,
                              layout=widgets.Layout(width="100%"))
    box.preset_buttons, box.reset_button, box.choices = buttons, reset, choices or {}
    return box


# ---------------------------------------------------------------------------------------------
def render_benefit(values: dict) -> dict:
    """Dose-response curves, icon arrays and readout for a dose, region, adverse effect, ED50 and harm exponent."""
    dose, region, effect = values["dose_units"], values["region"], values["effect"]
    ed50, exponent = values["ed50_units"], values["harm_dose_exponent"]
    result = risk.benefit_harm(dose, region, ed50, exponent)
    doses = risk_figures.DOSES
    relief = {level: risk.relief_chance(doses, region, level, ed50) for level in risk.LEVELS}
    harm = {level: risk.harm_chance(doses, region, effect, level, exponent) for level in risk.LEVELS}
    label = risk.EFFECT_LABELS[effect]
    relief_counts = risk.icon_counts(result.relief["central"], result.placebo_relief)
    harm_counts = risk.icon_counts(result.harm[effect]["central"], result.harm_placebo[effect])
    return {
        "curve": risk_figures.dose_response_state(relief, harm, result.placebo_relief, label, dose,
                                                  result.relief["central"], result.harm[effect]["central"]),
        "icons": risk_figures.icon_state(risk.icon_categories(relief_counts), risk.icon_categories(harm_counts), label),
        "readout": controls.readout_html(risk.describe_benefit_harm(result, effect)),
    }


@controls.explorable
def benefit_harm() -> controls.Explorable:
    """Dose slider, region and adverse-effect toggles; dose-response figure or two 100-person icon arrays; readout."""
    specs = risk.parameter_specs()
    sliders = {name: controls.slider(specs[name]) for name in ("dose_units", "ed50_units", "harm_dose_exponent")}
    choices = {"region": _toggle(region_options(), "upper_back_fixed", "Injection sites"),
               "effect": _toggle(EFFECT_OPTIONS, "neck_pain_weakness", "Adverse effect")}
    defaults = {name: control.value for name, control in sliders.items()}
    live = _live({**sliders, **choices}, render_benefit,
                 {"curve": Figure, "icons": Figure, "readout": controls.readout()})
    bar, buttons, reset = _preset_row(live, _presets("benefit"), "Doses")
    default_text = risk.describe_benefit_harm(risk.benefit_harm(defaults["dose_units"], "upper_back_fixed"), "neck_pain_weakness")
    fallback = ("Interactive: run this cell to move the dose slider and choose the injection sites and an adverse effect. "
                f"Default: {default_text}")
    outputs = live.outputs
    views = controls.FigureViews({"Dose-response curves": outputs["curve"], "100 patients (icon arrays)": outputs["icons"]})
    children = [bar, *choices.values(), *sliders.values(), views, outputs["readout"]]
    return _box(children, fallback, live, sliders, buttons, reset, choices)


# ---------------------------------------------------------------------------------------------
def _dose_safety_results(values: dict) -> tuple:
    safety = risk.dose_safety(values["dose_units"], values["interval_weeks"])
    mixup = risk.unit_mixup(values["prescribed_units"], values["written"], values["given"])
    return safety, mixup


def render_dose_safety(values: dict) -> dict:
    """Dose and mix-up bars, the antibody curve and the readout for a session dose, interval and unit mix-up."""
    safety, mixup = _dose_safety_results(values)
    curve = risk.antibody_percent(values["dose_units"], risk_figures.INTERVALS_WEEKS)
    return {
        "units": risk_figures.dose_safety_state(safety, mixup),
        "antibodies": risk_figures.antibody_state(curve, values["interval_weeks"], safety.antibody_percent),
        "readout": controls.readout_html(risk.describe_dose_safety(safety, mixup)),
    }


@controls.explorable
def dose_safety() -> controls.Explorable:
    """Session dose and interval sliders; a prescription written for one product and drawn up as another."""
    specs = risk.parameter_specs()
    sliders = {"dose_units": controls.slider(specs["dose_units"], "Session dose (onabotulinumtoxinA units) (U)"),
               "interval_weeks": controls.slider(specs["interval_weeks"]),
               "prescribed_units": controls.slider(specs["prescribed_units"])}
    product_options = [(f"{p.label} ({p.brand})", name) for name, p in risk.load_products().items()]
    choices = {"written": widgets.Dropdown(options=product_options, value="abobotulinumtoxinA", description="Written for",
                                           style={"description_width": "120px"}),
               "given": widgets.Dropdown(options=product_options, value="onabotulinumtoxinA", description="Drawn up as",
                                         style={"description_width": "120px"})}
    live = _live({**sliders, **choices}, render_dose_safety,
                 {"units": Figure, "antibodies": Figure, "readout": controls.readout()})
    bar, _buttons, reset = _preset_row(live, {}, None)
    fallback = ("Interactive: run this cell to change the session dose, the interval and the products in the unit "
                f"mix-up. Default: {risk.describe_dose_safety(*_dose_safety_results(live.values()))}")
    outputs = live.outputs
    views = controls.FigureViews({"Dose and unit mix-up": outputs["units"], "Antibodies and interval": outputs["antibodies"]})
    children = [bar, *sliders.values(), widgets.HBox(list(choices.values())), views, outputs["readout"]]
    return _box(children, fallback, live, sliders, {}, reset, choices)


# ---------------------------------------------------------------------------------------------
KIND_TEXT = {"contraindication": ("CONTRAINDICATION", "#D55E00"),
             "high_risk": ("HIGH RISK", "#E69F00"),
             "not_established": ("SAFETY NOT ESTABLISHED", "#CC79A7"),
             "adverse_effect": ("ADVERSE EFFECT, not a contraindication", "#0072B2")}
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


@controls.explorable
def patient_checklist() -> controls.Explorable:
    """A checkbox per item of ``risk_contraindications.yaml``; each ticked item is flagged and explained."""
    items = risk.load_checklist()
    boxes = {item.id: widgets.Checkbox(value=False, description=item.label, indent=False,
                                       layout=widgets.Layout(width="640px")) for item in items}
    details, readout = controls.readout(), controls.readout()
    live = _live(boxes, render_checklist, {"details": details, "readout": readout})
    article = SimpleNamespace(label="The article's 'contra-indications'",
                              description="Back pain, neck pain and a drooping eyelid, as listed in the first lay article",
                              values={name: name in ARTICLE_ITEMS for name in boxes})
    bar, buttons, reset = _preset_row(live, {"article": article}, None)
    fallback = ("Interactive: run this cell to tick conditions in the patient checklist "
                f"({len(items)} items: contraindications, high-risk conditions, conditions in which safety is not established and "
                "earlier side effects); each ticked item "
                "is flagged and explained. With nothing ticked: " + risk.describe_screen(risk.screen([])))
    box = _box([bar, *boxes.values(), details, readout], fallback, live, boxes, buttons, reset, readout=readout)
    box.details = details
    return box


# ---------------------------------------------------------------------------------------------
def render_anecdote(values: dict) -> dict:
    """The uncontrolled series, the randomised comparison and the readout for a placebo response, a selection
    threshold and a week-to-week swing."""
    params = anecdote_model.default_params(**values)
    series = anecdote_model.simulate_series(params)
    summary = anecdote_model.summarise(series)
    return {"series": risk_figures.anecdote_state(series), "comparison": risk_figures.comparison_state(summary),
            "readout": controls.readout_html(anecdote_model.describe(summary, params))}


@controls.explorable
def anecdote() -> controls.Explorable:
    """Placebo response, selection threshold and week-to-week swing -> the uncontrolled series and a randomised comparison."""
    specs = risk.parameter_specs()
    names = ("placebo_points", "selection_threshold", "visit_noise_sd")
    sliders = {name: controls.slider(specs[name]) for name in names}
    live = _live(sliders, render_anecdote, {"series": Figure, "comparison": Figure, "readout": controls.readout()})
    bar, buttons, reset = _preset_row(live, _presets("anecdote"), "Clinics")
    params = anecdote_model.default_params()
    text = anecdote_model.describe(anecdote_model.summarise(anecdote_model.simulate_series(params)), params)
    fallback = ("Interactive: run this cell to change the placebo response, the pain needed to be injected and how much "
                f"pain swings from week to week. Default: {text}")
    outputs = live.outputs
    views = controls.FigureViews({"Uncontrolled series": outputs["series"], "Randomised comparison": outputs["comparison"]})
    children = [bar, *sliders.values(), views, outputs["readout"]]
    return _box(children, fallback, live, sliders, buttons, reset)


# ---------------------------------------------------------------------------------------------
def _per_relief_week(annual_cost, weeks: float) -> np.ndarray:
    """Annual cost per week of relief; unlimited (NaN, a gap in the figure) when there is no week of relief."""
    annual_cost = np.asarray(annual_cost, dtype=float)
    return annual_cost / weeks if weeks > 0 else np.full(annual_cost.shape, np.nan)


@functools.lru_cache(maxsize=64)
def _cost_lines(dose: float, admin: float, sessions: float, responder_weeks: float, toxin_weeks: float) -> tuple:
    """USD per relief-week over ``PRICES`` (for a responder; per relief-week owed to the toxin) and at the two Medicare
    prices; ``*_weeks`` are relief-weeks a year. None of it depends on the chosen price: the price slider's frames
    compute it once (read-only arrays)."""
    prices = risk.load_prices()
    references = np.array([prices["medicare_2005"].value, prices["medicare_2026"].value], dtype=float)
    annual = (dose * risk_figures.PRICES + admin) * sessions        # session cost (drug + visit) x sessions a year
    lines = (_per_relief_week(annual, responder_weeks), _per_relief_week(annual, toxin_weeks), references,
             _per_relief_week((dose * references + admin) * sessions, toxin_weeks))
    for array in lines:
        array.flags.writeable = False
    return lines


def render_cost(values: dict) -> dict:
    """Cost per relief-week against the price per unit, and the readout, for a price, dose, visit cost, assumed weeks of
    relief per session and injection sites."""
    dose, price, admin = values["dose_units"], values["price_per_unit_usd"], values["admin_cost_usd"]
    summary = risk.cost_summary(dose, price, admin, values["region"], values["relief_weeks_per_session"])
    responder_weeks = summary.relief_weeks_per_session * summary.sessions_per_year
    responder, toxin, references, reference_cost = _cost_lines(
        float(dose), float(admin), summary.sessions_per_year, responder_weeks,
        responder_weeks * summary.toxin_share["central"] / 100.0)
    state = risk_figures.cost_state(responder, toxin, summary.price_per_unit, summary.cost_per_toxin_relief_week["central"],
                                    references, reference_cost)
    return {"cost": state, "readout": controls.readout_html(risk.describe_cost(summary))}


@controls.explorable
def cost() -> controls.Explorable:
    """Price per unit, dose, visit cost and assumed weeks of relief -> cost per session and per week of meaningful relief."""
    specs = risk.parameter_specs()
    names = ("price_per_unit_usd", "dose_units", "admin_cost_usd", "relief_weeks_per_session")
    sliders = {name: controls.slider(specs[name]) for name in names}
    choices = {"region": _toggle(region_options(), "upper_back_trigger", "Injection sites")}
    defaults = {name: control.value for name, control in sliders.items()}
    live = _live({**sliders, **choices}, render_cost, {"cost": Figure, "readout": controls.readout()})
    bar, buttons, reset = _preset_row(live, _presets("cost"), "Prices")
    text = risk.describe_cost(risk.cost_summary(defaults["dose_units"], defaults["price_per_unit_usd"],
                                                defaults["admin_cost_usd"], "upper_back_trigger",
                                                defaults["relief_weeks_per_session"]))
    fallback = ("Interactive: run this cell to move the price per unit, the dose, the visit cost and the assumed weeks of "
                f"relief. Default: {text}")
    children = [bar, *choices.values(), *sliders.values(), live.outputs["cost"], live.outputs["readout"]]
    return _box(children, fallback, live, sliders, buttons, reset, choices)


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
    return {"decision": risk_figures.decision_state(result.relief_score["central"], harms, result.cost_score, result.net),
            "readout": controls.readout_html(risk.describe_net_benefit(result, values["region"]))}


@controls.explorable
def shared_decision() -> controls.Explorable:
    """Importance sliders for relief, each harm and cost, plus dose and region -> a net-benefit score in words."""
    specs = risk.parameter_specs()
    sliders = {name: controls.slider(specs[name]) for name in ("dose_units",) + WEIGHTS}
    choices = {"region": _toggle(region_options(), "upper_back_fixed", "Injection sites")}
    live = _live({**sliders, **choices}, render_decision, {"decision": Figure, "readout": controls.readout()})
    bar, buttons, reset = _preset_row(live, _presets("decision"), "Patients")
    text = risk.describe_net_benefit(_net_benefit(live.values()), "upper_back_fixed")
    fallback = ("Interactive: run this cell to set how much this patient cares about relief, each adverse effect and "
                f"cost. Default patient: {text}")
    children = [bar, *choices.values(), *sliders.values(), live.outputs["decision"], live.outputs["readout"]]
    return _box(children, fallback, live, sliders, buttons, reset, choices)


# ---------------------------------------------------------------------------------------------
def evidence_table():
    """The benefit data by region, with sources (Markdown, compared by nbval)."""
    from IPython.display import Markdown

    lines = ["| injection sites | relief counted as | trial dose (ona U) | relief after sham | extra relief on toxin: low / central / high | source | evidence |",
             "|---|---|---|---|---|---|---|"]
    for row in risk.load_benefit().values():
        effect = " / ".join(f"{row.effect[level]:g}" for level in risk.LEVELS)
        tag = "**illustrative**" if row.evidence == "illustrative" else row.evidence
        lines.append(f"| {row.label} | {row.outcome} | {row.trial_dose_units:g} | {row.placebo_percent:g}% | {effect} points | "
                     f"`{row.source_id}` | {tag} |")
    return Markdown("\n".join(lines))


def adverse_effect_table(region: str = "upper_back_fixed"):
    """Adverse-effect rates of one region, with sources (Markdown)."""
    from IPython.display import Markdown

    lines = [f"| {risk.load_benefit()[region].label}: adverse effect | reference dose | after sham | on toxin: low / central / high | source | evidence |",
             "|---|---|---|---|---|---|"]
    for effect in risk.EFFECTS:
        row = risk.load_adverse_effects()[(region, effect)]
        rates = " / ".join(f"{row.rate[level]:g}" for level in risk.LEVELS)
        tag = "**illustrative**" if row.evidence == "illustrative" else row.evidence
        lines.append(f"| {risk.EFFECT_LABELS[effect]} | {row.reference_dose_units:g} U | {row.placebo_percent:g}% | "
                     f"{rates}% | `{row.source_id}` | {tag} |")
    return Markdown("\n".join(lines))
