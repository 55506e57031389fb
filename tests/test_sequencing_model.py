"""Tests of the treatment-sequencing cohort model (helpers/models/sequencing.py) and its data files."""
from __future__ import annotations

import math
import shutil

import numpy as np
import pytest

from helpers.data import DATA_DIR, DataFileError, load_parameters
from helpers.models import sequencing as sq

ALL_OFF = {f"{step}_{item}": 0 for step in sq.STEPS for item in ("response_percent", "adverse_stop_percent",
                                                                 "relapse_percent")}
TRIALS = {"exercise_trial_months": 3, "cbt_trial_months": 3, "amitriptyline_trial_months": 2,
          "snri_pregabalin_trial_months": 2, "botulinum_trial_months": 4}


def deterministic(order=sq.STEPS, n_patients=200, **overrides):
    """Every rate 0 unless overridden; trial lengths fixed, so outcomes can be computed by hand."""
    values = {**ALL_OFF, **TRIALS, "relapse_after_months": 6, "adverse_stop_at_fraction": 0.5,
              "horizon_months": 36, "n_patients": n_patients}
    values.update(overrides)
    return sq.params_from_values(values, order)


# ---------------------------------------------------------------------------------------------
# Hand-computed cases (rates 0 or 100%)
# ---------------------------------------------------------------------------------------------
def test_everyone_responds_to_the_first_step():
    result = sq.simulate_cohort(deterministic(exercise_response_percent=100), seed=1)
    assert np.all(result.first_relief_month == 3)
    assert result.entering.tolist() == [200, 0, 0, 0, 0]
    assert result.lasting.tolist() == [200, 0, 0, 0, 0]
    assert np.all(result.lasting_step == 0)
    assert result.refractory_after.tolist() == [0, 0, 0, 0, 0]


def test_nobody_responds_anywhere():
    result = sq.simulate_cohort(deterministic(), seed=1)
    assert np.all(np.isnan(result.first_relief_month))
    assert result.entering.tolist() == [200] * 5
    assert result.no_response.tolist() == [200] * 5
    assert result.refractory_after.tolist() == [1.0] * 5
    assert np.all(result.lasting_step == -1)
    # time spent: 3 + 3 + 2 + 2 + 4 = 14 months
    assert np.all(result.extra["months_at_end"] == 14)
    assert result.relieved_within_horizon == 0 and math.isnan(result.median_months_to_relief)


def test_second_step_responders_are_relieved_after_both_trials():
    result = sq.simulate_cohort(deterministic(cbt_response_percent=100), seed=1)
    assert np.all(result.first_relief_month == 6)          # 3 (exercise) + 3 (CBT)
    assert result.median_months_to_relief == 6 and result.mean_months_to_relief == 6
    assert result.entering.tolist() == [200, 200, 0, 0, 0]
    assert result.no_response.tolist() == [200, 0, 0, 0, 0]


def test_adverse_stop_leaves_halfway_through_the_trial():
    params = deterministic(exercise_adverse_stop_percent=100, exercise_response_percent=100,
                           cbt_response_percent=100)
    result = sq.simulate_cohort(params, seed=1)
    assert result.adverse_stop.tolist() == [200, 0, 0, 0, 0]
    assert result.responding.tolist() == [0, 200, 0, 0, 0]   # stopping wins over responding
    assert np.all(result.first_relief_month == 4.5)          # 0.5 x 3 + 3


def test_adverse_stop_timing_follows_the_fraction():
    params = deterministic(exercise_adverse_stop_percent=100, cbt_response_percent=100,
                           adverse_stop_at_fraction=0)
    assert np.all(sq.simulate_cohort(params, seed=1).first_relief_month == 3)   # 0 + 3


def test_relapse_moves_patients_on_after_the_relief_period():
    params = deterministic(exercise_response_percent=100, exercise_relapse_percent=100,
                           cbt_response_percent=100, snri_pregabalin_response_percent=100)
    result = sq.simulate_cohort(params, seed=1)
    assert np.all(result.first_relief_month == 3)            # the first relief counts, even if lost
    assert result.relapsed.tolist() == [200, 0, 0, 0, 0]
    assert result.lasting.tolist() == [0, 200, 0, 0, 0]
    assert np.all(result.lasting_step == 1)
    assert result.entering.tolist() == [200, 200, 0, 0, 0]


