"""The course figure widget and its wiring: the synced state is the whole figure; frames equal the model.

What the browser draws is checked by the browser suite; here: the state that reaches it, its wire format,
and that the frames computed ahead for a slider equal what the kernel renders at each of its values.
"""
from __future__ import annotations

import math
import threading
import time

import ipywidgets as widgets
import numpy as np
import plotly.graph_objects as go
import pytest

from helpers import controls
from helpers.figures.theme import figure_base, merged, restyled, state_of
from helpers.widgets import Figure, IntegerSlider, Readout, Slider
from helpers.widgets.figure import _ascii_javascript, plotly_library
from helpers.widgets.state import state_key, to_wire


def test_merged_changes_neither_input_and_patches_list_positions():
    base = {"a": {"b": 1, "c": [1, {"d": 2}]}, "e": 3}
    patch = {"a": {"c": {1: {"d": 5}}}, "f": 6}
    out = merged(base, patch)
    assert out == {"a": {"b": 1, "c": [1, {"d": 5}]}, "e": 3, "f": 6}
    assert base == {"a": {"b": 1, "c": [1, {"d": 2}]}, "e": 3} and patch == {"a": {"c": {1: {"d": 5}}}, "f": 6}


def test_restyled_replaces_only_named_traces_and_keeps_the_base_intact():
    figure = figure_base("t", "x (days)", "y (points)")
    figure.add_scatter(x=[0, 1], y=[1, 2], name="one")
    figure.add_scatter(x=[0, 1], y=[3, 4], name="two")
    base = state_of(figure)
    new = restyled(base, {1: {"y": np.array([7.0, 8.0])}}, layout={"title": {"text": "u"}})
    assert list(new["data"][1]["y"]) == [7.0, 8.0] and new["data"][0] is base["data"][0]
    assert list(base["data"][1]["y"]) == [3, 4] and base["layout"]["title"]["text"] == "t"
    assert new["layout"]["title"]["text"] == "u" and new["layout"]["xaxis"] == base["layout"]["xaxis"]
    assert "template" not in base["layout"], "plotly.py's template would travel with every state"
    go.Figure(new)  # plotly validates the state


def test_wire_format_sends_numeric_arrays_as_binary_buffers_and_keeps_nan():
    wire = to_wire({"data": [{"y": np.array([1.0, np.nan, 3.0]), "x": np.arange(3), "text": np.array(["a", "b", "c"])}],
                    "layout": {"height": np.int64(300), "width": float("nan")}})
    y = wire["data"][0]["y"]
    assert y["dtype"] == "float64" and y["shape"] == [3] and isinstance(y["buffer"], memoryview)
    decoded = np.frombuffer(y["buffer"], dtype=np.float64)
    assert decoded[0] == 1.0 and math.isnan(decoded[1]) and decoded[2] == 3.0
    assert np.frombuffer(wire["data"][0]["x"]["buffer"], dtype=np.float64).tolist() == [0.0, 1.0, 2.0]
    assert wire["data"][0]["text"] == ["a", "b", "c"]
    assert wire["layout"] == {"height": 300, "width": None}, "JSON has no NaN: a scalar NaN must travel as null"


def test_state_key_is_the_same_for_equal_values_of_any_numeric_type():
    assert state_key({"a": 12, "b": "x"}) == state_key({"b": "x", "a": np.int64(12)}) \
        == state_key({"a": 12.0, "b": "x"})
    assert state_key({"a": 12}) != state_key({"a": 13})


def test_figure_reads_its_state_back_as_validated_plotly_objects_and_shares_one_library():
    figure = figure_base("Title states the message", "x (days)", "y (points)")
    figure.add_scatter(x=[0, 1, 2], y=[1, 2, 3], name="line")
    widget = Figure(state_of(figure))
    # its text alternative
    assert widget.description == "Title states the message. Chart of y (points) against x (days)."
    assert list(widget.data[0].y) == [1, 2, 3] and widget.layout.title.text == "Title states the message"
    widget.figure = restyled(widget.figure, {0: {"y": [3, 2, 1]}})
    assert list(widget.data[0].y) == [3, 2, 1], "reading back must follow the new state"
    assert Figure(state_of(figure)).library is widget.library is plotly_library()
    assert "plotly.js" in widget.library.source[:200], "the page gets plotly.js from the plotly package"
    with pytest.raises(ValueError):
        Figure({"data": [{"type": "scatter", "not_a_property": 1}], "layout": {}}).plotly()


