"""Benefit against harm, dose safety, cost and a shared-decision score (notebook 05).

Pure numpy: no widgets, no plotting, no printing. The equations, their sources and what the
model leaves out are in ``risk.md`` beside this file. The uncontrolled-series simulation is in
``anecdote.py``.

Data (all in ``data/``, validated when loaded; a problem raises ``DataFileError`` naming the
file, the record and the field):

``risk_parameters.csv``      slider parameters (dose, prices, importance weights ...)
``risk_benefit.csv``         chance of meaningful relief by region: placebo and low/central/high effect
``risk_adverse_effects.csv`` chance of each adverse effect by region: low/central/high and placebo
``risk_products.csv``        unit ratios between onabotulinumtoxinA, incobotulinumtoxinA, abobotulinumtoxinA
``risk_limits.csv``          cumulative ceiling, minimum interval, LD50 estimate, antibody figures
``risk_prices.csv``          prices with year and country
``risk_contraindications.yaml`` the patient checklist

Doses are onabotulinumtoxinA units per session unless a product is named. Nothing here is
dosing guidance: the numbers are teaching values with sources and ranges.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..data import load_keyed, load_parameters, load_records, load_units
from ..schemas import CHECKLIST_KINDS, EFFECTS, REGIONS, AdverseEffect, ChecklistItem, Price, Product, RegionBenefit
from ..validation import require_array_in_range, require_parameter

PARAMETERS_FILE = "risk_parameters.csv"
LIMITS_FILE = "risk_limits.csv"
BENEFIT_FILE = "risk_benefit.csv"
ADVERSE_FILE = "risk_adverse_effects.csv"
PRODUCTS_FILE = "risk_products.csv"
PRICES_FILE = "risk_prices.csv"
CONTRAINDICATIONS_FILE = "risk_contraindications.yaml"

EFFECT_LABELS = {
    "ptosis": "drooping eyelid (ptosis)",
    "neck_pain_weakness": "neck pain or weakness",
    "dysphagia": "trouble swallowing (dysphagia)",
    "back_pain": "back pain",
    "injection_site_pain": "injection-site pain",
    "flu_like": "flu-like symptoms",
}
LEVELS = ("low", "central", "high")
ICONS = 100


# ---------------------------------------------------------------------------------------------
# Data (records declared and validated in helpers/schemas.py)
# ---------------------------------------------------------------------------------------------
def load_benefit(data_dir=None) -> dict:
    """``risk_benefit.csv`` as ``{region: RegionBenefit}``; every region is present."""
    return load_keyed(RegionBenefit, BENEFIT_FILE, data_dir)


def load_adverse_effects(data_dir=None) -> dict:
    """``risk_adverse_effects.csv`` as ``{(region, effect): AdverseEffect}``; every pair must be present."""
    return load_keyed(AdverseEffect, ADVERSE_FILE, data_dir)


def load_products(data_dir=None) -> dict:
    """``risk_products.csv`` as ``{product: Product}``."""
    return load_keyed(Product, PRODUCTS_FILE, data_dir)


def load_prices(data_dir=None) -> dict:
    """``risk_prices.csv`` as ``{price: Price}``."""
    return load_keyed(Price, PRICES_FILE, data_dir)


def load_checklist(data_dir=None) -> tuple:
    """``risk_contraindications.yaml`` as a tuple of :class:`ChecklistItem`."""
    return load_records(ChecklistItem, CONTRAINDICATIONS_FILE, data_dir)


def parameter_specs() -> dict:
    """``{name: Parameter}`` from ``data/risk_parameters.csv``."""
    return load_parameters(PARAMETERS_FILE)


def limits() -> dict:
    """``{name: Parameter}`` from ``data/risk_limits.csv``."""
    return load_parameters(LIMITS_FILE)


def check_param(name: str, value) -> float:
    """Validate one slider value against its row of ``risk_parameters.csv``."""
    return require_parameter(name, value, parameter_specs()[name])


def _check_doses(name: str, doses) -> np.ndarray:
    spec = parameter_specs()["dose_units"]
    array = np.asarray(doses, dtype=float)
    bad = np.isnan(array) | (array < spec.min) | (array > spec.max)
    if bad.any():
        first = array[bad].flat[0]
        raise ValueError(f"{name} = {first:g} is outside the allowed range {spec.min:g} to {spec.max:g} {spec.unit}")
    return array


def _check_choice(name: str, value, allowed) -> str:
    if value not in allowed:
        raise ValueError(f"{name} = {value!r} is not one of {', '.join(map(str, allowed))}")
    return value


# ---------------------------------------------------------------------------------------------
# Benefit and harm
# ---------------------------------------------------------------------------------------------
def relief_chance(dose_units, region: str, level: str = "central", ed50_units: float | None = None) -> np.ndarray:
    """Percent of patients with meaningful relief at ``dose_units`` (vectorised over dose).

    ``P(d) = p0 + Emax * d / (d + ED50)`` with ``Emax`` chosen so that the curve passes through
    the trial result ``p0 + effect`` at the trial dose; clipped to 0-100 %. ``d = 0`` gives the
    placebo rate ``p0`` (a sham injection).
    """
    doses = _check_doses("dose_units", dose_units)
    _check_choice("region", region, REGIONS)
    _check_choice("level", level, LEVELS)
    ed50 = check_param("ed50_units", parameter_specs()["ed50_units"].value if ed50_units is None else ed50_units)
    row = load_benefit()[region]
    emax = row.effect[level] * (row.trial_dose_units + ed50) / row.trial_dose_units
    return np.clip(row.placebo_percent + emax * doses / (doses + ed50), 0.0, 100.0)


def harm_chance(dose_units, region: str, effect: str, level: str = "central",
                exponent: float | None = None) -> np.ndarray:
    """Percent of patients with ``effect`` at ``dose_units`` (vectorised over dose).

    ``H(d) = h0 + max(h_ref - h0, 0) * (d / d_ref) ** k``, clipped to 100 %: the placebo rate
    ``h0`` plus the excess seen at the reference dose ``d_ref``, scaled with dose.
    """
    doses = _check_doses("dose_units", dose_units)
    _check_choice("region", region, REGIONS)
    _check_choice("effect", effect, EFFECTS)
    _check_choice("level", level, LEVELS)
    k = check_param("harm_dose_exponent",
                    parameter_specs()["harm_dose_exponent"].value if exponent is None else exponent)
    row = load_adverse_effects()[(region, effect)]
    excess = max(row.rate[level] - row.placebo_percent, 0.0)
    return np.clip(row.placebo_percent + excess * (doses / row.reference_dose_units) ** k, 0.0, 100.0)


def number_needed(treated_percent, control_percent) -> np.ndarray:
    """NNT or NNH: ``100 / (treated - control)`` in percent; ``inf`` when the difference is <= 0."""
    diff = np.asarray(treated_percent, dtype=float) - np.asarray(control_percent, dtype=float)
    with np.errstate(divide="ignore"):
        return np.where(diff > 1e-9, 100.0 / np.where(diff > 1e-9, diff, 1.0), np.inf)


def icon_counts(treated_percent: float, control_percent: float, icons: int = ICONS) -> tuple:
    """Out of ``icons`` people: (helped/harmed by the drug, would have had it anyway, neither).

    Rounded so the three counts always add up to ``icons`` (largest remainder).
    """
    treated = min(max(float(treated_percent), 0.0), 100.0)
    control = min(max(float(control_percent), 0.0), treated)
    shares = np.array([treated - control, control, 100.0 - treated]) * icons / 100.0
    counts = np.floor(shares).astype(int)
    remainder = icons - counts.sum()
    order = np.argsort(-(shares - counts), kind="stable")
    counts[order[:remainder]] += 1
    return tuple(int(c) for c in counts)


def icon_categories(counts, icons: int = ICONS) -> np.ndarray:
    """Category code (0, 1, 2 ...) of each of ``icons`` people, filled in order from the counts."""
    counts = np.asarray(counts, dtype=int)
    if counts.sum() != icons or (counts < 0).any():
        raise ValueError(f"counts {counts.tolist()} must be non-negative and add up to {icons}")
    return np.repeat(np.arange(counts.size), counts)


@dataclass(frozen=True)
class BenefitHarm:
    dose_units: float
    region: str
    placebo_relief: float              # percent with relief after a sham injection
    relief: dict                       # level -> percent with relief on toxin
    nnt: dict                          # level -> number needed to treat (inf: no benefit)
    harm: dict                         # effect -> level -> percent
    harm_placebo: dict                 # effect -> percent after a sham injection
    nnh: dict                          # effect -> level -> number needed to harm (inf: no extra harm)


def benefit_harm(dose_units: float, region: str, ed50_units: float | None = None,
                 exponent: float | None = None) -> BenefitHarm:
    """Everything the benefit-harm explorable shows, for one dose and one region."""
    dose = float(_check_doses("dose_units", dose_units))
    placebo = load_benefit()[region].placebo_percent if region in REGIONS else None
    relief = {level: float(relief_chance(dose, region, level, ed50_units)) for level in LEVELS}
    nnt = {level: float(number_needed(relief[level], placebo)) for level in LEVELS}
    harm, harm_placebo, nnh = {}, {}, {}
    for effect in EFFECTS:
        harm[effect] = {level: float(harm_chance(dose, region, effect, level, exponent)) for level in LEVELS}
        harm_placebo[effect] = load_adverse_effects()[(region, effect)].placebo_percent
        nnh[effect] = {level: float(number_needed(harm[effect][level], harm_placebo[effect])) for level in LEVELS}
    return BenefitHarm(dose, region, placebo, relief, nnt, harm, harm_placebo, nnh)


def format_number_needed(value: float) -> str:
    """'7' for a finite NNT/NNH (rounded up, as is usual), 'none' when there is no difference."""
    return "none" if not math.isfinite(value) else f"{math.ceil(value - 1e-9):d}"


NO_FIBROMYALGIA_DOSE = "no dose or schedule for fibromyalgia exists"


def assumed_words(row, what: str = "rates") -> str:
    """What a readout says next to a data row's numbers when they are not measured ('' for a measured row)."""
    if row.source_id == "course_assumption":
        return " (no trial: assumed rates)"
    return f" (assumed {what})" if row.evidence == "illustrative" else ""


