"""Neuromuscular blockade by botulinum toxin A: a kinetic model (notebook 02).

Pure numpy: no widgets, no plotting, no printing. The chain, from the syringe to the muscle, is

    dose (U) -> toxin taken up into nerve terminals -> active light chain in the cytosol
    -> intact SNAP-25 fraction -> acetylcholine release (parent terminal + sprouts)
    -> muscle response (CMAP amplitude relative to baseline)

with recovery through nerve sprouts and the return of the parent terminal, and repeated
injections at least 12 weeks apart. The equations, their sources and what the model leaves out
are in ``junction.md`` beside this file. Parameters, with their allowed ranges, are the rows of
``data/junction_parameters.csv``; the published points the model is calibrated against are in
``data/junction_calibration.csv`` (re-fit them with ``tools/fit_junction.py``).
"""
from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np

from ..data import load_parameters, load_records
from ..schemas import QUANTITIES, SPECIES, CalibrationPoint  # noqa: F401  (the calibration file's vocabulary)
from ..validation import require_parameter, with_overrides

PARAMETERS_FILE = "junction_parameters.csv"
CALIBRATION_FILE = "junction_calibration.csv"

#: Time step of the simulation grid (days). Six hours resolves the first 48 hours.
DT_DAYS = 0.25

#: A fall of the muscle response smaller than this (fraction of baseline) counts as no effect.
NO_EFFECT = 1e-6

#: Parameters that are whole numbers.
INTEGER_PARAMETERS = ("injections",)


@dataclass(frozen=True)
class JunctionParams:
    """Inputs of the junction model; units are in the names. Defaults come from ``data/``."""

    dose_units: float                  # U injected per muscle, each session
    injections: int                    # number of injection sessions
    interval_weeks: float              # weeks between sessions (>= 12)
    followup_days: float               # days simulated after the last session
    uptake_rate_per_day: float         # first-order uptake of the injected toxin into terminals
    light_chain_half_life_days: float  # half-life of the active light chain in the cytosol
    cleavage_rate_per_unit_day: float  # SNAP-25 cleaved per day per unit of active light chain
    snap25_half_life_days: float       # turnover (replacement) half-life of SNAP-25
    release_cooperativity: float       # release ~ (intact SNAP-25)^n
    sprout_max_fraction: float         # share of the lost release that sprouts can restore
    sprout_time_constant_days: float   # how fast sprouts grow and retract
    release_for_half_response: float   # release (fraction of normal) that gives half the CMAP
    response_steepness: float          # Hill coefficient of the release -> CMAP curve
    reach_fraction: float              # share of the muscle's endplates the toxin reaches
    clinical_threshold_percent: float  # CMAP decrement that counts as a clinical effect


def parameter_specs(data_dir=None) -> dict:
    """``{name: Parameter}`` from ``data/junction_parameters.csv`` (cached by the loader)."""
    return load_parameters(PARAMETERS_FILE, data_dir)


def default_params(data_dir=None, **overrides) -> JunctionParams:
    """The default muscle and schedule from ``data/``, with fields replaced by ``overrides``; validated."""
    specs = parameter_specs(data_dir)
    values = with_overrides({item.name: specs[item.name].value for item in fields(JunctionParams)}, overrides,
                            "junction")
    for name in INTEGER_PARAMETERS:
        values[name] = int(values[name]) if float(values[name]) == int(float(values[name])) else values[name]
    return validate(JunctionParams(**values), data_dir)


def validate(params: JunctionParams, data_dir=None) -> JunctionParams:
    """Raise ``ValueError`` naming the parameter, its value and the allowed range from ``data/``."""
    specs = parameter_specs(data_dir)
    for item in fields(JunctionParams):
        require_parameter(item.name, getattr(params, item.name), specs[item.name],
                          integer=item.name in INTEGER_PARAMETERS)
    return params


# ---------------------------------------------------------------------------------------------
# The chain, step by step (each function is one link; all are vectorised over time)
# ---------------------------------------------------------------------------------------------
def injection_days(params: JunctionParams) -> np.ndarray:
    """Days of the injection sessions: 0, interval, 2 x interval, ..."""
    return np.arange(params.injections, dtype=float) * params.interval_weeks * 7.0


