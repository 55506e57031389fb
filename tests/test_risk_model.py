"""Unit tests of helpers/models/risk.py and its data files (notebook 05)."""
from __future__ import annotations

import math
import shutil

import numpy as np
import pytest

from helpers.data import DATA_DIR, DataFileError
from helpers.models import risk


# ---------------------------------------------------------------------------------------------
# Data files
# ---------------------------------------------------------------------------------------------
def test_data_files_load_complete():
    assert set(risk.load_benefit()) == set(risk.REGIONS)
    assert len(risk.load_adverse_effects()) == len(risk.REGIONS) * len(risk.EFFECTS)
    assert {"onabotulinumtoxinA", "incobotulinumtoxinA", "abobotulinumtoxinA"} <= set(risk.load_products())
    kinds = {item.kind for item in risk.load_checklist()}
    assert kinds == set(risk.CHECKLIST_KINDS)
    assert risk.load_prices()["nice_vial_200"].value == pytest.approx(276.40)
    assert risk.load_prices()["medicare_2026"].year == 2026


def test_trial_figures_are_the_published_ones():
    benefit = risk.load_benefit()
    # Benecke 2011: 49% vs 38%; Gobel 2006: 51% vs 26%.
    assert benefit["upper_back_fixed"].placebo_percent + benefit["upper_back_fixed"].effect["central"] == 49
    assert benefit["upper_back_fixed"].placebo_percent == 38
    assert benefit["upper_back_trigger"].placebo_percent + benefit["upper_back_trigger"].effect["central"] == 51
    assert benefit["upper_back_trigger"].placebo_percent == 26
    # The very-low-certainty range always includes no effect.
    assert all(row.effect["low"] == 0 for row in benefit.values())


def test_every_number_has_a_source_and_illustrative_rows_say_why():
    rows = list(risk.load_benefit().values()) + list(risk.load_adverse_effects().values()) \
        + list(risk.load_products().values()) + list(risk.load_prices().values())
    for row in rows:
        assert row.source_id and row.evidence
        if row.evidence == "illustrative":
            assert row.note


@pytest.fixture
def broken_copy(tmp_path):
    """A copy of data/ that a test can corrupt; loaders are pointed at it with data_dir."""
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)

    def edit(filename, old, new):
        path = copy / filename
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {filename}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        return copy
    return edit


# Each corrupted file fails at load with the file, the record and the field: (file, text in it, the corrupted
# text, loader, the message expected).
CORRUPTED = {
    "benefit-unordered-range": ("risk_benefit.csv", "145,26,0,25,40", "145,26,0,25,20", risk.load_benefit,
                                r"risk_benefit.csv, record 'upper_back_trigger' \(row 2\), "
                                r"field 'effect_high': 20 is below"),
    "benefit-unknown-region": ("risk_benefit.csv", "lower_back,Lower back", "knee,Knee", risk.load_benefit,
                               r"field 'region': unknown region 'knee'"),
    "benefit-percent-over-100": ("risk_benefit.csv", "145,38,0,11,25", "145,38,0,11,75", risk.load_benefit,
                                 r"field 'effect_high': placebo 38 \+ effect 75 exceeds 100%"),
    "adverse-bad-number": ("risk_adverse_effects.csv", "lower_back,flu_like,200,0,4,8,1",
                           "lower_back,flu_like,200,0,four,8,1", risk.load_adverse_effects,
                           r"risk_adverse_effects.csv, record 'lower_back' \(row 18\), "
                           r"field 'central': 'four' is not a number"),
    "adverse-missing-pair": ("risk_adverse_effects.csv", "face_forehead,flu_like", "face_forehead,ptosis",
                             risk.load_adverse_effects,
                             r"field 'effect': duplicate effect 'ptosis' for region 'face_forehead'"),
    "adverse-unknown-source": ("risk_adverse_effects.csv", "percent,snaith2014,illustrative",
                               "percent,nobody1999,illustrative", risk.load_adverse_effects,
                               r"field 'source_id': unknown source id 'nobody1999'"),
    "products-non-positive-ratio": ("risk_products.csv", "Xeomin,1,1,1", "Xeomin,0,1,1", risk.load_products,
                                    r"record 'incobotulinumtoxinA' \(row 2\), field 'ratio_low': 0 must be positive"),
    "prices-unknown-unit": ("risk_prices.csv", "6.51,USD/U", "6.51,EUR/U", risk.load_prices,
                            r"risk_prices.csv, record 'medicare_2026' \(row 3\), field 'unit': unknown unit 'EUR/U'"),
    "checklist-unknown-kind": ("risk_contraindications.yaml", "kind: high_risk", "kind: maybe", risk.load_checklist,
                               r"risk_contraindications.yaml, record 'myasthenia_gravis' \(#3\), "
                               r"field 'kind': unknown kind 'maybe'"),
    "checklist-missing-sources": ("risk_contraindications.yaml",
                                  "  sources: [botox_label]\n  evidence: label\n- id: hypersensitivity",
                                  "  sources: []\n  evidence: label\n- id: hypersensitivity", risk.load_checklist,
                                  r"record 'infection_at_site' \(#1\), field 'sources': expected a non-empty list"),
}


