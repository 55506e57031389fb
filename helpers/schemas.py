"""Declared schemas of the course's data files (``data/``): one typed record class per file.

Each record is a frozen pydantic dataclass. Its fields are the file's columns (CSV) or keys (YAML), declared with
the field types below, which say once what a cell may hold: required text, a finite number, a yes/no flag, one of a
vocabulary, a unit from ``units.csv``, a source id from ``bibliography.yaml``. Rules that involve several fields of
one record (a value inside its own min-max, an illustrative value that says why) are validators of the record; rules
that involve several records of one file (unique keys, every region present) are the record class's ``KEY`` and
``check_file``. ``helpers.data`` reads the files, validates each row with these classes and turns the first problem
into a :class:`helpers.data.DataFileError` that names the file, the record and the field. Models receive the records
already valid and only check their own numeric inputs.

Cross-file references (units, sources, parameter ranges, WPI sites, schematic elements) are checked against the
validation context the loader passes (``units``, ``bibliography``, ``parameters``, ``sites``, ``elements``). A record
built in code without a context (a test's example source) gets every check except those cross-file ones.
"""
from __future__ import annotations

import math
import re
from typing import Annotated, ClassVar, Optional

from pydantic import AfterValidator, BeforeValidator, ValidationInfo, model_validator
from pydantic.dataclasses import dataclass
from pydantic_core import PydanticCustomError

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
    "secondary": ("a figure seen only in a secondary source that reproduces it "
                  "(e.g. a billing site quoting a price list)"),
    "fitted": "a model parameter fitted to calibration data: the note starts 'fitted to' and names the data",
}

# Vocabularies of the topic files (the models import them from here).
SIDES = ("left", "axial", "right")
REGION_KEYS = ("left_upper", "right_upper", "left_lower", "right_lower", "axial")
WPI_SITES = 19
# Injection sites with their closest trial. The two upper-back rows are one population at one dose (myofascial pain in
# neck and shoulder muscles, Dysport 400 U): they differ only in injection strategy (benecke2011 fixed sites, gobel2006
# trigger points).
REGIONS = ("upper_back_fixed", "upper_back_trigger", "lower_back", "face_forehead")
EFFECTS = ("ptosis", "neck_pain_weakness", "dysphagia", "back_pain", "injection_site_pain", "flu_like")
CHECKLIST_KINDS = ("contraindication", "high_risk", "not_established", "adverse_effect")
REFERENCE_PRODUCT = "onabotulinumtoxinA"
QUANTITIES = {
    "cmap_percent_at_day": "CMAP amplitude (% of baseline) on day `at_day` after one injection",
    "nadir_day": "day of the lowest CMAP after one injection",
    "nadir_percent": "lowest CMAP (% of baseline) after one injection",
    "max_decrement_percent": "largest CMAP decrement (% of baseline) after one injection",
    "clinical_onset_day": "first day the CMAP decrement reaches the clinical threshold",
    "clinical_duration_days": "days from clinical onset until the decrement falls back below the threshold",
    "parent_recovery_day": "day the parent terminal's release is back to 50% of normal",
    "release_half_recovery_day": "day the total release (parent + sprouts) is back to 50% of normal",
}
SPECIES = ("human", "mouse")
# not_assessed: a therapy EULAR 2016 did not evaluate (botulinum toxin A), shown beside the ladder for contrast.
STRENGTHS = ("strong_for", "weak_for", "weak_against", "strong_against", "not_assessed")
GROUPS = ("drug", "non-drug")
PHASES = ("normal", "block", "recovery")


# ---------------------------------------------------------------------------------------------
# Problems and field types
# ---------------------------------------------------------------------------------------------
def problem(field: str, message: str) -> PydanticCustomError:
    """A validation error for ``field`` whose text is ``message`` (raise it from any validator)."""
    return PydanticCustomError("course_data", "{message}", {"field": field, "message": message})


class FileProblem(ValueError):
    """A rule over a whole file is broken: ``record`` is the label of the record to blame (or ``(file)``)."""

    def __init__(self, record: str, field: str, message: str):
        super().__init__(message)
        self.record, self.field, self.message = record, field, message


def _context(info: ValidationInfo, key: str):
    return (info.context or {}).get(key)


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value, info: ValidationInfo) -> str:
    if _blank(value):
        raise problem(info.field_name, "missing or empty")
    return str(value).strip()


