"""Notebook 05: risk trade-offs. One public function per explorable, plus Markdown tables of the data.

benefit_harm()      dose and region -> chance of relief and of one adverse effect, icon arrays, NNT/NNH
dose_safety()       12-week window, cumulative ceiling, antibodies, unit mix-up between products
patient_checklist() contraindications, high-risk conditions, and adverse effects that are not contraindications
anecdote()          a treatment with no effect in an uncontrolled series vs a randomised comparison
cost()              price per unit -> cost per session and per week of meaningful relief
shared_decision()   the patient's importance weights -> a net-benefit score in words
"""
from __future__ import annotations

import html

import ipywidgets as widgets

from .. import controls
from ..data import load_presets
from ..figures import risk as risk_figures
from ..models import anecdote as anecdote_model
from ..models import risk

PARAMETERS = risk.PARAMETERS_FILE
REGION_OPTIONS = [(row.label, region) for region, row in risk.load_benefit().items()]
EFFECT_OPTIONS = [(label[0].upper() + label[1:], effect) for effect, label in risk.EFFECT_LABELS.items()]
TOGGLE_LAYOUT = widgets.Layout(width="auto")


def _toggle(options, value, description):
    return widgets.ToggleButtons(options=options, value=value, description=description,
                                 style={"description_width": "120px", "button_width": "auto"}, layout=TOGGLE_LAYOUT)


def _presets(name):
    return load_presets(f"risk_presets_{name}.csv", PARAMETERS)


def _preset_row(name: str, title: str, group, update, choices=()) -> tuple:
    """Preset buttons and Reset for a slider group and its choice widgets (toggles), whose changes also update.

    Reset puts each choice back to the value it has now, then the sliders to their current (default) values.
    Returns ``(row, {name: button}, reset_button)``.
    """
    defaults, starting = group.values(), {choice: choice.value for choice in choices}
    for choice in choices:
        choice.observe(lambda _change: update(group.values()), names="value")
    presets = _presets(name)

    def reset_all():
        for choice, value in starting.items():
            choice.value = value
        group.set_values(defaults)

    row, buttons, reset = controls.preset_bar(presets, lambda chosen: group.set_values(presets[chosen].values), reset_all)
    row.children = (widgets.HTML(f"<b>{title}:</b>"), *row.children[1:])
    return row, buttons, reset


def _box(children, fallback, sliders, figures, readout, group=None, buttons=None, reset=None, choices=None):
    box = controls.Explorable(children, fallback_text=fallback, controls=sliders, figures=figures, readout=readout,
                              layout=widgets.Layout(width="100%"))
    box.slider_group, box.preset_buttons, box.reset_button = group, buttons or {}, reset
    box.choices = choices or {}
    return box


# ---------------------------------------------------------------------------------------------
def benefit_harm() -> controls.Explorable:
    """Dose slider, region and adverse-effect toggles; dose-response figure or two 100-person icon arrays; readout."""
    specs = risk.parameter_specs()
    sliders = {name: controls.slider(specs[name]) for name in ("dose_units", "ed50_units", "harm_dose_exponent")}
    region = _toggle(REGION_OPTIONS, "neck_shoulders", "Injection region")
    effect = _toggle(EFFECT_OPTIONS, "neck_pain_weakness", "Adverse effect")
    defaults = {name: control.value for name, control in sliders.items()}
    curve, icons, readout = risk_figures.dose_response_figure(), risk_figures.icon_figure(), controls.readout()

    def update(values: dict):
        result = risk.benefit_harm(values["dose_units"], region.value, values["ed50_units"], values["harm_dose_exponent"])
        risk_figures.update_dose_response(curve, values["dose_units"], region.value, effect.value,
                                          values["ed50_units"], values["harm_dose_exponent"])
        risk_figures.update_icons(icons, risk.icon_counts(result.relief["central"], result.placebo_relief),
                                  risk.icon_counts(result.harm[effect.value]["central"], result.harm_placebo[effect.value]),
                                  risk.EFFECT_LABELS[effect.value])
        readout.value = controls.readout_html(risk.describe_benefit_harm(result, effect.value))

    group = controls.SliderGroup(sliders, update)
    bar, buttons, reset = _preset_row("benefit", "Doses", group, update, (region, effect))
    update(group.values())
    default_text = risk.describe_benefit_harm(risk.benefit_harm(defaults["dose_units"], "neck_shoulders"), "neck_pain_weakness")
    fallback = ("Interactive: run this cell to move the dose slider and choose a region and an adverse effect. "
                f"Default: {default_text}")
    views = controls.FigureViews({"Dose-response curves": curve, "100 patients (icon arrays)": icons})
    children = [bar, region, effect, *(controls.with_range(sliders[n], specs[n]) for n in sliders), views, readout]
    return _box(children, fallback, sliders, (curve, icons), readout, group, buttons, reset,
                {"region": region, "effect": effect})


