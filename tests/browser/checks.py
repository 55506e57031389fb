"""Checks shared by the JupyterLab and the Voila tests of the browser suite."""
from __future__ import annotations

import pytest

import harness

NOTEBOOK_NAMES = [path.name for path in harness.NOTEBOOKS]
MAX_PRESSES = 6  # a one-step move may leave a rounded readout unchanged; a few more must change it


def check_rendered(page, name: str) -> list:
    assert page.evaluate(harness.BLANK_WIDGET_OUTPUTS, harness.WIDGET_OUTPUT) == 0, \
        f"{name}: a widget shows 'Error displaying widget' or renders as a blank area"
    explorables = page.evaluate(harness.EXPLORABLES, harness.WIDGET_OUTPUT)
    for index, explorable in enumerate(explorables):
        assert explorable["plots"] > 0, f"{name}: explorable {index} renders no plot"
        assert explorable["emptyPlots"] == 0, f"{name}: explorable {index} shows a plot with no data (blank axes)"
        assert explorable["readout"].strip(), f"{name}: explorable {index} has no text readout"
    return explorables


def move_slider(page, name: str, index: int, handle) -> None:
    """One slider, moved with the keyboard until the readout changes; a plot must re-render."""
    label = harness.slider_label(handle)
    before = harness.explorable_readout(page, index)
    views = harness.figure_view_buttons(page, index)
    for _ in range(MAX_PRESSES):
        if not (harness.press_until_rendered(page, index, handle, views)
                or harness.answered_late(page, index, before)):
            page.screenshot(path=str(harness.ARTIFACTS / f"failed-{name.removesuffix('.ipynb')}-{index}.png"))
            readout_changed = harness.explorable_readout(page, index) != before
            pytest.fail(f"{name}: slider '{label}' of explorable {index} moved (now "
                        f"{handle.get_attribute('aria-valuetext')}), but no plotly figure of that explorable "
                        f"re-rendered (readout changed: {readout_changed}; browser console errors: "
                        f"{getattr(page, 'console_errors', [])[-3:]}; uncaught page errors: "
                        f"{getattr(page, 'page_errors', [])[-3:]})", pytrace=False)
        page.wait_for_timeout(150)
        if harness.explorable_readout(page, index) != before:
            return
    pytest.fail(f"{name}: slider '{label}' of explorable {index}: figure re-rendered but the readout did not "
                f"change after {MAX_PRESSES} key presses", pytrace=False)


def move_every_slider(page, name: str, explorables: list) -> int:
    """Every slider of every explorable, including those a toggle reveals (each toggle is clicked in turn)."""
    moved = 0
    for index, explorable in enumerate(explorables):
        harness.bring_into_view(page, index)
        for toggle in [None, *harness.toggle_buttons(page, index)]:
            if toggle is not None:
                toggle.click()
                page.wait_for_timeout(300)
            for handle in harness.slider_handles(page, index):
                if handle.get_attribute("data-moved") or not handle.is_visible():
                    continue
                move_slider(page, name, index, handle)
                handle.evaluate("h => h.setAttribute('data-moved', '1')")
                moved += 1
        unmoved = [harness.slider_label(h) for h in harness.slider_handles(page, index) if not h.get_attribute("data-moved")]
        assert not unmoved, f"{name}: explorable {index} has sliders that no toggle reveals: {unmoved}"
    return moved


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


def assert_no_page_errors(page, name: str):
    """No uncaught exception or unhandled promise rejection in the page (recorded by the `page` fixture)."""
    assert not page.page_errors, f"{name}: uncaught errors in the page: {page.page_errors[:3]}"


def check_whole_notebook(page, name: str, artifact_prefix: str) -> None:
    """What every browser test asks of an opened, fully run notebook: widgets and plots rendered, a screenshot
    of the first explorable, every slider moved, nothing fetched from outside localhost, no uncaught error."""
    explorables = check_rendered(page, name)
    if explorables:
        harness.bring_into_view(page, 0)  # the artifact shows the first explorable, not the title
    page.screenshot(path=str(harness.ARTIFACTS / f"{artifact_prefix}-{name.removesuffix('.ipynb')}.png"))
    move_every_slider(page, name, explorables)
    assert_offline(page, name)
    assert_no_page_errors(page, name)