def _note(value) -> str:
    return "" if value is None else str(value).strip()


def _number(value, info: ValidationInfo) -> float:
    return number_in(value, info.field_name)


def number_in(value, field: str) -> float:
    """``value`` (a cell of ``field``) as a finite number."""
    if _blank(value):
        raise problem(field, "missing or empty")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise problem(field, f"{value!r} is not a number") from None
    if not math.isfinite(number):
        raise problem(field, f"{value!r} is not a finite number")
    return number


def _optional_number(value, info: ValidationInfo) -> float:
    """An empty cell is NaN (a value the source does not give)."""
    return math.nan if _blank(value) else _number(value, info)


def _yes_no(value, info: ValidationInfo) -> bool:
    if value not in ("yes", "no"):
        raise problem(info.field_name, f"{value!r} must be yes or no")
    return value == "yes"


def _true_false(value, info: ValidationInfo) -> bool:
    if not isinstance(value, bool):
        raise problem(info.field_name, f"{value!r} must be true or false")
    return value


def _positive(value: float, info: ValidationInfo) -> float:
    if value <= 0:
        raise problem(info.field_name, f"{value:g} must be positive")
    return value


def within(low: float, high: float, why: str) -> AfterValidator:
    """A number in ``low``-``high``; the message says what the range is (``why``)."""
    def check(value: float, info: ValidationInfo) -> float:
        if not low <= value <= high:
            raise problem(info.field_name, f"{value:g} is out of range {low:g} to {high:g} ({why})")
        return value
    return AfterValidator(check)


def one_of(choices, noun: str = "") -> AfterValidator:
    """Text from a fixed vocabulary."""
    def check(value: str, info: ValidationInfo) -> str:
        if value not in choices:
            raise problem(info.field_name, f"unknown {noun or info.field_name.replace('_', ' ')} {value!r}; "
                                           f"use one of {', '.join(choices)}")
        return value
    return AfterValidator(check)


def known(key: str, noun: str, hint: str = "") -> AfterValidator:
    """Text (or a list of texts) naming an entry of the context's ``key`` (another file, or a drawing vocabulary)."""
    def check(value, info: ValidationInfo):
        entries = _context(info, key)
        for item in (value if isinstance(value, tuple) else (value,)):
            if entries is not None and item not in entries:
                raise problem(info.field_name, f"unknown {noun} {item!r}; {hint or 'use one of ' + ', '.join(entries)}")
        return value
    return AfterValidator(check)


def _id_list(required: bool):
    def check(value, info: ValidationInfo) -> tuple:
        if value is None and not required:
            return ()
        if not isinstance(value, list) or (required and not value):
            raise problem(info.field_name, f"expected a {'non-empty ' if required else ''}list of "
                                           f"{'source ids' if info.field_name == 'sources' else 'names'}")
        return tuple(str(item).strip() for item in value)
    return BeforeValidator(check)


Text = Annotated[str, BeforeValidator(_text)]
Note = Annotated[str, BeforeValidator(_note)]
Number = Annotated[float, BeforeValidator(_number)]
OptionalNumber = Annotated[float, BeforeValidator(_optional_number)]
Positive = Annotated[float, BeforeValidator(_number), AfterValidator(_positive)]
YesNo = Annotated[bool, BeforeValidator(_yes_no)]
TrueFalse = Annotated[bool, BeforeValidator(_true_false)]
_IN_UNITS = known("units", "unit", "known units are listed in units.csv")
_IN_BIBLIOGRAPHY = known("bibliography", "source id", "add it to bibliography.yaml")
UnitName = Annotated[str, BeforeValidator(_text), _IN_UNITS]
SourceId = Annotated[str, BeforeValidator(_text), _IN_BIBLIOGRAPHY]
SourceIds = Annotated[tuple, _id_list(True), _IN_BIBLIOGRAPHY]
OptionalSourceIds = Annotated[tuple, _id_list(False), _IN_BIBLIOGRAPHY]
Dose = Annotated[float, BeforeValidator(_number), within(1, 5000, "a dose in units")]


def Choice(choices, noun: str = ""):  # noqa: N802 (a type, named like one)
    """Required text from the vocabulary ``choices``."""
    return Annotated[str, BeforeValidator(_text), one_of(choices, noun)]


