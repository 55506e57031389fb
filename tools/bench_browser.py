"""Latency benchmark in one real browser run (a script, not a timed test).

    .venv/bin/python tools/bench_browser.py [--presses 20]

For every explorable of every notebook: p50/p95 from the keydown on a slider to the last plotly
re-render it caused (JupyterLab + Chromium, timed in the page with performance.now()). The same for a
baseline built the common way: ipywidgets.interact re-drawing a matplotlib figure of a similar
curve. Then each notebook's kernel memory (RSS) after Run All.
Targets (COURSE_DESIGN.md): p50 <= 50 ms, p95 <= 100 ms, >= 4x faster than the baseline,
<= 150 MB per kernel.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import urllib.request
from pathlib import Path

import nbformat
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "browser"))
import harness  # noqa: E402

BASELINE_CODE = '''%matplotlib inline
import numpy as np
import matplotlib.pyplot as plt
from ipywidgets import interact, IntSlider
from helpers.models import relief

def plot_year(onset_days=10):
    year = relief.simulate_year(relief.default_params(onset_days=onset_days))
    fig, ax = plt.subplots(figsize=(9, 3.5))
    ax.fill_between(year.days, 0, 10.5, where=year.meaningful, color="#009E73", alpha=0.2, step="post")
    ax.plot(year.days, year.pain, color="#D55E00", lw=2)
    ax.set(xlabel="days since the first injection", ylabel="pain (0-10)", ylim=(0, 10.5))
    plt.show()

interact(plot_year, onset_days=IntSlider(value=10, min=2, max=28, step=1));
'''

# Time from the keydown to the baseline's new image (interact replaces the <img> in its output).
ARM_IMAGE_WATCH = """() => {
  window.__renders = 0; window.__lastRender = 0;
  if (!window.__keyListener) {
    window.__keyListener = true;
    document.addEventListener('keydown', () => { window.__keyTime = performance.now(); }, true);
  }
  if (!window.__imageObserver) {
    window.__imageObserver = new MutationObserver(records => {
      if (records.some(r => [...r.addedNodes].some(n => n.nodeName === 'IMG' || (n.querySelector && n.querySelector('img'))))) {
        window.__renders += 1; window.__lastRender = performance.now();
      }
    });
    window.__imageObserver.observe(document.body, {childList: true, subtree: true});
  }
}"""


def write_baseline(notebooks_dir: Path) -> str:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(BASELINE_CODE)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, notebooks_dir / "zz_baseline_interact.ipynb")
    return "zz_baseline_interact.ipynb"


def settle(page, quiet_ms: int = 250, timeout_ms: int = 10_000) -> float:
    """Wait for the first render, then until renders stop for quiet_ms; return keydown -> last render (ms)."""
    page.wait_for_function("() => window.__renders > 0", timeout=timeout_ms)
    last = -1.0
    while True:
        page.wait_for_timeout(quiet_ms)
        now = page.evaluate("() => window.__lastRender")
        if now == last:
            return page.evaluate("() => window.__lastRender - window.__keyTime")
        last = now


def time_slider(page, index: int, handle, presses: int) -> list:
    """Keydown -> last re-render (ms) for ``presses`` presses; first shows the figure this slider changes
    (an explorable with ``controls.FigureViews`` shows one figure at a time)."""
    samples = []
    harness.bring_into_view(page, index)
    if not harness.press_until_rendered(page, index, handle, harness.figure_view_buttons(page, index)):
        print(f"  (slider '{harness.slider_label(handle)}' re-rendered no figure: not timed)")
        return samples
    page.wait_for_timeout(500)
    for _ in range(presses):
        page.evaluate(harness.ARM_RENDER_COUNTER, [harness.WIDGET_OUTPUT, index])
        harness.press_slider(page, handle)
        samples.append(settle(page))
    return samples


def kernel_rss_mb(base: str, token: str) -> dict:
    """RSS of each running kernel (Linux /proc), by the notebook path of its session."""
    with urllib.request.urlopen(f"{base}/api/sessions?token={token}") as response:
        sessions = json.load(response)
    found = {}
    for session in sessions:
        kernel_id = session["kernel"]["id"]
        for proc in Path("/proc").iterdir():
            if not proc.name.isdigit():
                continue
            try:
                if kernel_id in (proc / "cmdline").read_bytes().decode(errors="ignore"):
                    rss_kb = next(int(line.split()[1]) for line in (proc / "status").read_text().splitlines()
                                  if line.startswith("VmRSS:"))
                    found[Path(session["path"]).name] = rss_kb / 1024
            except (OSError, StopIteration):
                continue
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=20, help="key presses per slider")
    parser.add_argument("--sliders", type=int, default=2, help="sliders timed per explorable (first N)")
    arguments = parser.parse_args()

    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="bench-browser-"))
    harness.copy_course(work)
    baseline_name = write_baseline(work / "notebooks")
    rows, memory = [], {}
    with harness.server("lab", work, work / "lab.log") as (base, token), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=harness.find_chromium(), args=harness.CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1600})
        for path in harness.NOTEBOOKS:
            harness.open_lab_notebook(page, base, token, path.name)
            explorables = page.evaluate(harness.EXPLORABLES, harness.WIDGET_OUTPUT)
            for index, explorable in enumerate(explorables):
                visible = [h for h in harness.slider_handles(page, index) if h.is_visible()][:arguments.sliders]
                samples = [ms for handle in visible for ms in time_slider(page, index, handle, arguments.presses)]
                rows.append((f"{path.stem} #{index + 1}", samples))
            memory[path.name] = kernel_rss_mb(base, token).get(path.name, float("nan"))
            page.evaluate("() => window.jupyterapp.commands.execute('kernelmenu:shutdown')")
        page.goto(f"{base}/lab/tree/notebooks/{baseline_name}?token={token}")
        page.wait_for_function(harness.LAB_KERNEL_IDLE, timeout=120_000)
        page.evaluate(harness.RUN_ALL)
        page.wait_for_selector(".noUi-handle", timeout=120_000)
        page.wait_for_selector(".jp-OutputArea-output img", timeout=120_000)
        baseline = []
        for _ in range(arguments.presses):
            page.evaluate(ARM_IMAGE_WATCH)
            handle = page.query_selector(".noUi-handle")
            harness.press_slider(page, handle)
            baseline.append(settle(page))
        browser.close()

    base_p50 = float(np.percentile(baseline, 50))
    print(f"{'explorable':<34}{'n':>5}{'p50 ms':>9}{'p95 ms':>9}{'baseline/p50':>14}")
    for name, samples in rows:
        p50, p95 = np.percentile(samples, [50, 95])
        print(f"{name:<34}{len(samples):>5}{p50:>9.1f}{p95:>9.1f}{base_p50 / p50:>13.1f}x")
    b50, b95 = np.percentile(baseline, [50, 95])
    print(f"{'baseline: interact + matplotlib':<34}{len(baseline):>5}{b50:>9.1f}{b95:>9.1f}{1.0:>13.1f}x")
    print("\nkernel memory after Run All (RSS):")
    for name, megabytes in sorted(memory.items()):
        print(f"  {name:<40}{megabytes:>8.0f} MB")


if __name__ == "__main__":
    main()