def describe_benefit_harm(result: BenefitHarm, effect: str) -> str:
    """The benefit-harm readout in words (what nbval compares)."""
    region = load_benefit()[result.region]
    harm_row = load_adverse_effects()[(result.region, effect)]
    counts = icon_counts(result.relief["central"], result.placebo_relief)
    harm_counts = icon_counts(result.harm[effect]["central"], result.harm_placebo[effect])
    nnt = [format_number_needed(result.nnt[level]) for level in ("high", "central", "low")]
    nnh = [format_number_needed(result.nnh[effect][level]) for level in ("high", "central", "low")]
    return (
        f"{region.label}, {result.dose_units:g} onabotulinumtoxinA units (a teaching value: {NO_FIBROMYALGIA_DOSE}). "
        f"Of 100 patients, about {counts[0] + counts[1]} have "
        f"{region.outcome}{assumed_words(region, 'central effect')}: "
        f"{counts[1]} would have improved after a sham injection too, so about {counts[0]} owe it to the toxin "
        f"(range {result.relief['low'] - result.placebo_relief:.0f} to "
        f"{result.relief['high'] - result.placebo_relief:.0f}). "
        f"NNT {nnt[1]} (range {nnt[0]} to {nnt[2]}; 'none' = no benefit over placebo, "
        "and a small harm cannot be excluded). "
        f"{EFFECT_LABELS[effect].capitalize()}{assumed_words(harm_row)}: "
        f"about {harm_counts[0] + harm_counts[1]} of 100, "
        f"{harm_counts[0]} of them caused by the toxin; NNH {nnh[1]} (range {nnh[0]} to {nnh[2]}). "
        f"Evidence certainty is very low: the ranges matter more than the central numbers."
    )