Evidence = Choice(EVIDENCE_TAGS, "evidence tag")


# ---------------------------------------------------------------------------------------------
# What every record shares
# ---------------------------------------------------------------------------------------------
_FITTED_NOTE = re.compile(r"fitted to\s+\S+", re.IGNORECASE)


@dataclass(frozen=True)
class Record:
    """Rules shared by every record; the class variables declare which apply to a file.

    ``KEY``       fields whose values must be unique in the file (the record's identity)
    ``MEASURED``  number fields measured in the record's ``unit``: each lies in the range units.csv gives that unit
    ``ORDERED``   number fields that must not decrease (low <= central <= high); NaN (not given) is skipped
    ``TAGGED``    the ``evidence`` tag and ``note`` describe the record's values: an ``illustrative`` value says why it
                  was chosen, a ``fitted`` one what it was fitted to (the note starts "fitted to"), and a note saying
                  "fitted" carries the ``fitted`` tag. (A bibliography entry's tag describes a source instead.)
    """

    KEY: ClassVar[tuple] = ()
    TAGGED: ClassVar[bool] = True
    MEASURED: ClassVar[tuple] = ()
    ORDERED: ClassVar[tuple] = ()

    @model_validator(mode="after")
    def _shared_rules(self, info: ValidationInfo):
        units = _context(info, "units")
        if self.MEASURED and units is not None:
            unit = units[self.unit]
            for name in self.MEASURED:
                value = getattr(self, name)
                if not math.isnan(value) and not unit.min <= value <= unit.max:
                    raise problem(name, f"{value:g} is out of range {unit.min:g} to {unit.max:g} "
                                        f"(the range of unit {unit.unit!r})")
        # consecutive pairs: the shifted copy is one shorter by design
        for first, second in zip(self.ORDERED, self.ORDERED[1:], strict=False):
            low, high = getattr(self, first), getattr(self, second)
            if low > high:
                raise problem(second, f"{high:g} is below {first} {low:g} (need {' <= '.join(self.ORDERED)})")
        evidence, note = getattr(self, "evidence", None), getattr(self, "note", None)
        if self.TAGGED and evidence is not None and note is not None:
            if evidence == "illustrative" and not note:
                raise problem("note", "an illustrative value must say why it was chosen")
            if evidence == "fitted" and not _FITTED_NOTE.match(note):
                raise problem("note", "a fitted value must say what it was fitted to "
                                      "(start the note with 'fitted to' and name the data)")
            if note.lower().startswith("fitted") and evidence != "fitted":
                raise problem("evidence", f"the note says the value was fitted, so tag it 'fitted', not {evidence!r}")
        return self

    @classmethod
    def check_file(cls, records: tuple, context: dict) -> None:
        """Rules over the whole file (raise :class:`FileProblem`); by default the file must hold a record."""
        if not records:
            raise FileProblem("(file)", "(file)", "no records")


@dataclass(frozen=True, kw_only=True)
class Sourced(Record):
    """A record of values with their source, evidence tag and note (keyword fields, validated after the others)."""

    source_id: SourceId
    evidence: Evidence
    note: Note = ""


def require_all(records: tuple, field: str, expected) -> None:
    """Every value of ``expected`` occurs in ``field`` of some record."""
    present = {getattr(record, field) for record in records}
    missing = [value for value in expected if value not in present]
    if missing:
        raise FileProblem(f"'{missing[0]}'", field, f"missing {field.replace('_', ' ')}")


# ---------------------------------------------------------------------------------------------
# units.csv and bibliography.yaml
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Unit(Record):
    unit: Text
    min: Number
    max: Number
    meaning: Text

    KEY: ClassVar[tuple] = ("unit",)
    ORDERED: ClassVar[tuple] = ("min", "max")


_DOI = re.compile(r"^10\.\d{4,9}/\S+$")


def _doi(value: str, info: ValidationInfo) -> str:
    if value and not _DOI.match(value):
        raise problem(info.field_name, f"{value!r} is not a DOI (10.NNNN/...)")
    return value


def _url(value: str, info: ValidationInfo) -> str:
    if value and not value.startswith(("https://", "http://")):
        raise problem(info.field_name, f"{value!r} is not an http(s) address")
    return value