@pytest.mark.parametrize("case", CORRUPTED.values(), ids=CORRUPTED.keys())
def test_corrupted_file_fails_at_load_naming_file_record_and_field(broken_copy, case):
    filename, old, new, loader, message = case
    with pytest.raises(DataFileError, match=message):
        loader(broken_copy(filename, old, new))


# ---------------------------------------------------------------------------------------------
# Benefit and harm: hand-computed cases
# ---------------------------------------------------------------------------------------------
def test_relief_at_zero_dose_is_placebo_and_at_trial_dose_is_trial():
    assert float(risk.relief_chance(0, "upper_back_fixed")) == pytest.approx(38)
    assert float(risk.relief_chance(145, "upper_back_fixed")) == pytest.approx(49)
    assert float(risk.relief_chance(145, "upper_back_trigger", "high")) == pytest.approx(66)
    assert float(risk.relief_chance(145, "upper_back_trigger", "low")) == pytest.approx(26)


def test_relief_hand_computed_half_ed50():
    # Emax = 25 * (145 + 50) / 145 = 33.6207; at d = ED50 = 50: 26 + 33.6207 / 2 = 42.8103
    assert float(risk.relief_chance(50, "upper_back_trigger", ed50_units=50)) == pytest.approx(42.8103, abs=1e-3)
    # ED50 = 100, dose 100: Emax = 25 * 245 / 145 = 42.241; 26 + 21.1207 = 47.1207
    assert float(risk.relief_chance(100, "upper_back_trigger", ed50_units=100)) == pytest.approx(47.1207, abs=1e-3)


def test_harm_hand_computed():
    # Lower back flu-like: placebo 1, central 4 at 200 U.
    assert float(risk.harm_chance(200, "lower_back", "flu_like")) == pytest.approx(4)
    assert float(risk.harm_chance(100, "lower_back", "flu_like", exponent=1)) == pytest.approx(2.5)
    assert float(risk.harm_chance(100, "lower_back", "flu_like", exponent=2)) == pytest.approx(1.75)
    assert float(risk.harm_chance(0, "lower_back", "flu_like")) == pytest.approx(1)
    assert float(risk.harm_chance(400, "lower_back", "flu_like", "high")) == pytest.approx(1 + 7 * 2)
    # Fixed-site dysphagia (assumed): placebo 0.5, central 2 at 145 U.
    assert float(risk.harm_chance(145, "upper_back_fixed", "dysphagia")) == pytest.approx(2)
    assert float(risk.harm_chance(290, "upper_back_fixed", "dysphagia", "high")) == pytest.approx(0.5 + 9.5 * 2)


