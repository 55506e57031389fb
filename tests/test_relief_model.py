"""The relief model (helpers/models/relief.py): hand-computed cases, validation, full-range sweeps."""
from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from helpers.models import relief

DEFAULT = relief.default_params()


def params(**changes):
    return relief.default_params(**changes)


# --- hand-computed cases (default: onset 10 d, duration 84 d, peak 45%, rise 0.2 -> 16.8 d, fall 0.3 -> 25.2 d)
@pytest.mark.parametrize("day, expected_percent", [
    (0, 0.0), (10, 0.0), (18.4, 22.5), (26.8, 45.0), (50, 45.0), (68.8, 45.0), (81.4, 22.5), (94, 0.0), (200, 0.0),
])
def test_drug_relief_trapezoid(day, expected_percent):
    assert relief.drug_relief_fraction(day, DEFAULT) * 100 == pytest.approx(expected_percent, abs=1e-9)


@pytest.mark.parametrize("day, expected_percent", [(-1, 0.0), (0, 15.0), (3.5, 7.5), (7, 0.0), (30, 0.0)])
def test_needle_relief_fades_linearly(day, expected_percent):
    assert relief.needle_relief_fraction(day, DEFAULT) * 100 == pytest.approx(expected_percent, abs=1e-9)


def test_combination_of_independent_reductions():
    assert relief.combine_reliefs([0.5, 0.2]) == pytest.approx(0.6)
    assert relief.combine_reliefs([0.3]) == pytest.approx(0.3)
    assert relief.combine_reliefs([1.0, 0.9, 0.9]) == pytest.approx(1.0)


def test_default_first_meaningful_day_is_22():
    # drug relief reaches 30% when (t - 10) / 16.8 = 30 / 45, i.e. t = 21.2 -> first whole day 22
    metrics = relief.experience_metrics(relief.simulate_year(DEFAULT))
    assert metrics.first_relief_day == 22


def test_one_injection_a_year_without_needle_effect():
    # window: rises past 30% on day 22 (21.2), falls below it after day 77 (94 - 25.2 x 2/3 = 77.2)
    year = relief.simulate_year(params(interval_weeks=52, needle_relief_percent=0))
    metrics = relief.experience_metrics(year)
    assert list(year.injection_days) == [0, 364]
    assert (metrics.first_relief_day, metrics.relief_days) == (22, 56)
    assert metrics.relief_weeks == pytest.approx(8.0)
    assert metrics.longest_gap_days == 364 - 78 + 1
    assert (metrics.injections, metrics.clinic_visits) == (2, 4)
    assert metrics.relief_weeks_per_injection == pytest.approx(4.0)


def test_needle_bridges_the_gap_on_reinjection_day():
    # day 84: drug of the first shot 45 x (94 - 84) / 25.2 = 17.86%, needle 15% -> 1 - 0.8214 x 0.85 = 30.18%
    year = relief.simulate_year(DEFAULT)
    assert year.relief[84] == pytest.approx(1 - (1 - 0.45 * 10 / 25.2) * 0.85)
    assert year.meaningful[84] and not year.meaningful[85]


def test_non_responder_has_needle_relief_only():
    year = relief.simulate_year(params(peak_relief_percent=0, needle_relief_percent=40))
    # needle 40% on day 0, 34.3% on day 1, 28.6% on day 2: two meaningful days per session
    metrics = relief.experience_metrics(year)
    assert metrics.first_relief_day == 0
    assert metrics.relief_days == 2 * metrics.injections
    text = relief.describe(relief.experience_metrics(relief.simulate_year(params(peak_relief_percent=0))), DEFAULT)
    assert "no meaningful relief" in text


def test_pain_follows_baseline_and_relief():
    year = relief.simulate_year(params(baseline_pain=8))
    assert np.allclose(year.pain, 8 * (1 - year.relief))
    assert year.meaningful_pain_level == pytest.approx(5.6)