@dataclass(frozen=True)
class Source(Record):
    id: Text
    citation: Text
    year: Annotated[int, BeforeValidator(_number), within(1800, 2100, "a publication year")]
    evidence: Evidence
    doi: Annotated[str, BeforeValidator(_note), AfterValidator(_doi)] = ""
    url: Annotated[str, BeforeValidator(_note), AfterValidator(_url)] = ""
    note: Note = ""

    KEY: ClassVar[tuple] = ("id",)
    TAGGED: ClassVar[bool] = False

    @property
    def link(self) -> str:
        """A clickable address: the DOI resolver if there is a DOI, else the URL (may be empty)."""
        return f"https://doi.org/{self.doi}" if self.doi else self.url

    @model_validator(mode="after")
    def _needs_an_address(self):
        if not self.doi and not self.url and self.evidence != "illustrative":
            raise problem("doi", "a source needs a doi or a url")
        return self


# ---------------------------------------------------------------------------------------------
# Parameters and presets (*_parameters.csv, *_presets.csv)
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Parameter(Sourced):
    """One row of a parameter file: the default, the allowed (and slider) range, its unit and its source."""

    name: Text
    label: Text
    value: Number
    unit: UnitName
    min: Number
    max: Number
    step: Positive

    KEY: ClassVar[tuple] = ("name",)
    MEASURED: ClassVar[tuple] = ("value", "min", "max")
    ORDERED: ClassVar[tuple] = ("min", "max")

    @model_validator(mode="after")
    def _value_in_own_range(self):
        if not self.min <= self.value <= self.max:
            raise problem("value", f"{self.value:g} is out of range {self.min:g} to {self.max:g} "
                                   "(this record's min to max)")
        return self


def preset_value(spec: Parameter, column: str, cell, where: str) -> float:
    """A preset's cell for parameter ``spec``: a number the parameter's slider can show."""
    number = number_in(cell, column)
    if not spec.min <= number <= spec.max:
        raise problem(column, f"{number:g} is out of range {spec.min:g} to {spec.max:g} (the allowed range in {where})")
    steps = (number - spec.min) / spec.step
    if abs(steps - round(steps)) > 1e-6 and number != spec.max:
        raise problem(column, f"{number:g} is not a step of the slider ({spec.min:g} to {spec.max:g} in steps of "
                              f"{spec.step:g})")
    return number


@dataclass(frozen=True)
class Preset(Record):
    """A row of a presets file: the fixed columns, then one column per parameter of the matching parameter file."""

    preset: Text
    label: Text
    description: Text
    source_id: SourceId
    evidence: Evidence
    values: dict

    KEY: ClassVar[tuple] = ("preset",)

    @property
    def name(self) -> str:
        return self.preset

    @model_validator(mode="before")
    @classmethod
    def _gather_values(cls, row):
        """Columns that are not fields of the record are parameter values (checked after the fields)."""
        if isinstance(row, dict) and "values" not in row:
            fixed = set(cls.__dataclass_fields__) - {"values"}
            row = {**{key: cell for key, cell in row.items() if key in fixed},
                   "values": {key: cell for key, cell in row.items() if key not in fixed}}
        return row

    @model_validator(mode="after")
    def _values_in_parameter_ranges(self, info: ValidationInfo):
        parameters, where = _context(info, "parameters"), _context(info, "parameters_file")
        if parameters is not None:
            for column, cell in self.values.items():
                if column not in parameters:
                    raise problem(column, f"not a parameter of {where}")
                self.values[column] = preset_value(parameters[column], column, cell, where)
        return self


def _site_list(text, info: ValidationInfo) -> tuple:
    return tuple(part.strip() for part in _text(text, info).split(";") if part.strip())


@dataclass(frozen=True)
class SitePreset(Preset):
    """A teaching patient of the criteria calculator: painful WPI sites (``;``-separated) and the item scores."""

    painful_sites: Annotated[tuple, BeforeValidator(_site_list)] = ()

    @model_validator(mode="after")
    def _sites_known_once(self, info: ValidationInfo):
        sites = _context(info, "sites")
        for site in self.painful_sites:
            if sites is not None and site not in sites:
                raise problem("painful_sites", f"{site!r} is not a site in acr_regions.csv")
        if len(set(self.painful_sites)) != len(self.painful_sites):
            raise problem("painful_sites", "a site is listed twice")
        return self


