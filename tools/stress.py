"""Repeat-load stress check (a script that prints figures, run by ``./course stress``).

    .venv/bin/python tools/stress.py                          # every notebook, 10 loads each
    .venv/bin/python tools/stress.py --loads 3 03_onset_and_duration.ipynb

Each load: JupyterLab (default windowing: cells far from the view are created only when scrolled to), Run All
from the top, then scroll through; every explorable, as soon as it has drawn, must equal the model (see
tests/browser/model_check.py). Prints one line per load and a summary; exits 1 if any load differed.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "browser"))
import harness  # noqa: E402
from repeat_loads import stress, windowed_course  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help="notebook file names (default: all)")
    parser.add_argument("--loads", type=int, default=10)
    arguments = parser.parse_args()
    names = arguments.notebooks or [path.name for path in harness.NOTEBOOKS]

    from playwright.sync_api import sync_playwright

    work = windowed_course(Path(tempfile.mkdtemp(prefix="course-stress-")))
    with harness.server("lab", work, work / "lab.log") as (base, token), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=harness.find_chromium(), args=harness.CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        results = stress(page, base, token, names, arguments.loads, report=lambda line: print(line, flush=True))
        browser.close()
    failed = [result for result in results if result.problems]
    checked = sum(len(result.checked) for result in results)
    stalls = sum(result.stalls for result in results)
    print(f"\n{len(results)} loads, {checked} explorable checks, {len(failed)} loads with a figure or readout "
          f"that differed from the model; {stalls} pages stalled before drawing and were loaded again")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
