"""Tests of the neuromuscular-junction model (helpers/models/junction.py) and its data files.

Unit cases are computed by hand (numbers in the comments); the calibration test checks every
published point against the tolerance stated in data/junction_calibration.csv; corrupted copies
of data/ check that the loaders name the file, record and field.
"""
from __future__ import annotations

import math
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from helpers.data import DataFileError
from helpers.models import junction as J

ROOT = Path(__file__).resolve().parent.parent


def simple_params(**overrides) -> J.JunctionParams:
    """Round numbers for hand calculations (not validated: the link functions do not validate)."""
    values = dict(dose_units=10, injections=1, interval_weeks=12, followup_days=270,
                  uptake_rate_per_day=2.0, light_chain_half_life_days=30.0, cleavage_rate_per_unit_day=0.01,
                  snap25_half_life_days=7.0, release_cooperativity=2.0, sprout_max_fraction=0.5,
                  sprout_time_constant_days=20.0, release_for_half_response=0.5, response_steepness=2.0,
                  reach_fraction=0.8, clinical_threshold_percent=25.0)
    values.update(overrides)
    return J.JunctionParams(**values)


# ---------------------------------------------------------------------------------------------
# One link at a time, against hand calculations
# ---------------------------------------------------------------------------------------------
def test_taken_up_is_first_order_and_adds_over_sessions():
    p = simple_params(injections=2, interval_weeks=12)
    # day 1: 10 * (1 - e^-2) = 8.6466; day 85 (1 day after the second session at day 84): 10 + 8.6466
    values = J.taken_up([0.0, 1.0, 85.0], p)
    assert values[0] == 0.0
    assert values[1] == pytest.approx(8.6466, abs=1e-4)
    assert values[2] == pytest.approx(18.6466, abs=1e-4)


def test_bateman_matches_hand_values_and_equal_rate_limit():
    # k_in = 1, k_out = 0.5, t = 2: (e^-1 - e^-2) / 0.5 = 0.46508
    assert J.bateman(2.0, 1.0, 0.5) == pytest.approx(0.46508, abs=1e-5)
    # equal rates 0.5, t = 2: 0.5 * 2 * e^-1 = 0.36788
    assert J.bateman(2.0, 0.5, 0.5) == pytest.approx(0.36788, abs=1e-5)
    assert J.bateman(-1.0, 1.0, 0.5) == 0.0


def test_light_chain_is_dose_times_bateman():
    p = simple_params()
    k_loss = math.log(2) / 30.0
    expected = 10 * 2.0 * (math.exp(-k_loss * 5) - math.exp(-2.0 * 5)) / (2.0 - k_loss)
    assert J.light_chain([5.0], p)[0] == pytest.approx(expected, rel=1e-9)


def test_snap25_stays_intact_without_light_chain():
    days = np.arange(0, 50, 0.25)
    assert np.allclose(J.intact_snap25(days, np.zeros_like(days), simple_params()), 1.0)


def test_snap25_under_constant_light_chain_matches_the_exact_solution():
    # dS/dt = -a S + k (1 - S), a = k_c L = 0.01 * 10 = 0.1, k = ln2 / 7 = 0.0990:
    # S(t) = k/(a+k) + (1 - k/(a+k)) e^{-(a+k) t}; at t = 10: 0.4975 + 0.5025 * e^-1.990 = 0.5662
    p = simple_params()
    days = np.arange(0, 10.25, 0.25)
    intact = J.intact_snap25(days, np.full_like(days, 10.0), p)
    k, a = math.log(2) / 7.0, 0.1
    exact = k / (a + k) + (1 - k / (a + k)) * math.exp(-(a + k) * 10)
    assert intact[-1] == pytest.approx(exact, abs=1e-9)
    assert intact[-1] == pytest.approx(0.5662, abs=1e-4)


def test_snap25_never_overflows_at_huge_light_chain():
    days = np.arange(0, 400, 0.25)
    intact = J.intact_snap25(days, np.full_like(days, 1e4), simple_params(cleavage_rate_per_unit_day=0.1))
    assert np.all(np.isfinite(intact)) and intact.min() >= 0.0 and intact[-1] < 0.01


def test_parent_release_is_power_of_intact_snap25():
    assert J.parent_release(np.array([0.5]), simple_params())[0] == pytest.approx(0.25)


