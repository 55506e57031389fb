"""The course in a real Chromium, every notebook, as a learner opens it in JupyterLab and as the projector
shows it with `./course present` (Voila, the `course` template, code stripped).

Both: no cell error and no widget error; every figure, as first drawn and after every mouse drag (fast, three
sweeps), key press, choice and button, equals what the model computes for the values its controls stand at
(trace count, names, data; readout sentences); no request leaves localhost; no uncaught error in the page.
JupyterLab in addition (03, 05): after saving and reloading the page, every figure shows the current state.
Voila in addition: no code is visible. Screenshots go to test-artifacts/{lab,voila}-*.png.

Lab and Voila tests share this file so that pytest-xdist (``--dist loadfile``) runs them one after the other
on one worker: two browsers and servers at once on 2 cores slow both down.
"""
from __future__ import annotations

import harness
import pytest
from checks import NOTEBOOK_NAMES, assert_no_code_visible, check_whole_notebook
from model_check import snapshot, wait_until_page_equals_model

RELOADED = ("03_onset_and_duration.ipynb", "05_risk_tradeoffs.ipynb")


@pytest.mark.parametrize("name", NOTEBOOK_NAMES)
def test_notebook_in_jupyterlab(page, lab, name):
    base, token = lab
    harness.open_lab_notebook(page, base, token, name)
    errors = page.evaluate(harness.LAB_CELL_ERRORS)
    assert not errors, f"{name}: cells raised errors: {errors}"
    check_whole_notebook(page, name, "lab")
    if name in RELOADED:
        assert_reload_shows_the_current_state(page, name)


def assert_reload_shows_the_current_state(page, name):
    """After the controls were used: save, reload; every figure draws the kernel's current state, not the first
    one. (In the same page as the notebook's test: reopening a notebook for a second Run All sometimes stalls,
    an open problem noted on issue 10.)"""
    for index in range(len(snapshot(page))):
        sliders = harness.explorable(page, index).locator(harness.SLIDER).all()
        if sliders:
            harness.drag(page, sliders[0], end_fraction=0.8)
    assert not wait_until_page_equals_model(page)
    before = [[figure["key"] for figure in box["figures"]] for box in snapshot(page)]
    harness.save_and_reload_lab(page, name)
    problems = wait_until_page_equals_model(page)
    assert not problems, f"{name}: after a reload the page does not show the model: {problems[:4]}"
    after = [[figure["key"] for figure in box["figures"]] for box in snapshot(page)]
    assert after == before, f"{name}: after a reload the figures show other values than before it"


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


def test_repeated_loads_draw_the_model_every_time(page, tmp_path_factory):
    """The light version of ``./course stress``: notebooks 03 and 05, three loads each, default windowing."""
    from repeat_loads import stress, windowed_course

    work = windowed_course(tmp_path_factory.mktemp("stress"))
    with harness.server("lab", work, harness.ARTIFACTS / "jupyterlab-stress.log") as (base, token):
        results = stress(page, base, token, ["03_onset_and_duration.ipynb", "05_risk_tradeoffs.ipynb"], loads=3,
                         report=lambda line: None)
    problems = [f"{r.notebook} load {r.load}: {r.problems[:2]}" for r in results if r.problems]
    assert not problems, f"figures differed from the model on some loads: {problems}"
