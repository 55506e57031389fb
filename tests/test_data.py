"""Every data file loads, and a corrupted one fails with a message naming file, record and field."""
from __future__ import annotations

import re

import pytest
import yaml

from helpers.course import course_map_rows
from helpers.data import (
    DATA_DIR,
    EVIDENCE_TAGS,
    DataFileError,
    load_bibliography,
    load_parameters,
    load_presets,
    load_questions,
    load_units,
)


def test_units_and_bibliography_load():
    assert "days" in load_units() and load_units()["percent"].max == 100
    bibliography = load_bibliography()
    assert {"dworkin2008", "seed_kandel", "seed_cure_for_all", "course_assumption"} <= set(bibliography)
    assert all(source.evidence in EVIDENCE_TAGS for source in bibliography.values())


@pytest.mark.parametrize("path", sorted(DATA_DIR.glob("*_parameters.csv")), ids=lambda p: p.name)
def test_every_parameter_file_loads_with_units_and_sources(path):
    parameters = load_parameters(path.name)
    assert parameters
    for spec in parameters.values():
        assert spec.min <= spec.value <= spec.max
        assert spec.unit in load_units() and spec.source_id in load_bibliography()


@pytest.mark.parametrize("path", sorted((DATA_DIR / "questions").glob("*.yaml")), ids=lambda p: p.name)
def test_every_question_file_loads_with_feedback_for_every_option(path):
    questions = load_questions(path.name)
    assert len(questions) >= 3
    for question in questions:
        assert sum(option.correct for option in question.options) == 1
        assert all(option.feedback for option in question.options)


def test_relief_presets_load():
    presets = load_presets("relief_presets.csv", "relief_parameters.csv")
    assert {"assumed_responder", "fast_responder", "slow_responder", "short_lived", "non_responder"} <= set(presets)
    assert presets["assumed_responder"].label == "Assumed responder (default)"


def test_course_map_lists_every_notebook_of_the_design():
    names = [row[0] for row in course_map_rows()]
    assert names == ["00_start_here", "01_fibromyalgia_in_brief", "02_neuromuscular_blockade",
                     "03_onset_and_duration", "04_treatment_sequencing", "05_risk_tradeoffs",
                     "05b_deciding_with_the_patient", "06_capstone", "glossary", "summary_sheet", "instructor_guide"]
    assert all(written for *_, written in course_map_rows()), "every notebook on the map must exist"


# --- corrupted copies ------------------------------------------------------------------------
def replace_in(path, old, new, count=1):
    text = path.read_text()
    assert old in text, f"fixture text {old!r} not found in {path.name}"
    path.write_text(text.replace(old, new, count))


def expect_error(loader, *parts):
    with pytest.raises(DataFileError) as caught:
        loader()
    message = str(caught.value)
    for part in parts:
        assert part in message, f"{part!r} not in {message!r}"
    return caught.value


def test_missing_field_names_file_record_and_field(data_copy):
    replace_in(data_copy / "relief_parameters.csv", "onset_days,Relief onset,10,days", "onset_days,Relief onset,,days")
    error = expect_error(lambda: load_parameters("relief_parameters.csv", data_copy),
                         "relief_parameters.csv", "'onset_days' (row 1)", "field 'value'", "missing")
    assert (error.file, error.field) == ("relief_parameters.csv", "value")