# ---------------------------------------------------------------------------------------------
# Questions and the course map
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Option(Record):
    text: Text
    correct: TrueFalse
    feedback: Text


def _options(value, info: ValidationInfo):
    if not isinstance(value, list) or len(value) < 2:
        raise problem(info.field_name, "needs a list of at least two options")
    for number, option in enumerate(value, start=1):
        if not isinstance(option, (dict, Option)):
            raise problem(f"{info.field_name}[{number}]", "expected text, correct and feedback")
    return value


@dataclass(frozen=True)
class Question(Record):
    """A check-your-understanding question; application items' ``kind``, ``compute`` and option ``value`` keys are
    read by the quiz tests, not here."""

    id: Text
    prompt: Text
    options: Annotated[tuple[Option, ...], BeforeValidator(_options)]
    sources: OptionalSourceIds = ()

    KEY: ClassVar[tuple] = ("id",)

    @property
    def source_ids(self) -> tuple:
        return self.sources

    @model_validator(mode="after")
    def _one_correct(self):
        if sum(option.correct for option in self.options) != 1:
            raise problem("options", "exactly one option must be marked correct")
        return self


def _minutes(value, info: ValidationInfo) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise problem(info.field_name, f"{value!r} must be a positive whole number")
    return value


@dataclass(frozen=True)
class CourseMapEntry(Record):
    notebook: Text
    title: Text
    teaches: Text
    minutes: Annotated[int, BeforeValidator(_minutes)]

    KEY: ClassVar[tuple] = ("notebook",)


# ---------------------------------------------------------------------------------------------
# acr_regions.csv (notebook 01)
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Site(Sourced):
    """One WPI site: where it is and whether it counts toward its region's generalized pain."""

    name: Text
    label: Text
    side: Choice(SIDES)   # the patient's side; the body-map column
    region: Choice(REGION_KEYS)
    in_generalized_pain: YesNo
    region_source_id: SourceId

    KEY: ClassVar[tuple] = ("name",)

    @model_validator(mode="after")
    def _side_matches_region(self):
        if (self.side == "axial") != (self.region == "axial"):
            raise problem("side", f"side {self.side!r} does not match region {self.region!r}")
        if self.side != "axial" and not self.region.startswith(self.side):
            raise problem("region", f"region {self.region!r} is not on the {self.side} side")
        return self

    @classmethod
    def check_file(cls, records: tuple, context: dict) -> None:
        if len(records) != WPI_SITES:
            raise FileProblem("(file)", "name", f"the WPI has {WPI_SITES} sites; found {len(records)}")
        missing = set(REGION_KEYS) - {site.region for site in records if site.in_generalized_pain}
        if missing:
            raise FileProblem("(file)", "region", "no site counts for generalized pain in region(s) "
                                                  f"{', '.join(sorted(missing))}")


# ---------------------------------------------------------------------------------------------
# risk_*.csv and risk_contraindications.yaml (notebook 05)
# ---------------------------------------------------------------------------------------------
def _percent(unit: str, info: ValidationInfo) -> str:
    if unit != "percent":
        raise problem(info.field_name, f"{unit!r} must be 'percent'")
    return unit


Percent = Annotated[UnitName, AfterValidator(_percent)]


@dataclass(frozen=True)
class RegionBenefit(Sourced):
    """Chance of meaningful relief at one injection site: placebo, and the toxin's effect over it (low/central/high)."""

    region: Choice(REGIONS)
    label: Text
    outcome: Text            # what the trial counted as relief (e.g. "mild or no pain at week 5")
    trial_dose_units: Dose
    placebo_percent: Number
    effect_low: Number
    effect_central: Number
    effect_high: Number
    unit: Percent

    KEY: ClassVar[tuple] = ("region",)
    MEASURED: ClassVar[tuple] = ("placebo_percent", "effect_low", "effect_central", "effect_high")
    ORDERED: ClassVar[tuple] = ("effect_low", "effect_central", "effect_high")

    @property
    def effect(self) -> dict:
        """Percentage points over placebo at the trial dose: ``{"low", "central", "high"}``."""
        return {"low": self.effect_low, "central": self.effect_central, "high": self.effect_high}

    @model_validator(mode="after")
    def _at_most_everyone(self):
        if self.placebo_percent + self.effect_high > 100:
            raise problem("effect_high", f"placebo {self.placebo_percent:g} + effect {self.effect_high:g} exceeds 100%")
        return self

    @classmethod
    def check_file(cls, records: tuple, context: dict) -> None:
        require_all(records, "region", REGIONS)


