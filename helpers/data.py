"""Load the course's plain-text data files (``data/``) and validate them against their declared schemas.

The schemas (columns, types, ranges, units, evidence tags, cross-file references) are declared once, as record
classes in :mod:`helpers.schemas`; this module reads a file, validates every row with its record class, and turns
the first problem into a :class:`DataFileError` whose message names the file, the record and the field, e.g.::

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
topic files (``acr_regions.csv``, ``risk_benefit.csv``, ``junction_steps.yaml`` ...)
    one record class each in :mod:`helpers.schemas`, loaded with :func:`load_records`.

CSV lines starting with ``#`` are comments. Loaders take an optional ``data_dir`` so that tests can point them at
corrupted copies; results are cached per directory, and nothing is read until a loader is called.
"""
from __future__ import annotations

import csv
import functools
from pathlib import Path

import yaml
from pydantic import TypeAdapter, ValidationError

from .schemas import EVIDENCE_TAGS, CourseMapEntry, FileProblem, Option, Parameter, Preset, Question, Site, Source, Unit

__all__ = ["DATA_DIR", "EVIDENCE_TAGS", "DataFileError", "Option", "Parameter", "Preset", "Question", "Source", "Unit",
           "load_bibliography", "load_course_map", "load_keyed", "load_parameters", "load_presets", "load_questions",
           "load_records", "load_units"]

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


class DataFileError(ValueError):
    """A data file is malformed; the message names the file, the record and the field."""

    def __init__(self, path: Path | str, record: str, field_name: str, problem: str):
        self.file = Path(path).name
        self.record = record
        self.field = field_name
        self.problem = problem
        super().__init__(f"{self.file}, record {record}, field '{field_name}': {problem}")


# ---------------------------------------------------------------------------------------------
# Reading rows
# ---------------------------------------------------------------------------------------------
def _csv_rows(path: Path) -> list[tuple[str, dict]]:
    """Rows as ``(record label, row)``; the label is ``'<first column value>' (row N)``, N counting data rows from 1,
    so an error message points at a line a maintainer can find."""
    with path.open(newline="", encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip() and not line.lstrip().startswith("#")]
    rows = []
    for number, row in enumerate(csv.DictReader(lines), start=1):
        if None in row:  # more cells than header columns
            raise DataFileError(path, f"(row {number})", "(row)", "more cells than header columns")
        first = next(iter(row.values()), "") or ""
        rows.append((f"'{first.strip()}' (row {number})", {k.strip(): (v or "").strip() for k, v in row.items()}))
    return rows


def _yaml_rows(path: Path, key: str) -> list[tuple[str, dict]]:
    """A YAML list of mappings as ``(record label, entry)``, the label ``'<key value>' (#N)``."""
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise DataFileError(path, "(file)", "(file)", f"not valid YAML: {error}") from None
    if not isinstance(entries, list) or not entries:
        raise DataFileError(path, "(file)", "(file)", "expected a non-empty list of records")
    rows = []
    for index, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise DataFileError(path, f"#{index}", "(record)", "expected a mapping of fields")
        rows.append((f"'{entry[key]}' (#{index})" if entry.get(key) is not None else f"#{index}", entry))
    return rows


# ---------------------------------------------------------------------------------------------
# Validating records
# ---------------------------------------------------------------------------------------------
def _field_name(error: dict) -> str:
    """``options[3].feedback`` from the error's location (``('options', 2, 'feedback')``) and the field it names."""
    name = ""
    for part in error["loc"]:
        name += f"[{part + 1}]" if isinstance(part, int) else f"{'.' if name else ''}{part}"
    field = (error.get("ctx") or {}).get("field")
    if field and not (error["loc"] and error["loc"][-1] == field):
        name = f"{name}.{field}" if name else field
    return name or "(record)"


def _message(error: dict, csv_file: bool) -> str:
    if error["type"] == "course_data":
        return error["ctx"]["message"]
    if error["type"] == "missing":
        return "column missing from the header" if csv_file else "missing or empty"
    return f"{error['input']!r}: {error['msg']}"


@functools.lru_cache(maxsize=None)
def _adapter(record: type) -> TypeAdapter:
    return TypeAdapter(record)