# A corrupted parameter file fails at load naming the file, the record, the field and the problem:
# (file, text in it, the corrupted text, the parts of the message).
CORRUPTED_PARAMETERS = {
    "unknown-unit": ("relief_parameters.csv", "onset_days,Relief onset,10,days", "onset_days,Relief onset,10,dayz",
                     "relief_parameters.csv", "'onset_days'", "field 'unit'", "unknown unit 'dayz'"),
    "column-missing": ("relief_parameters.csv", "name,label,value,unit,min,", "name,label,value,units,min,",
                       "relief_parameters.csv", "'onset_days'", "field 'unit'", "column missing from the header"),
    "outside-its-own-range": ("relief_parameters.csv", "interval_weeks,Re-injection interval,12,",
                              "interval_weeks,Re-injection interval,8,", "relief_parameters.csv",
                              "'interval_weeks' (row 4)", "field 'value'", "8 is out of range 12 to 52"),
    "outside-its-units-range": ("relief_parameters.csv", "peak_relief_percent,Peak relief,45,percent,0,80",
                                "peak_relief_percent,Peak relief,45,percent,0,180", "'peak_relief_percent'",
                                "field 'max'", "180 is out of range 0 to 100"),
    "unknown-source-id": ("relief_parameters.csv", ",ledda2022,illustrative,", ",ledda2099,illustrative,",
                          "relief_parameters.csv", "'duration_days'", "field 'source_id'",
                          "unknown source id 'ledda2099'"),
    "not-a-number": ("relief_parameters.csv", "onset_days,Relief onset,10,", "onset_days,Relief onset,ten,",
                     "field 'value'", "'ten' is not a number"),
    "fitted-without-saying-to-what": (
        "junction_parameters.csv", ",fitted,\"fitted to the calibration points of section 4, mainly the depth",
        ",fitted,\"Mainly the depth", "junction_parameters.csv", "'cleavage_rate_per_unit_day'", "field 'note'",
        "must say what it was fitted to"),
    "fitted-under-a-measured-tag": (
        "junction_parameters.csv",
        ",hamjian1994,fitted,\"fitted to the calibration points of section 4, mainly the depth",
        ",hamjian1994,observational,\"fitted to the calibration points of section 4, mainly the depth",
        "junction_parameters.csv", "'cleavage_rate_per_unit_day'", "field 'evidence'",
        "tag it 'fitted', not 'observational'"),
}


@pytest.mark.parametrize("case", CORRUPTED_PARAMETERS.values(), ids=CORRUPTED_PARAMETERS.keys())
def test_corrupted_parameter_file_fails_at_load_naming_file_record_and_field(data_copy, case):
    filename, old, new, *parts = case
    replace_in(data_copy / filename, old, new)
    expect_error(lambda: load_parameters(filename, data_copy), *parts)


def test_illustrative_value_without_reason(data_copy):
    path = data_copy / "relief_parameters.csv"
    lines = path.read_text().splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("needle_days,"))
    lines[index] = "needle_days,Needle effect lasts,7,days,3,14,1,seed_kandel,illustrative,"
    path.write_text("\n".join(lines) + "\n")
    expect_error(lambda: load_parameters("relief_parameters.csv", data_copy),
                 "'needle_days'", "field 'note'", "must say why")


def test_fitted_values_are_tagged_fitted_and_say_what_they_were_fitted_to():
    fitted = {name: spec for name, spec in load_parameters("junction_parameters.csv").items()
              if spec.evidence == "fitted"}
    assert "fitted" in EVIDENCE_TAGS and "cleavage_rate_per_unit_day" in fitted and "dose_units" not in fitted
    assert all(spec.note.startswith("fitted to ") for spec in fitted.values())


def test_bibliography_bad_doi_and_missing_link(data_copy):
    replace_in(data_copy / "bibliography.yaml", "doi: 10.1016/j.jpain.2007.09.005", "doi: jpain-2008")
    expect_error(lambda: load_bibliography(data_copy), "bibliography.yaml", "'dworkin2008'", "field 'doi'", "not a DOI")


def test_bibliography_unknown_evidence_tag(data_copy):
    path = data_copy / "bibliography.yaml"
    text = path.read_text()
    start = text.index("id: dworkin2008")
    tag = re.compile(r"evidence: \w+").search(text, start)
    path.write_text(text[:tag.start()] + "evidence: rumour" + text[tag.end():])
    expect_error(lambda: load_bibliography(data_copy), "'dworkin2008'", "field 'evidence'",
                 "unknown evidence tag 'rumour'")


def test_bibliography_duplicate_id(data_copy):
    path = data_copy / "bibliography.yaml"
    path.write_text(path.read_text() + "\n- id: dworkin2008\n  citation: again\n  year: 2008\n"
                    "  url: https://example.org\n  evidence: review\n")
    expect_error(lambda: load_bibliography(data_copy), "'dworkin2008'", "field 'id'", "duplicate")


def test_preset_out_of_parameter_range(data_copy):
    replace_in(data_copy / "relief_presets.csv", "seed_kandel,illustrative,21,84,40,12,15",
               "seed_kandel,illustrative,40,84,40,12,15")
    expect_error(lambda: load_presets("relief_presets.csv", "relief_parameters.csv", data_copy),
                 "relief_presets.csv", "'slow_responder' (row 3)", "field 'onset_days'", "40 is out of range 2 to 28")