def test_number_needed_and_format():
    assert float(risk.number_needed(49, 38)) == pytest.approx(100 / 11)
    assert math.isinf(float(risk.number_needed(38, 38)))
    assert math.isinf(float(risk.number_needed(30, 38)))
    assert risk.format_number_needed(100 / 11) == "10"
    assert risk.format_number_needed(4.0) == "4"
    assert risk.format_number_needed(math.inf) == "none"


def test_icon_counts_hand_computed_and_always_100():
    assert risk.icon_counts(49, 38) == (11, 38, 51)
    assert risk.icon_counts(0, 0) == (0, 0, 100)
    assert risk.icon_counts(100, 0) == (100, 0, 0)
    assert sum(risk.icon_counts(33.4, 12.7)) == 100
    for treated, control in np.random.default_rng(1).uniform(0, 100, size=(200, 2)):
        counts = risk.icon_counts(treated, control)
        assert sum(counts) == 100 and min(counts) >= 0


def test_icon_categories():
    codes = risk.icon_categories((11, 38, 51))
    assert codes.shape == (100,)
    assert (codes[:11] == 0).all() and (codes[11:49] == 1).all() and (codes[49:] == 2).all()
    with pytest.raises(ValueError, match=r"counts \[1, 2\] must be non-negative and add up to 100"):
        risk.icon_categories((1, 2))


def test_benefit_harm_ranges_ordered():
    result = risk.benefit_harm(150, "upper_back_fixed")
    assert result.relief["low"] <= result.relief["central"] <= result.relief["high"]
    assert result.nnt["high"] <= result.nnt["central"] <= result.nnt["low"]
    for effect in risk.EFFECTS:
        assert result.harm[effect]["low"] <= result.harm[effect]["central"] <= result.harm[effect]["high"]
    text = risk.describe_benefit_harm(result, "dysphagia")
    assert "NNT 10 (range 4 to none" in text
    assert "a teaching value: no dose or schedule for fibromyalgia exists" in text
    assert "a small harm cannot be excluded" in text


# ---------------------------------------------------------------------------------------------
# Dose safety
# ---------------------------------------------------------------------------------------------
def test_ona_equivalent_and_mixup():
    assert float(risk.ona_equivalent(275, "abobotulinumtoxinA")) == pytest.approx(100)
    assert float(risk.ona_equivalent(100, "incobotulinumtoxinA")) == pytest.approx(100)
    mix = risk.unit_mixup(400, "abobotulinumtoxinA", "onabotulinumtoxinA")
    assert mix.factor == pytest.approx({"low": 2.5, "central": 2.75, "high": 3.0})
    assert mix.given_ona["central"] == pytest.approx(400)
    assert mix.intended_ona["central"] == pytest.approx(400 / 2.75)
    reverse = risk.unit_mixup(100, "onabotulinumtoxinA", "abobotulinumtoxinA")
    assert reverse.factor["low"] == pytest.approx(1 / 3) and reverse.factor["high"] == pytest.approx(0.4)
    same = risk.unit_mixup(100, "onabotulinumtoxinA", "incobotulinumtoxinA")
    assert same.factor["central"] == pytest.approx(1)
    text = risk.describe_dose_safety(risk.dose_safety(150, 12), mix)
    assert "2.5 to 3.0 times the intended dose (overdose; ratios from comparison studies, " \
           "which vary by indication and muscle; no conversion is approved)" in text


def test_dose_safety_windows():
    safe = risk.dose_safety(150, 12)
    assert (safe.sessions_per_12_weeks, safe.units_per_12_weeks, safe.over_ceiling,
            safe.interval_too_short) == (1, 150, False, False)
    assert safe.ld50_multiple == pytest.approx(0.05)
    short = risk.dose_safety(250, 6)
    assert (short.sessions_per_12_weeks, short.units_per_12_weeks, short.over_ceiling,
            short.interval_too_short) == (2, 500, True, True)
    assert risk.dose_safety(100, 5).sessions_per_12_weeks == 3
    assert risk.dose_safety(100, 4).sessions_per_12_weeks == 3
    assert risk.dose_safety(100, 26).sessions_per_12_weeks == 1
    assert not risk.dose_safety(400, 12).over_ceiling


