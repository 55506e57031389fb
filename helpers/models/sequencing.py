"""Cohort simulation of treatment sequences in fibromyalgia (notebook 04).

Virtual patients pass through an ordered sequence of treatment steps. At each step a patient
either stops early for adverse effects, or stays until the response is judged and then responds
(adequate relief) or does not. Anyone who stops or does not respond moves on to the next step;
a responder may later relapse and then also moves on. A responder who does not relapse stays on
that treatment. Who is left after the last step is still refractory.

Pure numpy: no widgets, no plotting, no printing. Vectorised over patients (the only Python loop
runs over the at most five steps). Equations, sources and what is left out: ``sequencing.md``.

Every rate's allowed range is the ``min``-``max`` of its row in ``data/sequencing_parameters.csv``
(the same range its slider offers). ``data/eular2016.csv`` (the recommendation ladder) is loaded
and checked by :func:`load_eular2016`.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

import numpy as np

from ..data import load_parameters, load_records
from ..schemas import STRENGTHS, Recommendation  # noqa: F401  (the ladder file's vocabulary and record)
from ..validation import require_integer_in_range, require_parameter, with_overrides

PARAMETERS_FILE = "sequencing_parameters.csv"
EULAR_FILE = "eular2016.csv"

#: Every known step, in the default (stepped-care) order.
STEPS = ("exercise", "cbt", "amitriptyline", "snri_pregabalin", "botulinum")
STEP_LABELS = {
    "exercise": "Exercise programme",
    "cbt": "CBT / multicomponent",
    "amitriptyline": "Low-dose amitriptyline",
    "snri_pregabalin": "Duloxetine or pregabalin",
    "botulinum": "Botulinum toxin A",
}
RATE_FIELDS = ("response_percent", "adverse_stop_percent", "relapse_percent", "trial_months")
GLOBAL_FIELDS = ("relapse_after_months", "adverse_stop_at_fraction", "horizon_months", "n_patients")


def parameter_specs() -> dict:
    """``{name: Parameter}`` from ``data/sequencing_parameters.csv`` (cached by the loader)."""
    return load_parameters(PARAMETERS_FILE)


# ---------------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class StepRates:
    """One treatment step; percentages 0-100, time in months."""

    response_percent: float      # of those who stay on it: share with adequate relief when judged
    adverse_stop_percent: float  # of those who start it: share who stop early for adverse effects
    relapse_percent: float       # of responders: share whose relief is later lost
    trial_months: float          # months from starting the step until the response is judged


@dataclass(frozen=True)
class SequencingParams:
    """Inputs of the cohort model. ``order`` lists step keys from :data:`STEPS`, first tried first."""

    order: tuple
    steps: dict                   # {step key: StepRates}, one entry for every key in STEPS
    relapse_after_months: float   # months of relief before a relapse
    adverse_stop_at_fraction: float  # adverse-effect stops happen this far through the trial period
    horizon_months: float         # months followed from the start of the first step
    n_patients: int

    def rates(self, step: str) -> StepRates:
        return self.steps[step]


def validate_order(order) -> tuple:
    """``order`` as a tuple of step keys; each known, none repeated, at least one."""
    if isinstance(order, str) or not hasattr(order, "__iter__"):
        raise ValueError(f"order = {order!r} must be a sequence of step names from {', '.join(STEPS)}")
    steps = tuple(order)
    if not steps:
        raise ValueError(f"order = () is empty; give at least one of {', '.join(STEPS)}")
    unknown = [step for step in steps if step not in STEPS]
    if unknown:
        raise ValueError(f"order contains unknown step {unknown[0]!r}; known steps are {', '.join(STEPS)}")
    repeated = sorted({step for step in steps if steps.count(step) > 1})
    if repeated:
        raise ValueError(f"order repeats step {repeated[0]!r}; the order must be a permutation of distinct steps")
    return steps


def validate(params: SequencingParams) -> SequencingParams:
    """Raise ``ValueError`` naming the parameter, its value and the allowed range from ``data/``."""
    specs = parameter_specs()
    validate_order(params.order)
    missing = [step for step in STEPS if step not in params.steps]
    if missing:
        raise ValueError(f"steps has no rates for {missing[0]!r}; every step in {', '.join(STEPS)} needs rates")
    for step in STEPS:
        rates = params.steps[step]
        for item in RATE_FIELDS:
            require_parameter(f"{step}_{item}", getattr(rates, item), specs[f"{step}_{item}"])
    for item in GLOBAL_FIELDS:
        require_parameter(item, getattr(params, item), specs[item], integer=item == "n_patients")
    return params


def params_from_values(values: dict, order=STEPS) -> SequencingParams:
    """Build (and validate) parameters from flat ``{parameter name: value}`` as in the CSV."""
    specs = parameter_specs()
    merged = with_overrides({name: spec.value for name, spec in specs.items()}, values, "sequencing")
    steps = {step: StepRates(*(merged[f"{step}_{item}"] for item in RATE_FIELDS)) for step in STEPS}
    n_patients = merged["n_patients"]
    if isinstance(n_patients, float) and n_patients.is_integer():
        n_patients = int(n_patients)
    params = SequencingParams(validate_order(order), steps, merged["relapse_after_months"],
                              merged["adverse_stop_at_fraction"], merged["horizon_months"], n_patients)
    return validate(params)


def default_params(order=STEPS, **overrides) -> SequencingParams:
    """The default cohort from ``data/``, in ``order``, with any flat parameter replaced; validated."""
    return params_from_values(overrides, order)


def flat_values(params: SequencingParams) -> dict:
    """The inverse of :func:`params_from_values`: ``{parameter name: value}``."""
    values = {f"{step}_{item}": getattr(params.steps[step], item) for step in STEPS for item in RATE_FIELDS}
    values.update({item: getattr(params, item) for item in GLOBAL_FIELDS})
    return values


def move_step(order, step: str, position: int) -> tuple:
    """``order`` with ``step`` moved to ``position`` (0 = first); the others keep their order."""
    steps = validate_order(order)
    if step not in steps:
        raise ValueError(f"step {step!r} is not in the order {', '.join(steps)}")
    position = require_integer_in_range("position", position, 0, len(steps) - 1)
    rest = [s for s in steps if s != step]
    rest.insert(position, step)
    return tuple(rest)


# ---------------------------------------------------------------------------------------------
# Simulation
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CohortResult:
    """What happened to the cohort. Per-step arrays follow ``order`` (position 0 = first step)."""

    params: SequencingParams
    order: tuple
    first_relief_month: np.ndarray   # (n,) month of first adequate relief; NaN = never within horizon
    lasting_step: np.ndarray         # (n,) position of the step that gave lasting relief; -1 = none
    entering: np.ndarray             # (steps,) patients who start the step (= exposed to its adverse effects)
    responding: np.ndarray           # (steps,) responders at the step (includes later relapses)
    adverse_stop: np.ndarray         # (steps,) stopped early for adverse effects
    no_response: np.ndarray          # (steps,) stayed on it, no adequate relief: moved on
    relapsed: np.ndarray             # (steps,) responders who relapsed and moved on
    lasting: np.ndarray              # (steps,) responders who did not relapse (stay on the step)
    extra: dict = field(default_factory=dict)

    @property
    def n(self) -> int:
        return int(self.first_relief_month.size)

    @property
    def moved_on(self) -> np.ndarray:
        """Patients who left each step for the next one (or for 'still refractory' after the last)."""
        return self.adverse_stop + self.no_response + self.relapsed

    @property
    def refractory_after(self) -> np.ndarray:
        """Share (0-1) of the cohort still without lasting relief after each step."""
        return (self.entering - self.lasting) / self.n

    @property
    def exposed(self) -> dict:
        """``{step key: patients who started that treatment}``."""
        return {step: int(count) for step, count in zip(self.order, self.entering, strict=True)}

    @property
    def relieved_within_horizon(self) -> float:
        """Share (0-1) with adequate relief at least once within the horizon."""
        return float(np.isfinite(self.first_relief_month).mean())

    @property
    def median_months_to_relief(self) -> float:
        """Median month of first relief among those relieved within the horizon (NaN if none)."""
        times = self.first_relief_month[np.isfinite(self.first_relief_month)]
        return float(np.median(times)) if times.size else math.nan

    @property
    def mean_months_to_relief(self) -> float:
        """Mean month of first relief among those relieved within the horizon (NaN if none)."""
        times = self.first_relief_month[np.isfinite(self.first_relief_month)]
        return float(times.mean()) if times.size else math.nan

    def step_index(self, step: str) -> int:
        return self.order.index(step)


def _uniforms(params: SequencingParams, seed) -> np.ndarray:
    """Random numbers, shape (len(STEPS), 3, n): one set per step *key*, drawn in STEPS order.

    Because each patient's draws belong to the treatment, not to its position, the same seed gives
    the same patient the same reaction to a treatment wherever it sits in the sequence (common
    random numbers): comparisons between orders are not blurred by sampling noise.
    """
    if isinstance(seed, np.random.Generator):
        return seed.random((len(STEPS), 3, params.n_patients))
    if seed is None:
        return np.random.default_rng().random((len(STEPS), 3, params.n_patients))
    return _seeded_uniforms(int(seed), params.n_patients)


@functools.lru_cache(maxsize=8)
def _seeded_uniforms(seed: int, n_patients: int) -> np.ndarray:
    """The draws for an integer seed, made once (they depend on no parameter, and an explorable renders
    the same cohort for every slider position); read-only, so no caller can change them for the next."""
    draws = np.random.default_rng(seed).random((len(STEPS), 3, n_patients))
    draws.flags.writeable = False
    return draws


def simulate_cohort(params: SequencingParams, seed=0) -> CohortResult:
    """Run ``params.n_patients`` virtual patients through ``params.order`` (validated inputs).

    ``seed`` is an int (or None) for :func:`numpy.random.default_rng`, or a ``numpy.random.Generator``.
    """
    validate(params)
    order = params.order
    n = params.n_patients
    u = _uniforms(params, seed)
    active = np.ones(n, dtype=bool)          # still looking for relief
    clock = np.zeros(n)                      # month the patient starts the current step
    first_relief = np.full(n, np.inf)
    lasting_step = np.full(n, -1, dtype=np.int64)
    counts = np.zeros((6, len(order)), dtype=np.int64)
    for position, step in enumerate(order):
        rates = params.steps[step]
        draws = u[STEPS.index(step)]
        stop = active & (draws[0] < rates.adverse_stop_percent / 100.0)
        stay = active & ~stop
        respond = stay & (draws[1] < rates.response_percent / 100.0)
        no_response = stay & ~respond
        relapse = respond & (draws[2] < rates.relapse_percent / 100.0)
        lasting = respond & ~relapse
        judged = clock + rates.trial_months
        first_relief = np.where(respond, np.minimum(first_relief, judged), first_relief)
        lasting_step[lasting] = position
        # Who moves on, and when they start the next step.
        clock = np.where(stop, clock + params.adverse_stop_at_fraction * rates.trial_months, clock)
        clock = np.where(no_response, judged, clock)
        clock = np.where(relapse, judged + params.relapse_after_months, clock)
        counts[:, position] = [active.sum(), respond.sum(), stop.sum(), no_response.sum(),
                               relapse.sum(), lasting.sum()]
        active = active & ~lasting
    first_relief = np.where(first_relief <= params.horizon_months, first_relief, np.nan)
    return CohortResult(params, order, first_relief, lasting_step, *counts,
                        extra={"months_at_end": np.where(active, clock, np.nan)})


# ---------------------------------------------------------------------------------------------
# Summaries
# ---------------------------------------------------------------------------------------------
def relief_curve(result: CohortResult, months=None) -> tuple:
    """``(months, share)``: share (0-1) of the cohort with first adequate relief by each month."""
    if months is None:
        months = np.arange(0.0, result.params.horizon_months + 1.0)
    months = np.asarray(months, dtype=float)
    times = np.sort(result.first_relief_month[np.isfinite(result.first_relief_month)])
    return months, np.searchsorted(times, months, side="right") / result.n


def relief_histogram(result: CohortResult, bin_months: float = 1.0) -> tuple:
    """``(bin_starts, counts, never)``: first-relief months binned, and patients never relieved."""
    edges = np.arange(0.0, result.params.horizon_months + bin_months, bin_months)
    finite = result.first_relief_month[np.isfinite(result.first_relief_month)]
    counts, _ = np.histogram(finite, bins=edges)
    return edges[:-1], counts, int(result.n - finite.size)


ASSUMED = "the assumed rates (mostly teaching assumptions; response rates include the placebo response)"


def describe(result: CohortResult) -> str:
    """The trade-off in plain words (the live readout, and what nbval compares).

    Every sentence says that its numbers follow from the assumed rates: no source supports these shares for a real
    fibromyalgia cohort. Responders are gross responders (placebo response included), so the toxin's responders are
    patients who improve while on it, not patients the toxin helped.
    """
    n = result.n
    horizon = result.params.horizon_months
    relieved = result.relieved_within_horizon
    median = result.median_months_to_relief
    end = result.refractory_after[-1]
    parts = [f"With {ASSUMED}, {relieved:.0%} of {n:,} virtual patients reach adequate relief "
             f"within {horizon:g} months"]
    parts[0] += (f" (median month {median:.0f}, mean {result.mean_months_to_relief:.1f})." if relieved else ".")
    parts.append(f"With these assumed rates, {end:.0%} are still without lasting relief after all "
                 f"{len(result.order)} steps.")
    if "botulinum" in result.order:
        index = result.step_index("botulinum")
        exposed = int(result.entering[index])
        place = ("first" if index == 0 else "last" if index == len(result.order) - 1
                 else f"in position {index + 1} of {len(result.order)}")
        response = result.params.rates("botulinum").response_percent
        parts.append(f"With botulinum toxin A {place}, {exposed:,} patients ({exposed / n:.0%}) are injected "
                     f"and exposed to its adverse effects; at its assumed {response:g}% response rate, "
                     f"{int(result.lasting[index]):,} improve and stay improved while on it, placebo responders "
                     f"included.")
    drugs = [step for step in ("amitriptyline", "snri_pregabalin") if step in result.order]
    if drugs:
        exposed_drugs = ", ".join(f"{STEP_LABELS[s].lower()} {result.exposed[s]:,}" for s in drugs)
        parts.append(f"Patients exposed to daily drugs with these assumed rates: {exposed_drugs}.")
    return " ".join(parts)


def compare(result: CohortResult, reference: CohortResult, reference_name: str) -> str:
    """One sentence on how ``result`` differs from ``reference`` (same cohort size and assumed rates, another order)."""
    if result.order == reference.order:
        return f"This is the reference sequence ({reference_name})."
    gained = result.relieved_within_horizon - reference.relieved_within_horizon
    text = [f"Compared with {reference_name}, with the same assumed rates:"]
    if "botulinum" in result.order and "botulinum" in reference.order:
        extra = result.exposed["botulinum"] - reference.exposed["botulinum"]
        text.append(f"{abs(extra):,} {'more' if extra >= 0 else 'fewer'} patients injected with the toxin;")
    median, median_ref = result.median_months_to_relief, reference.median_months_to_relief
    if not (math.isnan(median) or math.isnan(median_ref)):
        text.append(f"median wait for first relief {median:.0f} vs {median_ref:.0f} months;")
    text.append(f"relief within the horizon {result.relieved_within_horizon:.0%} vs "
                f"{reference.relieved_within_horizon:.0%} ({round(gained * 100):+d} points).")
    return " ".join(text)


# ---------------------------------------------------------------------------------------------
# EULAR 2016 ladder data
# ---------------------------------------------------------------------------------------------
# STRENGTHS and the Recommendation record (therapy, group, strength, agreement, FDA approval, verified, source) are
# declared with the file's schema in helpers/schemas.py.
def load_eular2016(data_dir=None) -> tuple:
    """``data/eular2016.csv`` as a tuple of :class:`helpers.schemas.Recommendation`, validated."""
    return load_records(Recommendation, EULAR_FILE, data_dir)