# ---------------------------------------------------------------------------------------------
def dose_safety() -> controls.Explorable:
    """Session dose and interval sliders; a prescription written for one product and drawn up as another."""
    specs = risk.parameter_specs()
    sliders = {"dose_units": controls.slider(specs["dose_units"], "Session dose (onabotulinumtoxinA units) (U)"),
               "interval_weeks": controls.slider(specs["interval_weeks"]),
               "prescribed_units": controls.slider(specs["prescribed_units"])}
    product_options = [(f"{p.label} ({p.brand})", name) for name, p in risk.load_products().items()]
    written = widgets.Dropdown(options=product_options, value="abobotulinumtoxinA", description="Written for",
                               style={"description_width": "120px"})
    given = widgets.Dropdown(options=product_options, value="onabotulinumtoxinA", description="Drawn up as",
                             style={"description_width": "120px"})
    defaults = {name: control.value for name, control in sliders.items()}
    figure, readout = risk_figures.dose_safety_figure(), controls.readout()
    antibodies = risk_figures.antibody_figure()

    def compute(values):
        safety = risk.dose_safety(values["dose_units"], values["interval_weeks"])
        mixup = risk.unit_mixup(values["prescribed_units"], written.value, given.value)
        return safety, mixup

    def update(values: dict):
        safety, mixup = compute(values)
        risk_figures.update_dose_safety(figure, safety, mixup)
        curve = risk.antibody_percent(values["dose_units"], risk_figures.INTERVALS_WEEKS)
        risk_figures.update_antibody(antibodies, curve, values["interval_weeks"], safety.antibody_percent)
        readout.value = controls.readout_html(risk.describe_dose_safety(safety, mixup))

    group = controls.SliderGroup(sliders, update)
    for dropdown in (written, given):
        dropdown.observe(lambda _change: update(group.values()), names="value")

    def reset_all():
        written.value, given.value = "abobotulinumtoxinA", "onabotulinumtoxinA"
        group.set_values(defaults)

    reset = widgets.Button(description="Reset", icon="undo", button_style="warning", layout=widgets.Layout(width="auto"))
    reset.on_click(lambda _b: reset_all())
    update(group.values())
    fallback = ("Interactive: run this cell to change the session dose, the interval and the products in the unit "
                f"mix-up. Default: {risk.describe_dose_safety(*compute(defaults))}")
    views = controls.FigureViews({"Dose and unit mix-up": figure, "Antibodies and interval": antibodies})
    children = [reset, *(controls.with_range(sliders[n], specs[n]) for n in sliders), widgets.HBox([written, given]),
                views, readout]
    return _box(children, fallback, sliders, (figure, antibodies), readout, group, {}, reset, {"written": written, "given": given})


# ---------------------------------------------------------------------------------------------
KIND_TEXT = {"contraindication": ("CONTRAINDICATION", "#D55E00"),
             "high_risk": ("HIGH RISK", "#E69F00"),
             "adverse_effect": ("ADVERSE EFFECT, not a contraindication", "#0072B2")}


