"""Shared browser harness: find Chromium, start JupyterLab or Voila on a free localhost port, and
drive notebooks with Playwright. Used by the browser tests and by tools/bench_browser.py."""
from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
ARTIFACTS = ROOT / "test-artifacts"
VENV_BIN = Path(sys.executable).parent

CHROMIUM_CANDIDATES = (
    "chromium", "chromium-browser", "google-chrome", "google-chrome-stable",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
)
HOW_TO_GET_CHROMIUM = (
    "The browser tests need Chromium and found none. Install it (Debian/Ubuntu: `sudo apt-get install chromium`; "
    "macOS: install Chromium or Google Chrome) or set CHROMIUM_PATH=/path/to/chromium. CI installs Debian's "
    "chromium in .ci/run."
)
# Flags for a closed network and a root user: no background connections, no sandbox (root), no GPU.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-default-apps", "--disable-extensions", "--disable-dev-shm-usage"]


def find_chromium() -> str:
    """CHROMIUM_PATH if set, else the first Chromium/Chrome found; raise with instructions if none."""
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        if Path(configured).is_file():
            return configured
        raise RuntimeError(f"CHROMIUM_PATH={configured} does not exist. {HOW_TO_GET_CHROMIUM}")
    for candidate in CHROMIUM_CANDIDATES:
        found = shutil.which(candidate) or (candidate if Path(candidate).is_file() else None)
        if found:
            return found
    raise RuntimeError(HOW_TO_GET_CHROMIUM)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, process: subprocess.Popen, timeout_s: float = 90) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with code {process.returncode} before answering {url}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except Exception:
            time.sleep(0.3)
    raise RuntimeError(f"server did not answer {url} within {timeout_s:.0f} s")


LAB_SETTINGS = {
    # every cell stays in the page, so offscreen widgets render and can be checked
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": '{"windowingMode": "none"}',
    # no news or update checks: they would try to leave localhost
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": '{"fetchNews": "false", "checkForUpdates": false}',
}


