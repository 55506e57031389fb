"""The onset-and-duration explorable and the set-up check: every control over its whole range.

Widgets run here without a browser (the browser suite checks rendering); these tests check that
each control drives the model, the figures and the readout consistently.
"""
from __future__ import annotations

import html

import numpy as np
import pytest
from explorable_checks import sweep

from helpers.data import load_presets
from helpers.explorables import onset_and_duration
from helpers.explorables.onset_duration import SLIDERS
from helpers.models import relief


@pytest.fixture
def explorable():
    return onset_and_duration()


def expected_for(values):
    params = relief.default_params(**values)
    year = relief.simulate_year(params)
    return year, relief.describe(relief.experience_metrics(year), params)


def assert_shows(explorable, values):
    year, text = expected_for(values)
    single, year_plot = explorable.figures
    assert np.allclose(year_plot.data[3].y, year.pain, atol=1e-3), "pain trace does not match the model"
    assert list(year_plot.data[4].x) == list(year.injection_days), "injection markers do not match"
    assert np.array_equal(np.isnan(np.asarray(year_plot.data[0].y, float)), ~year.meaningful), "shading does not match"
    _, _, combined = relief.one_injection(np.arange(211), relief.default_params(**values))
    assert np.allclose(single.data[3].y, combined * 100, atol=0.01)
    assert html.escape(text) in explorable.readout.value


def test_default_patient_is_the_models_and_the_saved_sentence_describes_it(explorable):
    assert_shows(explorable, {name: relief.parameter_specs()[name].value for name in SLIDERS})
    assert "day 22" in explorable.fallback_text  # first meaningful relief of the default patient


@pytest.mark.parametrize("name", SLIDERS)
def test_every_slider_position_updates_figures_and_readout(explorable, name):
    sweep(explorable, name, lambda: assert_shows(explorable, explorable.slider_group.values()))


@pytest.mark.parametrize("preset_name", list(load_presets("relief_presets.csv", "relief_parameters.csv")))
def test_every_preset_shows_its_patient(explorable, preset_name):
    """(Presets setting their values and Reset: tests/test_explorable_contract.py.)"""
    explorable.preset_buttons[preset_name].click()
    assert_shows(explorable, load_presets("relief_presets.csv", "relief_parameters.csv")[preset_name].values)


def test_compare_patients_table_names_its_assumptions():
    from helpers.explorables.onset_duration import compare_patients

    table = compare_patients().data
    presets = load_presets("relief_presets.csv", "relief_parameters.csv")
    assert table.startswith("Every number below follows from **assumed** onsets, durations and peaks")
    assert "not a schedule" in table.splitlines()[0]
    assert "| Assumed responder (default) | day 10, 84 days, 45% | day 22 |" in table
    assert "| Non-responder | day 10, 84 days, 0% | never |" in table
    assert sum(line.startswith("| ") for line in table.splitlines()) == 1 + len(presets)  # header + one row each
