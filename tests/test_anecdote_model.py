"""Unit tests of helpers/models/anecdote.py: a treatment with no effect still 'works' in an uncontrolled series."""
from __future__ import annotations

import math

import numpy as np
import pytest

from helpers.models import anecdote


def run(**overrides):
    params = anecdote.default_params(**overrides)
    return params, anecdote.simulate_series(params), anecdote.summarise(anecdote.simulate_series(params))


def test_no_effect_still_looks_like_it_works():
    params, series, summary = run()
    assert summary.true_effect == 0
    assert summary.n_enrolled == params.n_patients == 200
    assert summary.percent_improved > 40          # most patients seem to improve ...
    assert summary.regression_part > 1.0          # ... largely because they came on a bad week
    assert abs(summary.toxin_arm_improved - summary.saline_arm_improved) < 5   # a randomised comparison shows no effect
    assert "although the injection does nothing" in anecdote.describe(summary, params)


def test_same_seed_same_patients():
    _, first, _ = run()
    _, second, _ = run()
    assert np.array_equal(first.at_enrolment, second.at_enrolment)
    assert np.array_equal(first.at_followup, second.at_followup)


def test_hand_recomputed_patient():
    params, series, _ = run()
    z_mu, z_week, z_follow, _ = anecdote._standard_normals(int(params.seed), anecdote.POOL_FACTOR * 200, anecdote.WEEKS)
    mu = np.clip(params.cohort_mean_pain + params.cohort_sd_pain * z_mu, 0, 10)
    weekly = np.clip(mu[:, None] + params.visit_noise_sd * z_week, 0, 10)
    first_patient = int(np.flatnonzero((weekly >= params.selection_threshold).any(axis=1))[0])
    week = int(np.argmax(weekly[first_patient] >= params.selection_threshold))
    assert series.at_enrolment[0] == pytest.approx(weekly[first_patient, week])
    expected_follow = np.clip(mu[first_patient] + params.visit_noise_sd * z_follow[first_patient]
                              - params.placebo_points, 0, 10)
    assert series.at_followup[0] == pytest.approx(expected_follow)
    assert series.improved[0] == (expected_follow <= 0.7 * weekly[first_patient, week] + 1e-12)


def test_drop_splits_into_regression_and_the_rest():
    _, series, summary = run(placebo_points=0)
    rest = float((series.long_run - series.at_followup).mean())
    assert summary.mean_drop == pytest.approx(summary.regression_part + rest)
    assert abs(rest) < 0.3                        # with no placebo, what remains is noise


def test_no_selection_no_regression():
    # Everyone qualifies in their first week when the threshold is at the bottom of the cohort.
    _, _, summary = run(selection_threshold=4, cohort_mean_pain=8, cohort_sd_pain=0.5, visit_noise_sd=0.5)
    assert abs(summary.regression_part) < 0.15


def test_more_placebo_more_apparent_success():
    percents = [run(placebo_points=p)[2].percent_improved for p in (0, 1, 2, 3)]
    assert percents == sorted(percents) and percents[-1] > percents[0]


def test_higher_threshold_more_regression():
    low = run(selection_threshold=5)[2]
    high = run(selection_threshold=9)[2]
    assert high.regression_part > low.regression_part


def test_real_effect_shows_in_the_randomised_comparison():
    _, _, summary = run(true_effect_points=2)
    assert summary.toxin_arm_improved > summary.saline_arm_improved + 20


def test_nobody_enrolled():
    params, series, summary = run(selection_threshold=9, cohort_mean_pain=3, cohort_sd_pain=0.5, visit_noise_sd=0.5)
    assert summary.n_enrolled == 0 and math.isnan(summary.percent_improved)
    assert "nobody was injected" in anecdote.describe(summary, params)


@pytest.mark.parametrize("overrides, message", [
    ({"placebo_points": 5}, r"placebo_points = 5 is outside the allowed range 0 to 3 points"),
    ({"selection_threshold": 2}, r"selection_threshold = 2 is outside the allowed range 4 to 9 points"),
    ({"visit_noise_sd": 0}, r"visit_noise_sd = 0 is outside the allowed range 0.5 to 2.5 points"),
    ({"n_patients": 50}, r"n_patients = 50 is outside the allowed range 200 to 200 count"),
    ({"true_effect_points": -1}, r"true_effect_points = -1 is outside the allowed range 0 to 10 points"),
])
def test_validation_messages(overrides, message):
    with pytest.raises(ValueError, match=message):
        anecdote.default_params(**overrides)


def test_unknown_parameter():
    with pytest.raises(ValueError, match=r"unknown anecdote parameter\(s\): placebo"):
        anecdote.default_params(placebo=1)


def test_sweep_sliders_invariants():
    specs = anecdote.parameter_specs()
    for name in ("placebo_points", "selection_threshold", "visit_noise_sd"):
        spec = specs[name]
        for value in np.arange(spec.min, spec.max + spec.step / 2, spec.step):
            params, series, summary = run(**{name: float(value)})
            text = anecdote.describe(summary, params)
            assert isinstance(text, str) and text
            if summary.n_enrolled:
                assert np.all(series.at_enrolment >= params.selection_threshold)
                assert 0 <= summary.percent_improved <= 100
                assert np.all((series.at_followup >= 0) & (series.at_followup <= 10))