def test_relief_after_the_horizon_counts_as_never():
    late = dict(botulinum_response_percent=100)
    assert np.all(sq.simulate_cohort(deterministic(horizon_months=12, **late)).first_relief_month != 14)
    assert np.all(np.isnan(sq.simulate_cohort(deterministic(horizon_months=12, **late)).first_relief_month))
    assert np.all(sq.simulate_cohort(deterministic(horizon_months=18, **late)).first_relief_month == 14)


def test_toxin_first_exposes_everyone_to_it():
    order = sq.move_step(sq.STEPS, "botulinum", 0)
    params = deterministic(order=order, botulinum_response_percent=100)
    result = sq.simulate_cohort(params, seed=1)
    assert result.exposed == {"botulinum": 200, "exercise": 0, "cbt": 0, "amitriptyline": 0, "snri_pregabalin": 0}
    assert np.all(result.first_relief_month == 4)


def test_a_shorter_order_uses_only_its_steps():
    result = sq.simulate_cohort(deterministic(order=("cbt", "botulinum")), seed=1)
    assert result.order == ("cbt", "botulinum")
    assert result.entering.tolist() == [200, 200]
    assert np.all(result.extra["months_at_end"] == 7)        # 3 + 4


# ---------------------------------------------------------------------------------------------
# Random cases: seeding, conservation, expected shares
# ---------------------------------------------------------------------------------------------
def test_same_seed_same_cohort_and_different_seed_differs():
    params = sq.default_params(n_patients=2000)
    first, second = sq.simulate_cohort(params, seed=7), sq.simulate_cohort(params, seed=7)
    np.testing.assert_array_equal(first.first_relief_month, second.first_relief_month)
    np.testing.assert_array_equal(first.entering, second.entering)
    other = sq.simulate_cohort(params, seed=8)
    assert not np.array_equal(np.nan_to_num(first.first_relief_month), np.nan_to_num(other.first_relief_month))
    from_generator = sq.simulate_cohort(params, seed=np.random.default_rng(7))
    np.testing.assert_array_equal(first.lasting_step, from_generator.lasting_step)


@pytest.mark.parametrize("position", range(5))
def test_conservation_for_every_position_of_the_toxin(position):
    order = sq.move_step(sq.STEPS, "botulinum", position)
    result = sq.simulate_cohort(sq.default_params(order=order, n_patients=3000), seed=position)
    np.testing.assert_array_equal(result.entering, result.responding + result.adverse_stop + result.no_response)
    np.testing.assert_array_equal(result.responding, result.relapsed + result.lasting)
    np.testing.assert_array_equal(result.entering[1:], result.moved_on[:-1])
    assert result.entering[0] == 3000
    assert result.lasting.sum() + result.moved_on[-1] == 3000
    assert np.all(np.diff(result.refractory_after) <= 0)
    assert np.bincount(result.lasting_step[result.lasting_step >= 0], minlength=5).tolist() == result.lasting.tolist()
    relieved = np.isfinite(result.first_relief_month)
    assert relieved.sum() <= result.responding.sum()


def test_order_changes_exposure_not_who_eventually_gets_lasting_relief():
    # Each patient's draws belong to the treatment, not its position (common random numbers).
    last = sq.simulate_cohort(sq.default_params(n_patients=5000), seed=3)
    first = sq.simulate_cohort(sq.default_params(order=sq.move_step(sq.STEPS, "botulinum", 0), n_patients=5000), seed=3)
    assert last.lasting.sum() == first.lasting.sum()
    assert first.exposed["botulinum"] == 5000 > last.exposed["botulinum"]