def time_grid(params: JunctionParams) -> np.ndarray:
    """Days from the first injection to ``followup_days`` after the last, every ``DT_DAYS``."""
    end = injection_days(params)[-1] + params.followup_days
    return np.arange(0.0, end + DT_DAYS / 2, DT_DAYS)


def taken_up(days, params: JunctionParams) -> np.ndarray:
    """Toxin taken up into nerve terminals so far (U, cumulative over sessions).

    First-order uptake: each session's dose D enters at rate ``k_u D exp(-k_u t)``.
    """
    t = np.asarray(days, dtype=float)
    since = t[None, :] - injection_days(params)[:, None]
    uptake = 1.0 - np.exp(-params.uptake_rate_per_day * np.clip(since, 0.0, None))
    return params.dose_units * np.where(since >= 0, uptake, 0.0).sum(axis=0)


def bateman(since, k_in: float, k_out: float) -> np.ndarray:
    """Amount in a compartment fed by a first-order input (rate ``k_in``) and emptied at ``k_out``,
    per unit given at time 0: ``k_in (exp(-k_out t) - exp(-k_in t)) / (k_in - k_out)``; zero before 0.

    When the two rates are (almost) equal the limit ``k t exp(-k t)`` is used.
    """
    t = np.clip(np.asarray(since, dtype=float), 0.0, None)
    if abs(k_in - k_out) < 1e-9 * max(k_in, k_out):
        values = k_in * t * np.exp(-k_in * t)
    else:
        values = k_in * (np.exp(-k_out * t) - np.exp(-k_in * t)) / (k_in - k_out)
    return np.where(np.asarray(since) >= 0, values, 0.0)


def light_chain(days, params: JunctionParams) -> np.ndarray:
    """Active light chain in the terminals (U-equivalents): uptake, then first-order loss.

    ``dL/dt = k_u D exp(-k_u t) - k_L L`` for each session, summed over sessions.
    """
    t = np.asarray(days, dtype=float)
    since = t[None, :] - injection_days(params)[:, None]
    k_loss = np.log(2.0) / params.light_chain_half_life_days
    return params.dose_units * bateman(since, params.uptake_rate_per_day, k_loss).sum(axis=0)


def _log_expm1_over_x(x: np.ndarray) -> np.ndarray:
    """``log((exp(x) - 1) / x)`` for x >= 0, stable near 0 (-> x/2) and for large x."""
    x = np.asarray(x, dtype=float)
    small = x < 1e-8
    safe = np.where(small, 1.0, x)
    big = safe > 30.0
    value = np.where(big, safe + np.log1p(-np.exp(-np.minimum(safe, 700.0))) - np.log(safe),
                     np.log(np.expm1(np.minimum(safe, 30.0)) / safe))
    return np.where(small, x / 2.0, value)


def intact_snap25(days, light: np.ndarray, params: JunctionParams) -> np.ndarray:
    """Fraction (0-1) of SNAP-25 in the terminals that is intact.

    ``dS/dt = -k_c L(t) S + k_s (1 - S)`` with ``S(0) = 1``: cleavage by the light chain, and
    replacement by new SNAP-25 (turnover rate ``k_s = ln 2 / half-life``). This linear equation
    is solved exactly for a light chain that is constant within each time step, in log space
    (an integrating factor accumulated with ``logaddexp``) so that it never overflows.
    ``days`` must be an evenly spaced grid starting at 0 and ``light`` the light chain on it.
    """
    t = np.asarray(days, dtype=float)
    light = np.asarray(light, dtype=float)
    if t.size == 1:
        return np.ones(1)
    dt = t[1] - t[0]
    k_s = np.log(2.0) / params.snap25_half_life_days
    rate = params.cleavage_rate_per_unit_day * light[:-1] + k_s       # total loss rate, per step
    step = rate * dt                                                   # increase of Phi per step
    phi = np.concatenate(([0.0], np.cumsum(step)))                     # Phi(t) = int (k_c L + k_s)
    # log of int_{t_n}^{t_n+1} exp(Phi(s)) ds with Phi linear inside the step
    log_piece = phi[:-1] + np.log(dt) + _log_expm1_over_x(step)
    log_integral = np.concatenate(([-np.inf], np.logaddexp.accumulate(log_piece)))
    intact = np.exp(-phi) + k_s * np.exp(log_integral - phi)
    return np.clip(intact, 0.0, 1.0)


