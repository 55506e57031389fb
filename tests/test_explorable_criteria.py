"""The criteria calculator (notebook 01): every checkbox and every slider over its whole range.

Widgets run without a browser; these tests check that each control drives the model
(helpers.models.criteria), the body map and the verdict text consistently.
"""
from __future__ import annotations

import html

import pytest
from explorable_checks import sweep
from frames_check import assert_frames_equal_render

from helpers.controls import readout_html as plain_readout_html
from helpers.explorables.criteria import SLIDERS, compare_presets, criteria_calculator, map_text, readout_html
from helpers.figures.criteria import NOT_PAINFUL, PAINFUL_COUNTED, PAINFUL_NOT_COUNTED
from helpers.models import criteria

SITES = criteria.site_names()
PRESETS = criteria.load_presets()


@pytest.fixture(scope="module")
def calculator():
    return criteria_calculator()


@pytest.fixture(autouse=True)
def back_to_default(calculator):
    calculator.reset_button.click()
    yield


def expected(calculator):
    values = calculator.slider_group.values()
    painful = [name for name in SITES if values[name]]
    symptoms = criteria.make_symptoms(**{name: values[name] for name in SLIDERS})
    return criteria.assess(painful, symptoms)


def assert_shows(calculator):
    """The readout and the body map show what the model says about the current controls."""
    result = expected(calculator)
    assert calculator.readout.value == readout_html(result)
    for line in criteria.describe_lines(result):
        assert html.escape(line) in calculator.readout.value
    assert ("2016: criteria met" in calculator.readout.value) is result.meets_2016
    assert ("2010: criteria met" in calculator.readout.value) is result.meets_2010
    colours = calculator.outputs["map"].data[1].marker.color
    for site, colour in zip(criteria.load_sites(), colours, strict=True):
        if site.name not in result.painful_sites:
            assert colour == NOT_PAINFUL
        else:
            assert colour == (PAINFUL_COUNTED if site.in_generalized_pain else PAINFUL_NOT_COUNTED)
    labels = calculator.outputs["map"].data[2].text
    assert sum("counts" in label for label in labels) == result.n_regions
    assert calculator.outputs["map_readout"].value == plain_readout_html(map_text(result))
    dot = calculator.outputs["plane"].data[-1]
    assert (list(dot.x), list(dot.y)) == ([result.wpi], [result.sss]), "score-plane dot is not at (WPI, SSS)"
    assert f"{result.symptoms.duration_months:g} months" in dot.text[0]
    assert dot.marker.symbol == ("circle" if result.meets_2016 else "circle-open")
    return result


def test_builds_with_every_site_and_the_default_patient(calculator):
    assert set(calculator.choices) == set(SITES)
    ticked = {name for name, box in calculator.choices.items() if box.value}
    assert ticked == set(PRESETS["typical"].painful_sites)
    result = assert_shows(calculator)
    assert (result.wpi, result.sss, result.n_regions, result.meets_2016, result.meets_2010) == (9, 7, 5, True, True)
    for name in ("jaw_left", "jaw_right", "chest", "abdomen"):
        assert calculator.choices[name].description.endswith("\u2020")
    assert not calculator.choices["neck"].description.endswith("\u2020")


def test_saved_sentence_gives_the_default_verdict(calculator):
    text = calculator.fallback_text
    assert "WPI 9 of 19, SSS 7 of 12" in text and "2016 criteria MET" in text


@pytest.mark.parametrize("name", SITES)
def test_every_checkbox_toggles_wpi_and_verdict(calculator, name):
    box = calculator.choices[name]
    before = assert_shows(calculator)
    box.value = not box.value
    after = assert_shows(calculator)
    assert after.wpi == before.wpi + (1 if box.value else -1)
    assert calculator.readout.value != readout_html(before)
    box.value = not box.value
    assert assert_shows(calculator) == before


def test_ticking_sites_one_by_one_from_none(calculator):
    """From no pain to all 19 sites: WPI climbs by one per tick and the verdicts follow the model."""
    calculator.slider_group.set_values({name: False for name in SITES})
    result = assert_shows(calculator)
    assert result.wpi == 0 and not result.meets_2016 and "WPI 0 is below 4" in calculator.readout.value
    verdicts = []
    for count, name in enumerate(SITES, start=1):
        calculator.choices[name].value = True
        result = assert_shows(calculator)
        assert result.wpi == count
        verdicts.append(result.meets_2016)
    # with SSS 7 the 2016 verdict turns on once (WPI reaches 7 with 4 regions) and never off again
    assert verdicts == sorted(verdicts) and verdicts[-1]


