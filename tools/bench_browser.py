"""Browser benchmark in one real run (a script that prints figures, not a timed test).

    .venv/bin/python tools/bench_browser.py [--presses 20] [--sliders 2]

JupyterLab + Chromium, timed on the page's own clock (performance.now()), for the first ``--sliders`` visible
sliders of every explorable:
- drag: the handle dragged with the mouse across its range and back for about 2 s; figure re-renders per
  second while the button is down, and the time from letting go to the last re-render (settle); the mouse moves
  as fast as Playwright can send them, which on a busy 2-core machine is slower than a hand;
- drag at the display rate: the same drag driven from the page, one new value per animation frame (what a hand
  faster than the screen produces), so renders per second show what the page can draw;
- key: keydown on the focused slider -> the last re-render it caused, p50 and p95 over ``--presses`` presses.
The same for a baseline built the common way (ipywidgets.interact re-drawing a matplotlib figure of a similar
curve), then each notebook's kernel memory (RSS) after Run All.
Targets (COURSE_DESIGN.md): drag >= 30 renders/s, settle <= 100 ms; key p50 <= 30 ms, p95 <= 60 ms and >= 4x
faster than the baseline; <= 150 MB per kernel.
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

# Render times of what a slider changes, on the page clock: a course figure's paint (its data-renders
# attribute) or, for the baseline, a new <img> from matplotlib. Also the last keydown/pointerup time.
ARM = """(root) => {
  window.__renderTimes = []; window.__inputTimes = [];
  if (!window.__inputListeners) {
    window.__inputListeners = true;
    document.addEventListener('input', (e) => {
      if (e.target.type === 'range') window.__inputTimes.push(performance.now()); }, true);
    document.addEventListener('keydown', () => { window.__keyTime = performance.now(); }, true);
    document.addEventListener('pointerup', () => { window.__upTime = performance.now(); }, true);
    document.addEventListener('pointerdown', () => { window.__downTime = performance.now(); }, true);
  }
  if (window.__renderObserver) window.__renderObserver.disconnect();
  window.__renderObserver = new MutationObserver(records => {
    if (records.some(r => r.type === 'attributes'
        || [...r.addedNodes].some(n => n.nodeName === 'IMG' || (n.querySelector && n.querySelector('img'))))) {
      window.__renderTimes.push(performance.now());
    }
  });
  window.__renderObserver.observe(document.querySelector(root) || document.body,
    {subtree: true, childList: true, attributes: true, attributeFilter: ['data-renders']});
}"""


def settle_ms(page, since: str, quiet_ms: int = 300, timeout_ms: int = 10_000) -> float | None:
    """Wait until renders stop for quiet_ms; the time from ``since`` (a page timestamp) to the last render
    (0 when the last render came before it: the final value was on screen already; None if nothing rendered)."""
    waited, count = 0, -1
    while waited < timeout_ms:
        page.wait_for_timeout(quiet_ms)
        waited += quiet_ms
        now = page.evaluate("() => window.__renderTimes.length")
        if now == count:
            break
        count = now
    times = page.evaluate("() => window.__renderTimes")
    start = page.evaluate(f"() => window.{since}")
    return max(0.0, times[-1] - start) if times else None


def held_rates(page) -> tuple:
    """(value changes per second, renders per second) while the button was held (pointerdown to pointerup)."""
    return tuple(page.evaluate("""() => ['__inputTimes', '__renderTimes'].map(name => window[name]
        .filter(t => t >= window.__downTime && t <= window.__upTime).length * 1000
        / (window.__upTime - window.__downTime))"""))


def drag_figures(page, slider, seconds: float = 2.0, root: str = "body", track=None) -> tuple:
    """Drag across the range and back for about ``seconds``; (value changes per second while held, renders per
    second while held, settle ms). A slider with few positions changes value less often than the hand moves.
    ``track``: the element to sweep along when ``slider`` is only the handle (the baseline's slider)."""
    slider.scroll_into_view_if_needed()
    if track is None:
        harness.reach_slider(page, slider)  # the pointer on a course slider asks for its frames
    else:
        slider.hover()
    box = (track or slider).bounding_box()
    left, right, y = box["x"] + 6, box["x"] + box["width"] - 6, box["y"] + box["height"] / 2
    page.evaluate(ARM, root)
    grab = slider.bounding_box() if track is not None else {"x": left, "y": y, "width": 0, "height": 0}
    page.mouse.move(grab["x"] + grab["width"] / 2, grab["y"] + grab["height"] / 2)
    page.mouse.down()
    # pointer moves as fast as a hand on a mouse makes them (the browser coalesces them per frame): one sweep
    # across the track per second, 60 moves per sweep
    started = page.evaluate("() => performance.now()")
    sweep = 0
    while page.evaluate("() => performance.now()") - started < seconds * 1000:
        for index in range(0, 60, 4):
            fraction = index / 59 if sweep % 2 == 0 else 1 - index / 59
            page.mouse.move(left + (right - left) * fraction, y, steps=4)
        sweep += 1
    page.mouse.move(left + (right - left) * 0.4, y)
    page.mouse.up()
    return (*held_rates(page), settle_ms(page, "__upTime"))


# A drag at the display's rate: pointerdown on the range, then one new value per animation frame (what Chromium
# delivers for a hand moving faster than the screen refreshes: coalesced pointer moves, one input per frame),
# sweeping the whole range about once a second, then pointerup. It measures what the page can draw, free of
# the rate at which Playwright can send mouse moves on a loaded machine.
FRAME_RATE_DRAG = """async ([range, seconds]) => {
  const min = Number(range.min), max = Number(range.max), step = Number(range.step) || 1;
  const positions = Math.max(1, Math.round((max - min) / step)), stride = Math.max(1, Math.round(positions / 60));
  let position = 0, direction = 1;
  range.dispatchEvent(new PointerEvent('pointerdown', {bubbles: true}));
  window.__downTime = performance.now();
  await new Promise(resolve => {
    const tick = () => {
      if (performance.now() - window.__downTime > seconds * 1000) return resolve();
      position += direction * stride;
      if (position >= positions) { position = positions; direction = -1; }
      if (position <= 0) { position = 0; direction = 1; }
      range.value = String(min + position * step);
      range.dispatchEvent(new Event('input', {bubbles: true}));
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  window.__upTime = performance.now();
  window.dispatchEvent(new PointerEvent('pointerup', {bubbles: true}));
}"""


def frame_rate_drag(page, slider, seconds: float = 2.0, root: str = "body") -> tuple:
    """(value changes per second, renders per second, settle ms) for a drag at the display's rate."""
    harness.reach_slider(page, slider)
    page.evaluate(ARM, root)
    page.evaluate(FRAME_RATE_DRAG, [slider.element_handle(), seconds])
    return (*held_rates(page), settle_ms(page, "__upTime"))


def key_latencies(page, slider, presses: int, root: str = "body") -> list[float]:
    samples = []
    slider.focus()
    for press in range(presses):
        page.evaluate(ARM, root)
        slider.press("ArrowRight" if press % 2 == 0 else "ArrowLeft")
        sample = settle_ms(page, "__keyTime")
        if sample is not None:
            samples.append(sample)
    return samples


def write_baseline(notebooks_dir: Path) -> str:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(BASELINE_CODE)])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, notebooks_dir / "zz_baseline_interact.ipynb")
    return "zz_baseline_interact.ipynb"


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