def _item_html(item) -> str:
    label, colour = KIND_TEXT[item.kind]
    return (f"<div style='border-left:4px solid {colour};padding:2px 8px;margin:3px 0'><b>{label}</b>: "
            f"{html.escape(item.label)}. {html.escape(item.why)} <i>[{item.evidence}; "
            f"{', '.join(item.sources)}]</i></div>")


def patient_checklist() -> controls.Explorable:
    """A checkbox per item of ``risk_contraindications.yaml``; each ticked item is flagged and explained."""
    items = risk.load_checklist()
    boxes = {item.id: widgets.Checkbox(value=False, description=item.label, indent=False,
                                       layout=widgets.Layout(width="640px")) for item in items}
    details, readout = widgets.HTML(), controls.readout()

    def update(_change=None):
        ticked = [name for name, box in boxes.items() if box.value]
        result = risk.screen(ticked)
        chosen = result.contraindications + result.high_risk + result.adverse_effects
        details.value = "".join(_item_html(item) for item in chosen)
        readout.value = controls.readout_html(risk.describe_screen(result))

    for box in boxes.values():
        box.observe(update, names="value")

    def tick(ids):
        for name, box in boxes.items():
            box.unobserve(update, names="value")
            box.value = name in ids
            box.observe(update, names="value")
        update()

    article = widgets.Button(description="The article's 'contra-indications'", layout=widgets.Layout(width="auto"),
                             tooltip="Back pain, neck pain and a drooping eyelid, as listed in the first lay article")
    article.on_click(lambda _b: tick({"had_back_pain", "had_neck_pain", "had_ptosis"}))
    reset = widgets.Button(description="Reset", icon="undo", button_style="warning", layout=widgets.Layout(width="auto"))
    reset.on_click(lambda _b: tick(set()))
    update()
    fallback = ("Interactive: run this cell to tick conditions in the patient checklist "
                f"({len(items)} items: contraindications, high-risk conditions and earlier side effects); each ticked item "
                "is flagged and explained. With nothing ticked: " + risk.describe_screen(risk.screen([])))
    children = [widgets.HBox([article, reset]), *boxes.values(), details, readout]
    box = _box(children, fallback, boxes, (), readout, None, {"article": article}, reset)
    box.details = details
    return box


# ---------------------------------------------------------------------------------------------
def anecdote() -> controls.Explorable:
    """Placebo response, selection threshold and week-to-week swing -> the uncontrolled series and a randomised comparison."""
    specs = risk.parameter_specs()
    names = ("placebo_points", "selection_threshold", "visit_noise_sd")
    sliders = {name: controls.slider(specs[name]) for name in names}
    scatter, bars, readout = risk_figures.anecdote_figure(), risk_figures.comparison_figure(), controls.readout()

    def update(values: dict):
        params = anecdote_model.default_params(**values)
        series = anecdote_model.simulate_series(params)
        summary = anecdote_model.summarise(series)
        risk_figures.update_anecdote(scatter, series)
        risk_figures.update_comparison(bars, summary)
        readout.value = controls.readout_html(anecdote_model.describe(summary, params))

    group = controls.SliderGroup(sliders, update)
    bar, buttons, reset = _preset_row("anecdote", "Clinics", group, update)
    update(group.values())
    params = anecdote_model.default_params()
    text = anecdote_model.describe(anecdote_model.summarise(anecdote_model.simulate_series(params)), params)
    fallback = ("Interactive: run this cell to change the placebo response, the pain needed to be injected and how much "
                f"pain swings from week to week. Default: {text}")
    views = controls.FigureViews({"Uncontrolled series": scatter, "Randomised comparison": bars})
    children = [bar, *(controls.with_range(sliders[n], specs[n]) for n in names), views, readout]
    return _box(children, fallback, sliders, (scatter, bars), readout, group, buttons, reset)


