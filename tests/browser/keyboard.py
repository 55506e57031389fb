"""Keyboard-only use and the accessible description of a notebook's explorables, in a real Chromium (issue 13).

- Keyboard only (``keyboard_walk``): from each explorable's first control, Tab alone reaches every control in page
  order (no control skipped, none visited out of order) with a visible focus ring, and arrow keys (sliders,
  drop-downs), Space (checkboxes) and Enter (buttons) change each of them, every preset and every Show view;
  after each change the readout says what the model computes for the new values (model_check), and buttons show
  their state to screen readers (aria-pressed).
- Figures are images named by their message and described by their readout; readouts are polite live regions;
  sliders' value text carries the unit; Markdown math carries MathJax's assistive MathML (on by default in
  JupyterLab 4.6 and Voila 0.5, with no setting to turn it off: checked here).

Used by checks.check_whole_notebook for every notebook (the keyboard walk in JupyterLab).
"""
from __future__ import annotations

import json
import re

import harness
import pytest
from model_check import fail_with_screenshot, snapshot, wait_until_page_equals_model

MAX_TABS = 400  # per pass through one explorable: more means focus is trapped

# Runs in the page: the elements of explorable `box` that Tab stops at, in page order.
FOCUSABLE = """[...box.querySelectorAll('input, button, select, textarea, a[href], [tabindex]')].filter(e =>
    !e.disabled && e.tabIndex >= 0 && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden')"""

# Runs in the page: what has the focus, seen from explorable `box`, and where the control focused before the last Tab
# stands in the same list (one look at the page: a button that the kernel enables meanwhile shifts both alike).
FOCUS = """(box) => {
  const focusable = """ + FOCUSABLE + """;
  const e = document.activeElement;
  if (!e || !box.contains(e)) return { inBox: false };
  const style = getComputedStyle(e);
  const group = e.closest('[class*="course-buttons-"]');
  const groupName = group ? [...group.classList].find(c => c.startsWith('course-buttons-')) : '';
  const label = (e.labels && e.labels[0] ? e.labels[0].textContent : '') || e.getAttribute('aria-label') || '';
  let kind = e.tagName.toLowerCase();
  if (e.closest('.modebar')) kind = 'modebar';
  else if (kind === 'input') kind = e.type;
  else if (kind === 'button' && e.closest('.widget-toggle-buttons')) kind = 'choice';
  else if (kind === 'button' && e.hasAttribute('aria-pressed')) kind = 'preset';
  const text = e.textContent.trim();
  const ident = kind === 'range' ? `slider:${e.dataset.control}` : kind === 'choice' || kind === 'preset'
    ? `${groupName}:${text}` : `${kind}:${label || text}:${focusable.filter(f => f.tagName === e.tagName).indexOf(e)}`;
  const modebar = e.closest('.modebar');
  return {
    inBox: true, kind, ident, text, label, index: focusable.indexOf(e), count: focusable.length,
    previous: window.__courseLastFocus && box.contains(window.__courseLastFocus)
      ? focusable.indexOf(window.__courseLastFocus) : -2,
    pressed: e.getAttribute('aria-pressed'), value: e.value ?? null, checked: e.checked ?? null,
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
    modebarShown: modebar ? Number(getComputedStyle(modebar).opacity) === 1 : null,
    valuetext: e.getAttribute('aria-valuetext'), max: e.max ?? null, min: e.min ?? null,
    tabindexAbove0: [...box.querySelectorAll('[tabindex]')].filter(t => t.tabIndex > 0).length,
  };
}"""

# The state a change must alter: the keys the readouts and figures were drawn for, the figure and sliders shown.
SHOWN = """(box) => JSON.stringify({
  keys: [...box.querySelectorAll('.course-readout, .course-figure')].map(e => e.dataset.key),
  shown: [...box.querySelectorAll('.course-figure')].filter(f => f.getClientRects().length > 0)
    .map(f => f.dataset.output),
  sliders: [...box.querySelectorAll('.course-slider input[type=range]')].filter(s => s.getClientRects().length > 0)
    .map(s => s.dataset.control),
})"""

