"""The course as a learner sees it in JupyterLab: real Chromium, every notebook, Run All.

Fails on any cell error, any "Error displaying widget" or blank widget area, any explorable without a
rendered plot with data; then moves every slider with the keyboard and requires that a plotly figure
re-renders and the explorable's readout changes. Every request the page makes must stay on
localhost. Screenshots go to test-artifacts/.
"""
from __future__ import annotations

import pytest

import harness
from checks import NOTEBOOK_NAMES, assert_offline, check_rendered, move_every_slider


@pytest.mark.parametrize("name", NOTEBOOK_NAMES)
def test_notebook_in_jupyterlab(page, lab, name):
    base, token = lab
    harness.open_lab_notebook(page, base, token, name)
    errors = page.evaluate(harness.LAB_CELL_ERRORS)
    assert not errors, f"{name}: cells raised errors: {errors}"
    explorables = check_rendered(page, name)
    if explorables:
        harness.bring_into_view(page, 0)  # the artifact shows the first explorable, not the title
    page.screenshot(path=str(harness.ARTIFACTS / f"lab-{name.removesuffix('.ipynb')}.png"))
    move_every_slider(page, name, explorables)
    assert_offline(page, name)


def test_missing_browser_fails_with_instructions(monkeypatch):
    monkeypatch.setenv("CHROMIUM_PATH", "/nonexistent/chromium")
    with pytest.raises(RuntimeError, match="apt-get install chromium"):
        harness.find_chromium()