# ---------------------------------------------------------------------------------------------
def cost() -> controls.Explorable:
    """Price per unit, dose and visit cost -> cost per session and per week of meaningful relief."""
    specs = risk.parameter_specs()
    names = ("price_per_unit_usd", "dose_units", "admin_cost_usd")
    sliders = {name: controls.slider(specs[name]) for name in names}
    region = _toggle(REGION_OPTIONS, "upper_back", "Injection region")
    defaults = {name: control.value for name, control in sliders.items()}
    figure, readout = risk_figures.cost_figure(), controls.readout()
    prices = risk.load_prices()
    references = [prices["medicare_2005"].value, prices["medicare_2026"].value]

    def update(values: dict):
        summary = risk.cost_summary(values["dose_units"], values["price_per_unit_usd"], values["admin_cost_usd"], region.value)
        risk_figures.update_cost(figure, values["dose_units"], values["admin_cost_usd"], region.value, summary, references)
        readout.value = controls.readout_html(risk.describe_cost(summary))

    group = controls.SliderGroup(sliders, update)
    bar, buttons, reset = _preset_row("cost", "Prices", group, update, (region,))
    update(group.values())
    text = risk.describe_cost(risk.cost_summary(defaults["dose_units"], defaults["price_per_unit_usd"],
                                                defaults["admin_cost_usd"], "upper_back"))
    fallback = f"Interactive: run this cell to move the price per unit, the dose and the visit cost. Default: {text}"
    children = [bar, region, *(controls.with_range(sliders[n], specs[n]) for n in names), figure, readout]
    return _box(children, fallback, sliders, (figure,), readout, group, buttons, reset, {"region": region})


# ---------------------------------------------------------------------------------------------
WEIGHTS = ("weight_relief", "weight_ptosis", "weight_neck_pain_weakness", "weight_dysphagia", "weight_back_pain",
           "weight_injection_site_pain", "weight_flu_like", "weight_cost")


def shared_decision() -> controls.Explorable:
    """Importance sliders for relief, each harm and cost, plus dose and region -> a net-benefit score in words."""
    specs = risk.parameter_specs()
    sliders = {name: controls.slider(specs[name]) for name in ("dose_units",) + WEIGHTS}
    region = _toggle(REGION_OPTIONS, "neck_shoulders", "Injection region")
    defaults = {name: control.value for name, control in sliders.items()}
    price, admin = specs["price_per_unit_usd"].value, specs["admin_cost_usd"].value
    figure, readout = risk_figures.decision_figure(), controls.readout()

    def compute(values, where):
        weights = {name: values[name] for name in WEIGHTS}
        return risk.net_benefit(values["dose_units"], where, weights, price, admin)

    def update(values: dict):
        result = compute(values, region.value)
        risk_figures.update_decision(figure, result)
        readout.value = controls.readout_html(risk.describe_net_benefit(result, region.value))

    group = controls.SliderGroup(sliders, update)
    bar, buttons, reset = _preset_row("decision", "Patients", group, update, (region,))
    update(group.values())
    text = risk.describe_net_benefit(compute(defaults, "neck_shoulders"), "neck_shoulders")
    fallback = ("Interactive: run this cell to set how much this patient cares about relief, each adverse effect and "
                f"cost. Default patient: {text}")
    children = [bar, region, *(controls.with_range(sliders[n], specs[n]) for n in sliders), figure, readout]
    return _box(children, fallback, sliders, (figure,), readout, group, buttons, reset, {"region": region})


# ---------------------------------------------------------------------------------------------
def evidence_table():
    """The benefit data by region, with sources (Markdown, compared by nbval)."""
    from IPython.display import Markdown

    lines = ["| region | trial dose (ona U) | relief after sham | extra relief on toxin: low / central / high | source | evidence |",
             "|---|---|---|---|---|---|"]
    for row in risk.load_benefit().values():
        effect = " / ".join(f"{row.effect[level]:g}" for level in risk.LEVELS)
        tag = "**illustrative**" if row.evidence == "illustrative" else row.evidence
        lines.append(f"| {row.label} | {row.trial_dose_units:g} | {row.placebo_percent:g}% | {effect} points | "
                     f"`{row.source_id}` | {tag} |")
    return Markdown("\n".join(lines))


def adverse_effect_table(region: str = "neck_shoulders"):
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
