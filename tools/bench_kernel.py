"""Benchmark: kernel time per control change (model + figure update), and the whole test suite's time.

    .venv/bin/python tools/bench_kernel.py            # both
    .venv/bin/python tools/bench_kernel.py --no-suite # per-change times only

Target (COURSE_DESIGN.md): <= 5 ms per change at p95; suite <= 3 min on 2 cores. This is a script
that prints figures, never a timed test. The time covers the Python side only: the observe callback,
the model, and the figure state messages (whole states, arrays as binary buffers); the browser's re-render is
measured by the browser latency benchmark.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

import helpers.explorables as explorables
from helpers.controls import Explorable

ROOT = Path(__file__).resolve().parent.parent


def positions(control):
    """Values to step a control through: slider grid, booleans, or dropdown options."""
    if hasattr(control, "min") and hasattr(control, "max"):
        step = getattr(control, "step", 1) or 1
        return list(np.arange(control.min, control.max + step / 2, step))
    if isinstance(getattr(control, "value", None), bool):
        return [not control.value, control.value]
    options = getattr(control, "options", None)
    if options:
        values = [option[1] if isinstance(option, tuple) else option for option in options]
        return values
    return []


def time_changes(explorable: Explorable, repeats: int):
    samples = []
    for control in explorable.controls.values():
        values = positions(control)
        for _ in range(repeats):
            for value in values:
                if value == control.value:
                    continue
                start = time.perf_counter()
                control.value = value
                samples.append((time.perf_counter() - start) * 1000)
    return samples


def measure_in_kernel(repeats: int) -> str:
    """Run the timing inside a real IPython kernel, so widget messages are serialised and sent as in a notebook."""
    from jupyter_client.manager import start_new_kernel

    manager, client = start_new_kernel(kernel_name="python3")
    code = (f"import sys; sys.path.insert(0, {str(ROOT / 'tools')!r}); import bench_kernel; "
            f"bench_kernel.report({repeats})")
    output = []
    try:
        client.execute_interactive(code, timeout=600, output_hook=lambda m: output.append(
            m["content"].get("text", "") if m["msg_type"] == "stream" else
            "".join(m["content"].get("traceback", [])) if m["msg_type"] == "error" else ""))
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    return "".join(output)


def report(repeats: int) -> None:
    print(f"{'explorable':<28}{'changes':>9}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    for name in explorables.EXPLORABLES:
        widget = explorables.explorable(name)()
        if not widget.controls:
            continue
        samples = time_changes(widget, repeats)
        if samples:
            p50, p95 = np.percentile(samples, [50, 95])
            print(f"{name:<28}{len(samples):>9}{p50:>9.2f}{p95:>9.2f}{max(samples):>9.2f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-suite", action="store_true", help="skip timing the whole test suite")
    parser.add_argument("--repeats", type=int, default=3)
    arguments = parser.parse_args()

    print("Kernel time per control change, measured inside an IPython kernel (widget messages included):")
    print(measure_in_kernel(arguments.repeats))
    if not arguments.no_suite:
        print(f"\nwhole test suite (python -m pytest -q, {os.cpu_count()} cores) ...", flush=True)
        start = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:randomly"], cwd=ROOT,
                                capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        last = [line for line in result.stdout.splitlines() if line.strip()][-1:]
        print(f"whole test suite: {elapsed:.1f} s ({last[0] if last else 'no output'}; exit {result.returncode})")


if __name__ == "__main__":
    main()
