"""Pain relief over a year of botulinum toxin A injections (notebook 03).

Pure numpy: no widgets, no plotting, no printing. The equations, their sources and what the
model leaves out are in ``relief.md`` beside this file.

Every parameter's allowed range is the ``min``-``max`` of its row in
``data/relief_parameters.csv`` (the same range its slider offers).
"""
from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from ..data import load_parameters
from ..validation import require_parameter, with_overrides

PARAMETERS_FILE = "relief_parameters.csv"
PRESETS_FILE = "relief_presets.csv"


@dataclass(frozen=True)
class ReliefParams:
    """Inputs of the relief model; units are in the names. Defaults come from ``data/``."""

    onset_days: float
    duration_days: float
    peak_relief_percent: float
    interval_weeks: float
    needle_relief_percent: float
    needle_days: float
    rise_fraction: float
    fall_fraction: float
    baseline_pain: float
    meaningful_relief_percent: float
    followup_visits_per_injection: float
    horizon_days: float


def parameter_specs() -> dict:
    """``{name: Parameter}`` from ``data/relief_parameters.csv`` (cached by the loader)."""
    return load_parameters(PARAMETERS_FILE)


def default_params(**overrides) -> ReliefParams:
    """The default patient from ``data/``, with any field replaced by ``overrides``; validated."""
    values = with_overrides({name: spec.value for name, spec in parameter_specs().items()}, overrides, "relief")
    return validate(ReliefParams(**values))


def validate(params: ReliefParams) -> ReliefParams:
    """Raise ``ValueError`` naming the parameter, its value and the allowed range from ``data/``."""
    specs = parameter_specs()
    for item in fields(ReliefParams):
        require_parameter(item.name, getattr(params, item.name), specs[item.name])
    return params


# ---------------------------------------------------------------------------------------------
# One injection
# ---------------------------------------------------------------------------------------------
def drug_relief_fraction(days_since_injection, params: ReliefParams) -> np.ndarray:
    """Pharmacological relief (0-1) of one injection, ``days_since_injection`` days after it.

    A trapezoid: zero before ``onset_days``; a linear rise to the peak over
    ``rise_fraction * duration_days``; a plateau; a linear fall to zero over
    ``fall_fraction * duration_days``, reaching zero at ``onset_days + duration_days``.
    """
    t = np.asarray(days_since_injection, dtype=float)
    peak = params.peak_relief_percent / 100.0
    rise = params.rise_fraction * params.duration_days
    fall = params.fall_fraction * params.duration_days
    since_onset = t - params.onset_days
    until_end = params.onset_days + params.duration_days - t
    # min() of the rising edge, the plateau and the falling edge gives the trapezoid in one step.
    shape = np.minimum(np.minimum(since_onset / rise, 1.0), until_end / fall)
    return peak * np.clip(shape, 0.0, 1.0)


def needle_relief_fraction(days_since_injection, params: ReliefParams) -> np.ndarray:
    """Relief (0-1) from the needling itself: full on the injection day, fading linearly to zero."""
    t = np.asarray(days_since_injection, dtype=float)
    size = params.needle_relief_percent / 100.0
    fading = 1.0 - t / params.needle_days
    return np.where(t >= 0, size * np.clip(fading, 0.0, 1.0), 0.0)


def combine_reliefs(reliefs, axis: int = 0) -> np.ndarray:
    """Combine simultaneous reliefs as independent fractional reductions: 1 - prod(1 - r).

    Two effects of 50% and 20% give 60%, never more than 100%, and one effect alone is unchanged.
    """
    return 1.0 - np.prod(1.0 - np.asarray(reliefs, dtype=float), axis=axis)


def one_injection(days_since_injection, params: ReliefParams) -> tuple:
    """``(needle, drug, combined)`` relief fractions of a single injection, for the 'taken apart' view."""
    validate(params)
    needle = needle_relief_fraction(days_since_injection, params)
    drug = drug_relief_fraction(days_since_injection, params)
    return needle, drug, combine_reliefs([needle, drug])


# ---------------------------------------------------------------------------------------------
# A year
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReliefYear:
    """The model's output over ``horizon_days`` days (day 0 = first injection)."""

    params: ReliefParams
    days: np.ndarray              # day index 0..horizon-1
    injection_days: np.ndarray    # days of the injections, every interval_weeks * 7 days
    drug_relief: np.ndarray       # fraction 0-1, all injections combined
    needle_relief: np.ndarray     # fraction 0-1, all needlings combined
    relief: np.ndarray            # fraction 0-1, everything combined
    pain: np.ndarray              # points 0-10
    meaningful: np.ndarray        # bool: relief >= meaningful threshold

    @property
    def meaningful_pain_level(self) -> float:
        """Pain (points) at or below which the relief counts as meaningful."""
        return self.params.baseline_pain * (1 - self.params.meaningful_relief_percent / 100.0)


