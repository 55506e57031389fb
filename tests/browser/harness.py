"""Shared browser harness: find Chromium, start JupyterLab or Voila on a free localhost port, and drive notebooks
with Playwright, the same way in both (``Server`` + ``open_notebook``). Used by the browser tests and by
tools/bench_browser.py and tools/stress.py.

Every wait is a condition (a page state, a kernel status, a server answering), bounded by a timeout that fails
the test; nothing is retried: a page that stalls fails, with a trace in test-artifacts/traces/."""
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
from dataclasses import dataclass, field
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
        except OSError:  # refused, reset or timed out while the server starts (HTTPError is an OSError too)
            time.sleep(0.2)  # the server's port is polled: there is no event to wait on from outside the process
    raise RuntimeError(f"server did not answer {url} within {timeout_s:.0f} s")


# The test's own JupyterLab setting, on top of the course's (jupyter-config/, read as `./course lab` reads it): every
# cell stays in the page, so offscreen widgets render and can be checked.
LAB_SETTINGS = {"@jupyterlab/notebook-extension/tracker.jupyterlab-settings": '{"windowingMode": "none"}'}
COURSE_JUPYTER_CONFIG = ROOT / "jupyter-config" / "etc" / "jupyter"


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
    if kind == "lab":  # the course's server and JupyterLab settings (no news, widget messages in order)
        environment["JUPYTER_CONFIG_PATH"] = str(COURSE_JUPYTER_CONFIG)
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


@dataclass(frozen=True)
class Server:
    """A running JupyterLab (``kind='lab'``) or Voila (``kind='voila'``): where a notebook opens."""
    kind: str
    base: str
    token: str = ""

    def notebook_url(self, name: str) -> str:
        if self.kind == "lab":  # reset: no tabs restored from an earlier page
            return f"{self.base}/lab/tree/notebooks/{name}?reset&token={self.token}"
        return f"{self.base}/voila/render/{name}"


@dataclass
class PageLog:
    """What a page did: every request it sent, its console errors and its uncaught errors (promise rejections too)."""
    requests: list = field(default_factory=list)
    console_errors: list = field(default_factory=list)
    page_errors: list = field(default_factory=list)

    def attach(self, page) -> PageLog:
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)[:300]))
        return self

    def _console(self, message) -> None:
        if message.type == "error":
            self.console_errors.append(message.text[:300])


# ---------------------------------------------------------------------------------------------
# In the page (JupyterLab and Voila share the output-area DOM; course widgets carry their own classes)
# ---------------------------------------------------------------------------------------------
EXPLORABLE = ".course-explorable"
# Two animation frames: what the page was just asked to do (a resize, a scroll) has been laid out and painted.
TWO_FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))"
SLIDER = ".course-slider input[type=range]"

LAB_KERNEL_IDLE = """() => {
  const nb = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const kernel = nb && nb.sessionContext && nb.sessionContext.session && nb.sessionContext.session.kernel;
  return !!kernel && kernel.status === 'idle';
}"""

# The page's kernel: Voila's (its widget manager's), or that of the notebook open in JupyterLab.
PAGE_KERNEL = """(() => { const app = window.jupyterapp; if (app.widgetManager) return app.widgetManager.kernel;
  const nb = app.shell.currentWidget; return nb.sessionContext.session.kernel; })()"""

# How many widget messages the page has sent that the kernel has not yet answered (no idle status for them yet;
# ``_futures``: the open requests of JupyterLab's kernel connection). ipywidgets sends a model's next change only
# once the kernel has answered the one before and keeps it in the page meanwhile, so none left means that the
# kernel holds every value the page shows.
UNANSWERED_WIDGET_MESSAGES = """() => {
  const futures = """ + PAGE_KERNEL + """._futures;
  if (!(futures instanceof Map)) throw new Error('the kernel connection has no _futures map (JupyterLab changed)');
  return [...futures.values()].filter(future => future.msg.header.msg_type === 'comm_msg').length;
}"""


def wait_until_kernel_has_every_change(page, timeout_ms: int = 30_000) -> None:
    """Wait until the kernel has answered every widget message the page sent (its answers come before its idle
    status) and the page has drawn them (two animation frames). A frame computed ahead shows a released slider's
    value at once, while the value itself may still wait in the page for the kernel's answer to the value before
    it; a page closed then would lose it, and the kernel's answer to a choice (sliders shown or hidden) would
    still be on its way."""
    try:
        page.wait_for_function(f"() => ({UNANSWERED_WIDGET_MESSAGES})() === 0", timeout=timeout_ms, polling=50)
    except PlaywrightTimeout as error:
        raise AssertionError(f"the kernel did not answer {page.evaluate(UNANSWERED_WIDGET_MESSAGES)} widget "
                             f"messages within {timeout_ms // 1000} s") from error
    page.evaluate(TWO_FRAMES)


