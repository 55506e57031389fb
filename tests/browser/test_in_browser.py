"""The course in a real Chromium, every notebook, as a learner opens it in JupyterLab and as the projector
shows it with `./course present` (Voila, the `course` template, code stripped).

Both: no cell error, no "Error displaying widget" or blank widget area, every explorable with a rendered plot
with data; every slider moved with the keyboard must re-render a plotly figure and change the explorable's
readout; every request the page makes must stay on localhost; no uncaught error may be raised in the page.
Voila in addition: no code is visible. Screenshots go to test-artifacts/{lab,voila}-*.png.

Lab and Voila tests share this file so that pytest-xdist (``--dist loadfile``) runs them one after the other
on one worker: two browsers, two servers and their kernels at once on a 2-core machine stalled a page for
seconds.
"""
from __future__ import annotations

import pytest

import harness
from checks import NOTEBOOK_NAMES, assert_no_code_visible, check_whole_notebook


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


@pytest.mark.parametrize("name", NOTEBOOK_NAMES)
def test_notebook_in_voila(page, voila, name):
    base, _token = voila
    harness.open_voila_notebook(page, base, name)
    errors = page.evaluate(harness.VOILA_CELL_ERRORS)
    assert not errors, f"{name}: cells raised errors: {errors}"
    assert_no_code_visible(page, name)
    check_whole_notebook(page, name, "voila")
