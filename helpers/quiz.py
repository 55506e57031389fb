"""Check-your-understanding questions: pick an option, read why it is right or wrong.

Questions live in ``data/questions/<notebook>.yaml`` (validated by ``helpers.data.load_questions``).
Feedback stays hidden until an option is chosen; every option has its own feedback.

Options are shuffled per learner, so the file order (and a neighbour's screen) gives nothing away. The order is
seeded: the same learner always sees the same order, and the saved plain-text output uses the fixed seed
``COURSE_SEED``, so executed notebooks do not change between machines. Set the environment variable
``COURSE_QUIZ_SEED`` (for example to ``class``) to give a whole class the same order for a live poll.

An **application** item (``kind: application``) asks for something the course's models compute. It carries
``compute: {model: <name>, <inputs>}`` and a ``value`` on every option; ``tests/test_quiz.py`` recomputes the answer
from the models and checks that exactly the keyed option matches it.

Each option is a button carrying its letter and its whole text (keyboard: Tab, then Enter or Space). The choice
and then its feedback are written into one ``aria-live`` region, so screen readers announce both.
"""
from __future__ import annotations

import getpass
import hashlib
import html
import os
import random
from dataclasses import dataclass

import anywidget
import ipywidgets as widgets
import traitlets

from .controls import Explorable, one_action_at_a_time
from .data import load_questions
from .theme import COLOURS, RIGHT_GREEN

LETTERS = "ABCDEFGH"
COURSE_SEED = "course"
MAX_KEY_SHARE = 0.35      # no answer position may hold more than this share of the keys
MAX_LONGEST_SHARE = 0.5   # the correct option may be the longest in at most this share of the questions


def learner_seed() -> str:
    """The seed for this learner: ``COURSE_QUIZ_SEED`` if set, else the user name."""
    seed = os.environ.get("COURSE_QUIZ_SEED", "").strip()
    if seed:
        return seed
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return COURSE_SEED


def _rng(*parts: str) -> random.Random:
    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


@dataclass(frozen=True)
class Shown:
    """A question as one learner sees it: its options in shown order."""

    question: object
    options: tuple

    @property
    def key_position(self) -> int:
        return next(i for i, option in enumerate(self.options) if option.correct)


def arrange(questions, seed: str, name: str = "", shuffle_questions: bool = False) -> tuple:
    """The questions (optionally shuffled) with their options shuffled for ``seed``.

    Key positions are dealt from a shuffled, balanced deck (one card per question: 0, 1, 2, 3, 0, 1, ... from
    a seeded start), so within one quiz no position holds the key more than once per four questions (rounded
    up), whatever the seed; the other options fill the remaining places in random order.
    """
    rng = _rng(seed, name)
    questions = list(questions)
    if shuffle_questions:
        rng.shuffle(questions)
    widest = max(len(q.options) for q in questions)
    offset = rng.randrange(widest)
    deck = [(offset + i) % widest for i in range(len(questions))]
    rng.shuffle(deck)
    deck += list(range(widest))  # spares, used only if a short question cannot take the dealt position
    shown = []
    for question in questions:
        n = len(question.options)
        position = deck.pop(next(i for i, p in enumerate(deck) if p < n))
        key = next(o for o in question.options if o.correct)
        others = [o for o in question.options if not o.correct]
        rng.shuffle(others)
        others.insert(position, key)
        shown.append(Shown(question, tuple(others)))
    return tuple(shown)


def balance_problems(questions, shown_sets) -> list:
    """What breaks the course's fairness rules, as sentences (empty when fair).

    ``questions``: every question of the course; ``shown_sets``: arrangements of them (one per seed) to check
    that no shown position holds more than ``MAX_KEY_SHARE`` of the keys.
    """
    problems = []
    longest = [q.id for q in questions
               if max(len(o.text) for o in q.options) == len(next(o for o in q.options if o.correct).text)]
    if len(longest) > MAX_LONGEST_SHARE * len(questions):
        problems.append(f"the correct option is the longest (or tied) in {len(longest)} of {len(questions)} "
                        f"questions, more than {MAX_LONGEST_SHARE:.0%}: {', '.join(longest)}")
    for shown in shown_sets:
        counts = {}
        for item in shown:
            counts[item.key_position] = counts.get(item.key_position, 0) + 1
        for position, count in sorted(counts.items()):
            if count > MAX_KEY_SHARE * len(shown):
                problems.append(f"position {LETTERS[position]} holds {count} of {len(shown)} keys")
    return problems


