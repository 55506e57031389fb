"""The junction explorables of notebook 02: the step-through and the blockade explorer.

Every control is swept over its whole range; figures and readouts must match the model and the
data files at every position. Corrupted copies of data/junction_steps.yaml check the loader.
"""
from __future__ import annotations

import html

import numpy as np
import pytest
from explorable_checks import sweep
from frames_check import assert_frames_equal_render

from helpers.data import DataFileError, load_presets
from helpers.explorables.junction import (
    PRESETS_FILE,
    SLIDERS,
    blockade_explorer,
    calibration_table_markdown,
    junction_steps,
    load_steps,
)
from helpers.figures.junction import ELEMENTS
from helpers.models import junction


# ---------------------------------------------------------------------------------------------
# Step-through
# ---------------------------------------------------------------------------------------------
@pytest.fixture
def steps_box():
    return junction_steps()


def test_steps_cover_the_story_in_order():
    ids = [step.id for step in load_steps()]
    assert ids[0] == "normal_release" and ids[-1] == "sprouts_retract"
    for needed in ("binding", "endocytosis", "translocation", "cleavage", "blocked", "weakness", "sprouting",
                   "parent_returns"):
        assert needed in ids
    assert ids.index("cleavage") < ids.index("blocked") < ids.index("sprouting") < ids.index("parent_returns")


def test_every_slider_position_draws_its_step(steps_box):
    steps = load_steps()
    slider = steps_box.controls["step"]
    assert (slider.min, slider.max) == (1, len(steps))
    titles = set()
    for number in range(slider.min, slider.max + 1):
        slider.value = number
        step = steps[number - 1]
        figure = steps_box.figures[0]
        assert step.title in figure.layout.title.text
        assert html.escape(step.caption) in steps_box.readout.value
        for source in step.sources:
            assert source in steps_box.readout.value
        assert len(figure.layout.shapes) > 5
        assert steps_box.parts["back"].disabled == (number == 1)
        assert steps_box.parts["next"].disabled == (number == len(steps))
        titles.add(figure.layout.title.text)
    assert len(titles) == len(steps)


def test_next_and_back_walk_through_every_step(steps_box):
    slider = steps_box.controls["step"]
    for expected in range(2, len(load_steps()) + 1):
        steps_box.parts["next"].click()
        assert slider.value == expected
    steps_box.parts["next"].click()  # at the end: stays
    assert slider.value == len(load_steps())
    for expected in range(len(load_steps()) - 1, 0, -1):
        steps_box.parts["back"].click()
        assert slider.value == expected
    steps_box.parts["back"].click()
    assert slider.value == 1


def test_blocked_steps_draw_fewer_transmitter_dots_than_normal(steps_box):
    slider = steps_box.controls["step"]
    counts = {}
    for number, step in enumerate(load_steps(), start=1):
        slider.value = number
        counts[step.id] = sum(1 for s in steps_box.figures[0].layout.shapes if s.fillcolor == "#009E73")
    assert counts["normal_release"] > counts["cleavage"] > 0
    assert counts["blocked"] == 0


def test_step_frames_equal_the_render_at_each_position(steps_box):
    assert_frames_equal_render(steps_box.slider_group, "step", picks=tuple(range(len(load_steps()))))


def test_step_fallback_text_lists_the_steps(steps_box):
    assert "SNAP-25 is cut" in steps_box.fallback_text


@pytest.mark.parametrize("old, new, message", [
    ("phase: block\n", "phase: blocking\n",
     "junction_steps.yaml, record 'binding' (#2), field 'phase': unknown phase 'blocking'; use one of"),
    ("sources: [dong2006, dong2007]", "sources: [dong2099]",
     "junction_steps.yaml, record 'binding' (#2), field 'sources': unknown source id 'dong2099'"),
    ("show: [terminal, vesicles, snare, ach, muscle, receptors]\n", "show: [terminal, vesicle]\n",
     "junction_steps.yaml, record 'normal_release' (#1), field 'show': unknown element 'vesicle'"),
    ("highlight: snare\n", "highlight: toxin_bound\n",
     "junction_steps.yaml, record 'normal_release' (#1), field 'highlight': "
     "'toxin_bound' is not among the elements shown"),
    ("release: 1.0\n", "release: 1.5\n",
     "junction_steps.yaml, record 'normal_release' (#1), field 'release': 1.5 is out of range 0 to 1"),
    ("- id: binding\n", "- id: normal_release\n",
     "junction_steps.yaml, record 'normal_release' (#2), field 'id': duplicate id"),
    ("caption: \"The heavy chain", "caption: \"One. Two. Three. The heavy chain",
     "junction_steps.yaml, record 'binding' (#2), field 'caption': has 5 sentences; write 2-3"),
])
def test_corrupted_steps_file_names_record_and_field(data_copy, old, new, message):
    path = data_copy / "junction_steps.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataFileError) as error:
        load_steps(data_dir=data_copy)
    assert str(error.value).startswith(message)


