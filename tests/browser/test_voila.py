"""The course as the projector shows it: `./course present` (Voila, the `course` template, code stripped) in a
real Chromium, every notebook.

The same checks as the JupyterLab test (no cell error, no "Error displaying widget" or blank widget area,
every explorable with a rendered plot with data, every slider moved with the keyboard re-renders a plotly
figure and changes the readout, no request leaves localhost), and in addition: no code is visible and no
uncaught error is raised in the page. Screenshots go to test-artifacts/voila-*.png.
"""
from __future__ import annotations

import pytest

import harness
from checks import NOTEBOOK_NAMES, assert_no_code_visible, check_whole_notebook


@pytest.mark.parametrize("name", NOTEBOOK_NAMES)
def test_notebook_in_voila(page, voila, name):
    base, _token = voila
    harness.open_voila_notebook(page, base, name)
    errors = page.evaluate(harness.VOILA_CELL_ERRORS)
    assert not errors, f"{name}: cells raised errors: {errors}"
    assert_no_code_visible(page, name)
    check_whole_notebook(page, name, "voila")
