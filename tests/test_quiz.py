"""The quiz: feedback hidden until chosen, right feedback for every option, fair shuffling, and application items
whose keys the course's own models recompute."""
from __future__ import annotations

import html
import math

import numpy as np
import pytest
import yaml

from helpers.data import DATA_DIR, load_questions
from helpers.models import anecdote, criteria, junction, relief, risk, sequencing
from helpers.quiz import COURSE_SEED, LETTERS, arrange, balance_problems, quiz

QUESTION_FILES = sorted(path.name for path in (DATA_DIR / "questions").glob("*.yaml"))
NOTEBOOK_FILES = [name for name in QUESTION_FILES if name[:2] in {"01", "02", "03", "04", "05"}]
SEEDS = [COURSE_SEED, "class"] + [f"learner-{n}" for n in range(40)]


def _raw(name: str) -> list:
    return yaml.safe_load((DATA_DIR / "questions" / name).read_text())


def _all_questions() -> list:
    return [q for name in QUESTION_FILES for q in load_questions(name)]


# ----------------------------------------------------------------------------------------------
# The widget
# ----------------------------------------------------------------------------------------------
def _option_text(button) -> str:
    return button.description.split(". ", 1)[1]


@pytest.mark.parametrize("name", QUESTION_FILES)
def test_every_option_shows_its_own_feedback(name):
    widget = quiz(name, seed="tester")
    questions = {q.prompt: q for q in load_questions(name)}
    boxes = [box for box in widget.children if "course-quiz-question" in box._dom_classes]
    assert len(boxes) == len(questions) >= 3
    for box in boxes:
        prompt, *buttons, feedback = box.children
        question = next(q for p, q in questions.items() if html.escape(p) in prompt.value)
        assert feedback.value == "", "feedback must stay hidden until an option is chosen"
        assert sorted(_option_text(b) for b in buttons) == sorted(o.text for o in question.options)
        for letter, button in zip(LETTERS, buttons, strict=False):  # more letters than options
            option = next(o for o in question.options if o.text == _option_text(button))
            assert button.description.startswith(f"{letter}. ")
            button.click()
            assert html.escape(option.feedback) in feedback.value
            assert f"You chose {letter}: {html.escape(option.text)}" in feedback.value
            assert ("Correct." in feedback.value) == option.correct
            assert button.button_style == ("success" if option.correct else "danger")
            assert all(other.button_style == "" for other in buttons if other is not button)


def test_feedback_region_is_live_before_the_first_choice():
    box = quiz("03_onset_and_duration.yaml", seed="tester").children[0]
    feedback = box.children[-1]
    assert 'aria-live", "polite"' in feedback._esm and "aria-atomic" in feedback._esm
    assert all("course-quiz-option" in button._dom_classes for button in box.children[1:-1])


def test_plain_text_fallback_uses_the_fixed_seed_whoever_runs_it(monkeypatch):
    monkeypatch.setenv("COURSE_QUIZ_SEED", "someone-else")
    text = quiz("03_onset_and_duration.yaml")._repr_mimebundle_()["text/plain"]
    monkeypatch.setenv("COURSE_QUIZ_SEED", "another-learner")
    assert quiz("03_onset_and_duration.yaml")._repr_mimebundle_()["text/plain"] == text
    assert text.startswith("Check your understanding")
    assert "Q1." in text and "  A) " in text and "VBox" not in text


def test_learners_see_different_orders_but_each_learner_always_the_same():
    questions = load_questions("05_risk_tradeoffs.yaml")
    orders = {seed: [tuple(o.text for o in s.options) for s in arrange(questions, seed, "05")] for seed in SEEDS}
    assert len({tuple(order) for order in orders.values()}) > len(SEEDS) // 2
    assert orders["class"] == [tuple(o.text for o in s.options) for s in arrange(questions, "class", "05")]
    for shown in arrange(questions, "tester", "05"):
        assert sorted(o.text for o in shown.options) == sorted(o.text for o in shown.question.options)


def test_score_counts_first_choices_only():
    widget = quiz("06_capstone.yaml", seed="tester", shuffle_questions=True, score=True)
    questions = load_questions("06_capstone.yaml")
    score = next(child for child in reversed(widget.children) if "course-quiz-tally" in child._dom_classes)
    assert "none of the 16" in score.value

    def button(box, correct):
        question = next(q for q in questions if html.escape(q.prompt) in box.children[0].value)
        keyed = next(o.text for o in question.options if o.correct)
        return next(b for b in box.children[1:-1] if (_option_text(b) == keyed) == correct)

    first, second = widget.children[0], widget.children[1]
    button(first, correct=False).click()
    button(first, correct=True).click()
    assert "Score: 0 of 1 answered correctly" in score.value, "a second try must not change the score"
    button(second, correct=True).click()
    assert "Score: 1 of 2 answered correctly" in score.value


# ----------------------------------------------------------------------------------------------
# Fairness across the course
# ----------------------------------------------------------------------------------------------
def test_keys_are_balanced_and_the_key_is_not_usually_the_longest():
    by_file = {name: load_questions(name) for name in QUESTION_FILES}
    questions = [q for qs in by_file.values() for q in qs]
    shown_sets = [[s for name, qs in by_file.items() for s in arrange(qs, seed, name, name.startswith("06"))]
                  for seed in SEEDS]
    assert balance_problems(questions, shown_sets) == []


def test_balance_check_catches_a_course_where_a_is_always_right():
    questions = _all_questions()
    unshuffled = [[type("S", (), {"key_position": 0})() for _ in questions]]
    problems = balance_problems(questions, unshuffled)
    assert any("position A holds" in p for p in problems)