def parent_release(intact: np.ndarray, params: JunctionParams) -> np.ndarray:
    """Release from the original (parent) terminal, fraction of normal: ``S ** n``."""
    return np.asarray(intact, dtype=float) ** params.release_cooperativity


def sprout_capacity(days, parent: np.ndarray, params: JunctionParams) -> np.ndarray:
    """Share (0-1) of the silenced release that nerve sprouts restore.

    Sprouts grow while the parent terminal is silent and retract when it returns:
    ``d sigma/dt = (sigma_max (1 - R_parent) - sigma) / tau``, solved exactly step by step as a
    first-order linear filter.
    """
    t = np.asarray(days, dtype=float)
    target = params.sprout_max_fraction * (1.0 - np.asarray(parent, dtype=float))
    if t.size == 1:
        return np.zeros(1)
    keep = float(np.exp(-(t[1] - t[0]) / params.sprout_time_constant_days))
    return first_order_lag(target, keep)


def first_order_lag(target: np.ndarray, keep: float) -> np.ndarray:
    """``y[0] = 0``, ``y[n] = keep * y[n-1] + (1 - keep) * target[n-1]`` for ``0 < keep < 1``, vectorised.

    Within a block, ``y[s+1+j] = keep^(j+1) y[s] + sum_i keep^(j-i) x[i]``, a cumulative sum of
    ``x[i] keep^-i``; blocks are short enough that ``keep^-i`` stays below ``e^27`` (no overflow,
    no lost precision), and each block starts from the last value of the one before.
    (This replaces ``scipy.signal.lfilter``, whose import alone cost the kernel about 60 MB.)
    """
    target = np.asarray(target, dtype=float)
    lagged = np.zeros(target.size)
    inputs = (1.0 - keep) * target[:-1]
    block = max(1, min(inputs.size, int(27.0 / -np.log(keep))))
    powers = keep ** np.arange(block + 1)
    carry = 0.0
    for start in range(0, inputs.size, block):
        chunk = inputs[start:start + block]
        size = chunk.size
        values = powers[:size] * np.cumsum(chunk / powers[:size]) + powers[1:size + 1] * carry
        lagged[start + 1:start + 1 + size] = values
        carry = values[-1]
    return lagged


def muscle_response(release, params: JunctionParams) -> np.ndarray:
    """CMAP amplitude as a fraction of baseline (0-1) for a given release (fraction of normal).

    Each reached endplate's fibre fires when enough acetylcholine is released; across fibres the
    share that fires follows a Hill curve ``g(R) = R^h (1 + c^h) / (R^h + c^h)``, scaled so that
    ``g(1) = 1``. Endplates the toxin does not reach (share ``1 - reach``) keep firing.
    """
    r = np.clip(np.asarray(release, dtype=float), 0.0, 1.0)
    c_h = params.release_for_half_response ** params.response_steepness
    r_h = r ** params.response_steepness
    fired = r_h * (1.0 + c_h) / (r_h + c_h)
    return np.minimum((1.0 - params.reach_fraction) + params.reach_fraction * fired, 1.0)


# ---------------------------------------------------------------------------------------------
# A whole course of injections
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class JunctionCourse:
    """The model's output on the time grid (day 0 = first injection)."""

    params: JunctionParams
    days: np.ndarray            # days since the first injection, every DT_DAYS
    injection_days: np.ndarray  # days of the sessions
    taken_up: np.ndarray        # U taken up into terminals (cumulative)
    light_chain: np.ndarray     # active light chain (U-equivalents)
    intact_snap25: np.ndarray   # fraction 0-1
    parent_release: np.ndarray  # release by the parent terminal, fraction of normal (0-1)
    sprout_release: np.ndarray  # release by sprouts, fraction of normal (0-1)
    release: np.ndarray         # total release, fraction of normal (0-1)
    response: np.ndarray        # CMAP amplitude, fraction of baseline (0-1)

    @property
    def sprout_share(self) -> np.ndarray:
        """Share (0-1) of the current release carried by sprouts."""
        return np.divide(self.sprout_release, self.release, out=np.zeros_like(self.release),
                         where=self.release > 0)