def test_first_step_shares_match_the_rates():
    params = sq.default_params(n_patients=100000, exercise_response_percent=40, exercise_adverse_stop_percent=10,
                               exercise_relapse_percent=50)
    result = sq.simulate_cohort(params, seed=11)
    n = 100000
    for observed, p in ((result.adverse_stop[0], 0.10), (result.responding[0], 0.9 * 0.4),
                        (result.relapsed[0], 0.9 * 0.4 * 0.5)):
        assert abs(observed - n * p) < 4 * math.sqrt(n * p * (1 - p))


# ---------------------------------------------------------------------------------------------
# Summaries
# ---------------------------------------------------------------------------------------------
def test_relief_curve_and_histogram_by_hand():
    result = sq.simulate_cohort(deterministic(n_patients=100, cbt_response_percent=50), seed=2)
    responders = int(result.responding[1])
    months, share = sq.relief_curve(result)
    assert months[0] == 0 and months[-1] == 36
    assert share[5] == 0 and share[6] == responders / 100 and share[-1] == responders / 100
    starts, counts, never = sq.relief_histogram(result)
    assert counts.sum() + never == 100 and counts[6] == responders and never == 100 - responders


def test_patient_flow_rows_conserve_patients():
    from helpers.figures.sequencing import flow_rows

    result = sq.simulate_cohort(sq.default_params(n_patients=1000), seed=4)
    labels, counts = flow_rows(result)
    assert len(labels) == 5 and all(len(values) == 5 for values in counts.values())
    per_step = np.sum(list(counts.values()), axis=0)
    assert list(per_step) == list(result.entering)            # every patient who starts a step is counted once
    moved_on = per_step - np.array(counts["lasting relief"])
    assert list(moved_on[:-1]) == list(result.entering[1:])   # everyone not helped starts the next step


def test_describe_states_the_trade_off():
    result = sq.simulate_cohort(sq.default_params(n_patients=1000), seed=5)
    text = sq.describe(result)
    assert "of 1,000 virtual patients" in text and "botulinum toxin A last" in text
    assert f"{result.exposed['botulinum']:,} patients" in text
    # every sentence says its numbers rest on the assumed rates; toxin responders include placebo responders
    sentences = [s for s in text.split(". ") if s]
    assert len(sentences) == 4 and all("assumed" in s for s in sentences), sentences
    assert text.startswith("With the assumed rates (mostly teaching assumptions; response rates include the placebo "
                           "response), ")
    assert "at its assumed 30% response rate" in text and "placebo responders included" in text
    assert "from it" not in text, "toxin responders must not be credited to the toxin"
    first = sq.simulate_cohort(sq.default_params(order=sq.move_step(sq.STEPS, "botulinum", 0), n_patients=1000))
    assert "botulinum toxin A first, 1,000 patients (100%)" in sq.describe(first)
    none = sq.simulate_cohort(deterministic(n_patients=100))
    assert "0% of 100 virtual patients reach adequate relief within 36 months." in sq.describe(none)


def test_flat_values_round_trip():
    params = sq.default_params(botulinum_response_percent=45)
    assert sq.params_from_values(sq.flat_values(params)) == params


def test_default_run_takes_the_data_file_values():
    specs = load_parameters(sq.PARAMETERS_FILE)
    params = sq.default_params()
    assert params.n_patients == 10000 == specs["n_patients"].value
    assert params.steps["botulinum"].response_percent == specs["botulinum_response_percent"].value


