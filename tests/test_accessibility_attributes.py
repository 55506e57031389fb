"""Issue 13 in the kernel: what the page's accessibility attributes are made from (the browser side is tested in
tests/browser/test_accessibility.py).

Every figure of every explorable has a text alternative that states its message (its title) and what it plots,
in plain words, and is linked to the readouts that describe it; slider value texts carry the unit in words;
preset and choice buttons carry their pressed state; figure text has at least 4.5:1 contrast; and no two series
of a figure differ by colour alone.
"""
from __future__ import annotations

import itertools
import re

import numpy as np
import pytest

import helpers.explorables as explorables
from helpers import controls
from helpers.widgets import Figure, Readout
from helpers.widgets.figure import describe_state, plain_text
from helpers.widgets.slider import IntegerSlider, spoken_unit

NAMES = [name for name in explorables._MODULES if name not in ("compare_presets", "compare_patients")]


@pytest.fixture(scope="module")
def built():
    return {name: getattr(explorables, name)() for name in NAMES}


def test_plain_text_and_descriptions_state_title_and_axes():
    assert plain_text("Two lines<br>(<span style='color:#555'>A &amp; B</span>)") == "Two lines (A & B)"
    state = {"layout": {"title": {"text": "Relief<br>rises"}, "xaxis": {"title": {"text": "days"}},
                        "yaxis": {"title": {"text": "relief (%)"}}, "yaxis2": {"title": {"text": "pain (0-10)"}}}}
    assert describe_state(state) == "Relief rises. Chart of relief (%) and pain (0-10) against days."
    assert describe_state({"layout": {"title": {"text": "A schematic"}}}) == "A schematic. Diagram."


def test_every_figure_has_a_meaningful_text_alternative_linked_to_its_readouts(built):
    for name, box in built.items():
        live = box.slider_group
        readout_ids = {o.element_id for o in live.outputs.values() if isinstance(o, Readout)}
        descriptions = []
        for figure in (o for o in live.outputs.values() if isinstance(o, Figure)):
            text = figure.description
            title = plain_text(figure.figure["layout"].get("title", {}).get("text", ""))
            assert title and text.startswith(title.rstrip(".")), f"{name}/{figure.output_name}: {text!r}"
            assert "<" not in text and len(text.split()) >= 6, f"{name}/{figure.output_name}: {text!r}"
            assert text.endswith(("Diagram.",)) or " of " in text, f"{name}/{figure.output_name}: no axes: {text!r}"
            linked = set(figure.described_by.split())
            assert linked and linked <= readout_ids, f"{name}/{figure.output_name} is not described by its readouts"
            descriptions.append(text)
        assert len(set(descriptions)) == len(descriptions), f"{name}: two figures share a description"


def test_a_figure_with_its_own_readout_is_described_by_that_one(built):
    live = built["criteria_calculator"].slider_group
    assert live.outputs["map"].described_by == live.outputs["map_readout"].element_id
    assert live.outputs["plane"].described_by == live.outputs["readout"].element_id


def test_the_description_follows_a_title_that_changes_with_the_state(built):
    box = built["junction_steps"]
    figure, step = box.figures[0], box.controls["step"]
    first = figure.description
    step.value = step.value + 1
    assert figure.description != first and figure.description.startswith("2.")
    step.value = 1
    assert figure.description == first
    fixed = Figure(figure.figure, description="Given by hand")
    fixed.figure = dict(figure.figure)
    assert fixed.description == "Given by hand"


def test_slider_value_texts_carry_the_unit_in_words(built):
    assert spoken_unit("U") == "units" and spoken_unit("days") == "days" and spoken_unit("count") == ""
    assert IntegerSlider(value=1, min=0, max=3, step=1, unit="score").unit_text == "out of 3"
    for name, box in built.items():
        for control_name, control in box.slider_group.controls.items():
            if hasattr(control, "unit_text") and control.unit not in ("", "count", "ratio", "fraction"):
                assert control.unit_text, f"{name}: slider {control_name} ({control.unit}) has no spoken unit"
                assert control.unit in control.description or control.unit_text in control.description \
                    or control.unit == "score", f"{name}: slider {control_name}'s name lacks its unit"


def test_preset_buttons_show_which_preset_the_controls_hold(built):
    box = explorables.onset_and_duration()
    bar = next(row for row in box._button_rows.values() if isinstance(row, controls.PresetBar))
    group = next(name for name, row in box._button_rows.items() if row is bar)
    names = list(bar.buttons)
    bar.buttons[names[1]].click()
    assert box.aria.groups[group]["pressed"] == [n == names[1] for n in names] + [None]
    slider = next(iter(box.slider_group.controls.values()))
    original = slider.value
    slider.value = slider.max if original != slider.max else slider.min
    assert box.aria.groups[group]["pressed"] == [False] * len(names) + [None], "a moved control clears the preset"
    slider.value = original
    assert box.aria.groups[group]["pressed"][1] is True, "back at the preset's values: pressed again"
    bar.reset.click()
    assert not any(box.aria.groups[group]["pressed"][:-1])
    assert box.aria.groups[group]["label"] == "Patients"