@pytest.mark.parametrize("name", SLIDERS)
def test_every_slider_position_updates_the_verdict(calculator, name):
    def check():
        result = assert_shows(calculator)
        if name == "duration_months":
            assert result.duration_ok is (calculator.sliders[name].value >= 3)

    sweep(calculator, name, check, at_least=2, cast=int)


def test_symptom_sliders_move_sss_across_its_thresholds(calculator):
    """From SSS 0 to 12 with WPI 5 in 5 regions: 2016 is met exactly from SSS 9 (WPI 4-6 band)."""
    painful = criteria.load_presets()["fewer_sites_severe"].painful_sites
    calculator.slider_group.set_values({**{n: n in painful for n in SITES},
                                        **{n: 0 for n in SLIDERS if n != "duration_months"}})
    order = ["fatigue"] * 3 + ["waking_unrefreshed"] * 3 + ["cognitive_symptoms"] * 3 + \
            ["headaches", "lower_abdominal_pain", "depression"]
    for sss, name in enumerate(order, start=1):
        calculator.sliders[name].value += 1
        result = assert_shows(calculator)
        assert result.sss == sss and result.wpi == 5
        assert result.meets_2016 is (sss >= 9)


@pytest.mark.parametrize("preset_name", list(PRESETS))
def test_presets_tick_their_sites_and_set_their_symptoms(calculator, preset_name):
    """(Reset back to the typical patient: tests/test_explorable_contract.py.)"""
    preset = PRESETS[preset_name]
    calculator.preset_buttons[preset_name].click()
    values = calculator.slider_group.values()
    assert {name for name in SITES if values[name]} == set(preset.painful_sites)
    assert {name: values[name] for name in SLIDERS} == {name: getattr(preset.symptoms, name) for name in SLIDERS}
    assert_shows(calculator)


def test_map_readout_names_counted_regions_and_wpi_only_sites(calculator):
    calculator.preset_buttons["jaw_chest_abdomen"].click()
    assert "Body map: 8 painful sites; regions with counted pain: left lower, right lower, axial (3 of 5; 4 needed); " \
           "painful but adding to the WPI only: left jaw, chest, abdomen, right jaw." \
        in calculator.outputs["map_readout"].value
    calculator.slider_group.set_values({name: False for name in SITES})
    assert "no region has counted pain" in calculator.outputs["map_readout"].value


def test_compare_presets_table_matches_model():
    table = compare_presets().data
    for preset in PRESETS.values():
        result = criteria.assess(preset.painful_sites, preset.symptoms)
        row = [line for line in table.splitlines() if line.startswith(f"| {preset.label} |")]
        assert len(row) == 1
        assert f"| {result.wpi} | {result.sss} | {result.n_regions} of 5 |" in row[0]
        assert row[0].endswith(f"| {'met' if result.meets_2016 else 'not met'} | "
                               f"{'met' if result.meets_2010 else 'not met'} |")


@pytest.mark.parametrize("name", SLIDERS)
def test_frames_of_every_slider_equal_the_render_at_each_position(calculator, name):
    """The frames sent ahead for a slider's drag show exactly what the kernel renders at those positions,
    also with a patient other than the default (a preset, a site unticked)."""
    calculator.preset_buttons["jaw_chest_abdomen"].click()
    calculator.choices["neck"].value = False
    live, control = calculator.slider_group, calculator.sliders[name]
    values = live.values()
    assert set(live.outputs) == {"plane", "readout", "map", "map_readout"}
    positions = assert_frames_equal_render(live, name, picks=(0, -1))
    outputs = live.outputs
    # the dot in the middle frame of the plane sits where the model puts it
    middle = positions[len(positions) // 2]
    result = criteria.assess([n for n in SITES if values[n]],
                             criteria.make_symptoms(**{**{n: values[n] for n in SLIDERS}, name: int(middle)}))
    dot = outputs["plane"].frames[control.channel]["states"][len(positions) // 2]["data"][-1]
    assert (list(dot["x"]), list(dot["y"])) == ([result.wpi], [result.sss])
    assert dot["marker"]["symbol"] == ("circle" if result.meets_2016 else "circle-open")