def copy_course(target: Path) -> Path:
    """A scratch copy of notebooks/ (JupyterLab's autosave never touches the committed files) and lab settings."""
    shutil.copytree(ROOT / "notebooks", target / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    for name, text in LAB_SETTINGS.items():
        path = target / "lab-settings" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return target


@contextmanager
def server(kind: str, workdir: Path, log_path: Path):
    """Start JupyterLab (kind='lab') or Voila (kind='voila') on 127.0.0.1 with a token; yield (base_url, token)."""
    port, token = free_port(), secrets.token_hex(16)
    if kind == "lab":
        command = [str(VENV_BIN / "jupyter"), "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
                   f"--ServerApp.port={port}", f"--IdentityProvider.token={token}",
                   f"--ServerApp.root_dir={workdir}", "--LabApp.expose_app_in_browser=True",
                   "--ServerApp.port_retries=0", f"--LabApp.user_settings_dir={workdir / 'lab-settings'}",
                   f"--LabApp.workspaces_dir={workdir / 'workspaces'}"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")  # CI containers run as root
        probe = f"http://127.0.0.1:{port}/api/status?token={token}"
    else:
        command = [str(VENV_BIN / "voila"), "--no-browser", "--Voila.ip=127.0.0.1", f"--port={port}",
                   "--template=course", "--strip_sources=True", str(workdir / "notebooks")]
        token = ""  # Voila serves read-only dashboards without a token; it listens on 127.0.0.1 only
        probe = f"http://127.0.0.1:{port}/"
    log = log_path.open("w")
    environment = {**os.environ, "JUPYTER_PLATFORM_DIRS": "1", "PYTHONUNBUFFERED": "1",
                   "JUPYTER_PATH": str(ROOT / "presentation"),  # the course's Voila template
                   # the server's kernels keep their IPython history apart from nbval's kernels running meanwhile
                   "IPYTHONDIR": str(workdir / f"ipython-{kind}")}
    process = subprocess.Popen(command, cwd=workdir, stdout=log, stderr=subprocess.STDOUT, env=environment)
    try:
        wait_for_http(probe, process)
        yield f"http://127.0.0.1:{port}", token
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def is_local(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in ("data", "blob", "about", "chrome-extension", "devtools"):
        return True
    return parsed.hostname in ("127.0.0.1", "localhost", "::1")


# ---------------------------------------------------------------------------------------------
# In-page helpers (JupyterLab and Voila share the output-area DOM)
# ---------------------------------------------------------------------------------------------
# JupyterLab marks widget outputs with their MIME type; Voila does not, so match on the rendered widget too.
WIDGET_OUTPUT = ('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.widget-view+json"], '
                 '.jp-OutputArea-output:has(> .jupyter-widgets), .jp-OutputArea-output:has(> .jupyter-widget)')

LAB_KERNEL_IDLE = """() => {
  const nb = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const kernel = nb && nb.sessionContext && nb.sessionContext.session && nb.sessionContext.session.kernel;
  return !!kernel && kernel.status === 'idle';
}"""

# Start Run All without awaiting its promise (it settles only when every cell is done, and page.evaluate
# has no timeout); LAB_ALL_CELLS_RUN then waits for the end with one.
# Outputs are cleared first: the committed notebook already has execution counts, which would make the
# "every cell has run" check pass before anything ran.
RUN_ALL = """() => {
  const commands = window.jupyterapp.commands;
  commands.execute('notebook:clear-all-cell-outputs').then(() => commands.execute('notebook:run-all-cells'));
  return true;
}"""

LAB_ALL_CELLS_RUN = """() => {
  const nb = window.jupyterapp.shell.currentWidget;
  const kernel = nb && nb.sessionContext && nb.sessionContext.session && nb.sessionContext.session.kernel;
  if (!kernel || !nb.content) return false;
  const code = nb.content.widgets.filter(c => c.model.type === 'code');
  return kernel.status === 'idle' && code.every(c => c.model.executionCount != null)
    && ![...document.querySelectorAll('.jp-InputArea-prompt')].some(p => p.textContent.includes('*'));
}"""

LAB_CELL_ERRORS = """() => {
  const nb = window.jupyterapp.shell.currentWidget;
  const errors = [];
  nb.content.widgets.forEach((cell, index) => {
    if (cell.model.type !== 'code') return;
    cell.model.outputs.toJSON().forEach(o => {
      if (o.output_type === 'error') errors.push(`cell ${index}: ${o.ename}: ${o.evalue}`);
    });
  });
  return errors;
}"""

# Each widget output that holds a slider is an explorable: report its plots, readouts and size.
EXPLORABLES = """(selector) => [...document.querySelectorAll(selector)]
  .filter(out => out.querySelector('.noUi-handle'))
  .map(out => ({
    sliders: out.querySelectorAll('.noUi-handle').length,
    plots: out.querySelectorAll('.js-plotly-plot .main-svg').length,
    // a plot drawn from an empty widget state has axes but no traces (or, for a schematic, no shapes)
    emptyPlots: [...out.querySelectorAll('.js-plotly-plot')].filter(gd => !(gd.data && gd.data.length)
      && !(gd.layout && gd.layout.shapes && gd.layout.shapes.length)).length,
    readout: [...out.querySelectorAll('[aria-live]')].map(e => e.innerText).join(' | '),
    height: out.getBoundingClientRect().height,
  }))"""

BLANK_WIDGET_OUTPUTS = """(selector) => [...document.querySelectorAll(selector)]
  .filter(out => out.getBoundingClientRect().height < 5 || out.innerText.includes('Error displaying widget')).length"""

# Count re-renders of the plots of one explorable, and keep the time of the last one. A re-render is any
# change inside a plot's SVG (paths, points, text): plotly.js redraws those and nothing else touches them.
# (Plotly's own events are not used: which one fires depends on the plotly.js build and the update kind.)
ARM_RENDER_COUNTER = """([selector, index]) => {
  const out = [...document.querySelectorAll(selector)].filter(o => o.querySelector('.noUi-handle'))[index];
  window.__renders = 0; window.__lastRender = 0;
  if (!window.__keyListener) {
    window.__keyListener = true;
    document.addEventListener('keydown', () => { window.__keyTime = performance.now(); }, true);
  }
  if (window.__plotObserver) window.__plotObserver.disconnect();
  window.__plotObserver = new MutationObserver(() => { window.__renders += 1; window.__lastRender = performance.now(); });
  out.querySelectorAll('.js-plotly-plot').forEach(svg =>
    window.__plotObserver.observe(svg, {subtree: true, childList: true, attributes: true, characterData: true}));
}"""


def wait_for_widgets(page, timeout_ms: int = 30_000) -> None:
    """Give every widget output time to draw; the caller then asserts, so a timeout is not an error here."""
    try:
        page.wait_for_function(f"(selector) => ({BLANK_WIDGET_OUTPUTS})(selector) === 0", arg=WIDGET_OUTPUT,
                               timeout=timeout_ms)
    except Exception:  # noqa: BLE001 - reported by the test's own assertion with a clear message
        pass


def slider_handles(page, explorable_index: int):
    outputs = [o for o in page.query_selector_all(WIDGET_OUTPUT) if o.query_selector(".noUi-handle")]
    return outputs[explorable_index].query_selector_all(".noUi-handle")


SCROLL_TO_EXPLORABLE = """([selector, index]) => {
  const out = [...document.querySelectorAll(selector)].filter(o => o.querySelector('.noUi-handle'))[index];
  out.scrollIntoView({block: 'start'});
}"""


def bring_into_view(page, explorable_index: int) -> None:
    """Scroll an explorable to the top of the window, as a learner looks at it, and let it settle."""
    page.evaluate(SCROLL_TO_EXPLORABLE, [WIDGET_OUTPUT, explorable_index])
    page.wait_for_timeout(400)


def toggle_buttons(page, explorable_index: int):
    """ToggleButtons options inside one explorable (they may reveal further sliders)."""
    outputs = [o for o in page.query_selector_all(WIDGET_OUTPUT) if o.query_selector(".noUi-handle")]
    return outputs[explorable_index].query_selector_all(".widget-toggle-buttons button")


# A figure chooser (controls.FigureViews): toggle buttons directly above the box that holds the chosen figure.
IS_FIGURE_VIEW_BUTTON = """b => { const buttons = b.closest('.widget-toggle-buttons');
  const next = buttons && buttons.nextElementSibling;
  return !!next && !!next.querySelector('.js-plotly-plot'); }"""

PLOTS_DRAWN = """([selector, index]) => {
  const out = [...document.querySelectorAll(selector)].filter(o => o.querySelector('.noUi-handle'))[index];
  const plots = [...out.querySelectorAll('.js-plotly-plot')];
  return plots.length > 0 && plots.every(gd => gd.querySelector('.main-svg') && gd._fullLayout);
}"""


def figure_view_buttons(page, explorable_index: int):
    """The buttons that choose which figure an explorable shows, if it shows one at a time."""
    return [button for button in toggle_buttons(page, explorable_index) if button.evaluate(IS_FIGURE_VIEW_BUTTON)]


def wait_for_plots(page, explorable_index: int, timeout_ms: int = 30_000) -> None:
    """Wait until every plot of an explorable is drawn, then let it settle."""
    page.wait_for_function(PLOTS_DRAWN, arg=[WIDGET_OUTPUT, explorable_index], timeout=timeout_ms)
    page.wait_for_timeout(500)


READOUT_OF = """([selector, index]) => {
  const out = [...document.querySelectorAll(selector)].filter(o => o.querySelector('.noUi-handle'))[index];
  return [...out.querySelectorAll('[aria-live]')].map(e => e.innerText).join(' | ');
}"""

# A re-render, or (with figures shown one at a time) a changed readout: the kernel has answered the press.
RENDERED_OR_ANSWERED = f"""([selector, index, before]) => window.__renders > 0
  || ({READOUT_OF})([selector, index]) !== before"""


def press_until_rendered(page, index: int, handle, views: list) -> bool:
    """Press the slider once; True if a plotly figure of the explorable re-rendered.

    An explorable that shows one figure at a time (``controls.FigureViews``) may have sliders that change
    only figures not shown: then each figure is shown in turn and the slider pressed again. A view is given
    up once the readout has changed without a re-render (explorables update their figures before the
    readout), else after 3 s.
    """
    for view in [None, *views]:
        if view is not None and "mod-active" in (view.get_attribute("class") or ""):
            continue  # the figure shown already
        if view is not None:
            view.click()
            wait_for_plots(page, index)  # the chosen figure draws afresh: not a re-render of the move
        page.evaluate(ARM_RENDER_COUNTER, [WIDGET_OUTPUT, index])
        before = explorable_readout(page, index)
        press_slider(page, handle)
        try:
            if not views:
                page.wait_for_function("() => window.__renders > 0", timeout=10_000)
                return True
            page.wait_for_function(RENDERED_OR_ANSWERED, arg=[WIDGET_OUTPUT, index, before], timeout=3_000)
            page.wait_for_timeout(800)  # messages to different widgets may be applied in either order
            if page.evaluate("() => window.__renders > 0"):
                return True
        except Exception:  # noqa: BLE001 - try the next figure; the caller fails if none re-rendered
            continue
    return False


def answered_late(page, index: int, before: str, timeout_ms: int = 30_000) -> bool:
    """After a press that nothing answered in time: True if the shown figure re-renders within ``timeout_ms``.

    In a freshly installed course the kernel's first pass through a code path can take longer than the usual
    wait (seen: a first slider press in a new clone); this gives it time to answer before the test judges.
    """
    try:
        page.wait_for_function(RENDERED_OR_ANSWERED, arg=[WIDGET_OUTPUT, index, before], timeout=timeout_ms)
        page.wait_for_timeout(800)  # messages to different widgets may be applied in either order
    except Exception:  # noqa: BLE001 - no answer at all: the caller fails
        return False
    return bool(page.evaluate("() => window.__renders > 0"))


def explorable_readout(page, explorable_index: int) -> str:
    return page.evaluate(READOUT_OF, [WIDGET_OUTPUT, explorable_index])


def slider_label(handle) -> str:
    """The description shown beside a slider (ipywidgets puts it in the slider's .widget-label)."""
    return handle.evaluate("h => { const box = h.closest('.widget-slider');"
                           " const label = box && box.querySelector('.widget-label');"
                           " return label ? label.innerText : '(unlabelled)'; }")


def press_slider(page, handle, attempts: int = 3) -> None:
    """Move a slider one step with the keyboard: right, or left when it sits at its maximum.

    The key goes to the focused handle; if something else took the focus first (JupyterLab may
    re-focus a cell while the page is busy), the value does not change and the press is repeated.
    """
    # aria-valuetext has full precision; aria-valuenow is rounded to one decimal (a 0.01 step looks unchanged)
    before = handle.get_attribute("aria-valuetext")
    key = "ArrowLeft" if float(before) >= float(handle.get_attribute("aria-valuemax")) else "ArrowRight"
    for _ in range(attempts):
        handle.press(key)  # focuses the handle, then presses
        try:
            page.wait_for_function("([h, v]) => h.getAttribute('aria-valuetext') !== v", arg=[handle, before],
                                   timeout=3_000)
            return
        except Exception:  # noqa: BLE001 - try again; the caller fails if nothing re-renders
            continue


def open_lab_notebook(page, base: str, token: str, name: str, timeout_ms: int = 120_000) -> None:
    page.goto(f"{base}/lab/tree/notebooks/{name}?reset&token={token}")  # reset: no tabs restored from before
    page.wait_for_function(LAB_KERNEL_IDLE, timeout=timeout_ms)
    page.wait_for_function("() => window.jupyterapp.shell.currentWidget.context.isReady", timeout=timeout_ms)
    # A cold server can swallow the first Run All (the notebook panel is not wired to its kernel yet): ask again.
    for attempt in range(3):
        page.evaluate(RUN_ALL)
        try:
            page.wait_for_function(LAB_ALL_CELLS_RUN, timeout=timeout_ms // 3)
            break
        except Exception:  # noqa: BLE001 - retried; the last attempt raises below
            if attempt == 2:
                raise
    # widgets render asynchronously after the kernel is idle: wait until every plot has drawn
    page.wait_for_function(
        """(selector) => [...document.querySelectorAll(selector)]
             .filter(o => o.querySelector('.noUi-handle'))
             .every(o => o.querySelector('.js-plotly-plot .main-svg'))""",
        arg=WIDGET_OUTPUT, timeout=timeout_ms)
    wait_for_widgets(page)


# Voila replaces a failing cell's traceback with this message (tracebacks are off, as in `./course present`).
VOILA_CELL_ERRORS = """() => [...document.querySelectorAll('.jp-OutputArea-output')].map(o => o.innerText)
  .filter(text => /There was an error when executing cell|Cell execution timed out/.test(text))"""

# What --strip_sources removes: the input area, prompt and editor of a code cell.
VOILA_CODE_INPUTS = """() => [...document.querySelectorAll('.jp-CodeCell .jp-Cell-inputWrapper, .jp-CodeCell .jp-InputArea, '
  + '.jp-InputPrompt, .jp-InputArea-editor, .cm-editor, .CodeMirror')].map(e => e.outerHTML.slice(0, 120))"""


def code_lines(notebook: Path, min_length: int = 12) -> list[str]:
    """Lines of the notebook's code cells long enough not to occur in its prose by chance."""
    import json

    cells = json.loads(notebook.read_text())["cells"]
    lines = {line.strip() for cell in cells if cell["cell_type"] == "code"
             for line in "".join(cell["source"]).splitlines()}
    return sorted(line for line in lines if len(line) >= min_length)


def open_voila_notebook(page, base: str, name: str, timeout_ms: int = 180_000) -> None:
    # Voila answers once a new kernel has run every cell. In a new clone a kernel once never got going: load the
    # page a second time (a second kernel) before the test judges.
    for attempt in range(2):
        try:
            page.goto(f"{base}/voila/render/{name}", timeout=timeout_ms // 2)
            break
        except Exception:  # noqa: BLE001 - retried once; the second failure raises
            if attempt == 1:
                raise
    # Voila shows #loading until the kernel has run every cell; a slider moved earlier waits in the queue.
    page.wait_for_function("() => { const l = document.querySelector('#loading');"
                           " return !l || getComputedStyle(l).display === 'none'; }", timeout=timeout_ms)
    page.wait_for_function(
        """(selector) => { const outs = [...document.querySelectorAll(selector)];
             return outs.length > 0 && outs.filter(o => o.querySelector('.noUi-handle'))
               .every(o => o.querySelector('.js-plotly-plot .main-svg')); }""",
        arg=WIDGET_OUTPUT, timeout=timeout_ms)
    wait_for_widgets(page)