# ----------------------------------------------------------------------------------------------
# Application items: the key is what the course's models compute
# ----------------------------------------------------------------------------------------------
def _criteria_years(c):
    y2010 = bool(criteria.meets_2010(c["wpi"], c["sss"], c["months"]))
    y2016 = bool(criteria.meets_2016(c["wpi"], c["sss"], c["regions"], c["months"]))
    return {(True, True): "both", (True, False): "2010_only", (False, True): "2016_only"}.get((y2010, y2016), "neither")


def _criteria_2016_failing(c):
    if not criteria.wpi_sss_rule(c["wpi"], c["sss"], 2016):
        return "score_rule"
    if not criteria.generalized_pain(c["regions"]):
        return "generalized_pain"
    if not criteria.long_enough(c["months"]):
        return "duration"
    return "none"


def _relief_metrics(c):
    overrides = {k: v for k, v in c.items() if k not in ("model", "tolerance")}
    return relief.experience_metrics(relief.simulate_year(relief.default_params(**overrides)))


def _junction_metrics(c):
    return junction.metrics(junction.simulate(junction.default_params(dose_units=c["dose_units"])))


def _toxin_first_change(c):
    last = sequencing.simulate_cohort(sequencing.default_params())
    first = sequencing.simulate_cohort(sequencing.default_params(order=sequencing.move_step(
        sequencing.STEPS, "botulinum", 0)))
    same = abs(first.refractory_after[-1] - last.refractory_after[-1]) < 0.02
    if first.exposed["botulinum"] == first.n and same:
        return "everyone_injected_same_refractory"
    if first.exposed == last.exposed and same:
        return "nothing_changes"
    return "fewer_refractory" if first.refractory_after[-1] < last.refractory_after[-1] else "other"


def _exposed(c):
    order = sequencing.move_step(sequencing.STEPS, c["step"], c["position"])
    return sequencing.simulate_cohort(sequencing.default_params(order=order)).exposed[c["step"]]


def _mixup(c):
    factor = risk.unit_mixup(c["prescribed_units"], c["prescribed_product"], c["given_product"]).factor
    return [factor["low"], factor["high"]]


def _anecdote_improved(c):
    overrides = {k: v for k, v in c.items() if k not in ("model", "tolerance")}
    return anecdote.summarise(anecdote.simulate_series(anecdote.default_params(**overrides))).percent_improved


def _cost_per_relief_week(c):
    return risk.cost_summary(c["dose_units"], c["price_per_unit"], c["admin_cost"],
                             relief_weeks_per_session=c["relief_weeks_per_session"]).cost_per_relief_week_if_responder


def _checklist(c, value):
    return risk.screen([value]).verdict == c["verdict"]


RECOMPUTE = {
    "criteria_years": _criteria_years,
    "criteria_2016_failing": _criteria_2016_failing,
    "relief_first_day": lambda c: _relief_metrics(c).first_relief_day,
    "relief_weeks": lambda c: _relief_metrics(c).relief_weeks,
    "junction_duration": lambda c: _junction_metrics(c).clinical_duration_days,
    "junction_nadir_day": lambda c: _junction_metrics(c).nadir_day,
    "toxin_first_change": _toxin_first_change,
    "sequencing_exposed": _exposed,
    "number_needed": lambda c: float(risk.number_needed(c["treated_percent"], c["control_percent"])),
    "mixup_factor": _mixup,
    "anecdote_improved": _anecdote_improved,
    "cost_per_relief_week": _cost_per_relief_week,
}
PREDICATES = {"checklist_verdict": _checklist}


def _matches(expected, value, tolerance) -> bool:
    if isinstance(expected, str) or isinstance(value, str):
        return expected == value
    if isinstance(expected, list):
        return (isinstance(value, list) and len(value) == len(expected)
                and all(math.isclose(e, v, abs_tol=0.05) for e, v in zip(expected, value, strict=True)))
    if isinstance(value, list):
        return False
    return abs(float(expected) - float(value)) <= tolerance


def _application_items():
    return [(name, q) for name in QUESTION_FILES for q in _raw(name) if q.get("kind") == "application"]


@pytest.mark.parametrize("name, item", _application_items(), ids=lambda x: x["id"] if isinstance(x, dict) else x)
def test_application_key_is_what_the_model_computes(name, item):
    compute = item["compute"]
    options = item["options"]
    assert all("value" in option for option in options), "every option of an application item needs a value"
    if compute["model"] in PREDICATES:
        hits = [o for o in options if PREDICATES[compute["model"]](compute, o["value"])]
    else:
        expected = RECOMPUTE[compute["model"]](compute)
        tolerance = compute.get("tolerance", 0.5)
        hits = [o for o in options if _matches(expected, o["value"], tolerance)]
    assert len(hits) == 1, f"{item['id']}: {len(hits)} options match the model"
    assert hits[0].get("correct") is True, f"{item['id']}: the model's answer is not the keyed option"


@pytest.mark.parametrize("name", NOTEBOOK_FILES + ["06_capstone.yaml"])
def test_each_notebook_has_two_application_items(name):
    assert sum(q.get("kind") == "application" for q in _raw(name)) >= 2


def test_every_compute_model_is_known():
    for _, item in _application_items():
        assert item["compute"]["model"] in RECOMPUTE or item["compute"]["model"] in PREDICATES, item["id"]


def test_a_wrong_key_would_be_caught():
    """The recomputation is real: keying the late-onset item on day 21 (the onset) fails."""
    item = next(q for _, q in _application_items() if q["id"] == "late-onset-first-day")
    expected = RECOMPUTE[item["compute"]["model"]](item["compute"])
    assert not _matches(expected, 21, item["compute"]["tolerance"])
    assert np.isfinite(expected)
