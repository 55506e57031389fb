"""Load and validate the course's plain-text data files (``data/``).

Every loader checks its file as it reads it. A problem raises :class:`DataFileError`, whose
message names the file, the record and the field, e.g.::

    relief_parameters.csv, record 'onset_days' (row 3), field 'unit': unknown unit 'dayz';
    known units are listed in units.csv

Formats
-------
``units.csv``
    unit, min, max, meaning: every unit a number in ``data/`` may carry, with the values that
    make physical sense for it (a percentage lies in 0-100).
``bibliography.yaml``
    a list of sources: id, citation, year, doi or url, evidence tag (see ``EVIDENCE_TAGS``).
``*_parameters.csv``
    name, label, value, unit, min, max, step, source_id, evidence, note. ``min``/``max`` are the
    allowed (and slider) range; an ``illustrative`` value must say why in ``note``.
``*_presets.csv``
    preset, label, description, source_id, evidence, then one column per parameter.
``questions/*.yaml``
    check-your-understanding questions, each option with its feedback.

Loaders take an optional ``data_dir`` so that tests can point them at corrupted copies.
"""
from __future__ import annotations

import csv
import functools
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

EVIDENCE_TAGS = {
    "trial": "randomised or controlled clinical trial",
    "review": "systematic review or meta-analysis",
    "guideline": "clinical guideline or consensus recommendation",
    "label": "regulatory label or regulator's statement",
    "observational": "cohort, case series or other observational clinical study",
    "experimental": "laboratory or animal study",
    "expert": "expert opinion or textbook",
    "seed": "a claim from one of the lay articles the course answers",
    "illustrative": "a teaching assumption: the note says why and gives a plausible range",
    "secondary": "a figure seen only in a secondary source that reproduces it (e.g. a billing site quoting a price list)",
    "fitted": "a model parameter fitted to calibration data: the note starts 'fitted to' and names the data",
}


class DataFileError(ValueError):
    """A data file is malformed; the message names the file, the record and the field."""

    def __init__(self, path: Path | str, record: str, field_name: str, problem: str):
        self.file = Path(path).name
        self.record = record
        self.field = field_name
        self.problem = problem
        super().__init__(f"{self.file}, record {record}, field '{field_name}': {problem}")


# ---------------------------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Unit:
    unit: str
    min: float
    max: float
    meaning: str


@dataclass(frozen=True)
class Source:
    id: str
    citation: str
    year: int
    evidence: str
    doi: str = ""
    url: str = ""
    note: str = ""

    @property
    def link(self) -> str:
        """A clickable address: the DOI resolver if there is a DOI, else the URL (may be empty)."""
        return f"https://doi.org/{self.doi}" if self.doi else self.url


@dataclass(frozen=True)
class Parameter:
    name: str
    label: str
    value: float
    unit: str
    min: float
    max: float
    step: float
    source_id: str
    evidence: str
    note: str = ""


@dataclass(frozen=True)
class Preset:
    name: str
    label: str
    description: str
    source_id: str
    evidence: str
    values: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Option:
    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class Question:
    id: str
    prompt: str
    options: tuple
    source_ids: tuple = ()


# ---------------------------------------------------------------------------------------------
# Field checks, reusable by every loader (and by topic-specific loaders elsewhere in helpers)
# ---------------------------------------------------------------------------------------------
def _dir(data_dir) -> Path:
    return Path(data_dir) if data_dir is not None else DATA_DIR


def read_csv_records(path: Path) -> list[tuple[str, dict]]:
    """Rows of a CSV file as ``(record_label, row)``; ``#`` lines are comments.

    The record label is ``'<first column value>' (row N)``, N counting data rows from 1, so an
    error message points at a line a maintainer can find.
    """
    if not path.is_file():
        raise DataFileError(path, "(file)", "(file)", f"file not found at {path}")
    with path.open(newline="", encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip() and not line.lstrip().startswith("#")]
    reader = csv.DictReader(lines)
    records = []
    for number, row in enumerate(reader, start=1):
        if None in row:  # more cells than header columns
            raise DataFileError(path, f"(row {number})", "(row)", "more cells than header columns")
        first = next(iter(row.values()), "") or ""
        records.append((f"'{first.strip()}' (row {number})", {k.strip(): (v or "").strip() for k, v in row.items()}))
    return records