def simulate(params: JunctionParams) -> JunctionCourse:
    """Run the chain over the whole course (validated inputs)."""
    validate(params)
    days = time_grid(params)
    uptake = taken_up(days, params)
    light = light_chain(days, params)
    intact = intact_snap25(days, light, params)
    parent = parent_release(intact, params)
    sprouts = sprout_capacity(days, parent, params) * (1.0 - parent)
    release = np.clip(parent + sprouts, 0.0, 1.0)
    response = muscle_response(release, params)
    return JunctionCourse(params, days, injection_days(params), uptake, light, intact,
                          parent, sprouts, release, response)


# ---------------------------------------------------------------------------------------------
# Read-outs (what the explorable reports and what is calibrated)
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CourseMetrics:
    onset_day: float | None             # first day the CMAP decrement reaches the clinical threshold
    nadir_day: float | None             # day of the lowest CMAP after the first session (None: no fall)
    nadir_percent: float                # that lowest CMAP, % of baseline
    max_decrement_percent: float        # 100 - lowest CMAP over the whole course
    clinical_duration_days: float | None  # days from onset until the decrement falls back below threshold
    half_recovery_day: float | None     # after the last session: CMAP back halfway from its nadir
    parent_recovery_day: float | None   # first session: parent-terminal release back to 50% of normal
    release_half_recovery_day: float | None  # first session: total release back to 50% of normal
    peak_sprout_share_percent: float    # largest share of release carried by sprouts


def _first(mask: np.ndarray, days: np.ndarray) -> float | None:
    hits = np.flatnonzero(mask)
    return float(days[hits[0]]) if hits.size else None


def _recovery_day(values: np.ndarray, days: np.ndarray, start: int, stop: int, level: float) -> float | None:
    """First day after the minimum of ``values[start:stop]`` on which ``values >= level``; None if
    the minimum never falls below ``level`` or it does not recover within the window."""
    window = values[start:stop]
    low = int(np.argmin(window))
    if window[low] >= level:
        return None
    return _first(window[low:] >= level, days[start + low:stop])


def metrics(course: JunctionCourse) -> CourseMetrics:
    """Summaries of one course, each recomputable from the curves."""
    p = course.params
    days, response = course.days, course.response
    sessions = np.searchsorted(days, course.injection_days)
    first_stop = int(sessions[1]) if sessions.size > 1 else days.size
    threshold = 1.0 - p.clinical_threshold_percent / 100.0
    first = slice(0, first_stop)

    low = int(np.argmin(response[first]))
    fell = response[low] < 1.0 - NO_EFFECT
    onset = _first(response[first] <= threshold, days[first])
    duration = None
    if onset is not None:
        back = _first(response[low:first_stop] > threshold, days[low:first_stop])
        duration = None if back is None else back - onset

    last = int(sessions[-1])
    last_low = last + int(np.argmin(response[last:]))
    halfway = response[last_low] + 0.5 * (1.0 - response[last_low])
    half = None
    if response[last_low] < 1.0 - NO_EFFECT:
        half = _first(response[last_low:] >= halfway, days[last_low:])

    return CourseMetrics(
        onset_day=onset,
        nadir_day=float(days[low]) if fell else None,
        nadir_percent=float(response[low] * 100.0),
        max_decrement_percent=float(100.0 - response.min() * 100.0),
        clinical_duration_days=duration,
        half_recovery_day=half,
        parent_recovery_day=_recovery_day(course.parent_release, days, 0, first_stop, 0.5),
        release_half_recovery_day=_recovery_day(course.release, days, 0, first_stop, 0.5),
        peak_sprout_share_percent=float(course.sprout_share.max() * 100.0),
    )