# ---------------------------------------------------------------------------------------------
# Dose safety
# ---------------------------------------------------------------------------------------------
def ona_equivalent(units, product: str, level: str = "central") -> np.ndarray:
    """onabotulinumtoxinA-equivalent units of ``units`` of ``product`` (a teaching comparison only)."""
    products = load_products()
    _check_choice("product", product, tuple(products))
    _check_choice("level", level, LEVELS)
    array = np.asarray(units, dtype=float)
    if np.isnan(array).any() or (array < 0).any() or (array > load_units()["U"].max).any():
        raise ValueError(f"units = {units!r} is outside the allowed range 0 to {load_units()['U'].max:g} U")
    return array / products[product].ratio[level]


@dataclass(frozen=True)
class UnitMixup:
    prescribed_units: float
    prescribed_product: str
    given_product: str
    intended_ona: dict        # level -> onabotulinumtoxinA-equivalent units meant
    given_ona: dict           # level -> onabotulinumtoxinA-equivalent units actually given
    factor: dict              # level -> given / intended (inf if nothing was meant)


def unit_mixup(prescribed_units: float, prescribed_product: str, given_product: str) -> UnitMixup:
    """What happens when a dose written in one product's units is drawn up in another product.

    The same number of units of ``given_product`` is injected. ``factor`` > 1 is an overdose
    (e.g. an abobotulinumtoxinA dose given as onabotulinumtoxinA: about 2.5-3 times).
    """
    intended = {level: float(ona_equivalent(prescribed_units, prescribed_product, level)) for level in LEVELS}
    given = {level: float(ona_equivalent(prescribed_units, given_product, level)) for level in LEVELS}
    products = load_products()
    meant_ratio, given_ratio = products[prescribed_product].ratio, products[given_product].ratio
    # given / intended = ratio(prescribed) / ratio(given); the range combines both ratio ranges.
    corners = [meant_ratio[a] / given_ratio[b] for a in ("low", "high") for b in ("low", "high")]
    factor = {"low": min(corners), "central": meant_ratio["central"] / given_ratio["central"], "high": max(corners)}
    return UnitMixup(float(prescribed_units), prescribed_product, given_product, intended, given, factor)


