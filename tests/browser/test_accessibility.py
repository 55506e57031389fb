"""Accessibility checks that need a page of their own (issue 13). The audits and the keyboard walk of every notebook
run in test_in_browser.py, in the same page as the mouse checks (checks.check_whole_notebook):

- axe-core 4.14.1 (vendored, see axe_audit.py) finds no serious or critical violation in every notebook's outputs in
  JupyterLab and in Voila after Run All and after every control was used (reports:
  test-artifacts/axe-<lab|voila>-<after-run-all|after-use>-<notebook>.json);
- keyboard only, in JupyterLab, every explorable (keyboard.py), maths with assistive MathML, figures described by
  their readouts.

Here: a readout is written once per change (not twice, which a screen reader would announce twice), and the quiz
is operable by keyboard and accessible with a right and a wrong choice shown.
"""
from __future__ import annotations

import harness
from axe_audit import assert_accessible
from model_check import wait_until_page_equals_model


def test_a_readout_is_written_once_per_change(page, lab):
    """A key step on a slider whose frames are in the page shows the frame's sentence at once; the kernel's equal
    sentence that follows is not written again (it would be announced twice)."""
    name = "03_onset_and_duration.ipynb"
    harness.open_notebook(page, lab, name)
    slider = harness.explorable(page, 0).locator(harness.SLIDER).first
    slider.focus()  # the focus asks the kernel for this slider's frames
    page.wait_for_function("s => s.dataset.framed === 'true'", arg=slider.element_handle(), timeout=30_000)
    page.evaluate("""() => { window.__writes = 0; const r = document.querySelector('.course-readout');
      new MutationObserver(records => { window.__writes += records.filter(m => m.addedNodes.length).length; })
        .observe(r, { childList: true, subtree: true, characterData: true }); }""")
    for key in ("ArrowRight", "ArrowRight", "ArrowLeft"):
        before = page.evaluate("() => document.querySelector('.course-readout').textContent")
        slider.press(key)
        assert not wait_until_page_equals_model(page)
        harness.wait_until_kernel_has_every_change(page)  # the kernel's own state for the value has arrived
        after = page.evaluate("() => document.querySelector('.course-readout').textContent")
        assert after != before, "the readout did not change with the slider"
    assert page.evaluate("() => window.__writes") == 3, "a readout was written more than once for one change"


def test_quiz_is_operable_by_keyboard_and_accessible_after_choices(page, voila):
    """The self-check widget (helpers/quiz.py, issue 12): Enter on a focused option chooses it and its feedback
    appears in the polite live region; with a right and a wrong choice shown, axe finds no serious violation."""
    name = "06_capstone.ipynb"
    harness.open_notebook(page, voila, name)
    page.wait_for_selector(".course-quiz-question .course-quiz-option")
    questions = page.locator(".course-quiz-question")
    shown = set()
    for index in range(min(questions.count(), 6)):
        options = questions.nth(index).locator(".course-quiz-option")
        feedback = questions.nth(index).locator(".course-quiz-feedback")
        assert feedback.get_attribute("aria-live") == "polite"
        for option in options.all():
            option.focus()
            page.keyboard.press("Enter")
            # the kernel's answer: the chosen option shows its verdict (its style) and the feedback is written;
            # from the second option of a question on, the feedback is already there, so the style is waited for
            page.wait_for_function("([o, f]) => /mod-(success|danger)/.test(o.className)"
                                   " && f.textContent.trim().length > 0",
                                   arg=[option.element_handle(), feedback.element_handle()], timeout=30_000)
            style = "success" if "mod-success" in (option.get_attribute("class") or "") else \
                "danger" if "mod-danger" in (option.get_attribute("class") or "") else None
            if style and style not in shown:
                shown.add(style)
                break
        if shown == {"success", "danger"}:
            break
    assert shown == {"success", "danger"}, f"could not show a right and a wrong choice: {shown}"
    assert_accessible(page, name, "voila-quiz-after-choices")