def test_every_drawable_element_is_used_by_some_step():
    used = {element for step in load_steps() for element in step.show}
    assert used == set(ELEMENTS)


# ---------------------------------------------------------------------------------------------
# Blockade explorer
# ---------------------------------------------------------------------------------------------
@pytest.fixture
def explorer():
    return blockade_explorer()


def assert_shows(box, values):
    params = junction.default_params(**values)
    course = junction.simulate(params)
    figure = box.figures[0]
    _limit, response, shots, snap, parent, sprouts = figure.data
    assert np.allclose(response.y, course.response[::4] * 100, atol=0.01), "response trace does not match the model"
    assert np.allclose(snap.y, course.intact_snap25[::4] * 100, atol=0.01)
    assert np.allclose(np.asarray(parent.y) + np.asarray(sprouts.y), course.release[::4] * 100, atol=0.02)
    assert len(shots.x) == params.injections
    assert figure.layout.xaxis3.range[1] == pytest.approx(course.days[-1] / 30.44, abs=0.01)
    text = junction.describe(junction.metrics(course), params)
    assert html.escape(text) in box.readout.value


def test_interval_never_below_12_weeks_and_default_schedule_is_the_models(explorer):
    assert explorer.controls["interval_weeks"].min == 12
    assert_shows(explorer, {name: junction.parameter_specs()[name].value for name in SLIDERS})
    assert "begins on day 5" in explorer.fallback_text  # the saved sentence describes the default schedule


@pytest.mark.parametrize("name", SLIDERS)
def test_every_slider_position_updates_figure_and_readout(explorer, name):
    if name != "dose_units":
        explorer.controls["injections"].value = 2  # so that the interval matters
    sweep(explorer, name, lambda: assert_shows(explorer, explorer.slider_group.values()), at_least=4)


@pytest.mark.parametrize("name", SLIDERS)
def test_frames_of_every_slider_equal_the_render_at_each_position(explorer, name):
    explorer.slider_group.set_values({"injections": 2, "dose_units": 20.0})  # so that the interval matters
    assert_frames_equal_render(explorer.slider_group, name)


@pytest.mark.parametrize("preset_name", list(load_presets(PRESETS_FILE, junction.PARAMETERS_FILE)))
def test_every_preset_shows_its_schedule(explorer, preset_name):
    """(Presets setting their values and Reset: tests/test_explorable_contract.py.)"""
    explorer.preset_buttons[preset_name].click()
    assert_shows(explorer, load_presets(PRESETS_FILE, junction.PARAMETERS_FILE)[preset_name].values)


def test_calibration_table_lists_every_point_with_the_model_value():
    table = calibration_table_markdown()
    params = junction.default_params()
    for point in junction.load_calibration():
        assert f"`{point.source_id}`" in table
        assert f"{junction.model_value(point, params):.1f}" in table


def test_calibration_table_never_shows_an_unreported_value_as_the_studys_result():
    """Clinical review #5: the study-result column is the study's own report; a target the course chose is
    labelled illustrative in the target column and never appears in the study-result column."""
    lines = calibration_table_markdown().splitlines()
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    assert "published" not in " ".join(header).lower()
    reported_column, target_column = header.index("what the study reports"), header.index("target used in the fit")
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[2:]]
    points = junction.load_calibration()
    assert len(rows) == len(points)
    for row, point in zip(rows, points, strict=True):
        assert row[reported_column] == point.reported
        assert ("illustrative" in row[target_column]) == point.illustrative
        if point.illustrative:
            assert f"{point.value:g}" not in row[reported_column]
    assert any(point.illustrative for point in points)


def test_readout_flags_extrapolation_above_the_studied_dose(explorer):
    explorer.controls["dose_units"].value = 30
    assert "above the highest dose studied in this muscle" in explorer.readout.value
    explorer.controls["dose_units"].value = 20
    assert "extrapolation" not in explorer.readout.value and "In the fitted model" in explorer.readout.value