def antibody_percent(dose_units, interval_weeks) -> np.ndarray:
    """Illustrative chance (percent) of neutralising antibodies for repeated sessions.

    Straight lines through (0 U, 0 %), (200 U, 1.0 %) and (300 U, 1.9 %) (label figures, V-sec),
    continued beyond 300 U with the same slope, times ``(12 / interval) ** a`` (illustrative).
    ``dose_units`` and ``interval_weeks`` broadcast against each other (a curve over either).
    """
    doses = _check_doses("dose_units", dose_units)
    spec = parameter_specs()["interval_weeks"]
    interval = require_array_in_range("interval_weeks", interval_weeks, spec.min, spec.max, spec.unit)
    figures = limits()
    at200, at300 = figures["antibody_percent_200"].value, figures["antibody_percent_300"].value
    slope = (at300 - at200) / 100.0
    base = np.where(doses <= 200, doses * at200 / 200.0,
                    np.where(doses <= 300, at200 + (doses - 200) * slope, at300 + (doses - 300) * slope))
    factor = (figures["min_interval_weeks"].value / interval) ** figures["antibody_interval_exponent"].value
    return np.clip(base * factor, 0.0, 100.0)


@dataclass(frozen=True)
class DoseSafety:
    session_units: float
    interval_weeks: float
    sessions_per_12_weeks: int
    units_per_12_weeks: float
    ceiling_units: float
    over_ceiling: bool
    interval_too_short: bool
    ld50_units: float
    ld50_multiple: float          # session dose as a fraction of the LD50 estimate
    antibody_percent: float


def dose_safety(session_units: float, interval_weeks: float) -> DoseSafety:
    """Cumulative units in any 12-week window, interval check, LD50 fraction and antibody chance."""
    dose = float(_check_doses("session_units", session_units))
    interval = check_param("interval_weeks", interval_weeks)
    figures = limits()
    window = figures["min_interval_weeks"].value
    sessions = int(math.ceil(window / interval - 1e-9))
    total = dose * sessions
    ceiling = figures["max_cumulative_units"].value
    ld50 = figures["human_ld50_units"].value
    return DoseSafety(dose, interval, sessions, total, ceiling, total > ceiling, interval < window,
                      ld50, dose / ld50, float(antibody_percent(dose, interval)))


UNAPPROVED_USE_WARNING = ("the label reports serious reactions, some fatal (excessive weakness, trouble swallowing, "
                          "aspiration pneumonia), after unapproved uses such as this one")


