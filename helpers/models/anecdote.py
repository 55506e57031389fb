"""Why "it works for most of my patients" misleads: an uncontrolled series of a treatment with NO effect.

Pure numpy: no widgets, no plotting, no printing; seeded, so every run gives the same patients.
Equations and what is left out: ``risk.md`` (section "Anecdote") beside this file.

Each patient ``i`` has a long-run average pain ``mu_i ~ Normal(cohort_mean, cohort_sd)``; each
week their pain is ``mu_i + noise``, ``noise ~ Normal(0, visit_noise_sd)``, clipped to 0-10.
Patients come to the clinic (and are injected) in the first week their pain reaches
``selection_threshold``. At follow-up their pain is ``mu_i + new noise - placebo - true_effect``
(clipped). The true effect is 0: the toxin does nothing in this simulation. Patients "improved"
if follow-up pain is at least ``improvement_percent`` below the pain at enrolment.

A randomised comparison takes everyone in the candidate pool who came to the clinic (a larger
group, so chance differences are small), gives half the (useless) toxin and half saline: both
arms improve equally, so the difference is near 0.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from ..validation import require_in_range, require_parameter, with_overrides
from .risk import parameter_specs

POOL_FACTOR = 20          # candidate patients per enrolled patient
WEEKS = 26                # weeks a candidate can wait before coming to the clinic

_NAMES = ("placebo_points", "selection_threshold", "visit_noise_sd", "cohort_mean_pain", "cohort_sd_pain",
          "n_patients", "improvement_percent", "seed")


@dataclass(frozen=True)
class AnecdoteParams:
    placebo_points: float
    selection_threshold: float
    visit_noise_sd: float
    cohort_mean_pain: float
    cohort_sd_pain: float
    n_patients: float
    improvement_percent: float
    seed: float
    true_effect_points: float = 0.0


def default_params(**overrides) -> AnecdoteParams:
    """The default series from ``data/risk_parameters.csv``, with ``overrides``; validated."""
    specs = parameter_specs()
    values = with_overrides({name: specs[name].value for name in _NAMES}, overrides, "anecdote",
                            also=("true_effect_points",))
    return validate(AnecdoteParams(**values))


def validate(params: AnecdoteParams) -> AnecdoteParams:
    """Raise ``ValueError`` naming the parameter, its value and the allowed range from ``data/``."""
    specs = parameter_specs()
    for name in _NAMES:
        require_parameter(name, getattr(params, name), specs[name])
    require_in_range("true_effect_points", params.true_effect_points, 0, 10, "points")
    return params


@functools.lru_cache(maxsize=8)
def _standard_normals(seed: int, pool: int, weeks: int) -> tuple:
    """The same random numbers for every slider position (common random numbers): only the
    scaling changes, so moving a slider changes the result smoothly, not by a new draw."""
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(pool), rng.standard_normal((pool, weeks)), rng.standard_normal(pool),
            rng.permutation(pool) % 2 == 0)


@dataclass(frozen=True)
class AnecdoteSeries:
    params: AnecdoteParams
    long_run: np.ndarray          # each enrolled patient's own average pain (points)
    at_enrolment: np.ndarray      # pain in the week they were injected
    at_followup: np.ndarray       # pain at follow-up
    improved: np.ndarray          # bool: fell by at least improvement_percent
    trial_improved: np.ndarray    # bool: improved, for every patient who came (the randomised comparison)
    toxin_arm: np.ndarray         # bool: their arm in the randomised comparison (True = toxin, False = saline)

    @property
    def n_enrolled(self) -> int:
        return int(self.at_enrolment.size)


def simulate_series(params: AnecdoteParams) -> AnecdoteSeries:
    """Simulate the clinic series (validated inputs, fixed seed)."""
    validate(params)
    n = int(params.n_patients)
    pool = POOL_FACTOR * n
    z_mu, z_week, z_follow, arm = _standard_normals(int(params.seed), pool, WEEKS)
    mu = np.clip(params.cohort_mean_pain + params.cohort_sd_pain * z_mu, 0.0, 10.0)
    weekly = np.clip(mu[:, None] + params.visit_noise_sd * z_week, 0.0, 10.0)
    reached = weekly >= params.selection_threshold
    comes = reached.any(axis=1)
    first = reached.argmax(axis=1)
    came = np.flatnonzero(comes)
    enrol = weekly[came, first[came]]
    in_toxin_arm = arm[came]
    effect = np.where(in_toxin_arm, params.true_effect_points, 0.0)
    # The uncontrolled series: the first n patients who came, all given the toxin.
    series_follow = np.clip(mu[came] + params.visit_noise_sd * z_follow[came] - params.placebo_points
                            - params.true_effect_points, 0.0, 10.0)
    # The randomised comparison: everyone who came in the pool, half toxin, half saline.
    trial_follow = np.clip(mu[came] + params.visit_noise_sd * z_follow[came] - params.placebo_points - effect,
                           0.0, 10.0)
    threshold = 1.0 - params.improvement_percent / 100.0
    improved = series_follow <= enrol * threshold + 1e-12
    trial_improved = trial_follow <= enrol * threshold + 1e-12
    return AnecdoteSeries(params, mu[came][:n], enrol[:n], series_follow[:n], improved[:n], trial_improved,
                          in_toxin_arm)


@dataclass(frozen=True)
class AnecdoteSummary:
    n_enrolled: int
    percent_improved: float           # uncontrolled series: everyone treated
    mean_enrolment: float
    mean_followup: float
    mean_drop: float
    regression_part: float            # mean(enrolment pain - own long-run average)
    placebo_part: float
    true_effect: float
    trial_size: int                   # patients in the randomised comparison
    toxin_arm_improved: float         # randomised comparison (percent)
    saline_arm_improved: float


def summarise(series: AnecdoteSeries) -> AnecdoteSummary:
    """Headline numbers; the mean drop is split into regression to the mean, placebo and drug effect."""
    p = series.params
    if series.n_enrolled == 0:
        nan = float("nan")
        return AnecdoteSummary(0, nan, nan, nan, nan, nan, p.placebo_points, p.true_effect_points, 0, nan, nan)

    def percent(mask):
        return float(100.0 * series.trial_improved[mask].mean()) if mask.any() else float("nan")

    return AnecdoteSummary(
        n_enrolled=series.n_enrolled,
        percent_improved=float(100.0 * series.improved.mean()),
        mean_enrolment=float(series.at_enrolment.mean()),
        mean_followup=float(series.at_followup.mean()),
        mean_drop=float((series.at_enrolment - series.at_followup).mean()),
        regression_part=float((series.at_enrolment - series.long_run).mean()),
        placebo_part=p.placebo_points,
        true_effect=p.true_effect_points,
        trial_size=int(series.toxin_arm.size),
        toxin_arm_improved=percent(series.toxin_arm),
        saline_arm_improved=percent(~series.toxin_arm),
    )


def describe(summary: AnecdoteSummary, params: AnecdoteParams) -> str:
    """The readout in words (what nbval compares)."""
    if summary.n_enrolled == 0:
        return (f"No patient's pain reached {params.selection_threshold:g} points, so nobody was injected: "
                "lower the threshold.")
    return (
        f"{summary.n_enrolled} patients were injected in a week when their pain was at least "
        f"{params.selection_threshold:g} points (average {summary.mean_enrolment:.1f}). At follow-up the average is "
        f"{summary.mean_followup:.1f}: {summary.percent_improved:.0f}% 'improved' "
        f"by {params.improvement_percent:g}% or more, "
        + ("although the injection does nothing. " if summary.true_effect == 0 else
           f"and the injection's true effect is {summary.true_effect:g} points. ")
        + f"Of the {summary.mean_drop:.1f}-point average fall, about "
        f"{summary.regression_part:.1f} is regression to the mean (they came on a bad week) and "
        f"{summary.placebo_part:.1f} is placebo response; the drug contributes {summary.true_effect:g}. "
        f"A randomised comparison of all {summary.trial_size} patients who came shows it: "
        f"{summary.toxin_arm_improved:.0f}% improved on toxin vs {summary.saline_arm_improved:.0f}% on saline."
    )
