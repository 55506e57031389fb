"""Checks shared by the JupyterLab and the Voila tests of the browser suite: a learner's use of every
explorable (mouse drags, keys, choices, buttons), each followed by the check that every figure and readout in
the page equals the model for the values its controls stand at; accessibility audits before and after use; in
JupyterLab, the keyboard-only walk of every explorable."""
from __future__ import annotations

import harness
import pytest
from axe_audit import assert_accessible
from keyboard import assert_figures_and_readouts_are_described, assert_math_is_accessible, keyboard_walk
from model_check import fail_with_screenshot, page_problems, snapshot, wait_until_page_equals_model

NOTEBOOK_NAMES = [path.name for path in harness.NOTEBOOKS]
BUTTONS = ".widget-button"                     # presets, Reset, Back/Next
CHOICES = ".widget-toggle-buttons button"      # choice toggles and figure views
CHECKBOXES = ".widget-checkbox input[type=checkbox]"


def assert_equals_model(page, name: str, what: str) -> None:
    problems = wait_until_page_equals_model(page)
    if problems:
        fail_with_screenshot(page, name, what, problems)


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
                page.wait_for_function("([s, v]) => s.value !== v", arg=[slider.element_handle(), before],
                                       timeout=15_000)
            except harness.PlaywrightTimeout:
                fail_with_screenshot(page, name, f"{label}: {key} on '{control}' did not move it (focus taken?)",
                                     [f"value stayed {before}"])
            assert_equals_model(page, name, f"{label}: after pressing {key} on '{control}'")
            dragged.add(control)

    drag_visible_sliders()
    for choice in box.locator(CHOICES).all():
        if choice.is_visible():
            chosen_before = "mod-active" in (choice.get_attribute("class") or "")
            choice.click()
            if not chosen_before:
                # a new choice may show or hide sliders (the kernel sets their boxes' display) while the figures
                # stay: wait for the kernel's answer before looking for sliders (choosing the option already chosen
                # sends the kernel nothing)
                harness.wait_until_kernel_has_every_change(page)
            assert_equals_model(page, name, f"{label}: after choosing '{choice.inner_text()}'")
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


def assert_offline(log: harness.PageLog, name: str):
    leaving = sorted({url for url in log.requests if not harness.is_local(url)})
    assert not leaving, f"{name}: requests left localhost (CDN or download): {leaving[:5]}"


def assert_no_code_visible(page, name: str):
    """Presentation mode hides the code: no code cell input is rendered and no line of code shows on the page."""
    inputs = page.evaluate(harness.VOILA_CODE_INPUTS)
    assert not inputs, f"{name}: code cell inputs are rendered: {inputs[:3]}"
    text = page.evaluate("() => document.body.innerText")
    shown = [line for line in harness.code_lines(harness.ROOT / "notebooks" / name) if line in text]
    assert not shown, f"{name}: code is visible on the page: {shown[:3]}"


# Runs in JupyterLab: how the notebook's kernel connection sends widget messages (the course's setting, once loaded).
COMMS_OVER_SUBSHELLS = "() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.commsOverSubshells"


def assert_widget_messages_reach_the_main_thread(page, name: str) -> None:
    """The notebook's kernel connection sends widget messages on the shell, not to a subshell: the course's JupyterLab
    setting (jupyter-config/). With subshells, ipykernel 7 handles one control's message on the main thread and the
    next control's on the subshell's, so a fast learner's Reset and tick could run at once or in the wrong order."""
    try:
        page.wait_for_function(f"() => ({COMMS_OVER_SUBSHELLS})() === 'disabled'", timeout=30_000)
    except harness.PlaywrightTimeout:
        pytest.fail(f"{name}: JupyterLab sends widget messages with commsOverSubshells = "
                    f"{page.evaluate(COMMS_OVER_SUBSHELLS)!r}, not 'disabled' (jupyter-config/ not loaded?)")


def check_whole_notebook(page, log: harness.PageLog, server: harness.Server, name: str) -> None:
    """What every browser test asks of an opened, fully run notebook, in JupyterLab and in Voila: no cell or widget
    error; axe-core finds no serious violation (issue 13), maths carry assistive MathML, figures are described by
    their readouts; every figure equals the model as first drawn, then (in JupyterLab) after every control is used
    with the keyboard alone, then after every control is used as a learner would with the mouse; nothing fetched
    from outside localhost; no uncaught error in the page; axe-core again after use. Screenshots:
    test-artifacts/<lab|voila>-<notebook>.png."""
    prefix = server.kind
    errors = harness.cell_errors(page, server)
    assert not errors, f"{name}: cells raised errors: {errors}"
    assert page.evaluate(harness.WIDGET_ERRORS) == 0, f"{name}: a widget shows 'Error displaying widget'"
    boxes = snapshot(page)
    if boxes:
        harness.explorable(page, 0).scroll_into_view_if_needed()
    page.screenshot(path=str(harness.ARTIFACTS / f"{prefix}-{name.removesuffix('.ipynb')}.png"))
    assert_equals_model(page, name, "as first drawn after Run All")
    assert_accessible(page, name, f"{prefix}-after-run-all")
    assert_math_is_accessible(page, name)
    assert_figures_and_readouts_are_described(page, name)
    if server.kind == "lab":  # the keyboard walk first, from the state Run All left, then the mouse
        assert_widget_messages_reach_the_main_thread(page, name)
        for index in range(len(boxes)):
            keyboard_walk(page, name, index)
    for index in range(len(boxes)):
        exercise_explorable(page, name, index)
    assert_offline(log, name)
    assert not log.page_errors, f"{name}: uncaught errors in the page: {log.page_errors[:3]}"
    assert_accessible(page, name, f"{prefix}-after-use")


__all__ = ["NOTEBOOK_NAMES", "check_whole_notebook", "assert_no_code_visible", "fail_with_screenshot",
           "page_problems"]