def test_sprouts_grow_exponentially_towards_their_target_when_the_parent_is_silent():
    # sigma(10) = 0.5 (1 - e^{-10/20}) = 0.19673
    days = np.arange(0, 10.25, 0.25)
    sprouts = J.sprout_capacity(days, np.zeros_like(days), simple_params())
    assert sprouts[0] == 0.0
    assert sprouts[-1] == pytest.approx(0.19673, abs=1e-5)
    # no sprouts while the parent releases normally
    assert np.allclose(J.sprout_capacity(days, np.ones_like(days), simple_params()), 0.0)


def test_muscle_response_hand_values():
    p = simple_params()  # reach 0.8, c = 0.5, h = 2
    values = J.muscle_response([1.0, 0.0, 0.5], p)
    assert values[0] == pytest.approx(1.0)
    assert values[1] == pytest.approx(0.2)          # endplates the toxin does not reach
    assert values[2] == pytest.approx(0.2 + 0.8 * (1 + 0.25) / 2)  # 0.7


# ---------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name, value, message", [
    ("dose_units", 50, "dose_units = 50 is outside the allowed range 0 to 40 U"),
    ("dose_units", -1, "dose_units = -1 is outside the allowed range 0 to 40 U"),
    ("interval_weeks", 11, "interval_weeks = 11 is outside the allowed range 12 to 52 weeks"),
    ("injections", 5, "injections = 5 is outside the allowed range 1 to 4 count"),
    ("injections", 2.5, "injections = 2.5 must be a whole number from 1 to 4"),
    ("dose_units", "ten", "dose_units = 'ten' is not a number; allowed range 0 to 40 U"),
    ("dose_units", float("nan"), "dose_units = nan is outside the allowed range 0 to 40 U"),
    ("reach_fraction", 1.5, "reach_fraction = 1.5 is outside the allowed range 0.5 to 0.98 fraction"),
])
def test_invalid_inputs_name_parameter_value_and_range(name, value, message):
    with pytest.raises(ValueError) as error:
        J.default_params(**{name: value})
    assert str(error.value) == message


def test_simulate_validates_a_hand_built_params():
    bad = replace(J.default_params(), interval_weeks=4)
    with pytest.raises(ValueError, match="interval_weeks = 4 is outside the allowed range 12 to 52 weeks"):
        J.simulate(bad)


def test_unknown_parameter_is_rejected():
    with pytest.raises(ValueError, match="unknown junction parameter"):
        J.default_params(dose=10)


# ---------------------------------------------------------------------------------------------
# Whole course
# ---------------------------------------------------------------------------------------------
def test_no_toxin_no_effect():
    course = J.simulate(J.default_params(dose_units=0))
    assert np.allclose(course.response, 1.0) and np.allclose(course.intact_snap25, 1.0)
    m = J.metrics(course)
    assert m.onset_day is None and m.nadir_day is None and m.half_recovery_day is None
    assert J.describe(m, course.params).startswith("Without toxin")


def test_default_course_tells_the_story():
    course = J.simulate(J.default_params())
    m = J.metrics(course)
    assert 1 <= m.onset_day <= 14            # weakness within days
    assert 14 <= m.nadir_day <= 28           # deepest around week 3
    assert 40 <= m.clinical_duration_days <= 120  # lasts months
    assert m.parent_recovery_day > m.nadir_day
    assert course.sprout_share.max() > 0.05  # sprouts carry part of the release during recovery
    assert course.sprout_share[-1] < 0.05    # and retract at the end
    text = J.describe(m, course.params)
    assert f"day {m.onset_day:.0f}" in text and "regained half" in text and "lasts" in text


def test_higher_dose_gives_deeper_and_longer_block():
    nadirs, durations = [], []
    for dose in (5, 10, 20, 40):
        m = J.metrics(J.simulate(J.default_params(dose_units=dose)))
        nadirs.append(m.nadir_percent)
        durations.append(m.clinical_duration_days)
    assert nadirs == sorted(nadirs, reverse=True)
    assert durations == sorted(durations)