def injection_days(params: ReliefParams) -> np.ndarray:
    """Days of the injections within the horizon: 0, interval, 2 x interval, ..."""
    return np.arange(0.0, params.horizon_days, params.interval_weeks * 7.0)


def simulate_year(params: ReliefParams) -> ReliefYear:
    """Daily relief and pain over the horizon for repeated injections (validated inputs)."""
    validate(params)
    days = np.arange(int(params.horizon_days), dtype=float)
    shots = injection_days(params)
    since = days[None, :] - shots[:, None]          # (injections, days)
    drug = combine_reliefs(drug_relief_fraction(since, params))
    needle = combine_reliefs(needle_relief_fraction(since, params))
    relief = combine_reliefs([drug, needle])
    pain = params.baseline_pain * (1.0 - relief)
    # A tiny tolerance so that relief exactly at the threshold counts, despite rounding.
    meaningful = relief >= params.meaningful_relief_percent / 100.0 - 1e-12
    return ReliefYear(params, days, shots, drug, needle, relief, pain, meaningful)


# ---------------------------------------------------------------------------------------------
# What the patient experiences
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ExperienceMetrics:
    first_relief_day: int | None      # first day with meaningful relief; None if never
    relief_days: int                  # days with meaningful relief
    relief_weeks: float               # relief_days / 7
    longest_gap_days: int             # longest run of days without meaningful relief
    injections: int
    clinic_visits: int                # injections plus follow-up visits
    relief_weeks_per_injection: float
    peak_relief_percent: float        # largest relief reached over the year (all effects)


def longest_run(mask: np.ndarray) -> int:
    """Length of the longest run of True values in a 1-D boolean array (vectorised)."""
    padded = np.concatenate(([0], np.asarray(mask, dtype=np.int8), [0]))
    edges = np.flatnonzero(np.diff(padded))
    return int((edges[1::2] - edges[::2]).max()) if edges.size else 0


def experience_metrics(year: ReliefYear) -> ExperienceMetrics:
    """Summaries of one simulated year, each recomputable from the curve."""
    hits = np.flatnonzero(year.meaningful)
    relief_days = int(hits.size)
    injections = int(year.injection_days.size)
    relief_weeks = relief_days / 7.0
    return ExperienceMetrics(
        first_relief_day=int(hits[0]) if relief_days else None,
        relief_days=relief_days,
        relief_weeks=relief_weeks,
        longest_gap_days=longest_run(~year.meaningful),
        injections=injections,
        clinic_visits=injections * (1 + int(year.params.followup_visits_per_injection)),
        relief_weeks_per_injection=relief_weeks / injections,
        peak_relief_percent=float(year.relief.max() * 100.0),
    )


def assumptions_clause(params: ReliefParams) -> str:
    """The assumed inputs of a readout, named in the sentence itself: none was measured in fibromyalgia."""
    return (f"With the assumed onset (day {params.onset_days:g}), duration ({params.duration_days:g} days) and "
            f"peak relief ({params.peak_relief_percent:g}%), none of them measured in fibromyalgia")


def describe(metrics: ExperienceMetrics, params: ReliefParams) -> str:
    """The metrics in plain words (the live readout, and what nbval compares).

    The sentence names the assumed onset, duration and peak it rests on, and says that the injection count is how
    the model spaces injections, not a schedule: no fibromyalgia dose or schedule exists.
    """
    threshold = f"{params.meaningful_relief_percent:g}%"
    if metrics.first_relief_day is None:
        start = (f"pain never falls by {threshold} or more: no meaningful relief this year "
                 f"(best relief {metrics.peak_relief_percent:.0f}%).")
    else:
        start = (f"meaningful relief (at least {threshold} less pain) first arrives on day "
                 f"{metrics.first_relief_day} (week {metrics.first_relief_day // 7 + 1}).")
    return (
        f"{assumptions_clause(params)}, {start} Over the year: {metrics.relief_weeks:.1f} weeks with meaningful "
        f"relief; the longest stretch without it is {metrics.longest_gap_days} days. "
        f"The model counts {metrics.injections} injection sessions and {metrics.clinic_visits} clinic visits "
        f"({metrics.relief_weeks_per_injection:.1f} relief-weeks per injection): a modelling choice, not a schedule "
        f"to follow, since no fibromyalgia dose or schedule exists."
    )