def test_preset_unknown_column(data_copy):
    replace_in(data_copy / "relief_presets.csv", "needle_relief_percent\n", "needle_relief_percents\n")
    expect_error(lambda: load_presets("relief_presets.csv", "relief_parameters.csv", data_copy),
                 "relief_presets.csv", "field 'needle_relief_percents'", "not a parameter")


@pytest.mark.parametrize("question, option, key, value, record, field, problem", [
    (0, 2, "feedback", "", "'onset-versus-meaningful' (#1)", "field 'options[3].feedback'", "missing"),
    (1, 0, "correct", "yes", "(#2)", "field 'options[1].correct'", "'yes' must be true or false"),
], ids=["option-without-feedback", "correct-neither-true-nor-false"])
def test_question_option_fields(data_copy, question, option, key, value, record, field, problem):
    path = data_copy / "questions" / "03_onset_and_duration.yaml"
    questions = yaml.safe_load(path.read_text())
    questions[question]["options"][option][key] = value
    path.write_text(yaml.safe_dump(questions))
    expect_error(lambda: load_questions("03_onset_and_duration.yaml", data_copy),
                 "03_onset_and_duration.yaml", record, field, problem)


def test_question_with_two_correct_options(data_copy):
    path = data_copy / "questions" / "03_onset_and_duration.yaml"
    replace_in(path, "    correct: false", "    correct: true")
    expect_error(lambda: load_questions("03_onset_and_duration.yaml", data_copy),
                 "'onset-versus-meaningful' (#1)", "field 'options'", "exactly one option")


def test_missing_file_is_named(data_copy):
    (data_copy / "units.csv").unlink()
    expect_error(lambda: load_units(data_copy), "units.csv", "file not found")


# --- rules declared once in helpers/schemas.py, for every file that has the fields ---------------
def test_illustrative_rule_is_the_same_in_every_file(data_copy):
    """One rule, not a copy per loader: an illustrative price without a note fails like a parameter does."""
    replace_in(data_copy / "risk_prices.csv",
               "medicare_2005,Medicare payment limit per unit (J0585),4.71,USD/U,2005,US,"
               "carecost2026,secondary,\"US Medicare, 2005, as quoted by a billing site (secondary).\"",
               "medicare_2005,Medicare payment limit per unit (J0585),4.71,USD/U,2005,US,carecost2026,illustrative,")
    from helpers.models import risk
    expect_error(lambda: risk.load_prices(data_copy), "risk_prices.csv", "'medicare_2005' (row 4)", "field 'note'",
                 "must say why")


def test_fitted_rule_applies_beyond_parameter_files(data_copy):
    replace_in(data_copy / "risk_products.csv", ",dashtipour2016,review,\"About 2.5",
               ",dashtipour2016,review,\"Fitted: about 2.5")
    from helpers.models import risk
    expect_error(lambda: risk.load_products(data_copy), "risk_products.csv", "'abobotulinumtoxinA'", "field 'evidence'",
                 "tag it 'fitted', not 'review'")


def test_preset_value_off_the_slider_steps(data_copy):
    replace_in(data_copy / "junction_presets.csv", "sloop1996,illustrative,5,1,12", "sloop1996,illustrative,6,1,12")
    expect_error(lambda: load_presets("junction_presets.csv", "junction_parameters.csv", data_copy),
                 "junction_presets.csv", "'low_dose' (row 2)", "field 'dose_units'",
                 "6 is not a step of the slider (0 to 40 in steps of 2.5)")


def test_course_map_minutes_must_be_whole(data_copy):
    replace_in(data_copy / "course_map.yaml", "minutes: 10\n", "minutes: ten\n")
    with pytest.raises(DataFileError,
                       match=r"course_map.yaml, record '00_start_here' \(#1\), field 'minutes': 'ten' must"):
        course_map_rows(data_copy)


def test_no_data_file_is_read_when_the_helpers_are_imported():
    """Opening any notebook imports every explorable; a broken data file must not break that import cell."""
    import subprocess
    import sys

    code = ("import pathlib\nread = []\nfor name in ('open', 'read_text'):\n"
            "    original = getattr(pathlib.Path, name)\n"
            "    setattr(pathlib.Path, name, lambda self, *a, _o=original, **k: "
            "(read.append(self.name), _o(self, *a, **k))[1])\n"
            "import helpers.explorables as e, helpers.quiz, helpers.references, helpers.course\n"
            "for name in e.__all__: getattr(e, name)\n"
            "print(sorted({f for f in read if f.endswith(('.csv', '.yaml'))}))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