def describe_dose_safety(safety: DoseSafety, mixup: UnitMixup) -> str:
    """The dose-safety readout in words."""
    products = load_products()
    parts = [
        f"{NO_FIBROMYALGIA_DOSE[0].upper()}{NO_FIBROMYALGIA_DOSE[1:]}; as a teaching example, sessions every "
        f"{safety.interval_weeks:g} weeks at {safety.session_units:g} onabotulinumtoxinA units give "
        f"{safety.units_per_12_weeks:g} units in any 12-week window "
        + (f"- ABOVE the label's {safety.ceiling_units:g}-unit maximum for any 3 months in approved uses."
           if safety.over_ceiling
           else f"(the label's maximum for any 3 months in approved uses: {safety.ceiling_units:g})."),
    ]
    if safety.interval_too_short:
        parts.append("The interval is shorter than the label's 12-week minimum: antibodies become more likely.")
    parts.append(f"Illustrative chance of neutralising antibodies: about {safety.antibody_percent:.1f}%.")
    parts.append(f"One session is {100 * safety.ld50_multiple:.0f}% of the rough lethal-dose estimate "
                 f"(~{safety.ld50_units:g} U, extrapolated from monkeys): the margin against death is wide, "
                 "but not the margin against serious weakness, trouble swallowing or breathing, which occur at "
                 f"usual doses and depend on the site and the patient; {UNAPPROVED_USE_WARNING}.")
    given, meant = products[mixup.given_product], products[mixup.prescribed_product]
    ratios = "ratios from comparison studies, which vary by indication and muscle; no conversion is approved"
    if mixup.factor["central"] > 1.0001:
        parts.append(f"Unit mix-up: {mixup.prescribed_units:g} units written for {meant.label} but drawn up as "
                     f"{given.label} = {mixup.factor['low']:.1f} to {mixup.factor['high']:.1f} times the intended dose "
                     f"(overdose; {ratios}).")
    elif mixup.factor["central"] < 0.9999:
        parts.append(f"Unit mix-up: {mixup.prescribed_units:g} units written for {meant.label} but drawn up as "
                     f"{given.label} = only {mixup.factor['low']:.2f} to {mixup.factor['high']:.2f} "
                     "of the intended dose "
                     f"(underdose; {ratios}).")
    else:
        parts.append(f"No mix-up: {meant.label} and {given.label} units are about the same size in comparison studies, "
                     "but they are still different products and are never simply swapped.")
    parts.append("Not dosing guidance.")
    return " ".join(parts)


# ---------------------------------------------------------------------------------------------
# Checklist
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ChecklistResult:
    contraindications: tuple      # ChecklistItem ticked, kind contraindication
    high_risk: tuple
    not_established: tuple        # safety not established (pregnancy, breastfeeding)
    adverse_effects: tuple

    @property
    def verdict(self) -> str:
        if self.contraindications:
            return "do_not_inject"
        if self.high_risk:
            return "specialist_caution"
        if self.not_established:
            return "safety_not_established"
        return "no_flag"


def screen(ticked) -> ChecklistResult:
    """Sort the ticked checklist ids into contraindications, high-risk conditions, conditions in which safety is not
    established, and adverse effects."""
    items = {item.id: item for item in load_checklist()}
    ticked = list(ticked)
    unknown = [item for item in ticked if item not in items]
    if unknown:
        raise ValueError(f"unknown checklist id(s): {', '.join(map(str, unknown))}; known: {', '.join(items)}")
    chosen = [items[item_id] for item_id in items if item_id in ticked]
    return ChecklistResult(*(tuple(item for item in chosen if item.kind == kind) for kind in CHECKLIST_KINDS))


def _labels(items) -> str:
    return "; ".join(item.label.lower() for item in items)


def describe_screen(result: ChecklistResult) -> str:
    """The checklist readout in words."""
    parts = []
    if result.contraindications:
        parts.append(f"Contraindication: {_labels(result.contraindications)}. "
                     "The label says do not inject while this applies.")
    if result.high_risk:
        parts.append(("High-risk" if result.contraindications else "No contraindication, but high-risk")
                     + f": {_labels(result.high_risk)}. "
                     "A serious problem is more likely; only a specialist weighs this.")
    if result.not_established:
        parts.append(f"Safety not established: {_labels(result.not_established)}. There are no adequate human data; "
                     "the injection is usually postponed.")
    if not parts:
        parts.append("No contraindication or high-risk condition ticked.")
    if result.adverse_effects:
        parts.append(f"Note: {_labels(result.adverse_effects).replace('; ', ', ')} "
                     "- these are adverse effects, not contraindications.")
    parts.append(f"Whatever is ticked, fibromyalgia is an unapproved use: {UNAPPROVED_USE_WARNING}, "
                 "so an empty checklist does not make the injection safe. For education only.")
    return " ".join(parts)


# ---------------------------------------------------------------------------------------------
# Cost
# ---------------------------------------------------------------------------------------------
WEEKS_PER_YEAR = 365.25 / 7