def row(label: str, drag: tuple, paced: tuple | None, keys: list) -> str:
    def numbers(measured):
        if measured is None:
            return f"{'-':>9}{'-':>10}{'-':>9}"
        changes, renders, settle = measured
        settle_text = f"{settle:.0f}" if settle is not None else "-"
        return f"{(f'{changes:.1f}' if changes else '-'):>9}{renders:>10.1f}{settle_text:>9}"

    p50, p95 = np.percentile(keys, [50, 95]) if keys else (float("nan"), float("nan"))
    return f"{label:<52}{numbers(drag)}{numbers(paced)}{p50:>9.1f}{p95:>9.1f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=20, help="key presses per slider")
    parser.add_argument("--sliders", type=int, default=2, help="sliders timed per explorable (first N visible)")
    arguments = parser.parse_args()

    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="bench-browser-"))
    harness.copy_course(work)
    baseline_name = write_baseline(work / "notebooks")
    lines, key_p50s, paced_rates, memory = [], [], [], {}
    header = (f"{'':<52}{'mouse drag (Playwright)':^28}{'drag at the display rate':^28}"
              f"\n{'explorable: slider':<52}" + f"{'values/s':>9}{'renders/s':>10}{'settle':>9}" * 2
              + f"{'key p50':>9}{'key p95':>9}"
              "\n(drag: value changes and figure re-renders per second while the button is held; settle: ms from "
              "letting go to the last re-render; key: ms from keydown to the last re-render)")
    with harness.server("lab", work, work / "lab.log") as (base, token), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=harness.find_chromium(), args=harness.CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        for path in harness.NOTEBOOKS:
            harness.open_lab_notebook(page, base, token, path.name)
            for index in range(page.locator(harness.EXPLORABLE).count()):
                box = harness.explorable(page, index)
                name = [c for c in box.get_attribute("class").split() if c.startswith("course-x-")][0][9:]
                visible = [s for s in box.locator(harness.SLIDER).all() if s.is_visible()][:arguments.sliders]
                for slider in visible:
                    drag = drag_figures(page, slider)
                    paced = frame_rate_drag(page, slider)
                    keys = key_latencies(page, slider, arguments.presses)
                    key_p50s.extend(keys)
                    paced_rates.append(paced[1])
                    lines.append(row(f"{path.stem[:2]} {name}: {slider.get_attribute('data-control')}", drag, paced,
                                     keys))
                    print(lines[-1], flush=True)
            memory[path.name] = kernel_rss_mb(base, token).get(path.name, float("nan"))
            page.evaluate("() => window.jupyterapp.commands.execute('kernelmenu:shutdown')")
        page.goto(f"{base}/lab/tree/notebooks/{baseline_name}?reset&token={token}")
        page.wait_for_function(harness.LAB_KERNEL_IDLE, timeout=120_000)
        page.evaluate(harness.RUN_ALL)
        page.wait_for_selector(".jp-OutputArea-output img", timeout=120_000)
        handle = page.locator(".noUi-handle").first
        baseline_drag = drag_figures(page, handle, root=".jp-Notebook", track=page.locator(".noUi-target").first)
        baseline_keys = key_latencies(page, handle, arguments.presses, root=".jp-Notebook")
        browser.close()

    print("\n" + header)
    print("\n".join(lines))
    print(row("baseline: interact + matplotlib", baseline_drag, None, baseline_keys))
    if paced_rates:
        print(f"\ndrag at the display rate: the slowest slider re-renders {min(paced_rates):.1f} times a second "
              f"(target >= 30)")
    if not key_p50s or not baseline_keys:
        print("\nno key press re-rendered a figure: nothing to compare")
        return
    course, baseline = np.percentile(key_p50s, 50), np.percentile(baseline_keys, 50)
    print(f"\nkey press, all course sliders: p50 {course:.1f} ms, p95 {np.percentile(key_p50s, 95):.1f} ms; "
          f"baseline p50 {baseline:.1f} ms: the course is {baseline / course:.1f}x faster")
    print("\nkernel memory after Run All (RSS):")
    for name, megabytes in sorted(memory.items()):
        print(f"  {name:<40}{megabytes:>8.0f} MB")


if __name__ == "__main__":
    main()
