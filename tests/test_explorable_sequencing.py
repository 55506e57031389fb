"""The treatment-sequencing explorable (notebook 04): every control over its whole range.

Widgets run here without a browser; these tests check that each control drives the model, the four
figures and the readout consistently.
"""
from __future__ import annotations

import html

import numpy as np
import pytest
from explorable_checks import sweep
from frames_check import assert_frames_equal_render

from helpers.explorables.sequencing import (
    POSITION_LABELS,
    compare_positions,
    eular_ladder,
    readout_text,
    simulate,
    step_sliders,
    treatment_sequencing,
)
from helpers.models import sequencing
from helpers.widgets import IntegerSlider

SLIDER_NAMES = [name for step in sequencing.STEPS for name in step_sliders(step)] + ["horizon_months"]


@pytest.fixture(scope="module")
def explorable():
    return treatment_sequencing()


def slider_values(explorable):
    """The rate and horizon sliders' values (the wiring's values also hold the toxin's position)."""
    return {name: value for name, value in explorable.slider_group.values().items() if name in SLIDER_NAMES}


def assert_shows(explorable, values, position):
    result, reference = simulate(values, position)
    flow, waiting, refractory, exposure = explorable.figures
    patients_per_step = np.sum([trace.x for trace in flow.data], axis=0)
    assert list(patients_per_step) == list(result.entering)  # every patient who starts a step is in one segment
    assert [trace.name for trace in flow.data] == ["lasting relief", "no response", "stopped: adverse effects",
                                                    "relapsed"]
    assert list(flow.data[0].x) == list(result.lasting) and list(flow.data[3].x) == list(result.relapsed)
    assert flow.data[0].y[position].startswith(f"{position + 1}. Botulinum toxin A (")
    months, share = sequencing.relief_curve(result)
    assert np.allclose(waiting.data[1].y, share * 100, atol=0.01)
    assert np.allclose(waiting.data[0].y, sequencing.relief_curve(reference)[1] * 100, atol=0.01)
    assert list(waiting.data[1].x) == list(months)
    assert np.allclose(refractory.data[0].y, result.refractory_after * 100, atol=0.01)
    assert list(exposure.data[1].x) == [result.exposed[s] for s in sequencing.STEPS]
    assert list(exposure.data[0].x) == [reference.exposed[s] for s in sequencing.STEPS]
    assert html.escape(readout_text(result, reference)) in explorable.readout.value


def test_starts_with_stepped_care(explorable):
    assert explorable.controls["position"].value == len(sequencing.STEPS) - 1
    assert_shows(explorable, slider_values(explorable), explorable.controls["position"].value)


def test_saved_sentence_gives_the_stepped_care_cohort(explorable):
    text = explorable.fallback_text
    assert "With the assumed rates" in text and "of 10,000 virtual patients" in text and "toxin A last" in text


@pytest.mark.parametrize("name", SLIDER_NAMES)
def test_every_slider_position_updates_figures_and_readout(explorable, name):
    explorable.reset_button.click()
    sweep(explorable, name,
          lambda: assert_shows(explorable, slider_values(explorable), explorable.controls["position"].value))


def test_every_toxin_position_with_extreme_rates(explorable):
    explorable.reset_button.click()
    control = explorable.controls["position"]
    seen = set()
    for rates in ({}, {"botulinum_response_percent": 100, "botulinum_relapse_percent": 0},
                  {name: explorable.controls[name].min for name in SLIDER_NAMES}):
        defaults = {n: sequencing.parameter_specs()[n].value for n in SLIDER_NAMES}
        explorable.slider_group.set_values({**defaults, **rates})
        for index in range(len(POSITION_LABELS)):
            control.value = index
            assert_shows(explorable, slider_values(explorable), index)
            exposure = explorable.figures[3].data[1].x
            seen.add(explorable.readout.value)
            assert exposure[sequencing.STEPS.index("botulinum")] == sequencing.simulate_cohort(
                sequencing.params_from_values(slider_values(explorable),
                                              sequencing.move_step(sequencing.STEPS, "botulinum", index)),
                seed=2016).exposed["botulinum"]
    assert len(seen) > 5


def test_toxin_first_injects_everyone_and_says_so(explorable):
    explorable.reset_button.click()
    explorable.controls["position"].value = 0
    assert explorable.figures[3].data[1].x[sequencing.STEPS.index("botulinum")] == 10000
    assert "With botulinum toxin A first, 10,000 patients (100%) are injected" in explorable.readout.value
    assert "more patients injected with the toxin" in explorable.readout.value