def test_repeated_sessions_are_placed_on_the_interval():
    p = J.default_params(injections=3, interval_weeks=16)
    course = J.simulate(p)
    assert list(course.injection_days) == [0.0, 112.0, 224.0]
    assert course.days[-1] == pytest.approx(224.0 + p.followup_days)
    # the block deepens again after each session
    for day in (112.0, 224.0):
        i = int(day / J.DT_DAYS)
        assert course.response[i + int(21 / J.DT_DAYS)] < course.response[i]


def test_model_is_fast_enough_to_drive_a_slider():
    # not a timed test: a size check that the grid stays small (the explorable updates per change)
    course = J.simulate(J.default_params(injections=4, interval_weeks=52))
    assert course.days.size < 8000


# ---------------------------------------------------------------------------------------------
# Sweep of every control over its whole range (what the explorable's sliders offer)
# ---------------------------------------------------------------------------------------------
def _check_invariants(course):
    for name in ("intact_snap25", "parent_release", "sprout_release", "release", "response", "sprout_share"):
        values = getattr(course, name)
        assert np.all(np.isfinite(values)), name
        assert values.min() >= -1e-12 and values.max() <= 1 + 1e-12, name
    assert np.all(course.release >= course.parent_release - 1e-12)
    assert np.all(course.sprout_release <= 1 - course.parent_release + 1e-12)
    assert np.all(course.light_chain >= 0)
    text = J.describe(J.metrics(course), course.params)
    assert "nan" not in text and "None" not in text


def test_sweep_dose():
    spec = J.parameter_specs()["dose_units"]
    for dose in np.arange(spec.min, spec.max + spec.step / 2, spec.step):
        _check_invariants(J.simulate(J.default_params(dose_units=float(dose))))


def test_sweep_injections_and_interval():
    specs = J.parameter_specs()
    for n in range(int(specs["injections"].min), int(specs["injections"].max) + 1):
        for weeks in (12, 13, 20, 26, 39, 52):
            _check_invariants(J.simulate(J.default_params(injections=n, interval_weeks=weeks, dose_units=40)))


# ---------------------------------------------------------------------------------------------
# Calibration against published time courses
# ---------------------------------------------------------------------------------------------
POINTS = J.load_calibration()


@pytest.mark.parametrize("point", POINTS, ids=[p.id for p in POINTS])
def test_model_reproduces_published_point_within_its_tolerance(point):
    value = J.model_value(point, J.default_params())
    assert abs(value - point.value) <= point.tolerance, (
        f"{point.id}: model {value:.2f} vs published {point.value:g} +/- {point.tolerance:g} {point.unit}")


def test_calibration_covers_every_study_and_marks_mouse_data():
    sources = {p.source_id for p in POINTS}
    assert {"hamjian1994", "sloop1996", "ledda2022", "meunier2003", "rogozhin2008"} <= sources
    for point in POINTS:
        if point.source_id in ("meunier2003", "rogozhin2008"):
            assert point.species == "mouse" and point.note.startswith("MOUSE")


def test_fit_script_reports_every_point(capsys):
    sys.path.insert(0, str(ROOT / "tools"))
    import fit_junction

    assert fit_junction.main(["--check"]) == 0
    out = capsys.readouterr().out
    for point in POINTS:
        assert point.id in out
    assert "all points within tolerance" in out


def test_fitted_parameters_are_marked_in_the_data():
    """The fit tool picks the rows whose note starts with 'fitted'; every one of them is tagged `fitted`."""
    specs = J.parameter_specs()
    by_note = {n for n, s in specs.items() if s.note.startswith("fitted")}
    by_tag = {n for n, s in specs.items() if s.evidence == "fitted"}
    assert by_note == by_tag and "cleavage_rate_per_unit_day" in by_tag and "dose_units" not in by_tag


def test_a_target_the_study_gave_no_number_for_is_illustrative_and_not_shown_as_reported():
    early = next(p for p in POINTS if p.id == "hamjian_48h")
    assert early.illustrative and early.note.startswith("ILLUSTRATIVE")
    assert "not reported" in early.reported and "85" not in early.reported
    for point in POINTS:
        assert point.evidence != "fitted"
        if not point.illustrative:
            assert f"{point.value:g}" in point.reported, point.id