@dataclass(frozen=True)
class AdverseEffect(Sourced):
    """Chance of one adverse effect at one site, at the reference dose: low/central/high and placebo."""

    region: Choice(REGIONS)
    effect: Choice(EFFECTS)
    reference_dose_units: Dose
    low: Number
    central: Number
    high: Number
    placebo: Number
    unit: Percent

    KEY: ClassVar[tuple] = ("region", "effect")
    MEASURED: ClassVar[tuple] = ("low", "central", "high", "placebo")
    ORDERED: ClassVar[tuple] = ("low", "central", "high")

    @property
    def rate(self) -> dict:
        return {"low": self.low, "central": self.central, "high": self.high}

    @property
    def placebo_percent(self) -> float:
        return self.placebo

    @classmethod
    def check_file(cls, records: tuple, context: dict) -> None:
        present = {(record.region, record.effect) for record in records}
        for region in REGIONS:
            for effect in EFFECTS:
                if (region, effect) not in present:
                    raise FileProblem(f"'{region}'", "effect", f"missing effect {effect!r} for region {region!r}")


@dataclass(frozen=True)
class Product(Sourced):
    """Units of this product that act like one onabotulinumtoxinA unit (low/central/high)."""

    product: Text
    label: Text
    brand: Text
    ratio_low: Positive
    ratio_central: Number
    ratio_high: Number
    unit: UnitName

    KEY: ClassVar[tuple] = ("product",)
    MEASURED: ClassVar[tuple] = ("ratio_low", "ratio_central", "ratio_high")
    ORDERED: ClassVar[tuple] = ("ratio_low", "ratio_central", "ratio_high")

    @property
    def ratio(self) -> dict:
        return {"low": self.ratio_low, "central": self.ratio_central, "high": self.ratio_high}

    @classmethod
    def check_file(cls, records: tuple, context: dict) -> None:
        require_all(records, "product", (REFERENCE_PRODUCT,))
        reference = next(record for record in records if record.product == REFERENCE_PRODUCT)
        if any(value != 1 for value in reference.ratio.values()):
            raise FileProblem(f"'{REFERENCE_PRODUCT}'", "ratio_central", "the reference product's ratios must all be 1")


@dataclass(frozen=True)
class Price(Sourced):
    price: Text
    label: Text
    value: Number
    unit: UnitName
    year: Annotated[int, BeforeValidator(_number), within(1989, 2100, "a year since the first approval")]
    country: Text

    KEY: ClassVar[tuple] = ("price",)
    MEASURED: ClassVar[tuple] = ("value",)


@dataclass(frozen=True)
class ChecklistItem(Record):
    id: Text
    label: Text
    kind: Choice(CHECKLIST_KINDS)
    why: Text
    sources: SourceIds
    evidence: Evidence

    KEY: ClassVar[tuple] = ("id",)


# ---------------------------------------------------------------------------------------------
# junction_calibration.csv and junction_steps.yaml (notebook 02)
# ---------------------------------------------------------------------------------------------
def _numbers_in(text: str) -> list[float]:
    return [float(number) for number in re.findall(r"\d+(?:\.\d+)?", text)]


def _not_fitted(tag: str, info: ValidationInfo) -> str:
    if tag == "fitted":
        raise problem(info.field_name, "a calibration target is data, not a fitted value; use the study's evidence "
                                       "tag, or 'illustrative' for a target the study gives no number for")
    return tag