def read_yaml(path: Path):
    if not path.is_file():
        raise DataFileError(path, "(file)", "(file)", f"file not found at {path}")
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise DataFileError(path, "(file)", "(file)", f"not valid YAML: {error}") from None


def read_yaml_records(path: Path, key: str, allow_empty: bool = False) -> list[tuple[str, dict]]:
    """A YAML list of mappings as ``(record_label, entry)``, the label ``'<key value>' (#N)``.

    Checks that the file is a list, each entry a mapping with ``key`` present and unique.
    """
    entries = read_yaml(path)
    if not isinstance(entries, list) or (not entries and not allow_empty):
        raise DataFileError(path, "(file)", "(file)", "expected a non-empty list of records")
    records, seen = [], set()
    for index, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise DataFileError(path, f"#{index}", "(record)", "expected a mapping of fields")
        name = str(require_field(path, f"#{index}", entry, key))
        record = f"'{name}' (#{index})"
        if name in seen:
            raise DataFileError(path, record, key, f"duplicate {key}")
        seen.add(name)
        records.append((record, entry))
    return records


def require_field(path, record, row: dict, name: str) -> str:
    value = row.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise DataFileError(path, record, name, "missing or empty")
    return value.strip() if isinstance(value, str) else value


def parse_number(path, record, name: str, text) -> float:
    try:
        number = float(text)
    except (TypeError, ValueError):
        raise DataFileError(path, record, name, f"{text!r} is not a number") from None
    if not math.isfinite(number):
        raise DataFileError(path, record, name, f"{text!r} is not a finite number")
    return number


def check_unit(path, record, name: str, unit: str, units: dict) -> Unit:
    if unit not in units:
        raise DataFileError(path, record, name, f"unknown unit {unit!r}; known units are listed in units.csv")
    return units[unit]


def check_source(path, record, name: str, source_id: str, bibliography: dict) -> str:
    if source_id not in bibliography:
        raise DataFileError(path, record, name, f"unknown source id {source_id!r}; add it to bibliography.yaml")
    return source_id


def check_sources(path, record, entry: dict, bibliography: dict, required: bool = True) -> tuple:
    """The record's ``sources`` list, every id checked against the bibliography."""
    sources = entry.get("sources") if required else (entry.get("sources") or [])
    if not isinstance(sources, list) or (required and not sources):
        raise DataFileError(path, record, "sources",
                            f"expected a {'non-empty ' if required else ''}list of source ids")
    return tuple(check_source(path, record, "sources", str(source_id), bibliography) for source_id in sources)


def check_evidence(path, record, name: str, tag: str) -> str:
    if tag not in EVIDENCE_TAGS:
        raise DataFileError(path, record, name, f"unknown evidence tag {tag!r}; use one of {', '.join(EVIDENCE_TAGS)}")
    return tag


def check_fitted_note(path, record, evidence: str, note: str) -> None:
    """A ``fitted`` value says what it was fitted to; a note that says "fitted" carries the ``fitted`` tag.

    The note must start with "fitted to" and name the data (more than the two words), and a value whose
    note starts with "fitted" must not hide behind a measured tag such as ``observational``.
    """
    fitted_note = note.strip().lower().startswith("fitted")
    if evidence == "fitted" and not re.match(r"fitted to\s+\S+", note.strip(), re.IGNORECASE):
        raise DataFileError(path, record, "note", "a fitted value must say what it was fitted to "
                            "(start the note with 'fitted to' and name the data)")
    if fitted_note and evidence != "fitted":
        raise DataFileError(path, record, "evidence", f"the note says the value was fitted, so tag it 'fitted', "
                            f"not {evidence!r}")


