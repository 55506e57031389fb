"""One check, shared by the explorable tests: the frames ``controls.Live`` sends ahead for a slider's drag show
exactly what the kernel renders at those positions (states compared in their wire format, byte for byte)."""
from __future__ import annotations

import numpy as np

from helpers import controls
from helpers.widgets import Figure, IntegerSlider
from helpers.widgets.state import state_key, to_wire


def plain(value):
    """A state in its wire format with binary buffers as bytes: equal states give equal values."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, memoryview):
        return value.tobytes()
    return value


def same_state(a, b) -> bool:
    """Equal in the wire format, byte for byte (stricter than ``helpers.widgets.state.same_state``)."""
    return plain(to_wire(a)) == plain(to_wire(b))


def assert_frames_equal_render(live: controls.Live, name: str, picks=(0, 1, -1)) -> np.ndarray:
    """Send frames for slider ``name``; check every output's frame set (its values: the slider's positions, every
    k-th of a fine slider with both ends) and, at ``picks`` and the middle, each state against ``live.render``.
    Returns the framed positions."""
    control, values = live.controls[name], live.values()
    live.send_frames(name)
    every = control.positions()
    with_frames = [output for output in live.outputs.values() if control.channel in output.frames]
    assert with_frames, f"slider {name} changes none of the outputs"
    framed = np.asarray(with_frames[0].frames[control.channel]["values"])
    assert len(framed) == min(len(every), controls.MAX_FRAMES)
    assert set(np.round(framed, 6)) <= set(np.round(every.astype(float), 6))
    assert framed[0] == every[0] and framed[-1] == every[-1]
    for output in with_frames:
        frames = output.frames[control.channel]
        assert list(frames["values"]) == list(framed) and len(frames["states"]) == len(framed)
    cast = int if isinstance(control, IntegerSlider) else float
    for index in sorted({i % len(framed) for i in (*picks, len(framed) // 2)}):
        setting = {**values, name: cast(framed[index])}
        expected = live.render(setting)
        for output_name, output in live.outputs.items():
            where = f"{name}={framed[index]} {output_name}"
            if control.channel not in output.frames:  # sent no frames: the slider must not change this output
                current = live.render(values)[output_name]
                assert same_state(expected[output_name], current), f"{where}: changes but got no frames"
                continue
            state = output.frames[control.channel]["states"][index]
            if isinstance(output, Figure):
                assert state["key"] == state_key(setting), where
                state = {key: item for key, item in state.items() if key != "key"}
                assert same_state(state, expected[output_name]), where
            else:
                assert state == expected[output_name], where
    return framed
