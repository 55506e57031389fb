"""The quiz widget: feedback hidden until chosen, right feedback for every option."""
from __future__ import annotations

import html

from helpers.data import load_questions
from helpers.quiz import quiz


def test_every_option_shows_its_own_feedback():
    widget = quiz("03_onset_and_duration.yaml")
    questions = load_questions("03_onset_and_duration.yaml")
    assert len(widget.children) == len(questions) >= 3
    for box, question in zip(widget.children, questions):
        feedback = box.children[-1]
        assert feedback.value == "", "feedback must stay hidden until an option is chosen"
        rows = box.children[1:-1]
        for row, option in zip(rows, question.options):
            button = row.children[0]
            button.click()
            assert html.escape(option.feedback) in feedback.value
            assert ("Correct." in feedback.value) == option.correct
            assert button.button_style == ("success" if option.correct else "danger")
            others = [r.children[0] for r in rows if r is not row]
            assert all(other.button_style == "" for other in others)


def test_plain_text_fallback_lists_questions_and_options():
    text = quiz("03_onset_and_duration.yaml")._repr_mimebundle_()["text/plain"]
    assert text.startswith("Check your understanding")
    assert "Q1." in text and "  A) " in text and "VBox" not in text
