"""Time one 10,000-patient run of the treatment-sequencing cohort model (helpers/models/sequencing.py).

A script, not a test: it prints the median (p50) and p95 of 20 runs, so a maintainer can see that a
slider change stays well inside the course's 5 ms kernel budget.

    python tools/bench_sequencing.py
"""
from __future__ import annotations

import time

import numpy as np

from helpers.models import sequencing


def main(runs: int = 20) -> None:
    params = sequencing.default_params(n_patients=10000)
    sequencing.simulate_cohort(params, seed=0)          # warm up (loads and caches data/)
    times = []
    for run in range(runs):
        start = time.perf_counter()
        result = sequencing.simulate_cohort(params, seed=run)
        times.append(time.perf_counter() - start)
    milliseconds = np.array(times) * 1000.0
    print(f"simulate_cohort, {params.n_patients:,} patients, {len(params.order)} steps, {runs} runs: "
          f"p50 {np.percentile(milliseconds, 50):.2f} ms, p95 {np.percentile(milliseconds, 95):.2f} ms")
    print(f"last run: {sequencing.describe(result)}")


if __name__ == "__main__":
    main()