@dataclass(frozen=True)
class CostSummary:
    dose_units: float
    price_per_unit: float
    admin_cost: float
    drug_cost: float
    session_cost: float
    sessions_per_year: float            # steady state, one session per minimum interval: 52.18 / 12 = 4.35
    annual_cost: float
    relief_weeks_per_session: float     # assumed, for a patient who responds (illustrative)
    cost_per_relief_week_if_responder: float
    region: str
    chance_of_relief_percent: float     # central, placebo response included
    placebo_percent: float
    toxin_share: dict                   # level -> percentage points of patients whose relief is owed to the toxin
    cost_per_toxin_relief_week: dict    # level -> USD per relief-week owed to the toxin (inf: none is owed to it)


def session_cost(dose_units, price_per_unit: float, admin_cost: float) -> np.ndarray:
    """Drug (dose x price per unit) plus the visit, per session (vectorised over dose)."""
    doses = _check_doses("dose_units", dose_units)
    price = check_param("price_per_unit_usd", price_per_unit)
    admin = check_param("admin_cost_usd", admin_cost)
    return doses * price + admin


def cost_summary(dose_units: float, price_per_unit: float, admin_cost: float, region: str = "upper_back_trigger",
                 relief_weeks_per_session: float | None = None) -> CostSummary:
    """Cost per session, per year and per week of meaningful relief.

    Sessions a year are the steady state at the label's minimum interval (52.18 weeks / 12). The weeks of relief
    per session for a patient who responds are an assumption (``relief_weeks_per_session``, illustrative). Only the
    relief beyond the placebo response, ``P(d) - p0``, is owed to the toxin, so the cost per relief-week owed to the
    toxin divides by that share too (for each evidence level; unlimited when the share is 0).
    """
    dose = float(_check_doses("dose_units", dose_units))
    spec = parameter_specs()["relief_weeks_per_session"]
    weeks = check_param("relief_weeks_per_session",
                        spec.value if relief_weeks_per_session is None else relief_weeks_per_session)
    per_session = float(session_cost(dose, price_per_unit, admin_cost))
    sessions = WEEKS_PER_YEAR / limits()["min_interval_weeks"].value
    placebo = load_benefit()[region].placebo_percent if region in REGIONS else None
    chance = {level: float(relief_chance(dose, region, level)) for level in LEVELS}
    share = {level: max(chance[level] - placebo, 0.0) for level in LEVELS}
    per_toxin_week = {level: per_session / (weeks * share[level] / 100.0) if share[level] > 1e-9 else math.inf
                      for level in LEVELS}
    return CostSummary(dose, float(price_per_unit), float(admin_cost), dose * float(price_per_unit), per_session,
                       sessions, per_session * sessions, weeks, per_session / weeks, region, chance["central"], placebo,
                       share, per_toxin_week)


def _usd(value: float) -> str:
    return f"USD {value:,.0f}"


def describe_cost(cost: CostSummary) -> str:
    """The cost readout in words."""
    reference = load_prices()["medicare_2026"].value
    label = load_benefit()[cost.region].label
    share = 100 * cost.drug_cost / cost.session_cost if cost.session_cost > 0 else 0.0
    central = cost.cost_per_toxin_relief_week["central"]
    if math.isfinite(central):
        toxin = (f"with the central estimate for {label.lower()} (about {cost.toxin_share['central']:.0f} "
                 f"of 100 patients beyond the {cost.placebo_percent:g} who improve after a sham injection), "
                 f"{_usd(central)} per relief-week owed to the toxin; at the low end of the evidence "
                 "(no effect over placebo) no relief-week is owed to it, so that cost is unlimited")
    else:
        toxin = (f"with the central estimate for {label.lower()} at this dose no relief is owed to the toxin, "
                 "so the cost per relief-week owed to it is unlimited")
    return (f"At USD {cost.price_per_unit:.2f} per unit "
            f"({cost.price_per_unit / reference:.0%} of the 2026 Medicare figure, "
            f"a secondary source) one {cost.dose_units:g}-unit session costs {_usd(cost.session_cost)} "
            f"({share:.0f}% of it the drug); "
            f"at one session every 12 weeks (about {cost.sessions_per_year:.1f} a year) "
            f"that is {_usd(cost.annual_cost)} a year. "
            f"With the assumed {cost.relief_weeks_per_session:g} weeks of meaningful relief per session "
            "in a patient who responds: "
            f"{_usd(cost.cost_per_relief_week_if_responder)} per relief-week. "
            "Only relief beyond the placebo response is owed to "
            f"the toxin: {toxin}. Dose and schedule are teaching values: {NO_FIBROMYALGIA_DOSE}. "
            "Lower prices shrink only the "
            "drug part; the visit and the uncertain benefit stay.")