def test_slider_positions_cover_the_range_and_values_stay_inside():
    decimal = Slider(value=0.3, min=0.1, max=0.9, step=0.1, decimals=1, unit="mg")
    assert decimal.positions().tolist() == pytest.approx([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9])
    whole = IntegerSlider(value=10, min=2, max=28, step=2, unit="days")
    assert whole.positions().tolist() == list(range(2, 29, 2))
    whole.value = 99
    assert whole.value == 28
    decimal.value = -5
    assert decimal.value == pytest.approx(0.1)


def _two_slider_live():
    sliders = {"a": IntegerSlider(value=3, min=0, max=10, step=1, unit="days"),
               "b": Slider(value=0.5, min=0.0, max=1.0, step=0.25, decimals=2, unit="")}
    base = figure_base("t", "x", "y")
    base.add_scatter(x=[0, 1], y=[0, 0])
    base = state_of(base)

    def render(values):
        y = np.array([values["a"], values["a"] * values["b"]], dtype=float)
        return {"figure": restyled(base, {0: {"y": y}}),
                "readout": controls.readout_html(f"a={values['a']} b={values['b']}")}

    figure, readout = Figure(render({"a": 3, "b": 0.5})["figure"]), Readout()
    return sliders, render, controls.Live(sliders, render, {"figure": figure, "readout": readout}), figure, readout


def test_live_sets_whole_state_with_its_key_and_frames_equal_the_render_at_each_value():
    sliders, render, live, figure, readout = _two_slider_live()
    assert figure.figure["key"] == state_key(live.values()) and readout.value == "<div>a=3 b=0.5</div>"
    sliders["a"].value = 7
    assert list(figure.figure["data"][0]["y"]) == [7.0, 3.5] and figure.figure["key"] == state_key({"a": 7, "b": 0.5})
    live.send_frames("a")
    frames = figure.frames[sliders["a"].channel]
    assert list(frames["values"]) == list(range(11)) and sliders["a"].framed
    for value, state in zip(frames["values"], frames["states"], strict=True):
        expected = render({"a": int(value), "b": 0.5})
        assert list(state["data"][0]["y"]) == list(expected["figure"]["data"][0]["y"])
        assert state["key"] == state_key({"a": value, "b": 0.5})
    assert readout.frames[sliders["a"].channel]["states"][4] == "<div>a=4 b=0.5</div>"


def test_frames_survive_a_move_of_their_own_slider_and_are_dropped_when_another_control_changes():
    sliders, _render, live, figure, readout = _two_slider_live()
    live.send_frames("a")
    sliders["a"].value = 9
    assert sliders["a"].channel in figure.frames and sliders["a"].framed
    sliders["b"].value = 1.0
    assert figure.frames == {} and readout.frames == {} and not sliders["a"].framed, \
        "frames computed for b=0.5 would show a wrong figure once b moved"
    live.send_frames("a")
    live.send_frames("b")
    assert set(figure.frames) == {sliders["a"].channel, sliders["b"].channel}
    live.set_values({"a": 2, "b": 0.25})
    assert figure.frames == {} and figure.figure["key"] == state_key({"a": 2, "b": 0.25})


def test_a_frames_request_from_the_browser_computes_the_frames():
    sliders, _render, _live, figure, _readout = _two_slider_live()
    sliders["b"]._message(sliders["b"], {"want": "frames"}, [])
    assert list(figure.frames[sliders["b"].channel]["values"]) == [0.0, 0.25, 0.5, 0.75, 1.0]