@dataclass(frozen=True)
class CalibrationPoint(Record):
    """A published point the junction model is compared with (one injection of ``dose_units``)."""

    id: Text
    quantity: Choice(tuple(QUANTITIES))
    dose_units: Number
    at_day: Annotated[Optional[float], BeforeValidator(lambda v, info: None if _blank(v) else _number(v, info))]
    value: Number
    unit: UnitName
    tolerance: Positive
    species: Choice(SPECIES)
    source_id: SourceId
    evidence: Annotated[Evidence, AfterValidator(_not_fitted)]
    study_dose: Text   # the dose the study used, in words (the model is run at dose_units)
    reported: Text     # what the study itself reports, in words: shown as the study's result
    note: Text

    KEY: ClassVar[tuple] = ("id",)
    MEASURED: ClassVar[tuple] = ("value", "tolerance")

    @property
    def illustrative(self) -> bool:
        """True when the target is a teaching encoding of a finding the study gives without a number."""
        return self.evidence == "illustrative"

    @model_validator(mode="after")
    def _point_rules(self, info: ValidationInfo):
        parameters = _context(info, "parameters")
        if parameters is not None:
            dose = parameters["dose_units"]
            if not dose.min <= self.dose_units <= dose.max:
                raise problem("dose_units", f"{self.dose_units:g} is out of range {dose.min:g} to {dose.max:g} "
                                            f"(the dose range in {_context(info, 'parameters_file')})")
        if self.quantity == "cmap_percent_at_day":
            if self.at_day is None:
                raise problem("at_day", "missing or empty")
            if not 0 <= self.at_day <= 365:
                raise problem("at_day", f"{self.at_day:g} is out of range 0 to 365 (days after the injection)")
        elif self.at_day is not None:
            raise problem("at_day", f"only used with quantity cmap_percent_at_day, not {self.quantity}")
        # What is shown as the study's result must be what the study reported: an illustrative target must not appear
        # among the reported numbers, and any other target must be one of them.
        reported = any(abs(number - self.value) < 1e-9 for number in _numbers_in(self.reported))
        if self.illustrative and reported:
            raise problem("reported", f"shows the illustrative target {self.value:g} as if the study reported it; "
                                      "say what the study found, in words")
        if not self.illustrative and not reported:
            raise problem("reported", f"does not report the target {self.value:g}, so it is not a published value; "
                                      "quote the study's number, or tag the point 'illustrative' "
                                      "and explain it in its note")
        if self.illustrative and not self.note.startswith("ILLUSTRATIVE"):
            raise problem("note", "an illustrative target's note must start with 'ILLUSTRATIVE' and say why the value "
                                  "was chosen and what range would do as well")
        return self


def _caption(text: str, info: ValidationInfo) -> str:
    sentences = text.count(". ") + 1
    if not 2 <= sentences <= 3:
        raise problem(info.field_name, f"has {sentences} sentences; write 2-3")
    return text


@dataclass(frozen=True)
class Step(Record):
    """One step of the junction step-through: caption, sources and the schematic elements drawn."""

    id: Text
    title: Text
    when: Text
    phase: Choice(PHASES)
    release: Annotated[float, BeforeValidator(_number), within(0, 1, "a fraction of normal")]
    caption: Annotated[str, BeforeValidator(_text), AfterValidator(_caption)]
    sources: SourceIds
    show: Annotated[tuple, _id_list(True), known("elements", "element")]
    highlight: Text

    KEY: ClassVar[tuple] = ("id",)

    @model_validator(mode="after")
    def _highlight_shown(self):
        if self.highlight not in self.show:
            raise problem("highlight", f"{self.highlight!r} is not among the elements shown")
        return self


# ---------------------------------------------------------------------------------------------
# eular2016.csv (notebook 04)
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Recommendation(Sourced):
    therapy: Text
    group: Choice(GROUPS)
    strength: Choice(STRENGTHS)
    agreement_min_percent: OptionalNumber     # NaN when our sources do not give it
    agreement_max_percent: OptionalNumber
    unit: UnitName
    fda_fibromyalgia: YesNo
    verified: YesNo

    KEY: ClassVar[tuple] = ("therapy",)
    MEASURED: ClassVar[tuple] = ("agreement_min_percent", "agreement_max_percent")
    ORDERED: ClassVar[tuple] = ("agreement_min_percent", "agreement_max_percent")

    @model_validator(mode="after")
    def _agreement_rules(self):
        given = [not math.isnan(value) for value in (self.agreement_min_percent, self.agreement_max_percent)]
        if given[0] != given[1]:
            raise problem("agreement_max_percent", "give both agreement values or neither")
        if self.strength == "not_assessed" and given[0]:
            raise problem("agreement_min_percent",
                          "a therapy EULAR did not assess has no agreement values (nobody voted on it)")
        if self.strength.endswith("_for") and self.verified and not given[0]:
            raise problem("agreement_min_percent", "a verified 'for' recommendation needs its agreement")
        return self
