"""The course as a learner sees it in JupyterLab: real Chromium, every notebook, Run All.

Fails on any cell error, any "Error displaying widget" or blank widget area, any explorable without a
rendered plot with data; then moves every slider with the keyboard and requires that a plotly figure
re-renders and the explorable's readout changes. Every request the page makes must stay on
localhost, and no uncaught error may be raised in the page. Screenshots go to test-artifacts/.
"""
from __future__ import annotations

import pytest

import harness
from checks import NOTEBOOK_NAMES, check_whole_notebook


@pytest.mark.parametrize("name", NOTEBOOK_NAMES)
def test_notebook_in_jupyterlab(page, lab, name):
    base, token = lab
    harness.open_lab_notebook(page, base, token, name)
    errors = page.evaluate(harness.LAB_CELL_ERRORS)
    assert not errors, f"{name}: cells raised errors: {errors}"
    check_whole_notebook(page, name, "lab")


def test_missing_browser_fails_with_instructions(monkeypatch):
    monkeypatch.setenv("CHROMIUM_PATH", "/nonexistent/chromium")
    with pytest.raises(RuntimeError, match="apt-get install chromium"):
        harness.find_chromium()