def test_antibody_percent_hand_computed():
    assert float(risk.antibody_percent(200, 12)) == pytest.approx(1.0)
    assert float(risk.antibody_percent(300, 12)) == pytest.approx(1.9)
    assert float(risk.antibody_percent(100, 12)) == pytest.approx(0.5)
    assert float(risk.antibody_percent(400, 12)) == pytest.approx(2.8)
    assert float(risk.antibody_percent(200, 6)) == pytest.approx(2.0)
    assert float(risk.antibody_percent(200, 24)) == pytest.approx(0.5)


# ---------------------------------------------------------------------------------------------
# Checklist
# ---------------------------------------------------------------------------------------------
def test_screen_verdicts_and_wording():
    assert risk.screen([]).verdict == "no_flag"
    assert risk.screen(["had_back_pain"]).verdict == "no_flag"
    assert risk.screen(["myasthenia_gravis"]).verdict == "specialist_caution"
    assert risk.screen(["pregnancy"]).verdict == "safety_not_established"
    assert risk.screen(["pregnancy", "heart_disease"]).verdict == "specialist_caution"
    assert risk.screen(["pregnancy", "infection_at_site"]).verdict == "do_not_inject"
    text = risk.describe_screen(risk.screen(["had_neck_pain", "had_ptosis"]))
    assert "adverse effects, not contraindications" in text
    with pytest.raises(ValueError, match=r"unknown checklist id\(s\): broken_leg"):
        risk.screen(["broken_leg"])


def test_lay_article_examples_are_adverse_effects():
    kinds = {item.id: item.kind for item in risk.load_checklist()}
    assert kinds["had_neck_pain"] == kinds["had_back_pain"] == kinds["had_ptosis"] == "adverse_effect"
    assert kinds["infection_at_site"] == kinds["hypersensitivity"] == "contraindication"
    for item in ("myasthenia_gravis", "lambert_eaton", "als_motor_neuron", "potentiating_drugs",
                 "other_motor_neuropathy", "other_toxin_recently", "anticholinergic_drugs", "heart_disease",
                 "anticoagulants", "swallowing_breathing"):
        assert kinds[item] == "high_risk"
    # Pregnancy is not a condition that raises the risk of weakness: its safety is simply not established (review #22).
    assert kinds["pregnancy"] == kinds["breastfeeding"] == "not_established"


# ---------------------------------------------------------------------------------------------
# Cost
# ---------------------------------------------------------------------------------------------
def test_session_cost_hand_computed():
    assert float(risk.session_cost(100, 6.51, 150)) == pytest.approx(801)
    assert float(risk.session_cost(155, 6.51, 0)) == pytest.approx(1009.05)


def test_cost_summary_hand_computed():
    cost = risk.cost_summary(150, 6.51, 150, "upper_back_trigger", relief_weeks_per_session=7)
    session = 150 * 6.51 + 150
    # Steady state at one session every 12 weeks: 365.25 / 7 / 12 = 4.35 sessions a year (review #12c), not 5.
    assert cost.sessions_per_year == pytest.approx(365.25 / 7 / 12)
    assert cost.annual_cost == pytest.approx(session * 365.25 / 7 / 12)
    assert cost.cost_per_relief_week_if_responder == pytest.approx(session / 7)
    # Only the relief beyond placebo is owed to the toxin: P(150) - 26, not P(150) (review #12a).
    share = float(risk.relief_chance(150, "upper_back_trigger")) - 26
    assert cost.toxin_share["central"] == pytest.approx(share)
    assert cost.cost_per_toxin_relief_week["central"] == pytest.approx(session / (7 * share / 100))
    assert math.isinf(cost.cost_per_toxin_relief_week["low"])
    cheaper = risk.cost_summary(150, 0.5, 150, "upper_back_trigger")
    assert cheaper.session_cost < cost.session_cost and cheaper.session_cost >= 150


