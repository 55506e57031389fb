"""ACR fibromyalgia criteria: the 2016 revision and, for comparison, the 2010 criteria (notebook 01).

Pure numpy: no widgets, no plotting, no printing. The rules, their sources, and what the
calculator leaves out are in ``criteria.md`` beside this file.

Inputs
------
* painful sites: names of the 19 widespread-pain-index (WPI) sites in ``data/acr_regions.csv``;
* six symptom-severity items and the symptom duration, with the ranges of
  ``data/criteria_parameters.csv`` (fatigue, waking unrefreshed, cognitive symptoms 0-3;
  headaches, lower abdominal pain or cramps, depression 0-1; duration in months).

Rules (Wolfe et al. 2016; Wolfe et al. 2010)
--------------------------------------------
* WPI = number of painful sites (0-19); SSS = fatigue + waking + cognitive + the three 0-1 items (0-12).
* 2016: (WPI >= 7 and SSS >= 5, or WPI 4-6 and SSS >= 9) and generalized pain (pain in at least
  4 of the 5 regions; jaw, chest and abdomen do not make a region count) and symptoms >= 3 months.
* 2010: (WPI >= 7 and SSS >= 5, or WPI 3-6 and SSS >= 9) and symptoms >= 3 months. The 2010
  physician-rated somatic-symptom score (0-3) is approximated by the 2011 count of the three
  0-1 items (see ``criteria.md``); "no other disorder explains the pain" cannot be computed.

The rule functions (:func:`wpi_sss_rule`, :func:`meets_2016`, :func:`meets_2010`) are vectorised
over numpy arrays; :func:`assess` scores one patient and :func:`describe` puts the verdict in words.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, fields

import numpy as np

from ..data import load_parameters, load_records
from ..data import load_presets as load_preset_records
from ..schemas import REGION_KEYS, Site, SitePreset
from ..validation import require_array_in_range, require_parameter

REGIONS_FILE = "acr_regions.csv"
PARAMETERS_FILE = "criteria_parameters.csv"
PRESETS_FILE = "criteria_presets.csv"

#: REGION_KEYS: the five regions of the 2016 generalized-pain rule, in the order the readout names them (declared with
#: the sites' schema in helpers/schemas.py, as are SIDES).
REGION_LABELS = {
    "left_upper": "left upper",
    "right_upper": "right upper",
    "left_lower": "left lower",
    "right_lower": "right lower",
    "axial": "axial",
}

#: Thresholds (Wolfe 2010 and 2016); the model page explains each one.
WPI_HIGH = 7                 # WPI >= 7 needs SSS >= 5
SSS_WITH_HIGH_WPI = 5
SSS_WITH_MIDDLE_WPI = 9      # WPI in the middle band needs SSS >= 9
WPI_MIDDLE_LOW = {2016: 4, 2010: 3}
REGIONS_NEEDED = 4           # generalized pain: at least 4 of 5 regions (2016 only)
MONTHS_NEEDED = 3            # symptoms for at least 3 months (both)


# ---------------------------------------------------------------------------------------------
# Data: the 19 sites and their regions
# ---------------------------------------------------------------------------------------------
def load_sites(data_dir=None) -> tuple:
    """The 19 WPI sites of ``acr_regions.csv`` as a tuple of :class:`helpers.schemas.Site`, in body-layout order."""
    return load_records(Site, REGIONS_FILE, data_dir)


def site_names(data_dir=None) -> tuple:
    return tuple(site.name for site in load_sites(data_dir))


@functools.lru_cache(maxsize=None)
def _region_matrix(data_dir) -> np.ndarray:
    """(19, 5) 0/1 matrix: site i makes region j count for generalized pain."""
    sites = load_sites(data_dir)
    matrix = np.zeros((len(sites), len(REGION_KEYS)), dtype=np.int64)
    for i, site in enumerate(sites):
        if site.in_generalized_pain:
            matrix[i, REGION_KEYS.index(site.region)] = 1
    matrix.setflags(write=False)
    return matrix


# ---------------------------------------------------------------------------------------------
# Symptom items and duration (ranges from criteria_parameters.csv)
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Symptoms:
    """Symptom-severity items (integers) and the symptom duration (months)."""

    fatigue: int
    waking_unrefreshed: int
    cognitive_symptoms: int
    headaches: int
    lower_abdominal_pain: int
    depression: int
    duration_months: float

    @property
    def severity_0_9(self) -> int:
        """Fatigue + waking unrefreshed + cognitive symptoms (each 0-3)."""
        return self.fatigue + self.waking_unrefreshed + self.cognitive_symptoms

    @property
    def symptom_count_0_3(self) -> int:
        """Headaches + lower abdominal pain or cramps + depression (each 0-1, previous 6 months)."""
        return self.headaches + self.lower_abdominal_pain + self.depression

    @property
    def sss(self) -> int:
        """Symptom severity scale, 0-12."""
        return self.severity_0_9 + self.symptom_count_0_3


SCORE_ITEMS = tuple(item.name for item in fields(Symptoms) if item.name != "duration_months")


def parameter_specs() -> dict:
    """``{name: Parameter}`` from ``data/criteria_parameters.csv`` (cached by the loader)."""
    return load_parameters(PARAMETERS_FILE)


def validate_symptoms(symptoms: Symptoms) -> Symptoms:
    """Raise ``ValueError`` naming the item, its value and the allowed range; scores must be whole numbers."""
    specs = parameter_specs()
    for name in SCORE_ITEMS:
        spec = specs[name]
        value = getattr(symptoms, name)
        if isinstance(value, (bool, np.bool_)):
            value = int(value)
        require_parameter(name, value, spec, integer=True)
    require_parameter("duration_months", symptoms.duration_months, specs["duration_months"])
    return symptoms


def make_symptoms(**values) -> Symptoms:
    """A validated :class:`Symptoms`; items not given take their default from ``data/``."""
    specs = parameter_specs()
    names = [item.name for item in fields(Symptoms)]
    unknown = set(values) - set(names)
    if unknown:
        raise ValueError(f"unknown symptom item(s): {', '.join(sorted(unknown))}; known: {', '.join(names)}")
    merged = {name: specs[name].value for name in names}
    merged.update(values)
    validate_symptoms(Symptoms(**merged))    # checks ranges and whole numbers before converting
    converted = {name: int(merged[name]) for name in SCORE_ITEMS}
    converted["duration_months"] = float(merged["duration_months"])
    return Symptoms(**converted)


def default_symptoms() -> Symptoms:
    return make_symptoms()


# ---------------------------------------------------------------------------------------------
# Painful sites -> WPI and regions (vectorised over patients)
# ---------------------------------------------------------------------------------------------
def painful_mask(painful_sites, data_dir=None) -> np.ndarray:
    """Boolean array of length 19 (body-layout order) from an iterable of site names.

    Raises ``ValueError`` for an unknown name (listing the known ones), a duplicate, or a
    non-string.
    """
    names = site_names(data_dir)
    if isinstance(painful_sites, str):
        raise ValueError(f"painful_sites must be a collection of site names, not the string {painful_sites!r}")
    mask = np.zeros(len(names), dtype=bool)
    for name in painful_sites:
        if not isinstance(name, str) or name not in names:
            raise ValueError(f"painful_sites contains {name!r}, not a WPI site; known sites: {', '.join(names)}")
        index = names.index(name)
        if mask[index]:
            raise ValueError(f"painful_sites lists {name!r} twice")
        mask[index] = True
    return mask


def _check_mask(mask, data_dir=None) -> np.ndarray:
    array = np.asarray(mask)
    n_sites = len(site_names(data_dir))
    if array.shape[-1:] != (n_sites,):
        raise ValueError(f"painful mask must have {n_sites} sites in its last axis; got shape {array.shape}")
    if array.dtype != bool:
        if not np.isin(array, (0, 1)).all():
            raise ValueError("painful mask must contain only True/False (or 0/1)")
        array = array.astype(bool)
    return array


def widespread_pain_index(mask, data_dir=None) -> np.ndarray:
    """WPI (0-19): the number of painful sites; ``mask`` has shape (..., 19)."""
    return _check_mask(mask, data_dir).sum(axis=-1)


def painful_regions(mask, data_dir=None) -> np.ndarray:
    """Boolean (..., 5), in :data:`REGION_KEYS` order: the region counts for generalized pain.

    A region counts when at least one of its sites other than jaw, chest and abdomen hurts.
    """
    array = _check_mask(mask, data_dir).astype(np.int64)
    return (array @ _region_matrix(data_dir)) > 0


def region_count(mask, data_dir=None) -> np.ndarray:
    """Number of regions (0-5) with generalized pain."""
    return painful_regions(mask, data_dir).sum(axis=-1)


# ---------------------------------------------------------------------------------------------
# The rules (vectorised; inputs are whole-number arrays already in range)
# ---------------------------------------------------------------------------------------------
def _check_year(year: int) -> int:
    if year not in WPI_MIDDLE_LOW:
        raise ValueError(f"year = {year!r} is not a criteria set; use 2010 or 2016")
    return year


def _array(name: str, values, low: float, high: float, unit: str = "") -> np.ndarray:
    require_array_in_range(name, values, low, high, unit)   # raises naming the first bad value
    return np.asarray(values)


def wpi_sss_branch(wpi, sss, year: int = 2016) -> np.ndarray:
    """Which score rule is met: 1 = WPI >= 7 and SSS >= 5; 2 = middle WPI band and SSS >= 9; 0 = neither.

    The middle band is WPI 4-6 in 2016 and WPI 3-6 in 2010.
    """
    _check_year(year)
    wpi = _array("wpi", wpi, 0, 19)
    sss = _array("sss", sss, 0, 12)
    high = (wpi >= WPI_HIGH) & (sss >= SSS_WITH_HIGH_WPI)
    middle = (wpi >= WPI_MIDDLE_LOW[year]) & (wpi < WPI_HIGH) & (sss >= SSS_WITH_MIDDLE_WPI)
    return np.where(high, 1, np.where(middle, 2, 0))


def wpi_sss_rule(wpi, sss, year: int = 2016) -> np.ndarray:
    """True where the WPI/SSS rule of ``year`` is met."""
    return wpi_sss_branch(wpi, sss, year) > 0


def generalized_pain(n_regions) -> np.ndarray:
    """2016 rule: pain in at least 4 of 5 regions."""
    return _array("n_regions", n_regions, 0, 5) >= REGIONS_NEEDED


def long_enough(duration_months) -> np.ndarray:
    """Symptoms present for at least 3 months."""
    return _array("duration_months", duration_months, 0, np.inf, "months") >= MONTHS_NEEDED


def meets_2016(wpi, sss, n_regions, duration_months) -> np.ndarray:
    """All three 2016 rules: WPI/SSS, generalized pain, duration."""
    return wpi_sss_rule(wpi, sss, 2016) & generalized_pain(n_regions) & long_enough(duration_months)


def meets_2010(wpi, sss, duration_months) -> np.ndarray:
    """The computable 2010 rules: WPI/SSS (WPI 3-6 band) and duration."""
    return wpi_sss_rule(wpi, sss, 2010) & long_enough(duration_months)


# ---------------------------------------------------------------------------------------------
# One patient
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Assessment:
    """Scores and verdicts for one patient."""

    painful_sites: tuple           # site names, body-layout order
    symptoms: Symptoms
    wpi: int
    sss: int
    regions: tuple                 # region keys with generalized pain, REGION_KEYS order
    branch_2016: int               # 0 none, 1 WPI>=7 & SSS>=5, 2 WPI 4-6 & SSS>=9
    branch_2010: int               # 0 none, 1 WPI>=7 & SSS>=5, 2 WPI 3-6 & SSS>=9
    generalized: bool
    duration_ok: bool
    meets_2016: bool
    meets_2010: bool

    @property
    def n_regions(self) -> int:
        return len(self.regions)

    @property
    def missing_regions(self) -> tuple:
        return tuple(key for key in REGION_KEYS if key not in self.regions)


def assess(painful_sites, symptoms: Symptoms | None = None, data_dir=None) -> Assessment:
    """Score one patient: ``painful_sites`` is an iterable of site names (validated)."""
    symptoms = default_symptoms() if symptoms is None else validate_symptoms(symptoms)
    mask = painful_mask(painful_sites, data_dir)
    names = site_names(data_dir)
    wpi = int(widespread_pain_index(mask, data_dir))
    regions_mask = painful_regions(mask, data_dir)
    sss = int(symptoms.sss)
    n_regions = int(regions_mask.sum())
    b2016 = int(wpi_sss_branch(wpi, sss, 2016))
    b2010 = int(wpi_sss_branch(wpi, sss, 2010))
    generalized = bool(generalized_pain(n_regions))
    duration_ok = bool(long_enough(symptoms.duration_months))
    return Assessment(
        painful_sites=tuple(name for name, hurt in zip(names, mask, strict=True) if hurt),
        symptoms=symptoms,
        wpi=wpi,
        sss=sss,
        regions=tuple(key for key, hurt in zip(REGION_KEYS, regions_mask, strict=True) if hurt),
        branch_2016=b2016,
        branch_2010=b2010,
        generalized=generalized,
        duration_ok=duration_ok,
        meets_2016=bool(b2016 > 0 and generalized and duration_ok),
        meets_2010=bool(b2010 > 0 and duration_ok),
    )


# ---------------------------------------------------------------------------------------------
# Words (the live readout, and what nbval compares)
# ---------------------------------------------------------------------------------------------
def _score_rule_text(result: Assessment, year: int) -> str:
    branch = result.branch_2016 if year == 2016 else result.branch_2010
    low = WPI_MIDDLE_LOW[year]
    if branch == 1:
        return f"score rule met (WPI {result.wpi} \u2265 7 with SSS {result.sss} \u2265 5)"
    if branch == 2:
        return f"score rule met (WPI {result.wpi} in {low}-6 with SSS {result.sss} \u2265 9)"
    if result.wpi >= WPI_HIGH:
        why = f"SSS {result.sss} is below the 5 needed with WPI {result.wpi}"
    elif result.wpi >= low:
        why = f"with WPI {result.wpi} (in {low}-6) the SSS must be 9 or more, and it is {result.sss}"
    else:
        why = f"WPI {result.wpi} is below {low}"
    return f"score rule missed ({why})"


def _regions_text(result: Assessment) -> str:
    if result.generalized:
        return f"generalized pain met ({result.n_regions} of 5 regions \u2265 4)"
    missing = ", ".join(REGION_LABELS[key] for key in result.missing_regions)
    return (f"generalized pain missed (only {result.n_regions} of 5 regions, 4 needed; "
            f"no counted pain in: {missing})")


def _duration_text(result: Assessment) -> str:
    months = f"{result.symptoms.duration_months:g}"
    unit = "month" if months == "1" else "months"
    if result.duration_ok:
        return f"duration met ({months} {unit} \u2265 3)"
    return f"duration missed ({months} {unit}, 3 needed)"


def describe_lines(result: Assessment) -> tuple:
    """Three sentences: the scores, the 2016 verdict with each rule, the 2010 verdict with each rule."""
    months = f"{result.symptoms.duration_months:g}"
    head = (f"WPI {result.wpi} of 19, SSS {result.sss} of 12, pain in {result.n_regions} of 5 regions, "
            f"symptoms for {months} {'month' if months == '1' else 'months'}.")
    line_2016 = (f"2016 criteria {'MET' if result.meets_2016 else 'NOT met'}: "
                 f"{_score_rule_text(result, 2016)}; {_regions_text(result)}; {_duration_text(result)}.")
    line_2010 = (f"2010 criteria (for comparison) {'MET' if result.meets_2010 else 'NOT met'}: "
                 f"{_score_rule_text(result, 2010)}; {_duration_text(result)}; "
                 f"no generalized-pain rule in 2010.")
    return head, line_2016, line_2010


def describe(result: Assessment) -> str:
    """The verdict in words: which rule is met or missed, for 2016 and then 2010."""
    return " ".join(describe_lines(result))


# ---------------------------------------------------------------------------------------------
# Teaching patients (criteria_presets.csv)
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CriteriaPreset:
    name: str
    label: str
    description: str
    source_id: str
    evidence: str
    painful_sites: tuple
    symptoms: Symptoms


def load_presets(data_dir=None) -> dict:
    """``criteria_presets.csv`` as ``{name: CriteriaPreset}`` (validated against the sites and the items' ranges)."""
    names = site_names(data_dir)
    presets = {}
    for name, row in load_preset_records(PRESETS_FILE, PARAMETERS_FILE, data_dir, record=SitePreset,
                                         sites_file=REGIONS_FILE).items():
        scores = {item: int(row.values[item]) for item in SCORE_ITEMS}
        presets[name] = CriteriaPreset(name, row.label, row.description, row.source_id, row.evidence,
                                       tuple(site for site in names if site in row.painful_sites),
                                       Symptoms(**scores, duration_months=row.values["duration_months"]))
    return presets
