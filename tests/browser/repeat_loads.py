"""Repeat-load stress check: load notebooks many times over (Run All from the top, then scroll through) and
check after every load that each figure equals the model, those drawn at once and those JupyterLab creates
only when scrolled to (its default windowing renders cells near the view only). A figure kept in step by a
stream of edits drew differently on different loads; a figure whose state is the whole figure must not.

Used by ``tools/stress.py`` (``./course stress``: 10 loads of every notebook) and, lightly, by the browser suite.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

import harness
from model_check import CHANGED, explorable_problems, snapshot_text

SCROLL_NOTEBOOK = """(fraction) => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer')
    || document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook');
  panel.scrollTop = fraction * (panel.scrollHeight - panel.clientHeight);
  return panel.scrollHeight;
}"""



@dataclass
class LoadResult:
    notebook: str
    load: int
    checked: set = field(default_factory=set)
    problems: list = field(default_factory=list)
    stalls: int = 0


def check_drawn(page, result: LoadResult, timeout_ms: int = 15_000) -> None:
    """Every explorable now in the page: once drawn, it must equal the model (while some are drawing or differ,
    wait for the page to change and look again, until ``timeout_ms``)."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        text = snapshot_text(page)
        pending, problems = [], []
        for box in json.loads(text):
            found = explorable_problems(box)
            if any("has not drawn yet" in problem for problem in found):
                pending.append(box["name"])
            elif found:
                problems.extend(found)
            else:
                result.checked.add(box["name"])
        remaining_ms = int((deadline - time.monotonic()) * 1000)
        if not pending and not problems or remaining_ms <= 0:
            result.problems.extend(problems + [f"{name}: never drew" for name in pending])
            return
        try:
            page.wait_for_function(CHANGED, arg=text, timeout=remaining_ms, polling=50)
        except harness.PlaywrightTimeout:
            deadline = time.monotonic()  # nothing changed until the deadline: one last look, then report


def load_and_check(page, base: str, token: str, name: str, load: int, steps: int = 12) -> LoadResult:
    """One load: open the notebook, Run All, check what is drawn; scroll down in steps, checking each time."""
    result = LoadResult(name, load)
    harness.open_lab_notebook(page, base, token, name, wait_for_drawing=False)
    check_drawn(page, result)
    for step in range(steps + 1):
        page.evaluate(SCROLL_NOTEBOOK, step / steps)
        page.evaluate(harness.TWO_FRAMES)  # the scroll is handled and the cells now in view are laid out
        check_drawn(page, result)
    expected = harness.explorable_calls(harness.ROOT / "notebooks" / name)
    if len(result.checked) < expected:
        result.problems.append(f"only {len(result.checked)} of {expected} explorables were seen drawn")
    return result


def stress(page, base: str, token: str, names: list[str], loads: int, report=print,
           load_stalled_again: bool = True) -> list[LoadResult]:
    """Every load of every notebook. A load whose page stalls before drawing (Run All never finishing, an open
    problem: see the issue notes) is counted in ``stalls``, reported and loaded once more so the figures still get
    checked (``./course stress``, which prints the count); with ``load_stalled_again=False`` (the test suite) it
    fails."""
    results = []
    for name in names:
        for load in range(1, loads + 1):
            try:
                result = load_and_check(page, base, token, name, load)
            except (harness.PlaywrightTimeout, AssertionError):
                if not load_stalled_again:
                    raise
                report(f"{name} load {load}/{loads}: the page stalled before drawing; loading it again")
                result = load_and_check(page, base, token, name, load)
                result.stalls += 1
            results.append(result)
            report(f"{name} load {load}/{loads}: {len(result.checked)} explorables equal to the model"
                   + (f"; {len(result.problems)} problems, first: {result.problems[0]}" if result.problems else ""))
    return results


def windowed_course(target):
    """A course copy whose JupyterLab keeps its default windowing (cells off screen are created when scrolled to)."""
    work = harness.copy_course(target)
    (work / "lab-settings" / "@jupyterlab/notebook-extension/tracker.jupyterlab-settings").unlink()
    return work