FOCUS_FIRST = """(box) => {
  const first = """ + FOCUSABLE + """[0]; first.focus(); window.__courseLastFocus = first; }"""


def _wait_for_change(page, handle, before: str, timeout_ms: int = 30_000) -> bool:
    try:
        page.wait_for_function("([box, before]) => (" + SHOWN + ")(box) !== before", arg=[handle, before],
                               timeout=timeout_ms)
        return True
    except harness.PlaywrightTimeout:
        return False


def _act(page, name: str, label: str, handle, info: dict) -> None:
    """Change the focused control with its key; the page must then equal the model and show the change."""
    where = f"{label}: {info['kind']} '{info['label'] or info['text']}'"
    before = page.evaluate(SHOWN, handle)
    if info["kind"] == "range":
        key = "ArrowLeft" if float(info["value"]) >= float(info["max"]) else "ArrowRight"
        page.keyboard.press(key)
        unit_words = info["valuetext"] or ""
        assert re.match(r"^-?[\d.]+", unit_words), f"{name}: {where}: aria-valuetext {unit_words!r} has no value"
    elif info["kind"] == "checkbox":
        page.keyboard.press("Space")
    elif info["kind"] == "select":
        page.keyboard.press("ArrowDown")
        if page.evaluate("() => document.activeElement.value") == info["value"]:
            page.keyboard.press("ArrowUp")
    else:  # buttons: presets, choices, Show views, Reset, Back/Next
        page.keyboard.press("Enter")
    if info["kind"] in ("choice", "preset"):
        try:
            page.wait_for_function("() => document.activeElement.getAttribute('aria-pressed') === 'true'",
                                   timeout=30_000)
        except harness.PlaywrightTimeout:
            fail_with_screenshot(page, name, f"{where}: aria-pressed did not become true after Enter",
                                 [page.evaluate("() => document.activeElement.outerHTML.slice(0, 200)")])
    changes = info["kind"] in ("range", "checkbox", "select") \
        or (info["kind"] == "choice" and info["pressed"] != "true")
    if changes and not _wait_for_change(page, handle, before):
        fail_with_screenshot(page, name, f"{where}: the key changed nothing in the readout or the figures",
                             [before[:200]])
    problems = wait_until_page_equals_model(page)
    if problems:
        fail_with_screenshot(page, name, f"{where}: after the key press", problems)
    # The figures may show the change before the kernel's other answers arrive (Back enabled once Next left step
    # 1): the next Tab starts from the page the change leaves.
    harness.wait_until_kernel_has_every_change(page)