def test_actions_on_two_threads_leave_every_output_at_one_render_of_the_final_values():
    """JupyterLab 4.6 with ipykernel 7 can hand a learner's Reset to the kernel's main thread and the tick that follows
    it to a subshell's thread. The tick lands while Reset renders: every output must end at the render of the final
    values, not some at Reset's render and some at the tick's (the notebook-01 race of the browser suite)."""
    ticks = {name: widgets.Checkbox(value=False) for name in ("left", "right")}
    rendering_reset = threading.Event()

    def render(values):
        if threading.current_thread().name == "reset":
            rendering_reset.set()
            time.sleep(0.3)  # a slow render: the other thread's tick arrives meanwhile
        text = controls.readout_html(f"left={values['left']} right={values['right']}")
        return {"first": text, "second": text}

    first, second = Readout(), Readout()
    live = controls.Live(ticks, render, {"first": first, "second": second})
    reset = threading.Thread(target=live.set_values, args=({"left": True, "right": False},), name="reset")
    reset.start()
    assert rendering_reset.wait(5)
    tick = threading.Thread(target=setattr, args=(ticks["right"], "value", True), name="tick")
    tick.start()
    for thread in (tick, reset):
        thread.join(5)
    final = live.values()
    assert final == {"left": True, "right": True}
    for output in (first, second):
        assert (output.value, output.key) == (render(final)["first"], state_key(final)), \
            "an output kept the render of values the controls no longer hold"


def _one_moving_one_still_output():
    """A slider that changes one figure and leaves another figure and the readout as they are."""
    slider = IntegerSlider(value=2, min=0, max=4, step=1, unit="days")
    base = figure_base("t", "x", "y")
    base.add_scatter(x=[0, 1], y=[0, 0])
    base = state_of(base)

    def render(values):
        return {"moves": restyled(base, {0: {"y": np.array([0.0, values["a"]])}}), "still": base,
                "readout": controls.readout_html("always the same")}

    moves, still, readout = Figure(base), Figure(base), Readout()
    live = controls.Live({"a": slider}, render, {"moves": moves, "still": still, "readout": readout})
    return slider, live, moves, still, readout


def test_an_output_the_slider_does_not_change_gets_no_frames_and_keeps_its_state():
    slider, live, moves, still, readout = _one_moving_one_still_output()
    live.send_frames("a")
    assert slider.channel in moves.frames
    assert still.frames == {} and readout.frames == {}, "identical frames would only redraw the same figure"


def test_an_output_a_change_leaves_as_it_was_keeps_its_state_and_key():
    """A key press on a slider that does not change a figure must not redraw that figure when the kernel answers."""
    slider, _live, moves, still, readout = _one_moving_one_still_output()
    first = state_key({"a": 2})
    assert still.figure["key"] == first and readout.key == first, "the first render gives every output its key"
    slider.value = 3
    assert moves.figure["key"] == state_key({"a": 3}) and list(moves.figure["data"][0]["y"]) == [0.0, 3.0]
    assert still.figure["key"] == first and readout.key == first, "an unchanged output was set again"


def test_plotly_source_is_sent_as_ascii_with_the_same_characters_escaped():
    from plotly.offline import get_plotlyjs
    original, sent = get_plotlyjs(), plotly_library().source
    assert sent.isascii()  # 1 byte a character in the kernel, not 2
    non_ascii = sum(not character.isascii() for character in original)
    assert non_ascii > 0 and len(sent) == len(original) + 5 * non_ascii  # every one became a 6-character escape
    assert _ascii_javascript("a\u00b5 \u95f0\U0001F600") == "a\\u00b5 \\u95f0\\ud83d\\ude00"  # astral: surrogate pair


def test_a_second_frames_request_for_a_framed_slider_tells_the_page_again_and_computes_nothing(monkeypatch):
    """The page asks only while it shows the slider unframed; if the kernel holds its frames already, the page's
    view is stale and gets the kernel's ``framed`` again (the frames are not rendered a second time)."""
    sliders, _render, live, figure, _readout = _two_slider_live()
    live.send_frames("a")
    frames_before = figure.frames[sliders["a"].channel]
    sent = []
    monkeypatch.setattr(sliders["a"], "send_state", lambda key=None: sent.append(key))
    sliders["a"]._message(sliders["a"], {"want": "frames"}, [])
    assert sent == ["framed"] and sliders["a"].framed
    assert figure.frames[sliders["a"].channel] is frames_before