def test_step_chooser_shows_only_that_steps_sliders(explorable):
    chooser = explorable.controls["step"]
    for step in sequencing.STEPS:
        chooser.value = step
        shown = [key for key, box in explorable.parts["step_boxes"].items() if box.layout.display != "none"]
        assert shown == [step]


def test_figures_are_shown_one_at_a_time_and_all_stay_current(explorable):
    views = explorable.parts["views"]
    assert list(views.chooser.options) == ["Patient flow", "Waiting for relief", "Still refractory", "Who is exposed"]
    for label, figure in zip(views.chooser.options, explorable.figures, strict=True):
        views.chooser.value = label
        assert views.frame.children == (figure,) and views.shown is figure
    views.chooser.value = "Patient flow"
    explorable.controls["horizon_months"].value = 18  # the hidden figures follow too
    assert_shows(explorable, slider_values(explorable), explorable.controls["position"].value)
    explorable.reset_button.click()


def test_reset_restores_order_rates_and_step(explorable):
    explorable.controls["position"].value = 1
    explorable.controls["step"].value = "cbt"
    explorable.controls["cbt_response_percent"].value = 80
    explorable.reset_button.click()
    defaults = {name: sequencing.parameter_specs()[name].value for name in SLIDER_NAMES}
    assert slider_values(explorable) == pytest.approx(defaults)
    assert explorable.controls["position"].value == len(sequencing.STEPS) - 1
    assert explorable.controls["step"].value == "botulinum"
    assert_shows(explorable, defaults, len(sequencing.STEPS) - 1)


def test_compare_positions_table_and_ladder():
    table = compare_positions().data
    assert table.startswith("Counts of virtual patients with the assumed rates (mostly teaching assumptions; "
                            "response rates include the placebo response)")
    assert "placebo responders included" in table and "from the toxin" not in table
    assert table.count("\n") == 3 + len(POSITION_LABELS)
    assert "| 1st: toxin first, before exercise | 10,000 |" in table
    ladder = eular_ladder()
    text = ladder._repr_mimebundle_()["text/plain"]
    assert "Strong for: Aerobic and strengthening exercise." in text and "Corticosteroids (unverified)" in text
    assert "Strong opioids," in text and "Not assessed by EULAR (off-label in fibromyalgia): Botulinum toxin A." in text
    bar = ladder.figures[0].data[0]
    assert len(bar.y) == 5 and "Pregabalin ★" in bar.text[1]
    assert "Strong opioids" in bar.text[3] and "Strong opioids †" not in bar.text[3]
    assert "Corticosteroids †" in bar.text[3]


@pytest.mark.parametrize("toxin_position", [1, len(POSITION_LABELS) - 1])
@pytest.mark.parametrize("name", SLIDER_NAMES)
def test_frames_of_every_slider_equal_the_render_at_each_position(explorable, name, toxin_position):
    """The frames sent ahead for a slider's drag show exactly what the kernel renders at those positions, with the
    toxin second (two cohorts per render) and last (the reference itself), and rates other than the defaults."""
    explorable.reset_button.click()
    live, control = explorable.slider_group, explorable.controls[name]
    other = "cbt_response_percent" if name != "cbt_response_percent" else "exercise_response_percent"
    live.set_values({"position": toxin_position, other: 60})
    values = live.values()
    assert set(live.outputs) == {"flow", "waiting", "refractory", "exposure", "readout"}
    positions = assert_frames_equal_render(live, name)
    cast = int if isinstance(control, IntegerSlider) else float
    middle = {n: v for n, v in values.items() if n in SLIDER_NAMES}
    middle[name] = cast(positions[len(positions) // 2])
    result, _ = simulate(middle, toxin_position)
    flow = live.outputs["flow"]
    # the flow in the middle frame (or, when this slider leaves the flow alone, the flow shown) is the model's cohort
    flow_state = (flow.frames[control.channel]["states"][len(positions) // 2] if control.channel in flow.frames
                  else flow.figure)
    assert list(flow_state["data"][0]["x"]) == list(result.lasting)
    explorable.reset_button.click()
    assert all(output.frames == {} for output in live.outputs.values()), "Reset must drop the frames"