# The notebook `path` is the current widget, its document is loaded, and its kernel is connected and idle: Run
# All now reaches the kernel (a panel not yet wired to its kernel would skip every cell).
LAB_READY = """(path) => {
  const nb = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const context = nb && nb.context, session = nb && nb.sessionContext;
  const kernel = session && session.session && session.session.kernel;
  return !!kernel && context.path === path && context.isReady && session.isReady && !session.isDisposed
    && kernel.connectionStatus === 'connected' && kernel.status === 'idle' && nb.content.widgets.length > 0;
}"""

# Outputs are cleared first: the committed notebook has execution counts, which would make the "every cell
# has run" check pass before anything ran. Run All is started, not awaited (it settles only at the end); its
# outcome is kept in window.__courseRunAll.
RUN_ALL = """() => {
  const commands = window.jupyterapp.commands;
  window.__courseRunAll = 'running';
  commands.execute('notebook:clear-all-cell-outputs').then(() => commands.execute('notebook:run-all-cells'))
    .then(ok => { window.__courseRunAll = ok === false ? 'stopped' : 'done'; },
          error => { window.__courseRunAll = 'failed: ' + error; });
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

# Run All has ended (every cell ran) or its command came back without running them all: either way stop waiting.
LAB_RUN_ALL_SETTLED = "() => (" + LAB_ALL_CELLS_RUN + ")() || (window.__courseRunAll || 'running') !== 'running'"

LAB_RUN_STATE = """() => {
  const nb = window.jupyterapp.shell.currentWidget;
  const code = nb.content.widgets.filter(c => c.model.type === 'code');
  const kernel = nb.sessionContext.session && nb.sessionContext.session.kernel;
  return {command: window.__courseRunAll, kernel: kernel ? `${kernel.status}/${kernel.connectionStatus}` : 'none',
          run: code.filter(c => c.model.executionCount != null).length, cells: code.length};
}"""

LAB_CELL_ERRORS = """() => {
  const errors = [];
  window.jupyterapp.shell.currentWidget.content.widgets.forEach((cell, index) => {
    if (cell.model.type !== 'code') return;
    cell.model.outputs.toJSON().forEach(o => {
      if (o.output_type === 'error') errors.push(`cell ${index}: ${o.ename}: ${o.evalue}`);
    });
  });
  return errors;
}"""

# Voila replaces a failing cell's traceback with this message (tracebacks are off, as in `./course present`).
VOILA_CELL_ERRORS = """() => [...document.querySelectorAll('.jp-OutputArea-output')].map(o => o.innerText)
  .filter(text => /There was an error when executing cell|Cell execution timed out/.test(text))"""

VOILA_LOADED = """() => { const l = document.querySelector('#loading');
  return !l || getComputedStyle(l).display === 'none'; }"""

# What --strip_sources removes: the input area, prompt and editor of a code cell.
VOILA_CODE_INPUTS = """() => [...document.querySelectorAll(
  '.jp-CodeCell .jp-Cell-inputWrapper, .jp-CodeCell .jp-InputArea, '
  + '.jp-InputPrompt, .jp-InputArea-editor, .cm-editor, .CodeMirror')].map(e => e.outerHTML.slice(0, 120))"""

WIDGET_ERRORS = """() => [...document.querySelectorAll('.jp-OutputArea-output')]
  .filter(o => o.innerText.includes('Error displaying widget')).length"""

# Every explorable has drawn: each course figure has drawn a state, each readout has its sentence (both
# carry the key of the control values they show once they have).
ALL_DRAWN = """(count) => {
  const boxes = [...document.querySelectorAll('.course-explorable')];
  return boxes.length >= count && boxes.every(box =>
    [...box.querySelectorAll('.course-figure, .course-readout')].every(e => e.dataset.key !== undefined)
    && box.querySelectorAll('.course-figure, .course-readout').length > 0);
}"""


def explorable_calls(notebook: Path) -> int:
    """How many explorables the notebook shows: code cells that call a function the course marks as one."""
    import json

    import helpers.explorables as explorables

    names = set(explorables._MODULES)
    count = 0
    for cell in json.loads(notebook.read_text())["cells"]:
        if cell["cell_type"] == "code":
            source = "".join(cell["source"]).strip()
            name = source.split("(", 1)[0]
            if source.endswith(")") and name in names and name not in ("compare_presets", "compare_patients"):
                count += 1
    return count


def wait_until_drawn(page, name: str, timeout_ms: int = 120_000) -> None:
    page.wait_for_function(ALL_DRAWN, arg=explorable_calls(ROOT / "notebooks" / name), timeout=timeout_ms)


try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
except ImportError:  # the harness is imported without Playwright by some tools
    PlaywrightTimeout = TimeoutError


def open_notebook(page, server: Server, name: str, timeout_ms: int = 120_000) -> None:
    """Open notebook ``name`` as a learner does in ``server`` (JupyterLab: open it and Run All; Voila: load it,
    which runs every cell) and wait until every explorable has drawn."""
    if server.kind == "lab":
        open_lab_notebook(page, server.base, server.token, name, timeout_ms)
    else:
        open_voila_notebook(page, server.base, name, timeout_ms)


def open_lab_notebook(page, base: str, token: str, name: str, timeout_ms: int = 120_000,
                      wait_for_drawing: bool = True) -> None:
    """Open a notebook in JupyterLab, Run All once, and wait until every cell has run and every explorable has
    drawn (with JupyterLab's windowing, explorables off screen draw only when scrolled to:
    ``wait_for_drawing=False``). Run All is started only once the kernel is connected and idle; it is not
    repeated: a Run All that does not finish is a failure."""
    page.goto(Server("lab", base, token).notebook_url(name))
    page.wait_for_function(LAB_READY, arg=f"notebooks/{name}", timeout=timeout_ms)
    page.evaluate(RUN_ALL)
    try:
        page.wait_for_function(LAB_RUN_ALL_SETTLED, timeout=timeout_ms)
    except PlaywrightTimeout as error:
        raise AssertionError(f"{name}: Run All did not finish within {timeout_ms // 1000} s: "
                             f"{page.evaluate(LAB_RUN_STATE)}") from error
    if not page.evaluate(LAB_ALL_CELLS_RUN):
        try:  # the command has answered: the kernel's last status and the last prompt follow at once
            page.wait_for_function(LAB_ALL_CELLS_RUN, timeout=15_000)
        except PlaywrightTimeout as error:
            raise AssertionError(f"{name}: Run All ended without running every cell: {page.evaluate(LAB_RUN_STATE)}; "
                                 f"cell errors: {page.evaluate(LAB_CELL_ERRORS)}") from error
    if wait_for_drawing:
        wait_until_drawn(page, name, timeout_ms)


def save_and_reload_lab(page, name: str, timeout_ms: int = 120_000) -> None:
    """Save the notebook (its outputs then name the kernel's widgets) and reload the page once, as a learner does;
    every explorable must draw again. A reloaded page that never draws fails the test (no second reload)."""
    page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    page.wait_for_function("() => !window.jupyterapp.shell.currentWidget.context.model.dirty", timeout=timeout_ms)
    page.reload()
    page.wait_for_function(LAB_READY, arg=f"notebooks/{name}", timeout=timeout_ms)
    try:
        wait_until_drawn(page, name, timeout_ms)
    except PlaywrightTimeout as error:
        raise AssertionError(f"{name}: the reloaded page did not draw every explorable within "
                             f"{timeout_ms // 1000} s") from error


def open_voila_notebook(page, base: str, name: str, timeout_ms: int = 180_000) -> None:
    """Voila answers once its kernel has run every cell; then wait until every explorable has drawn."""
    page.goto(Server("voila", base).notebook_url(name), timeout=timeout_ms)
    page.wait_for_function(VOILA_LOADED, timeout=timeout_ms)
    wait_until_drawn(page, name, timeout_ms)


def cell_errors(page, server: Server) -> list[str]:
    return page.evaluate(LAB_CELL_ERRORS if server.kind == "lab" else VOILA_CELL_ERRORS)


def code_lines(notebook: Path, min_length: int = 12) -> list[str]:
    """Lines of the notebook's code cells long enough not to occur in its prose by chance."""
    import json

    cells = json.loads(notebook.read_text())["cells"]
    lines = {line.strip() for cell in cells if cell["cell_type"] == "code"
             for line in "".join(cell["source"]).splitlines()}
    return sorted(line for line in lines if len(line) >= min_length)


def explorable(page, index: int):
    return page.locator(EXPLORABLE).nth(index)


def drag(page, slider, sweeps: int = 3, moves_per_sweep: int = 15, end_fraction: float = 0.62) -> None:
    """Drag a slider's handle with the mouse, fast, back and forth across the whole range, and let go at
    ``end_fraction`` of the range, as a hand does."""
    slider.scroll_into_view_if_needed()
    box = slider.bounding_box()
    left, right, y = box["x"] + 6, box["x"] + box["width"] - 6, box["y"] + box["height"] / 2
    value, low, high = (float(slider.evaluate(f"s => s.{attribute}")) for attribute in ("value", "min", "max"))
    start = left + (right - left) * ((value - low) / (high - low) if high > low else 0)
    page.mouse.move(start, y)
    page.mouse.down()
    for sweep in range(sweeps):
        for step in range(1, moves_per_sweep + 1):
            fraction = step / moves_per_sweep
            page.mouse.move(left + (right - left) * (fraction if sweep % 2 == 0 else 1 - fraction), y)
    page.mouse.move(left + (right - left) * end_fraction, y)
    page.mouse.up()


def press(slider, key: str = "ArrowRight") -> None:
    """Focus a slider and press a key on it (arrow keys step it; Home/End go to its ends)."""
    slider.focus()
    slider.press(key)


def reach_slider(page, slider, timeout_ms: int = 30_000) -> None:
    """Move the pointer onto a course slider, as a learner does before dragging, and wait until the page holds
    its frames (the kernel renders the slider's range when the pointer arrives: ``data-framed``; the slider asks
    again by itself if its frames are dropped while the pointer is on it). No frames in time fails."""
    slider.hover()
    page.wait_for_function("s => s.dataset.framed === 'true'", arg=slider.element_handle(), timeout=timeout_ms)