def test_describe_states_the_metrics():
    text = relief.describe(relief.experience_metrics(relief.simulate_year(DEFAULT)), DEFAULT)
    assert "day 22 (week 4)" in text and "5 injection sessions and 10 clinic visits" in text
    # the sentence itself says which numbers are assumed, and that the injection count is no schedule to follow
    assert text.startswith("With the assumed onset (day 10), duration (84 days) and peak relief (45%), none of them "
                           "measured in fibromyalgia,")
    assert "not a schedule to follow, since no fibromyalgia dose or schedule exists" in text
    other = params(onset_days=21, duration_days=35, peak_relief_percent=60)
    assert "assumed onset (day 21), duration (35 days) and peak relief (60%)" in relief.describe(
        relief.experience_metrics(relief.simulate_year(other)), other)


def test_longest_run():
    assert relief.longest_run(np.array([0, 1, 1, 0, 1, 1, 1, 0], bool)) == 3
    assert relief.longest_run(np.zeros(5, bool)) == 0
    assert relief.longest_run(np.ones(5, bool)) == 5


# --- validation -------------------------------------------------------------------------------
@pytest.mark.parametrize("name, value, message", [
    ("onset_days", 40, "onset_days = 40 is outside the allowed range 2 to 28 days"),
    ("onset_days", -1, "onset_days = -1 is outside the allowed range 2 to 28 days"),
    ("interval_weeks", 8, "interval_weeks = 8 is outside the allowed range 12 to 52 weeks"),
    ("peak_relief_percent", 120, "peak_relief_percent = 120 is outside the allowed range 0 to 80 percent"),
    ("duration_days", float("nan"), "duration_days = nan is outside the allowed range 14 to 182 days"),
    ("needle_relief_percent", "a lot", "needle_relief_percent = 'a lot' is not a number"),
    ("baseline_pain", 11, "baseline_pain = 11 is outside the allowed range 4 to 10 points"),
])
def test_bad_parameters_raise_clear_errors(name, value, message):
    with pytest.raises(ValueError) as caught:
        params(**{name: value})
    assert message in str(caught.value)


def test_simulate_validates_a_hand_built_params_object():
    bad = relief.ReliefParams(**{**DEFAULT.__dict__, "rise_fraction": 0.9})
    with pytest.raises(ValueError, match=r"rise_fraction = 0.9 is outside the allowed range 0.1 to 0.4"):
        relief.simulate_year(bad)


def test_unknown_parameter_is_rejected():
    with pytest.raises(ValueError, match="unknown relief parameter"):
        params(onset_weeks=2)


# --- sweeps over every parameter's whole range -----------------------------------------------
def slider_values(spec):
    count = int(round((spec.max - spec.min) / spec.step))
    return [spec.min + i * spec.step for i in range(count + 1)]


def check_invariants(year):
    p = year.params
    assert np.all((year.pain >= 0) & (year.pain <= 10)), "pain left the 0-10 scale"
    assert np.all(year.pain <= p.baseline_pain + 1e-12)
    assert np.all((year.relief >= 0) & (year.relief <= 1))
    metrics = relief.experience_metrics(year)
    # metrics recomputed from the pain curve, independently of the model's own mask
    meaningful = year.pain <= year.meaningful_pain_level + 1e-9
    assert metrics.relief_days == int(meaningful.sum())
    assert metrics.first_relief_day == (int(np.argmax(meaningful)) if meaningful.any() else None)
    gap = best = 0
    for good in meaningful:
        gap = 0 if good else gap + 1
        best = max(best, gap)
    assert metrics.longest_gap_days == best
    assert metrics.injections == math.ceil(p.horizon_days / (p.interval_weeks * 7))
    assert metrics.relief_weeks == pytest.approx(metrics.relief_days / 7)
    assert metrics.relief_weeks_per_injection == pytest.approx(metrics.relief_weeks / metrics.injections)
    assert relief.describe(metrics, p)


@pytest.mark.parametrize("name", [name for name, spec in relief.parameter_specs().items() if spec.min < spec.max])
def test_sweep_each_parameter_over_its_range(name):
    for value in slider_values(relief.parameter_specs()[name]):
        check_invariants(relief.simulate_year(params(**{name: value})))


def test_sweep_corners_of_all_sliders_together():
    specs = relief.parameter_specs()
    names = ["onset_days", "duration_days", "peak_relief_percent", "interval_weeks", "needle_relief_percent"]
    for corner in itertools.product(*[(specs[n].min, specs[n].max) for n in names]):
        check_invariants(relief.simulate_year(params(**dict(zip(names, corner, strict=True)))))