def describe(m: CourseMetrics, params: JunctionParams, studied_dose: float | None = None) -> str:
    """The metrics in plain words (the live readout, and what nbval compares).

    The sentences say that the numbers come from the fitted model and that the clinical threshold and the
    sprouts' share are assumptions; a dose above ``studied_dose`` (default: the highest dose at which the
    model is compared with human data) is flagged as an extrapolation.
    """
    studied_dose = studied_max_dose() if studied_dose is None else studied_dose
    threshold = f"{params.clinical_threshold_percent:g}%"
    if m.nadir_day is None:
        start = "Without toxin the muscle response stays at 100% of baseline."
    elif m.onset_day is None:
        start = ("In the fitted model the muscle response never falls by the assumed clinical threshold "
                 f"of {threshold} (lowest {m.nadir_percent:.0f}% of baseline on day {m.nadir_day:.0f}).")
    else:
        start = (f"In the fitted model, weakness (a fall of at least {threshold}, an assumed clinical threshold) "
                 f"begins on day {m.onset_day:.0f}; the response is lowest on day {m.nadir_day:.0f}, at "
                 f"{m.nadir_percent:.0f}% of baseline.")
    lasting = ""
    if m.onset_day is not None:
        if m.clinical_duration_days is not None:
            lasting = f" The clinical effect lasts {m.clinical_duration_days:.0f} days."
        elif params.injections > 1:
            lasting = " It has not worn off when the next session is given."
        else:
            lasting = " It has not worn off by the end of the simulation."
    if m.half_recovery_day is None:
        end = " There is nothing to recover from."
    else:
        which = "the injection" if params.injections == 1 else "the last injection"
        end = f" After {which}, the muscle has regained half of what it lost by day {m.half_recovery_day:.0f}."
    sprouts = ""
    if m.nadir_day is not None:
        sprouts = (f" Sprouts carry at most {m.peak_sprout_share_percent:.0f}% of the release; the model keeps them "
                   f"small, following one mouse study, and how much sprouts carry is disputed.")
    beyond = ""
    if params.dose_units > studied_dose:
        beyond = (f" {params.dose_units:g} U is above the highest dose studied in this muscle ({studied_dose:g} U): "
                  f"these numbers are the model's extrapolation, not data.")
    return start + lasting + end + sprouts + beyond


# ---------------------------------------------------------------------------------------------
# Calibration data (data/junction_calibration.csv)
# ---------------------------------------------------------------------------------------------
# QUANTITIES (what a calibration point may measure, and the model quantity it is compared with) and SPECIES are
# declared with the file's schema, CalibrationPoint, in helpers/schemas.py.
def load_calibration(data_dir=None) -> tuple:
    """``data/junction_calibration.csv`` as a tuple of :class:`helpers.schemas.CalibrationPoint`, validated (doses
    within the dose range of ``junction_parameters.csv``)."""
    return load_records(CalibrationPoint, CALIBRATION_FILE, data_dir, parameters_file=PARAMETERS_FILE)


def studied_max_dose(data_dir=None) -> float:
    """The highest dose (U) at which the model is compared with human data; above it the model extrapolates."""
    return max(point.dose_units for point in load_calibration(data_dir) if point.species == "human")


def model_value(point: CalibrationPoint, params: JunctionParams) -> float:
    """The model's value for one calibration point: one injection of the point's dose.

    Quantities that never occur (a decrement that never reaches the threshold, a release that
    never recovers) are returned as ``nan``, which fails every tolerance check.
    """
    course = simulate(replace(params, dose_units=point.dose_units, injections=1))
    m = metrics(course)
    if point.quantity == "cmap_percent_at_day":
        return float(np.interp(point.at_day, course.days, course.response) * 100.0)
    value = {
        "nadir_day": m.nadir_day,
        "nadir_percent": m.nadir_percent,
        "max_decrement_percent": m.max_decrement_percent,
        "clinical_onset_day": m.onset_day,
        "clinical_duration_days": m.clinical_duration_days,
        "parent_recovery_day": m.parent_recovery_day,
        "release_half_recovery_day": m.release_half_recovery_day,
    }[point.quantity]
    return float("nan") if value is None else float(value)
