"""Checks shared by the JupyterLab and the Voila tests of the browser suite: a learner's use of every
explorable (mouse drags, keys, choices, buttons), each followed by the check that every figure and readout in
the page equals the model for the values its controls stand at."""
from __future__ import annotations

import harness
import pytest
from axe_audit import assert_accessible
from model_check import page_problems, snapshot, wait_until_page_equals_model

NOTEBOOK_NAMES = [path.name for path in harness.NOTEBOOKS]
BUTTONS = ".widget-button"                     # presets, Reset, Back/Next
CHOICES = ".widget-toggle-buttons button"      # choice toggles and figure views
CHECKBOXES = ".widget-checkbox input[type=checkbox]"


def fail_with_screenshot(page, name: str, what: str, problems: list) -> None:
    shot = harness.ARTIFACTS / f"failed-{name.removesuffix('.ipynb')}.png"
    page.screenshot(path=str(shot))
    pytest.fail(f"{name}: {what}: the page does not show the model ({len(problems)} differences, first: "
                f"{problems[:4]}; screenshot {shot.name}; page errors {page.page_errors[:2]})", pytrace=False)


def assert_equals_model(page, name: str, what: str) -> None:
    problems = wait_until_page_equals_model(page)
    if problems:
        fail_with_screenshot(page, name, what, problems)


VISIBLE_SLIDERS = """box => [...box.querySelectorAll('.course-slider input[type=range]')]
    .filter(s => s.offsetParent !== null).map(s => s.dataset.control || '').join('|')"""


def wait_until_visible_sliders_settle(page, box, steady_ms: int = 600, limit_ms: int = 5_000) -> None:
    """A choice may show or hide sliders (the kernel sets their boxes' display): the page equals the model at once
    (figures do not change), so wait until the set of visible sliders has not changed for ``steady_ms``."""
    handle = box.element_handle()
    last, steady_since, waited = page.evaluate(VISIBLE_SLIDERS, handle), 0, 0
    while waited < limit_ms and waited - steady_since < steady_ms:
        page.wait_for_timeout(100)
        waited += 100
        now = page.evaluate(VISIBLE_SLIDERS, handle)
        if now != last:
            last, steady_since = now, waited


def exercise_explorable(page, name: str, index: int) -> int:
    """Drag every slider (also those a toggle reveals), press a key on it, choose every option, press every
    button; after each, the page must equal the model. Returns the number of sliders dragged."""
    box = harness.explorable(page, index)
    box.scroll_into_view_if_needed()
    label = snapshot(page)[index]["name"]
    dragged = set()

    def drag_visible_sliders():
        for slider in box.locator(harness.SLIDER).all():
            control = slider.get_attribute("data-control")
            if control in dragged or not slider.is_visible():
                continue
            harness.reach_slider(page, slider)
            harness.drag(page, slider)
            assert_equals_model(page, name, f"{label}: after dragging '{control}' back and forth")
            key = "ArrowLeft" if float(slider.input_value()) > float(slider.get_attribute("min")) else "ArrowRight"
            before = slider.input_value()
            harness.press(slider, key)
            try:
                page.wait_for_function("([s, v]) => s.value !== v", arg=[slider.element_handle(), before], timeout=5_000)
            except harness.PlaywrightTimeout:
                fail_with_screenshot(page, name, f"{label}: {key} on '{control}' did not move it (focus taken?)",
                                     [f"value stayed {before}"])
            assert_equals_model(page, name, f"{label}: after pressing {key} on '{control}'")
            dragged.add(control)

    drag_visible_sliders()
    for choice in box.locator(CHOICES).all():
        if choice.is_visible():
            choice.click()
            assert_equals_model(page, name, f"{label}: after choosing '{choice.inner_text()}'")
            wait_until_visible_sliders_settle(page, box)
            drag_visible_sliders()
    for checkbox in box.locator(CHECKBOXES).all()[:3]:
        checkbox.click()
        assert_equals_model(page, name, f"{label}: after ticking a checkbox")
    for select in box.locator("select").all():
        options = select.locator("option").all()
        if len(options) > 1:
            select.select_option(index=len(options) - 1)
            assert_equals_model(page, name, f"{label}: after choosing the last option of a drop-down")
    for button in box.locator(BUTTONS).all():
        if button.is_visible() and button.is_enabled():
            button.click()
            assert_equals_model(page, name, f"{label}: after pressing '{button.inner_text()}'")
    hidden = [s.get_attribute("data-control") for s in box.locator(harness.SLIDER).all()
              if s.get_attribute("data-control") not in dragged]
    assert not hidden, f"{name}: {label} has sliders that no toggle reveals: {hidden}"
    return len(dragged)


def assert_offline(page, name: str):
    leaving = sorted({url for url in page.requests if not harness.is_local(url)})
    assert not leaving, f"{name}: requests left localhost (CDN or download): {leaving[:5]}"


def assert_no_code_visible(page, name: str):
    """Presentation mode hides the code: no code cell input is rendered and no line of code shows on the page."""
    inputs = page.evaluate(harness.VOILA_CODE_INPUTS)
    assert not inputs, f"{name}: code cell inputs are rendered: {inputs[:3]}"
    text = page.evaluate("() => document.body.innerText")
    shown = [line for line in harness.code_lines(harness.ROOT / "notebooks" / name) if line in text]
    assert not shown, f"{name}: code is visible on the page: {shown[:3]}"


def check_whole_notebook(page, name: str, artifact_prefix: str) -> None:
    """What every browser test asks of an opened, fully run notebook: no widget error, every figure equal to the
    model as first drawn, then every control used as a learner would, nothing fetched from outside localhost,
    no uncaught error in the page."""
    assert page.evaluate(harness.WIDGET_ERRORS) == 0, f"{name}: a widget shows 'Error displaying widget'"
    boxes = snapshot(page)
    if boxes:
        harness.explorable(page, 0).scroll_into_view_if_needed()
    page.screenshot(path=str(harness.ARTIFACTS / f"{artifact_prefix}-{name.removesuffix('.ipynb')}.png"))
    assert_equals_model(page, name, "as first drawn after Run All")
    for index in range(len(boxes)):
        exercise_explorable(page, name, index)
    assert_offline(page, name)
    assert not page.page_errors, f"{name}: uncaught errors in the page: {page.page_errors[:3]}"
    assert_accessible(page, name, f"{artifact_prefix}-after-use")  # axe-core: no serious violation (issue 13)


__all__ = ["NOTEBOOK_NAMES", "check_whole_notebook", "assert_no_code_visible", "page_problems"]