def keyboard_walk(page, name: str, index: int) -> set:
    """Tab through explorable ``index`` and change every control by key, in as many passes as it takes to
    choose every option of every row of choice buttons (a choice may reveal controls after its row, which a
    keyboard user reaches by Tab before choosing the next option). Returns the controls changed."""
    box = harness.explorable(page, index)
    box.scroll_into_view_if_needed()
    handle = box.element_handle()
    label = snapshot(page)[index]["name"]
    acted: set = set()
    for _pass in range(8):
        new_this_pass, groups_this_pass = 0, set()
        page.evaluate(FOCUS_FIRST, handle)
        assert page.evaluate(FOCUS, handle)["inBox"], f"{name}: {label}: its first control cannot take the focus"
        for tab in range(MAX_TABS):
            info = page.evaluate(FOCUS, handle)
            if not info["inBox"]:
                break
            assert info["tabindexAbove0"] == 0, f"{name}: {label} has elements with tabindex > 0 (out of page order)"
            if tab:
                assert info["index"] == info["previous"] + 1, (
                    f"{name}: {label}: Tab went from control {info['previous']} to {info['index']} of {info['count']} "
                    f"({info['kind']} '{info['label'] or info['text']}'): not the page order")
                visible = info["outline"] and info["modebarShown"] in (None, True)
                assert visible, f"{name}: {label}: no visible focus on {info['kind']} '{info['label'] or info['text']}'"
            group = info["ident"].split(":")[0] if info["kind"] == "choice" else None
            if info["kind"] in ("range", "checkbox", "select", "preset", "button", "choice") \
                    and info["ident"] not in acted and (group is None or group not in groups_this_pass):
                if info["kind"] == "choice":
                    groups_this_pass.add(group)
                _act(page, name, label, handle, info)
                acted.add(info["ident"])
                new_this_pass += 1
            page.evaluate("() => { window.__courseLastFocus = document.activeElement; }")
            page.keyboard.press("Tab")
        else:
            pytest.fail(f"{name}: {label}: still inside after {MAX_TABS} Tab presses (focus trapped)")
        if not new_this_pass:
            break
    missing = page.evaluate("""(box) => [
        ...[...box.querySelectorAll('.course-slider input[type=range]')].map(s => `slider:${s.dataset.control}`),
        ...[...box.querySelectorAll('.widget-toggle-buttons button')].map(b => {
          const g = b.closest('[class*="course-buttons-"]');
          return `${g ? [...g.classList].find(c => c.startsWith('course-buttons-')) : ''}:${b.textContent.trim()}`; }),
      ]""", handle)
    unreached = [ident for ident in missing if ident not in acted]
    assert not unreached, f"{name}: {label}: the keyboard never reached and changed {unreached}"
    return acted


def assert_math_is_accessible(page, name: str) -> None:
    """Math in Markdown is typeset with MathJax's assistive MathML beside each formula (read by screen readers)."""
    cells = json.loads((harness.ROOT / "notebooks" / name).read_text())["cells"]
    if not any(re.search(r"\$\$|\$[^$\s\d]", "".join(c["source"])) for c in cells if c["cell_type"] == "markdown"):
        return
    page.wait_for_function("() => document.querySelectorAll('mjx-container').length > 0", timeout=30_000)
    counts = page.evaluate("""() => ({ math: document.querySelectorAll('mjx-container').length,
      assistive: document.querySelectorAll('mjx-container mjx-assistive-mml math').length })""")
    assert counts["math"] and counts["assistive"] == counts["math"], (
        f"{name}: {counts['math']} formulas but {counts['assistive']} with assistive MathML")


def assert_figures_and_readouts_are_described(page, name: str) -> None:
    """Each drawn figure is an image named by its message and described by an existing readout; each readout is a
    polite, atomic live region."""
    found = page.evaluate("""() => [...document.querySelectorAll('.course-figure')].filter(f => f.dataset.key)
    .map(f => {
      const svg = f.querySelector('svg.main-svg[role=img]');
      const ids = (svg?.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
      return { output: f.dataset.output, label: svg?.getAttribute('aria-label') || '', ids,
               described: ids.map(id => document.getElementById(id))
                 .filter(r => r && r.classList.contains('course-readout')
                                                                                && r.textContent.trim()).length,
               title: f.layout?.title?.text || '' };
    })""")
    for figure in found:
        assert len(figure["label"].split()) >= 5, f"{name}: figure {figure['output']} has no meaningful label: {figure}"
        title_words = re.sub(r"<[^>]+>", " ", figure["title"]).split()[:4]
        assert " ".join(title_words) in figure["label"], f"{name}: figure {figure['output']}'s label misses its title"
        assert figure["ids"] and figure["described"] == len(figure["ids"]), (
            f"{name}: figure {figure['output']} is not described by its readout: {figure}")
    readouts = page.evaluate("""() => [...document.querySelectorAll('.course-readout')].map(r =>
      [r.getAttribute('aria-live'), r.getAttribute('aria-atomic'), r.id])""")
    assert all(r[0] == "polite" and r[1] == "true" and r[2] for r in readouts), f"{name}: readouts {readouts}"


