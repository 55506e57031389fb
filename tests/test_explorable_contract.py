"""What every explorable promises, checked for each one (a new explorable is covered by adding it to the package):
its sliders are its parameter records, its saved output is a sentence, presets set their values and Reset puts every
control back with one render, and its outputs always show what its render gives for the controls' values."""
from __future__ import annotations

import pytest
from frames_check import same_state

import helpers.explorables as explorables
from helpers import controls
from helpers.models import criteria, junction, relief, risk, sequencing
from helpers.widgets import Figure, Slider

NAMES = [name for name in explorables._MODULES if name not in ("compare_presets", "compare_patients")]
# the model whose parameter records an explorable's sliders stand for (the others' sliders are steps and positions)
PARAMETERS = {"criteria_calculator": criteria.parameter_specs, "blockade_explorer": junction.parameter_specs,
              "onset_and_duration": relief.parameter_specs, "treatment_sequencing": sequencing.parameter_specs,
              **{name: risk.parameter_specs for name in ("benefit_harm", "dose_safety", "anecdote",
                                                          "cost", "shared_decision")}}


@pytest.fixture(scope="module", params=NAMES)
def named(request):
    return request.param, getattr(explorables, request.param)()


def assert_outputs_equal_render(box):
    shown = box.slider_group.render(box.slider_group.values())
    for name, output in box.outputs.items():
        now = {k: v for k, v in output.figure.items() if k != "key"} if isinstance(output, Figure) else output.value
        assert same_state(now, shown[name]), f"{name} does not show the render of the controls' values"


def test_sliders_are_the_parameter_records(named):
    name, box = named
    assert set(box.sliders) | set(box.choices) == set(box.controls)
    if name not in PARAMETERS:
        return
    records = PARAMETERS[name]()
    assert box.sliders, f"{name} has no slider"
    for slider_name, control in box.sliders.items():
        record = records[slider_name]
        assert (control.min, control.max, control.step) == pytest.approx((record.min, record.max, record.step))
        assert control.value == pytest.approx(record.value), f"{name}: {slider_name} does not start at its default"
        assert record.unit in control.description


def test_saved_output_is_a_sentence(named):
    name, box = named
    text = box._repr_mimebundle_()["text/plain"]
    assert text == box.fallback_text and "VBox" not in text and text.rstrip().endswith((".", ")")), text
    assert text.startswith(("Interactive", "EULAR 2016")), text


def test_presets_set_their_values_and_reset_restores_every_control(named):
    name, box = named
    assert set(box.preset_buttons) == set(box.presets)
    if box.reset_button is None:
        assert not box.presets and name in ("setup_check", "junction_steps", "eular_ladder")
        return
    start = {control_name: control.value for control_name, control in box.controls.items()}
    assert start == box.start
    renders = []
    box.slider_group.render, render = (lambda values: renders.append(values) or render(values)), box.slider_group.render
    try:
        for preset_name, button in box.preset_buttons.items():
            button.click()
            values = box.slider_group.values()
            assert {key: values[key] for key in box.presets[preset_name]} == pytest.approx(box.presets[preset_name])
            assert len(renders) == 1, f"{name}: preset {preset_name} rendered {len(renders)} times, not once"
            renders.clear()
        moved = next(iter(box.sliders.values()), None) or next(iter(box.controls.values()))
        moved.value = moved.max if isinstance(moved, Slider) and moved.value != moved.max else (
            moved.min if isinstance(moved, Slider) else not moved.value)
        renders.clear()
        box.reset_button.click()
        assert len(renders) == 1, f"{name}: Reset rendered {len(renders)} times, not once"
    finally:
        box.slider_group.render = render
    assert {control_name: control.value for control_name, control in box.controls.items()} == start
    assert_outputs_equal_render(box)
    assert all(output.frames == {} for output in box.outputs.values()), "Reset must drop the frames"


def test_reset_returns_a_moved_choice_too():
    box = explorables.benefit_harm()
    box.choices["region"].value, box.choices["effect"].value = "upper_back_trigger", "ptosis"
    box.reset_button.click()
    assert (box.choices["region"].value, box.choices["effect"].value) == ("upper_back_fixed", "neck_pain_weakness")
    assert_outputs_equal_render(box)


def test_a_preset_stays_pressed_until_a_control_leaves_its_values():
    box = explorables.anecdote()
    bar = next(row for row in box._button_rows.values() if isinstance(row, controls.PresetBar))
    first = next(iter(box.preset_buttons))
    box.preset_buttons[first].click()
    assert bar.pressed_name == first
    slider = next(iter(box.sliders.values()))
    before = slider.value
    slider.value = slider.max if before != slider.max else slider.min
    assert bar.pressed_name is None
    slider.value = before
    assert bar.pressed_name == first
    box.reset_button.click()
    assert bar.pressed_name is None


def test_grid_spans_the_parameter_range_at_its_step():
    dose = risk.parameter_specs()["dose_units"]
    doses = controls.grid(dose)
    assert (doses[0], doses[-1], doses[1] - doses[0]) == (dose.min, dose.max, dose.step)
    price = risk.parameter_specs()["price_per_unit_usd"]
    prices = controls.grid(price, 0.25)
    assert prices[0] == price.min and prices[-1] == pytest.approx(price.max) and len(prices) == 39
