"""The onset-and-duration explorable and the set-up check: every control over its whole range.

Widgets run here without a browser (the browser suite checks rendering); these tests check that
each control drives the model, the figures and the readout consistently.
"""
from __future__ import annotations

import html

import numpy as np
import pytest

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


def test_builds_with_data_ranges_and_units(explorable):
    specs = relief.parameter_specs()
    for name in SLIDERS:
        control = explorable.controls[name]
        spec = specs[name]
        assert (control.min, control.max, control.step, control.value) == (spec.min, spec.max, spec.step, spec.value)
        assert spec.unit in control.description
    assert_shows(explorable, {name: relief.parameter_specs()[name].value for name in SLIDERS})


def test_fallback_text_is_a_sentence_not_a_widget_repr(explorable):
    text = explorable._repr_mimebundle_()["text/plain"]
    assert text.startswith("Interactive: run this cell") and "VBox" not in text and "day 22" in text


@pytest.mark.parametrize("name", SLIDERS)
def test_every_slider_position_updates_figures_and_readout(explorable, name):
    control = explorable.controls[name]
    positions = np.arange(control.min, control.max + control.step / 2, control.step)
    assert len(positions) >= 5
    seen_readouts = set()
    for value in positions:
        control.value = value
        assert_shows(explorable, explorable.slider_group.values())
        seen_readouts.add(explorable.readout.value)
    assert len(seen_readouts) > 1, f"the readout never changed while sweeping {name}"


@pytest.mark.parametrize("preset_name", list(load_presets("relief_presets.csv", "relief_parameters.csv")))
def test_presets_set_every_slider_and_reset_restores_defaults(explorable, preset_name):
    preset = load_presets("relief_presets.csv", "relief_parameters.csv")[preset_name]
    explorable.preset_buttons[preset_name].click()
    assert explorable.slider_group.values() == pytest.approx(preset.values)
    assert_shows(explorable, preset.values)
    explorable.reset_button.click()
    defaults = {name: relief.parameter_specs()[name].value for name in SLIDERS}
    assert explorable.slider_group.values() == pytest.approx(defaults)
    assert_shows(explorable, defaults)


def test_compare_patients_table_names_its_assumptions():
    from helpers.explorables.onset_duration import compare_patients

    table = compare_patients().data
    presets = load_presets("relief_presets.csv", "relief_parameters.csv")
    assert table.startswith("Every number below follows from **assumed** onsets, durations and peaks")
    assert "not a schedule" in table.splitlines()[0]
    assert "| Assumed responder (default) | day 10, 84 days, 45% | day 22 |" in table
    assert "| Non-responder | day 10, 84 days, 0% | never |" in table
    assert sum(line.startswith("| ") for line in table.splitlines()) == 1 + len(presets)  # header + one row each