def check_value_in(path, record, name: str, value: float, low: float, high: float, why: str) -> float:
    if not (low <= value <= high):
        raise DataFileError(path, record, name, f"{value:g} is out of range {low:g} to {high:g} ({why})")
    return value


# ---------------------------------------------------------------------------------------------
# Loaders
# ---------------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=None)
def _load_units(data_dir: Path) -> dict:
    path = data_dir / "units.csv"
    units = {}
    for record, row in read_csv_records(path):
        name = require_field(path, record, row, "unit")
        low = parse_number(path, record, "min", require_field(path, record, row, "min"))
        high = parse_number(path, record, "max", require_field(path, record, row, "max"))
        if low > high:
            raise DataFileError(path, record, "max", f"max {high:g} is below min {low:g}")
        units[name] = Unit(name, low, high, require_field(path, record, row, "meaning"))
    return units


def load_units(data_dir=None) -> dict:
    """``units.csv`` as ``{unit: Unit}``."""
    return _load_units(_dir(data_dir))


_DOI = re.compile(r"^10\.\d{4,9}/\S+$")


@functools.lru_cache(maxsize=None)
def _load_bibliography(data_dir: Path) -> dict:
    path = data_dir / "bibliography.yaml"
    sources = {}
    for record, entry in read_yaml_records(path, "id"):
        source_id = str(entry["id"])
        citation = str(require_field(path, record, entry, "citation"))
        year = parse_number(path, record, "year", require_field(path, record, entry, "year"))
        check_value_in(path, record, "year", year, 1800, 2100, "a publication year")
        evidence = check_evidence(path, record, "evidence", str(require_field(path, record, entry, "evidence")))
        doi = str(entry.get("doi") or "").strip()
        url = str(entry.get("url") or "").strip()
        if doi and not _DOI.match(doi):
            raise DataFileError(path, record, "doi", f"{doi!r} is not a DOI (10.NNNN/...)")
        if url and not url.startswith(("https://", "http://")):
            raise DataFileError(path, record, "url", f"{url!r} is not an http(s) address")
        if not doi and not url and evidence != "illustrative":
            raise DataFileError(path, record, "doi", "a source needs a doi or a url")
        sources[source_id] = Source(source_id, citation, int(year), evidence, doi, url, str(entry.get("note") or ""))
    return sources


def load_bibliography(data_dir=None) -> dict:
    """``bibliography.yaml`` as ``{id: Source}``."""
    return _load_bibliography(_dir(data_dir))


@functools.lru_cache(maxsize=None)
def _load_parameters(data_dir: Path, filename: str) -> dict:
    path = data_dir / filename
    units = load_units(data_dir)
    bibliography = load_bibliography(data_dir)
    parameters = {}
    for record, row in read_csv_records(path):
        name = require_field(path, record, row, "name")
        if name in parameters:
            raise DataFileError(path, record, "name", "duplicate parameter name")
        unit = check_unit(path, record, "unit", require_field(path, record, row, "unit"), units)
        numbers = {key: parse_number(path, record, key, require_field(path, record, row, key))
                   for key in ("value", "min", "max", "step")}
        for key in ("value", "min", "max"):
            check_value_in(path, record, key, numbers[key], unit.min, unit.max, f"the range of unit {unit.unit!r}")
        if numbers["min"] > numbers["max"]:
            raise DataFileError(path, record, "max", f"max {numbers['max']:g} is below min {numbers['min']:g}")
        check_value_in(path, record, "value", numbers["value"], numbers["min"], numbers["max"], "this record's min to max")
        if numbers["step"] <= 0:
            raise DataFileError(path, record, "step", f"{numbers['step']:g} must be positive")
        source_id = check_source(path, record, "source_id", require_field(path, record, row, "source_id"), bibliography)
        evidence = check_evidence(path, record, "evidence", require_field(path, record, row, "evidence"))
        note = row.get("note", "")
        if evidence == "illustrative" and not note:
            raise DataFileError(path, record, "note", "an illustrative value must say why it was chosen")
        check_fitted_note(path, record, evidence, note)
        parameters[name] = Parameter(name, require_field(path, record, row, "label"), numbers["value"], unit.unit,
                                     numbers["min"], numbers["max"], numbers["step"], source_id, evidence, note)
    return parameters