def test_cost_readout_states_its_assumptions():
    text = risk.describe_cost(risk.cost_summary(150, 6.51, 150, "upper_back_trigger", relief_weeks_per_session=7))
    assert "With the assumed 7 weeks of meaningful relief per session" in text
    assert "about 4.3 a year" in text and "a secondary source" in text
    assert "relief-week owed to the toxin" in text and "so that cost is unlimited" in text
    assert "no dose or schedule for fibromyalgia exists" in text


def test_cost_at_sham_dose_owes_nothing_to_the_toxin():
    cost = risk.cost_summary(0, 6.51, 150)
    assert all(math.isinf(value) for value in cost.cost_per_toxin_relief_week.values())
    assert "no relief is owed to the toxin" in risk.describe_cost(cost)


# ---------------------------------------------------------------------------------------------
# Shared decision
# ---------------------------------------------------------------------------------------------
def test_net_benefit_hand_computed():
    zeros = {name: 0 for name in ("weight_cost",) + tuple(f"weight_{e}" for e in risk.EFFECTS)}
    only_relief = risk.net_benefit(145, "upper_back_fixed", {**zeros, "weight_relief": 1}, 6.51, 150)
    assert only_relief.net["central"] == pytest.approx(11)
    assert only_relief.net["low"] == pytest.approx(0)
    only_cost = risk.net_benefit(100, "upper_back_trigger", {**zeros, "weight_relief": 0, "weight_cost": 2}, 6.51, 150)
    assert only_cost.net["central"] == pytest.approx(-2 * 801 / 100)
    only_dysphagia = risk.net_benefit(290, "upper_back_fixed", {**zeros, "weight_relief": 0, "weight_dysphagia": 10},
                                      6.51, 150)
    assert only_dysphagia.net["central"] == pytest.approx(-10 * 1.5 * 2)


def test_net_benefit_words():
    result = risk.net_benefit(150, "upper_back_trigger", {}, 6.51, 150)
    assert result.net["low"] <= result.net["central"] <= result.net["high"]
    text = risk.describe_net_benefit(result, "upper_back_trigger")
    assert "not a recommendation" in text and "upper back, trigger points" in text
    assert "no dose or schedule for fibromyalgia exists" in text and "(5 of 6 assumed)" in text


