"""Re-fit the junction model (helpers/models/junction.py) to its calibration targets: numbers the studies report
and, where a study gives none, the course's illustrative targets (column `evidence` of the calibration file).

Usage (from the repository root)::

    python tools/fit_junction.py            # fit, print every point with the model's value
    python tools/fit_junction.py --check    # no fit: print the points with the current parameters
    python tools/fit_junction.py --write    # fit and write the fitted values into data/junction_parameters.csv

What it does: the parameters marked ``fitted`` in the note column of data/junction_parameters.csv are
searched within their min-max by ``scipy.optimize.differential_evolution`` (fixed seed, so the result
is reproducible), minimising

    sum over points of ((model value - target value) / tolerance) ** 2

over the points of data/junction_calibration.csv. A point the model cannot produce (for example a
recovery that never happens) counts as 10 tolerances off. The other parameters keep their values.
It exits with status 1 if any point ends outside its tolerance.
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
from scipy.optimize import differential_evolution

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from helpers.models import junction  # noqa: E402

MISSING_PENALTY = 10.0


def fitted_names(specs: dict) -> list[str]:
    """Parameters whose note starts with 'fitted', in file order."""
    return [name for name, spec in specs.items() if spec.note.lower().startswith("fitted")]


def standardised_errors(params, points) -> np.ndarray:
    values = np.array([junction.model_value(point, params) for point in points])
    targets = np.array([point.value for point in points])
    tolerances = np.array([point.tolerance for point in points])
    errors = (values - targets) / tolerances
    return np.where(np.isfinite(errors), errors, MISSING_PENALTY)


def fit(params, points, names, specs, seed: int = 1, maxiter: int = 200):
    bounds = [(specs[name].min, specs[name].max) for name in names]
    start = np.array([getattr(params, name) for name in names])

    def objective(x):
        return float(np.sum(standardised_errors(replace(params, **dict(zip(names, x, strict=True))), points) ** 2))

    result = differential_evolution(objective, bounds, seed=seed, maxiter=maxiter, popsize=15,
                                    tol=1e-8, x0=start, polish=True)
    return replace(params, **dict(zip(names, result.x, strict=True))), result


def report(params, points) -> bool:
    """Print each point beside the model's value; return True if all are within tolerance."""
    header = (f"{'point':<20} {'species':<7} {'dose':>5} {'target':>10} {'tolerance':>9} {'model':>8} "
              f"{'unit':<8} {'evidence':<12} ok")
    print(header)
    print("-" * len(header))
    all_ok = True
    for point in points:
        value = junction.model_value(point, params)
        ok = bool(np.isfinite(value) and abs(value - point.value) <= point.tolerance)
        all_ok &= ok
        print(f"{point.id:<20} {point.species:<7} {point.dose_units:>5g} {point.value:>10g} "
              f"{point.tolerance:>9g} {value:>8.2f} {point.unit:<8} {point.evidence:<12} {'yes' if ok else 'NO'}")
    return all_ok


def write_values(path: Path, values: dict) -> None:
    """Replace the value column of the named rows, leaving every other byte of the file alone."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for index, line in enumerate(lines):
        name = line.split(",", 1)[0]
        if name in values:
            parts = line.split(",")
            parts[2] = f"{values[name]:.4g}"
            lines[index] = ",".join(parts)
    path.write_text("".join(lines), encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="do not fit; report the current parameters")
    parser.add_argument("--write", action="store_true", help="write fitted values into the parameter file")
    parser.add_argument("--maxiter", type=int, default=200, help="differential-evolution generations")
    args = parser.parse_args(argv)

    specs = junction.parameter_specs()
    params = junction.default_params()
    points = junction.load_calibration()
    names = fitted_names(specs)
    if not args.check:
        print(f"Fitting {len(names)} parameters to {len(points)} points: {', '.join(names)}")
        before = float(np.sum(standardised_errors(params, points) ** 2))
        params, result = fit(params, points, names, specs, maxiter=args.maxiter)
        print(f"sum of squared standardised errors: {before:.3f} before, {result.fun:.3f} after")
        for name in names:
            print(f"  {name:<30} {getattr(params, name):.4g} {specs[name].unit}")
        if args.write:
            write_values(ROOT / "data" / junction.PARAMETERS_FILE, {n: getattr(params, n) for n in names})
            print(f"written to data/{junction.PARAMETERS_FILE}")
    ok = report(params, points)
    print("all points within tolerance" if ok else "SOME POINTS ARE OUTSIDE THEIR TOLERANCE")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