def test_sprouts_carry_at_most_a_fifth_of_the_release_after_the_default_dose():
    """rogozhin2008: the original junction gave more than 80% of the release during recovery; the sprout cap
    follows that view (the older view, meunier2003, is taught as the contested alternative)."""
    assert J.parameter_specs()["sprout_max_fraction"].max <= 0.2
    m = J.metrics(J.simulate(J.default_params()))
    assert 0 < m.peak_sprout_share_percent <= 20


def test_readout_says_the_numbers_are_the_fitted_models_and_the_threshold_is_assumed():
    params = J.default_params()
    text = J.describe(J.metrics(J.simulate(params)), params)
    assert text.startswith("In the fitted model,") and "an assumed clinical threshold" in text
    assert "disputed" in text and "extrapolation" not in text


@pytest.mark.parametrize("dose, flagged", [(20, False), (22.5, True), (40, True)])
def test_readout_flags_doses_above_the_highest_studied_dose(dose, flagged):
    assert J.studied_max_dose() == 20
    params = J.default_params(dose_units=dose)
    text = J.describe(J.metrics(J.simulate(params)), params)
    assert ("above the highest dose studied in this muscle (20 U)" in text) == flagged
    assert ("the model's extrapolation, not data" in text) == flagged


def test_model_does_not_plateau_where_the_dose_study_did():
    """The text (dose_units note, notebook) says the model's decrement keeps growing past 20 U; check that it does."""
    decrement = {d: J.metrics(J.simulate(J.default_params(dose_units=d))).max_decrement_percent for d in (15, 20, 40)}
    assert round(decrement[15]) == 84 and round(decrement[20]) == 90 and round(decrement[40]) == 95
    note = J.parameter_specs()["dose_units"].note
    assert "84% at 15 U, 90% at 20 U and 95% at 40 U" in note