# ---------------------------------------------------------------------------------------------
# Validation messages
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("call, message", [
    (lambda: risk.relief_chance(500, "upper_back_fixed"), r"dose_units = 500 is outside the allowed range 0 to 400 U"),
    (lambda: risk.relief_chance(-1, "upper_back_fixed"), r"dose_units = -1 is outside the allowed range 0 to 400 U"),
    (lambda: risk.relief_chance(100, "knee"), r"region = 'knee' is not one of upper_back_fixed"),
    (lambda: risk.relief_chance(100, "upper_back_trigger", "best"), r"level = 'best' is not one of low, central, high"),
    (lambda: risk.relief_chance(100, "upper_back_trigger", ed50_units=5),
     r"ed50_units = 5 is outside the allowed range 10 to 150 U"),
    (lambda: risk.harm_chance(100, "upper_back_trigger", "headache"), r"effect = 'headache' is not one of ptosis"),
    (lambda: risk.harm_chance(100, "upper_back_trigger", "ptosis", exponent=3),
     r"harm_dose_exponent = 3 is outside the allowed range 0.5 to 2 ratio"),
    (lambda: risk.dose_safety(100, 3), r"interval_weeks = 3 is outside the allowed range 4 to 26 weeks"),
    (lambda: risk.session_cost(100, 20, 150), r"price_per_unit_usd = 20 is outside the allowed range 0.5 to 10 USD/U"),
    (lambda: risk.session_cost(100, 5, 900), r"admin_cost_usd = 900 is outside the allowed range 0 to 500 USD"),
    (lambda: risk.ona_equivalent(100, "rimabotulinumtoxinB"), r"product = 'rimabotulinumtoxinB' is not one of"),
    (lambda: risk.net_benefit(100, "upper_back_trigger", {"weight_mood": 3}, 5, 100),
     r"unknown weight\(s\): weight_mood"),
    (lambda: risk.net_benefit(100, "upper_back_trigger", {"weight_relief": 11}, 5, 100),
     r"weight_relief = 11 is outside the allowed range 0 to 10 importance"),
])
def test_validation_messages(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# ---------------------------------------------------------------------------------------------
# Sweep: invariants over every dose and region
# ---------------------------------------------------------------------------------------------
def test_sweep_dose_region_effect_invariants():
    spec = risk.parameter_specs()["dose_units"]
    doses = np.arange(spec.min, spec.max + spec.step / 2, spec.step)
    for region in risk.REGIONS:
        placebo = risk.load_benefit()[region].placebo_percent
        curves = {level: risk.relief_chance(doses, region, level) for level in risk.LEVELS}
        assert np.all(np.diff(curves["central"]) >= -1e-12)
        assert (np.all(curves["low"] <= curves["central"] + 1e-12)
                and np.all(curves["central"] <= curves["high"] + 1e-12))
        assert np.all((curves["high"] >= placebo - 1e-12) & (curves["high"] <= 100))
        for effect in risk.EFFECTS:
            harm = risk.harm_chance(doses, region, effect, "high", exponent=2)
            assert np.all(np.diff(harm) >= -1e-12) and np.all((harm >= 0) & (harm <= 100))


def test_antibody_curve_over_intervals_matches_scalar_calls_and_falls_with_interval():
    intervals = np.arange(4, 27, dtype=float)
    curve = risk.antibody_percent(200, intervals)
    assert curve == pytest.approx([float(risk.antibody_percent(200, w)) for w in intervals])
    assert np.all(np.diff(curve) < 0), "longer intervals must give fewer antibodies"
    with pytest.raises(ValueError, match=r"interval_weeks contains 2, outside the allowed range 4 to 26 weeks"):
        risk.antibody_percent(200, [2, 12])


# ---------------------------------------------------------------------------------------------
# Clinical review corrections (data/review_responses.md, notebook 05 section)
# ---------------------------------------------------------------------------------------------
def test_upper_back_trials_are_one_population_differing_in_strategy():
    """Review #4: Benecke 2011 and Gobel 2006 enrolled the same upper-back myofascial patients at the same dose; they
    differ in injection strategy (fixed sites vs trigger points), not in body region."""
    benefit = risk.load_benefit()
    fixed, trigger = benefit["upper_back_fixed"], benefit["upper_back_trigger"]
    assert (fixed.source_id, trigger.source_id) == ("benecke2011", "gobel2006")
    assert fixed.trial_dose_units == trigger.trial_dose_units
    assert fixed.outcome == trigger.outcome == "mild or no pain at week 5"
    assert "fixed sites" in fixed.label and "trigger points" in trigger.label
    assert "neck" not in fixed.label.lower()


def test_low_end_of_the_myofascial_rows_does_not_rest_on_battista():
    """Review #6: battista2021 pooled add-on trials in chronic musculoskeletal pain, not myofascial toxin-vs-saline
    trials, so it cannot set the lower bound of the myofascial rows."""
    for region in ("upper_back_fixed", "upper_back_trigger"):
        note = risk.load_benefit()[region].note
        assert "battista2021" not in note and "Low 0:" in note


def test_benefit_rows_need_their_outcome(broken_copy):
    """Review #37: each row says what its trial counted as relief."""
    data_dir = broken_copy("risk_benefit.csv", "Lower back,more than 50% relief at week 8,", "Lower back,,")
    with pytest.raises(DataFileError, match=r"record 'lower_back' \(row 3\), field 'outcome'"):
        risk.load_benefit(data_dir)


def test_cervical_dystonia_rates_are_assumptions_for_the_fixed_sites():
    """Review #13: rates from cervical-dystonia trials are not measured rates for upper-back injections."""
    rows = [row for (region, _), row in risk.load_adverse_effects().items() if region == "upper_back_fixed"]
    for row in rows:
        if row.source_id in ("snaith2014", "botoxone_cd") or "dystonia" in row.note:
            assert row.evidence == "illustrative", row.effect
    dysphagia = risk.load_adverse_effects()[("upper_back_fixed", "dysphagia")]
    assert dysphagia.rate["central"] < 10 and dysphagia.reference_dose_units == 145


def test_readout_says_assumed_next_to_assumed_rates():
    assumed = risk.describe_benefit_harm(risk.benefit_harm(150, "upper_back_fixed"), "dysphagia")
    assert "Trouble swallowing (dysphagia) (assumed rates): about" in assumed
    measured = risk.describe_benefit_harm(risk.benefit_harm(150, "lower_back"), "flu_like")
    assert "Flu-like symptoms: about" in measured and "(assumed central effect)" in measured
    no_trial = risk.describe_benefit_harm(risk.benefit_harm(150, "face_forehead"), "ptosis")
    assert "have relief (no trial: assumed rates)" in no_trial


def test_dose_safety_readout_gives_the_margin_that_matters_and_the_unapproved_use_warning():
    """Review #1 and #2: the lethal-dose margin is not the clinically relevant one, and the label warns about
    unapproved uses; the readout also says that no fibromyalgia dose or schedule exists."""
    mix = risk.unit_mixup(300, "abobotulinumtoxinA", "onabotulinumtoxinA")
    text = risk.describe_dose_safety(risk.dose_safety(150, 12), mix)
    assert text.startswith("No dose or schedule for fibromyalgia exists; as a teaching example")
    assert "the margin against death is wide, but not the margin against serious weakness" in text
    assert "occur at usual doses" in text
    assert "serious reactions, some fatal" in text and "after unapproved uses" in text
    assert "there is a margin, but it is not a licence" not in text
    assert "the label's maximum for any 3 months in approved uses: 400" in text


def test_checklist_readout_always_carries_the_unapproved_use_warning():
    for ticked in ([], ["had_neck_pain"], ["infection_at_site"], ["pregnancy"]):
        assert "fibromyalgia is an unapproved use: the label reports serious reactions, some fatal" in \
            risk.describe_screen(risk.screen(ticked))


def test_intramuscular_contraindications_and_label_precautions():
    """Review #21 and #22."""
    kinds = {item.id: item.kind for item in risk.load_checklist()}
    assert sorted(name for name, kind in kinds.items()
                  if kind == "contraindication") == ["hypersensitivity", "infection_at_site"]
    text = risk.describe_screen(risk.screen(["breastfeeding"]))
    assert text.startswith("Safety not established: breastfeeding.")


def test_cumulative_maximum_is_the_label_figure():
    """Review #14: 400 U in 3 months is the label's figure (Medscape gives 360 U)."""
    ceiling = risk.limits()["max_cumulative_units"]
    assert (ceiling.value, ceiling.source_id, ceiling.evidence) == (400, "botox_label", "label")
    assert "360" in ceiling.note and "secondary" not in ceiling.note


def test_secondary_price_figures_carry_the_secondary_tag():
    """Review #38: a billing site's price is not label evidence; the data validation knows the 'secondary' tag."""
    from helpers.data import EVIDENCE_TAGS, load_bibliography, load_presets
    assert "secondary" in EVIDENCE_TAGS
    prices = risk.load_prices()
    assert prices["medicare_2026"].evidence == prices["medicare_2005"].evidence == "secondary"
    assert risk.parameter_specs()["price_per_unit_usd"].evidence == "secondary"
    assert load_bibliography()["carecost2026"].evidence == "secondary"
    for name in ("medicare_2026", "medicare_2005"):
        assert load_presets("risk_presets_cost.csv", "risk_parameters.csv")[name].evidence == "secondary"


def test_dose_preset_at_the_label_maximum_is_not_a_fibromyalgia_dose():
    from helpers.data import load_presets
    preset = load_presets("risk_presets_benefit.csv", "risk_parameters.csv")["ceiling"]
    assert preset.values["dose_units"] == 400 and "not a fibromyalgia dose" in preset.description