def validate_rows(record: type, path: Path, context: dict) -> tuple:
    """Every row of ``path`` as a ``record`` (a class of :mod:`helpers.schemas`), then the file's own rules: unique
    ``record.KEY`` and ``record.check_file``. The first problem raises :class:`DataFileError`."""
    if not path.is_file():
        raise DataFileError(path, "(file)", "(file)", f"file not found at {path}")
    csv_file = path.suffix == ".csv"
    rows = _csv_rows(path) if csv_file else _yaml_rows(path, record.KEY[0])
    records, seen = [], set()
    for label, row in rows:
        try:
            item = _adapter(record).validate_python(row, context=context)
        except ValidationError as error:
            first = error.errors()[0]
            raise DataFileError(path, label, _field_name(first), _message(first, csv_file)) from None
        key = tuple(getattr(item, name) for name in record.KEY)
        if key and key in seen:
            earlier = "".join(f" for {name} {value!r}" for name, value in zip(record.KEY[:-1], key[:-1], strict=True))
            raise DataFileError(path, label, record.KEY[-1], f"duplicate {record.KEY[-1]} {key[-1]!r}{earlier}")
        seen.add(key)
        records.append(item)
    try:
        record.check_file(tuple(records), context)
    except FileProblem as problem:
        raise DataFileError(path, problem.record, problem.field, problem.message) from None
    return tuple(records)


def _dir(data_dir) -> Path:
    return Path(data_dir) if data_dir is not None else DATA_DIR


@functools.lru_cache(maxsize=None)
def _load(record: type, relative: str, data_dir: Path, parameters_file: str, sites_file: str, elements: tuple) -> tuple:
    context = {}
    if record not in (Unit, Source):
        context = {"units": load_units(data_dir), "bibliography": load_bibliography(data_dir)}
    if parameters_file:
        context.update(parameters=load_parameters(parameters_file, data_dir), parameters_file=parameters_file)
    if sites_file:
        context["sites"] = {site.name for site in load_records(Site, sites_file, data_dir)}
    if elements:
        context["elements"] = elements
    return validate_rows(record, data_dir / relative, context)


def load_records(record: type, filename: str, data_dir=None, parameters_file: str = "", sites_file: str = "",
                 elements: tuple = ()) -> tuple:
    """The records of ``data/<filename>`` as a tuple of ``record`` (a class of :mod:`helpers.schemas`), validated.

    Source ids and units are checked against ``bibliography.yaml`` and ``units.csv``; ``parameters_file`` supplies
    parameter ranges (presets, calibration doses), ``sites_file`` the WPI site names, ``elements`` a drawing
    vocabulary. Cached per data directory.
    """
    return _load(record, filename, _dir(data_dir), parameters_file, sites_file, tuple(elements))


@functools.lru_cache(maxsize=None)
def _keyed(record: type, *where) -> dict:
    key = record.KEY
    return {(getattr(item, key[0]) if len(key) == 1 else tuple(getattr(item, name) for name in key)): item
            for item in _load(record, *where)}


def load_keyed(record: type, filename: str, data_dir=None, parameters_file: str = "", sites_file: str = "") -> dict:
    """Like :func:`load_records`, as ``{key: record}`` in file order (the key is a tuple when ``record.KEY`` has
    several fields). Cached: do not change the dict."""
    return _keyed(record, filename, _dir(data_dir), parameters_file, sites_file, ())


def load_units(data_dir=None) -> dict:
    """``units.csv`` as ``{unit: Unit}``."""
    return load_keyed(Unit, "units.csv", data_dir)


def load_bibliography(data_dir=None) -> dict:
    """``bibliography.yaml`` as ``{id: Source}``."""
    return load_keyed(Source, "bibliography.yaml", data_dir)


def load_parameters(filename: str, data_dir=None) -> dict:
    """A ``*_parameters.csv`` file as ``{name: Parameter}``, validated against units and bibliography."""
    return load_keyed(Parameter, filename, data_dir)


def load_presets(filename: str, parameters_filename: str, data_dir=None, record: type = Preset,
                 sites_file: str = "") -> dict:
    """A ``*_presets.csv`` file as ``{name: Preset}``; each value is checked against its parameter's range and step
    (``record`` :class:`helpers.schemas.SitePreset` with ``sites_file`` for presets that also list painful sites)."""
    return load_keyed(record, filename, data_dir, parameters_file=parameters_filename, sites_file=sites_file)


def load_questions(filename: str, data_dir=None) -> tuple:
    """``questions/<filename>`` as a tuple of :class:`Question`."""
    return load_records(Question, f"questions/{filename}", data_dir)


def load_course_map(data_dir=None) -> tuple:
    """``course_map.yaml`` as a tuple of :class:`CourseMapEntry`, in course order."""
    return load_records(CourseMapEntry, "course_map.yaml", data_dir)