# ---------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("order, message", [
    (("exercise", "yoga"), "order contains unknown step 'yoga'"),
    (("cbt", "cbt"), "order repeats step 'cbt'"),
    ((), "order = () is empty"),
    ("exercise", "must be a sequence of step names"),
])
def test_bad_orders_are_refused(order, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        sq.default_params(order=order)


@pytest.mark.parametrize("name, value, message", [
    ("botulinum_response_percent", 120,
     "botulinum_response_percent = 120 is outside the allowed range 0 to 100 percent"),
    ("cbt_adverse_stop_percent", -1, "cbt_adverse_stop_percent = -1 is outside the allowed range 0 to 100 percent"),
    ("exercise_trial_months", 0, "exercise_trial_months = 0 is outside the allowed range 1 to 12 months"),
    ("horizon_months", 100, "horizon_months = 100 is outside the allowed range 12 to 60 months"),
    ("adverse_stop_at_fraction", float("nan"), "adverse_stop_at_fraction = nan is outside the allowed range 0 to 1"),
    ("n_patients", 150.5, "n_patients = 150.5 must be a whole number from 100 to 100000"),
    ("n_patients", 10, "n_patients = 10 is outside the allowed range 100 to 100000 count"),
])
def test_out_of_range_values_are_refused_with_the_range(name, value, message):
    with pytest.raises(ValueError) as error:
        sq.default_params(**{name: value})
    assert message in str(error.value)


def test_unknown_parameter_and_missing_step_rates_are_refused():
    with pytest.raises(ValueError, match="unknown sequencing parameter"):
        sq.default_params(botox_magic=1)
    params = sq.default_params()
    broken = sq.SequencingParams(params.order, {k: v for k, v in params.steps.items() if k != "cbt"},
                                 6, 0.5, 36, 1000)
    with pytest.raises(ValueError, match="steps has no rates for 'cbt'"):
        sq.simulate_cohort(broken)


def test_move_step_checks_its_inputs():
    assert sq.move_step(sq.STEPS, "botulinum", 2) == ("exercise", "cbt", "botulinum", "amitriptyline",
                                                      "snri_pregabalin")
    with pytest.raises(ValueError, match="position = 5 is outside the allowed range 0 to 4"):
        sq.move_step(sq.STEPS, "botulinum", 5)
    with pytest.raises(ValueError, match="step 'botulinum' is not in the order"):
        sq.move_step(("exercise", "cbt"), "botulinum", 0)


# ---------------------------------------------------------------------------------------------
# Data files: the real ones load; corrupted copies fail with a message naming file, record, field
# ---------------------------------------------------------------------------------------------
def test_eular_file_loads_and_matches_the_guideline():
    records = {r.therapy: r for r in sq.load_eular2016()}
    strong_for = [r.therapy for r in records.values() if r.strength == "strong_for"]
    assert strong_for == ["Aerobic and strengthening exercise"]
    assert records["Pregabalin"].agreement_min_percent == 94
    fda = sorted(r.therapy for r in records.values() if r.fda_fibromyalgia)
    assert fda == ["Duloxetine or milnacipran", "Pregabalin"]
    # EULAR 2016 did not assess the toxin: it is shown for contrast, sourced to the label, not to the guideline
    toxin = records["Botulinum toxin A"]
    assert toxin.strength == "not_assessed" and not toxin.fda_fibromyalgia
    assert (toxin.source_id, toxin.evidence) == ("botox_label", "label") and math.isnan(toxin.agreement_min_percent)
    # strong opioids strong-against and biofeedback weak-against are verified (100% agreement); the rest of the
    # 'against' rows are not
    assert (records["Strong opioids"].strength, records["Strong opioids"].verified) == ("strong_against", True)
    assert (records["Biofeedback"].strength, records["Biofeedback"].agreement_min_percent) == ("weak_against", 100)
    unverified = sorted(r.therapy for r in records.values() if not r.verified)
    assert "Corticosteroids" in unverified and all(records[t].strength.endswith("against") for t in unverified)


def _corrupt(tmp_path, filename, old, new):
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    path = target / filename
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not found in {filename}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


@pytest.mark.parametrize("old, new, message", [
    ("Pregabalin,drug,weak_for,94,94", "Pregabalin,drug,weakly_for,94,94",
     "eular2016.csv, record 'Pregabalin' (row 9), field 'strength': unknown strength 'weakly_for'; use one of"),
    ("Pregabalin,drug,weak_for,94,94,percent,yes,yes", "Pregabalin,drug,weak_for,94,94,percent,yes,maybe",
     "eular2016.csv, record 'Pregabalin' (row 9), field 'verified': 'maybe' must be yes or no"),
    ("Tramadol,drug,weak_for,100,100", "Tramadol,drug,weak_for,100,150",
     "eular2016.csv, record 'Tramadol' (row 8), field 'agreement_max_percent': 150 is out of range 0 to 100"),
    ("Tramadol,drug,weak_for,100,100", "Tramadol,drug,weak_for,,",
     "eular2016.csv, record 'Tramadol' (row 8), field 'agreement_min_percent': a verified 'for' recommendation"),
    ("Cyclobenzaprine,drug,weak_for,75,75,percent,no,yes,macfarlane2017",
     "Cyclobenzaprine,drug,weak_for,75,75,percent,no,yes,nobody1999",
     "eular2016.csv, record 'Cyclobenzaprine' (row 10), field 'source_id': unknown source id 'nobody1999'"),
    ("Botulinum toxin A,drug,not_assessed,,", "Botulinum toxin A,drug,not_assessed,50,50",
     "eular2016.csv, record 'Botulinum toxin A' (row 11), field 'agreement_min_percent': "
     "a therapy EULAR did not assess"),
    ("Biofeedback,non-drug", "Biofeedback,herbal",
     "eular2016.csv, record 'Biofeedback' (row 15), field 'group': unknown group 'herbal'; use one of drug, non-drug"),
])
def test_corrupted_eular_file_names_the_field(tmp_path, old, new, message):
    with pytest.raises(DataFileError) as error:
        sq.load_eular2016(_corrupt(tmp_path, sq.EULAR_FILE, old, new))
    assert message in str(error.value)


@pytest.mark.parametrize("old, new, message", [
    ("botulinum_trial_months,Botulinum toxin A: months until response is judged,4,months",
     "botulinum_trial_months,Botulinum toxin A: months until response is judged,4,monthz",
     "sequencing_parameters.csv, record 'botulinum_trial_months' (row 20), field 'unit': unknown unit 'monthz'"),
    ("botulinum_response_percent,Botulinum toxin A: responders,30,percent,0,100",
     "botulinum_response_percent,Botulinum toxin A: responders,30,percent,50,100",
     "sequencing_parameters.csv, record 'botulinum_response_percent' (row 17), field 'value': "
     "30 is out of range 50 to 100"),
    ("cbt_relapse_percent,CBT / multicomponent: responders who relapse,30,percent,0,100,5,"
     "course_assumption,illustrative,\"Plausible range 10-60%.\"",
     "cbt_relapse_percent,CBT / multicomponent: responders who relapse,30,percent,0,100,5,"
     "course_assumption,illustrative,",
     "sequencing_parameters.csv, record 'cbt_relapse_percent' (row 7), field 'note': "
     "an illustrative value must say why"),
])
def test_corrupted_parameter_file_names_the_field(tmp_path, old, new, message):
    with pytest.raises(DataFileError) as error:
        load_parameters(sq.PARAMETERS_FILE, _corrupt(tmp_path, sq.PARAMETERS_FILE, old, new))
    assert message in str(error.value)


def test_every_parameter_has_a_slider_range_and_every_step_is_in_the_file():
    specs = load_parameters(sq.PARAMETERS_FILE)
    expected = {f"{step}_{item}" for step in sq.STEPS for item in sq.RATE_FIELDS} | set(sq.GLOBAL_FIELDS)
    assert set(specs) == expected
    for spec in specs.values():
        assert spec.min < spec.max and spec.step > 0


def test_compare_states_extra_injections_and_waits():
    last = sq.simulate_cohort(sq.default_params(n_patients=1000), seed=6)
    first = sq.simulate_cohort(sq.default_params(order=sq.move_step(sq.STEPS, "botulinum", 0), n_patients=1000), seed=6)
    text = sq.compare(first, last, "stepped care")
    extra = first.exposed["botulinum"] - last.exposed["botulinum"]
    assert text.startswith("Compared with stepped care, with the same assumed rates:")
    assert f"{extra:,} more patients injected" in text
    assert sq.compare(last, last, "stepped care") == "This is the reference sequence (stepped care)."