# ---------------------------------------------------------------------------------------------
# Shared decision
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class NetBenefit:
    relief_score: dict            # level -> weight x (relief - placebo) in percentage points
    harm_scores: dict             # effect -> weight x excess risk (central), percentage points
    harm_total: dict              # level -> sum of the harm scores at that level
    cost_score: float             # weight x session cost / USD 100
    net: dict                     # level -> relief - harms - cost (pessimistic, central, optimistic)
    dose_units: float


def net_benefit(dose_units: float, region: str, weights: dict, price_per_unit: float, admin_cost: float,
                ed50_units: float | None = None, exponent: float | None = None) -> NetBenefit:
    """A weighted score: importance x percentage points of extra relief, minus importance x percentage
    points of extra risk for each adverse effect, minus importance x session cost in USD 100s.

    ``net['low']`` pairs the low benefit with the high harms (pessimistic); ``net['high']`` the
    reverse (optimistic).
    """
    names = ["weight_relief", "weight_cost"] + [f"weight_{effect}" for effect in EFFECTS]
    unknown = set(weights) - set(names)
    if unknown:
        raise ValueError(f"unknown weight(s): {', '.join(sorted(unknown))}")
    specs = parameter_specs()
    w = {name: check_param(name, weights.get(name, specs[name].value)) for name in names}
    result = benefit_harm(dose_units, region, ed50_units, exponent)
    relief_score = {level: w["weight_relief"] * (result.relief[level] - result.placebo_relief) for level in LEVELS}
    excess = {effect: {level: result.harm[effect][level] - result.harm_placebo[effect] for level in LEVELS}
              for effect in EFFECTS}
    harm_scores = {effect: w[f"weight_{effect}"] * max(excess[effect]["central"], 0.0) for effect in EFFECTS}
    harm_total = {level: sum(w[f"weight_{effect}"] * max(excess[effect][level], 0.0) for effect in EFFECTS)
                  for level in LEVELS}
    cost = w["weight_cost"] * float(session_cost(result.dose_units, price_per_unit, admin_cost)) / 100.0
    net = {
        "low": relief_score["low"] - harm_total["high"] - cost,
        "central": relief_score["central"] - harm_total["central"] - cost,
        "high": relief_score["high"] - harm_total["low"] - cost,
    }
    return NetBenefit(relief_score, harm_scores, harm_total, cost, net, result.dose_units)


def describe_net_benefit(result: NetBenefit, region: str) -> str:
    """The shared-decision readout in words, for this patient's weights."""
    label = load_benefit()[region].label.lower()
    central = result.net["central"]
    if central > 0:
        verdict = "the expected benefit outweighs the harms and the cost"
    elif central < 0:
        verdict = "the harms and the cost outweigh the expected benefit"
    else:
        verdict = "benefit and burdens balance exactly"
    biggest = max(result.harm_scores, key=result.harm_scores.get)
    if result.net["low"] < 0 < result.net["high"]:
        spread = ("the answer flips within the evidence range (pessimistic "
                  f"{result.net['low']:+.0f}, optimistic {result.net['high']:+.0f}): the evidence cannot settle it")
    else:
        spread = (f"the whole evidence range agrees (pessimistic {result.net['low']:+.0f}, "
                  f"optimistic {result.net['high']:+.0f})")
    assumed = sum(load_adverse_effects()[(region, effect)].evidence == "illustrative" for effect in EFFECTS)
    return (f"For this patient ({label}, {result.dose_units:g} U, a teaching value: {NO_FIBROMYALGIA_DOSE}), with the "
            f"adverse-effect rates of these sites ({assumed} of {len(EFFECTS)} assumed), {verdict}: "
            f"net score {central:+.0f} "
            f"(relief {result.relief_score['central']:+.0f}, adverse effects {-result.harm_total['central']:+.0f}, "
            f"cost {-result.cost_score:+.0f}). The harm that weighs most is {EFFECT_LABELS[biggest]}. "
            f"Across the evidence, {spread}. The score only mirrors the weights you chose; it is a conversation aid, "
            f"not a recommendation.")