class Feedback(anywidget.AnyWidget):
    """The feedback under a question: one ``aria-live`` region that exists before the first choice, so screen
    readers announce the choice and then its feedback. Its CSS lets an option button wrap long text."""

    _esm = """
export default {
  render({ model, el }) {
    const box = document.createElement("div");
    box.className = "course-quiz-feedback";
    box.setAttribute("aria-live", "polite");
    box.setAttribute("aria-atomic", "true");
    el.append(box);
    const show = () => { box.innerHTML = model.get("value"); };
    show();
    model.on("change:value", show);
  },
};
"""
    _css = """
.course-quiz-option { white-space: normal !important; height: auto !important; min-height: 32px;
  text-align: left !important; line-height: 1.4 !important; padding: 4px 10px !important; max-width: 860px; }
.course-quiz-feedback { font-size: 15px; line-height: 1.45; max-width: 860px; }
.course-quiz-score { font-size: 15px; font-weight: bold; }
"""
    value = traitlets.Unicode("").tag(sync=True)


def feedback_html(option, letter: str = "") -> str:
    verdict = "Correct." if option.correct else "Not quite."
    colour = COLOURS["bluish_green"] if option.correct else COLOURS["vermillion"]  # paired with words
    chosen = f"<p style='margin:2px 0'>You chose {letter}: {html.escape(option.text)}</p>" if letter else ""
    return (f"<div style='border-left:4px solid {colour};padding:4px 10px;margin:4px 0'>{chosen}"
            f"<b>{verdict}</b> {html.escape(option.feedback)}</div>")


class Score:
    """First choices count: ``on_first(correct)`` once per question; the line at the end updates."""

    def __init__(self, total: int):
        self.total, self.answered, self.correct = total, 0, 0
        self.widget = Feedback(value=self.text())
        self.widget.add_class("course-quiz-tally")

    def text(self) -> str:
        if not self.answered:
            return f"<p class='course-quiz-score'>Score: none of the {self.total} questions answered yet.</p>"
        done = " All answered." if self.answered == self.total else ""
        return (f"<p class='course-quiz-score'>Score: {self.correct} of {self.answered} answered correctly "
                f"at the first try ({self.total} questions).{done}</p>")

    def record(self, correct: bool) -> None:
        self.answered += 1
        self.correct += bool(correct)
        self.widget.value = self.text()


def question_widget(number: int, shown: Shown, score: Score | None = None) -> widgets.VBox:
    feedback = Feedback()
    buttons = []
    answered = []
    # LETTERS has more letters than a question has options: zip stops at the last option
    for letter, option in zip(LETTERS, shown.options, strict=False):
        button = widgets.Button(description=f"{letter}. {option.text}", tooltip=f"Choose {letter}",
                                layout=widgets.Layout(width="auto", height="auto", margin="2px 0"))
        button.add_class("course-quiz-option")

        def choose(clicked, chosen=option, chosen_letter=letter):
            for other in buttons:
                other.button_style, other.style.button_color = "", None
            clicked.button_style = "success" if chosen.correct else "danger"
            # ipywidgets' success green keeps white words at 4.1:1 only; a darker green gives 5.1:1 (WCAG AA)
            clicked.style.button_color = RIGHT_GREEN if chosen.correct else None
            feedback.value = feedback_html(chosen, chosen_letter)
            if score is not None and not answered:
                answered.append(chosen_letter)
                score.record(chosen.correct)

        button.on_click(one_action_at_a_time(choose))
        buttons.append(button)
    prompt = widgets.HTML(f"<p style='font-size:15px'><b>Q{number}.</b> {html.escape(shown.question.prompt)}</p>")
    box = widgets.VBox([prompt, *buttons, feedback], layout=widgets.Layout(margin="0 0 14px 0"))
    box.add_class("course-quiz-question")
    return box


def plain_text(shown_questions, heading: str = "Check your understanding") -> str:
    lines = [f"{heading} (run this cell to answer and see feedback):"]
    for number, shown in enumerate(shown_questions, start=1):
        lines.append(f"Q{number}. {shown.question.prompt}")
        # LETTERS has more letters than a question has options: zip stops at the last option
        lines.extend(f"  {letter}) {option.text}" for letter, option in zip(LETTERS, shown.options, strict=False))
    return "\n".join(lines)


def quiz(filename: str, seed: str | None = None, shuffle_questions: bool = False, score: bool = False) -> Explorable:
    """All questions of ``data/questions/<filename>`` as one widget, options shuffled for the learner.

    ``shuffle_questions`` also mixes the question order (the final assessment); ``score`` adds a running score
    of first choices at the end.
    """
    questions = load_questions(filename)
    shown = arrange(questions, seed or learner_seed(), filename, shuffle_questions)
    saved = arrange(questions, COURSE_SEED, filename, shuffle_questions)
    tally = Score(len(shown)) if score else None
    children = [question_widget(n, s, tally) for n, s in enumerate(shown, start=1)]
    if tally is not None:
        children.append(tally.widget)
    heading = "Final assessment" if score else "Check your understanding"
    return Explorable(children, fallback_text=plain_text(saved, heading))