def load_parameters(filename: str, data_dir=None) -> dict:
    """A ``*_parameters.csv`` file as ``{name: Parameter}``, validated against units and bibliography."""
    return _load_parameters(_dir(data_dir), filename)


_PRESET_FIELDS = ("preset", "label", "description", "source_id", "evidence")


@functools.lru_cache(maxsize=None)
def _load_presets(data_dir: Path, filename: str, parameters_filename: str) -> dict:
    path = data_dir / filename
    parameters = load_parameters(parameters_filename, data_dir)
    bibliography = load_bibliography(data_dir)
    presets = {}
    for record, row in read_csv_records(path):
        text = {key: require_field(path, record, row, key) for key in _PRESET_FIELDS}
        check_source(path, record, "source_id", text["source_id"], bibliography)
        check_evidence(path, record, "evidence", text["evidence"])
        values = {}
        for column, cell in row.items():
            if column in _PRESET_FIELDS:
                continue
            if column not in parameters:
                raise DataFileError(path, record, column, f"not a parameter of {parameters_filename}")
            spec = parameters[column]
            number = parse_number(path, record, column, require_field(path, record, row, column))
            check_value_in(path, record, column, number, spec.min, spec.max, f"the allowed range in {parameters_filename}")
            values[column] = number
        presets[text["preset"]] = Preset(text["preset"], text["label"], text["description"],
                                         text["source_id"], text["evidence"], values)
    return presets


def load_presets(filename: str, parameters_filename: str, data_dir=None) -> dict:
    """A ``*_presets.csv`` file as ``{name: Preset}``; each value is checked against its parameter's range."""
    return _load_presets(_dir(data_dir), filename, parameters_filename)


@functools.lru_cache(maxsize=None)
def _load_questions(data_dir: Path, filename: str) -> tuple:
    path = data_dir / "questions" / filename
    bibliography = load_bibliography(data_dir)
    questions = []
    for record, entry in read_yaml_records(path, "id"):
        qid = str(entry["id"])
        prompt = str(require_field(path, record, entry, "prompt"))
        raw_options = entry.get("options")
        if not isinstance(raw_options, list) or len(raw_options) < 2:
            raise DataFileError(path, record, "options", "needs a list of at least two options")
        options = []
        for number, raw in enumerate(raw_options, start=1):
            where = f"options[{number}]"
            if not isinstance(raw, dict):
                raise DataFileError(path, record, where, "expected text, correct and feedback")
            correct = raw.get("correct", False)
            if not isinstance(correct, bool):
                raise DataFileError(path, record, f"{where}.correct", f"{correct!r} must be true or false")
            text, feedback = (str(raw.get(key) or "").strip() for key in ("text", "feedback"))
            for key, value in (("text", text), ("feedback", feedback)):
                if not value:
                    raise DataFileError(path, record, f"{where}.{key}", "missing or empty")
            options.append(Option(text, correct, feedback))
        if sum(option.correct for option in options) != 1:
            raise DataFileError(path, record, "options", "exactly one option must be marked correct")
        sources = check_sources(path, record, entry, bibliography, required=False)
        questions.append(Question(qid, prompt, tuple(options), sources))
    return tuple(questions)


def load_questions(filename: str, data_dir=None) -> tuple:
    """``questions/<filename>`` as a tuple of :class:`Question`."""
    return _load_questions(_dir(data_dir), filename)
