"""Notebook 00's set-up check: a neutral quantity (a position on a line), never a treatment effect."""
from __future__ import annotations

from helpers.explorables import setup_check


def test_setup_check_moves_its_dot_at_every_position():
    check = setup_check()
    slider = check.controls["position"]
    assert (slider.min, slider.max) == (0, 10)
    for position in range(slider.min, slider.max + 1):
        slider.value = position
        assert list(check.figures[0].data[1].x) == [position]
        assert list(check.figures[0].data[1].y) == [position]
        assert f"stands at {position} of 10" in check.readout.value
    fallback = check._repr_mimebundle_()["text/plain"]
    assert "VBox" not in fallback and "move the slider to 7" in fallback


def test_setup_check_says_nothing_about_treatment():
    check = setup_check()
    words = (check.readout.value + check._repr_mimebundle_()["text/plain"]).lower()
    for word in ("pain", "relief", "toxin", "%", "dose", "injection"):
        assert word not in words
