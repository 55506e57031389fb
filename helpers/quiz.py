"""Check-your-understanding questions: pick an option, read why it is right or wrong.

Questions live in ``data/questions/<notebook>.yaml`` (validated by ``helpers.data.load_questions``).
Feedback stays hidden until an option is chosen; every option has its own feedback.
"""
from __future__ import annotations

import html

import ipywidgets as widgets

from .controls import Explorable
from .data import load_questions

LETTERS = "ABCDEFGH"


def feedback_html(option) -> str:
    verdict = "Correct." if option.correct else "Not quite."
    colour = "#009E73" if option.correct else "#D55E00"  # Okabe-Ito green / vermillion, paired with words
    return (f"<div role='status' style='border-left:4px solid {colour};padding:4px 10px;margin:4px 0'>"
            f"<b>{verdict}</b> {html.escape(option.feedback)}</div>")


def question_widget(number: int, question) -> widgets.VBox:
    feedback = widgets.HTML()
    buttons = []
    rows = []
    for letter, option in zip(LETTERS, question.options):
        button = widgets.Button(description=letter, tooltip=f"Choose {letter}", layout=widgets.Layout(width="44px"))

        def choose(clicked, chosen=option):
            for other in buttons:
                other.button_style = ""
            clicked.button_style = "success" if chosen.correct else "danger"
            feedback.value = feedback_html(chosen)

        button.on_click(choose)
        buttons.append(button)
        rows.append(widgets.HBox([button, widgets.HTML(f"<span style='line-height:1.4'>{html.escape(option.text)}</span>")],
                                 layout=widgets.Layout(align_items="center")))
    prompt = widgets.HTML(f"<p style='font-size:15px'><b>Q{number}.</b> {html.escape(question.prompt)}</p>")
    return widgets.VBox([prompt, *rows, feedback], layout=widgets.Layout(margin="0 0 14px 0"))


def plain_text(questions) -> str:
    lines = ["Check your understanding (run this cell to answer and see feedback):"]
    for number, question in enumerate(questions, start=1):
        lines.append(f"Q{number}. {question.prompt}")
        lines.extend(f"  {letter}) {option.text}" for letter, option in zip(LETTERS, question.options))
    return "\n".join(lines)


def quiz(filename: str) -> Explorable:
    """All questions of ``data/questions/<filename>`` as one widget."""
    questions = load_questions(filename)
    return Explorable([question_widget(n, q) for n, q in enumerate(questions, start=1)],
                      fallback_text=plain_text(questions))