def test_choice_and_view_buttons_show_the_chosen_one(built):
    box = explorables.treatment_sequencing()
    rows = {row.description: (name, row) for name, row in box._button_rows.items()}
    name, views = rows["Show"]
    views.index = 2
    assert box.aria.groups[name] == {"label": "Show", "pressed": [False, False, True, False]}
    assert name in views._dom_classes, "the page finds the row by this class"


# ------------------------------------------------------------------------------------------------ colour
def _luminance(colour: str) -> float:
    named = {"black": "#000000", "white": "#ffffff"}
    colour = named.get(colour, colour)
    if len(colour) == 4:  # #rgb
        colour = "#" + "".join(c * 2 for c in colour[1:])
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_formula():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def _texts(state):
    """(text colour, background colour, where) of every text a figure state sets a colour for."""
    layout, background = state["layout"], state["layout"].get("plot_bgcolor", "#ffffff")
    yield layout.get("font", {}).get("color", "#444444"), layout.get("paper_bgcolor", "#ffffff"), "layout font"
    for index, note in enumerate(layout.get("annotations") or []):
        yield (note.get("font") or {}).get("color", "#444444"), note.get("bgcolor", background), f"annotation {index}"
        for colour in re.findall(r"color:\s*(#[0-9a-fA-F]{6})", str(note.get("text", ""))):
            yield colour, background, f"annotation {index} span"
    for colour in re.findall(r"color:\s*(#[0-9a-fA-F]{6})", str((layout.get("title") or {}).get("text", ""))):
        yield colour, layout.get("paper_bgcolor", "#ffffff"), "title span"
    for trace in state["data"]:
        colour = (trace.get("textfont") or {}).get("color")
        if colour and "text" in trace:
            inside = trace.get("type") == "bar" and trace.get("textposition") == "inside"
            fills = (trace.get("marker") or {}).get("color") if inside else background
            for fill in ([fills] if isinstance(fills, str) else list(fills)):
                yield colour, fill, f"trace {trace.get('name')} text"


def test_figure_text_has_at_least_4_5_to_1_contrast(built):
    for name, box in built.items():
        for figure in box.figures:
            for colour, background, where in _texts(figure.figure):
                known = isinstance(colour, str) and colour.startswith(("#", "black"))
                if known and background.startswith(("#", "white")):
                    assert contrast(colour, background) >= 4.5, (
                        f"{name}/{figure.output_name} {where}: {colour} on {background} is "
                        f"{contrast(colour, background):.2f}:1")


def _colour(trace) -> str:
    line, marker = trace.get("line") or {}, trace.get("marker") or {}
    colour = line.get("color") or marker.get("color") or trace.get("fillcolor")
    return colour if isinstance(colour, str) else "per point"


def _style(trace) -> tuple:
    line, marker = trace.get("line") or {}, trace.get("marker") or {}
    symbol = marker.get("symbol")
    return (trace.get("type", "scatter"), trace.get("mode"), line.get("dash"), line.get("width"),
            symbol if isinstance(symbol, (str, type(None))) else "per point",
            str((marker.get("pattern") or {}).get("shape")), str((trace.get("fillpattern") or {}).get("shape")),
            trace.get("fill"))


def test_no_two_series_in_a_legend_differ_by_colour_alone(built):
    for name, box in built.items():
        for figure in box.figures:
            shown = [t for t in figure.figure["data"]
                     if t.get("showlegend", True) is not False and t.get("name")
                     and figure.figure["layout"].get("showlegend", True)]
            for a, b in itertools.combinations(shown, 2):
                subplot = lambda t: (t.get("xaxis", "x"), t.get("yaxis", "y"))  # noqa: E731
                if subplot(a) == subplot(b) and _colour(a) != _colour(b):
                    assert _style(a) != _style(b), (f"{name}/{figure.output_name}: '{a['name']}' and '{b['name']}' "
                                                    f"differ only by colour: {_style(a)}")


def test_icon_arrays_give_each_category_a_shape():
    from helpers.figures import risk as risk_figures
    state = risk_figures.icon_state(np.array([0, 1, 2] * 33 + [0]), np.array([0, 1, 2] * 33 + [2]), "neck pain")
    symbols = np.asarray(state["data"][0]["marker"]["symbol"])
    colours = np.asarray(state["data"][0]["marker"]["color"])
    for code in range(6):
        assert len(set(symbols[colours == code])) <= 1
    assert len({tuple(symbols[colours == code][:1]) for code in (0, 1, 2)}) == 3