# ---------------------------------------------------------------------------------------------
# Corrupted data
# ---------------------------------------------------------------------------------------------
def _break(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not found in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


CORRUPTED_CALIBRATION = [
    ("hamjian_nadir_day,nadir_day,", "hamjian_nadir_day,nadir_dy,",
     "junction_calibration.csv, record 'hamjian_nadir_day' (row 2), field 'quantity': unknown quantity 'nadir_dy'"),
    (",21,days,7,", ",twenty-one,days,7,",
     "junction_calibration.csv, record 'hamjian_nadir_day' (row 2), field 'value': 'twenty-one' is not a number"),
    (",21,days,7,", ",21,days,-7,",
     "junction_calibration.csv, record 'hamjian_nadir_day' (row 2), field 'tolerance': -7 must be positive"),
    (",21,days,7,", ",21,dayz,7,",
     "junction_calibration.csv, record 'hamjian_nadir_day' (row 2), field 'unit': unknown unit 'dayz'"),
    (",21,days,7,human,hamjian1994", ",21,days,7,rat,hamjian1994",
     "junction_calibration.csv, record 'hamjian_nadir_day' (row 2), field 'species': "
     "unknown species 'rat'; use one of human, mouse"),
    ("sloop_15u,max_decrement_percent,15,,87.5,percent,5,human,sloop1996",
     "sloop_15u,max_decrement_percent,15,,87.5,percent,5,human,sloop9999",
     "junction_calibration.csv, record 'sloop_15u' (row 4), field 'source_id': unknown source id 'sloop9999'"),
    ("sloop_15u,max_decrement_percent,15,,87.5,percent,5,human,sloop1996,observational",
     "sloop_15u,max_decrement_percent,15,,87.5,percent,5,human,sloop1996,anecdote",
     "junction_calibration.csv, record 'sloop_15u' (row 4), field 'evidence': unknown evidence tag 'anecdote'"),
    ("sloop_20u,max_decrement_percent,20,", "sloop_20u,max_decrement_percent,200,",
     "junction_calibration.csv, record 'sloop_20u' (row 5), field 'dose_units': 200 is out of range 0 to 40"),
    ("ledda_onset,clinical_onset_day,10,,", "ledda_onset,clinical_onset_day,10,3,",
     "junction_calibration.csv, record 'ledda_onset' (row 6), field 'at_day': "
     "only used with quantity cmap_percent_at_day"),
    ("hamjian_48h,cmap_percent_at_day,10,2,", "hamjian_48h,cmap_percent_at_day,10,,",
     "junction_calibration.csv, record 'hamjian_48h' (row 1), field 'at_day': missing or empty"),
    ("rogozhin_half,", "hamjian_48h,",
     "junction_calibration.csv, record 'hamjian_48h' (row 9), field 'id': duplicate id 'hamjian_48h'"),
    ("fallen in all 10 subjects within 48 h; size of the fall not reported", "CMAP at 85% of baseline on day 2",
     "junction_calibration.csv, record 'hamjian_48h' (row 1), field 'reported': "
     "shows the illustrative target 85 as if"),
    ("hamjian1994,illustrative,", "hamjian1994,observational,",
     "junction_calibration.csv, record 'hamjian_48h' (row 1), field 'reported': does not report the target 85"),
    ("lowest on day 21,", "lowest around week 3,",
     "junction_calibration.csv, record 'hamjian_nadir_day' (row 2), field 'reported': does not report the target 21"),
    ("hamjian1994,illustrative,", "hamjian1994,fitted,",
     "junction_calibration.csv, record 'hamjian_48h' (row 1), field 'evidence': a calibration target is data"),
    ('"ILLUSTRATIVE target: the study', '"The study',
     "junction_calibration.csv, record 'hamjian_48h' (row 1), field 'note': an illustrative target's note must start"),
]


def test_calibration_header_without_tolerance_is_reported(data_copy):
    _break(data_copy / J.CALIBRATION_FILE, ",value,unit,tolerance,species,", ",value,unit,tolerence,species,")
    with pytest.raises(DataFileError, match="field 'tolerance': column missing from the header"):
        J.load_calibration(data_dir=data_copy)


def test_missing_calibration_file_is_reported(data_copy):
    (data_copy / J.CALIBRATION_FILE).unlink()
    with pytest.raises(DataFileError,
                       match="junction_calibration.csv, record \\(file\\), field '\\(file\\)': file not found"):
        J.load_calibration(data_dir=data_copy)


CORRUPTED_PARAMETERS = [
    ("dose_units,Dose into the muscle (onabotulinumtoxinA units),10,U,0,40,",
     "dose_units,Dose into the muscle (onabotulinumtoxinA units),60,U,0,40,",
     "junction_parameters.csv, record 'dose_units' (row 1), field 'value': 60 is out of range 0 to 40"),
    ("interval_weeks,Interval between sessions,12,weeks,", "interval_weeks,Interval between sessions,12,fortnights,",
     "junction_parameters.csv, record 'interval_weeks' (row 3), field 'unit': unknown unit 'fortnights'"),
    (",course_assumption,illustrative,\"Release from the parent", ",course_assumption,illustrative,,\"Release",
     "junction_parameters.csv, record (row 9), field '(row)': more cells than header columns"),
]
# Which loader reads each file: the calibration points, and the parameters through default_params.
LOADERS = {J.CALIBRATION_FILE: J.load_calibration, J.PARAMETERS_FILE: J.default_params}


@pytest.mark.parametrize("filename, old, new, message",
                         [(J.CALIBRATION_FILE, *case) for case in CORRUPTED_CALIBRATION]
                         + [(J.PARAMETERS_FILE, *case) for case in CORRUPTED_PARAMETERS])
def test_corrupted_file_names_record_and_field(data_copy, filename, old, new, message):
    _break(data_copy / filename, old, new)
    with pytest.raises(DataFileError) as error:
        LOADERS[filename](data_dir=data_copy)
    assert str(error.value).startswith(message)


@pytest.mark.parametrize("keep", [1e-9, 0.3, float(np.exp(-0.25 / 3)), float(np.exp(-0.25 / 90)), 0.99999])
@pytest.mark.parametrize("size", [1, 2, 7, 5000])
def test_first_order_lag_matches_the_step_by_step_recursion(keep, size):
    from scipy.signal import lfilter  # the reference the vectorised filter replaced

    target = np.random.default_rng(size).random(size)
    expected = lfilter([0.0, 1.0 - keep], [1.0, -keep], target)
    np.testing.assert_allclose(J.first_order_lag(target, keep), expected, rtol=1e-10, atol=1e-12)


def test_the_kernel_does_not_import_scipy():
    """scipy.signal alone added about 60 MB to every kernel; the models must stay numpy-only."""
    import subprocess

    code = "import sys, helpers.explorables; print(any(m.split('.')[0] == 'scipy' for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip() == "False"
