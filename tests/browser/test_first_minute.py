"""A learner's first minute (issue 17): `./course lab`, then the address it prints, in a fresh browser.

The server is started by running the `course` script itself (`./course lab --no-browser --ServerApp.port=0`), on a
copy of the course with a fresh home folder, so the test and the script cannot drift apart and nothing a developer
set up before (JupyterLab settings, a saved layout, trusted notebooks) helps. The token address is read from the
server's output, as a learner copies it. One server, one page.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import threading
from pathlib import Path

import harness
import pytest

ROOT = harness.ROOT
SERVER_CONFIG = ROOT / "jupyter-config" / "etc" / "jupyter" / "jupyter_server_config.json"
START_PAGE = "notebooks/00_start_here.ipynb"
# What a learner's file browser may show at the top of the course; every other entry there is the workshop.
LEARNER_ENTRIES = {"notebooks", "data", "helpers", "README.md", "LICENSE"}
TOKEN_URL = re.compile(r"http://127\.0\.0\.1:\d+/\S*\?token=[0-9a-f]+")
WAIT_MS = 90_000

CURRENT_TAB = """() => {
  const tab = document.querySelector('#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current');
  return tab ? {label: tab.querySelector('.lm-TabBar-tabLabel').textContent, path: location.pathname,
                tabs: document.querySelectorAll('#jp-main-dock-panel .lm-TabBar-tab').length} : null;
}"""
NOTEBOOK_PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
KERNEL_IDLE = f"() => !!document.querySelector('{NOTEBOOK_PANEL} .jp-Notebook-ExecutionIndicator[data-status=idle]')"
LEFT_PANEL = "() => [...document.querySelectorAll('#jp-left-stack > .lm-Widget:not(.lm-mod-hidden)')].map(w => w.id)"
LISTING = """() => [...document.querySelectorAll('.jp-FileBrowser .jp-DirListing-item .jp-DirListing-itemText')]
  .map(e => e.textContent)"""
# textContent, not innerText: off-screen cells skip rendering (content-visibility) and innerText leaves them out
OUTPUT_TEXTS = f"() => [...document.querySelectorAll('{NOTEBOOK_PANEL} .jp-OutputArea-output')].map(o => o.textContent)"
MAP_LINKS = f"""() => [...document.querySelectorAll('{NOTEBOOK_PANEL} .jp-OutputArea-output table a')]
  .map(a => a.getAttribute('href'))"""


def course_files() -> list[str]:
    """The files of the working tree a clone has (tracked, or new and not ignored): git's view, else every file."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                                capture_output=True, check=True).stdout.decode()
        return [name for name in listed.split("\0") if name and (ROOT / name).is_file()]
    except (OSError, subprocess.CalledProcessError):  # not a git checkout (an unpacked release)
        skipped = {".git", ".venv", "test-artifacts", ".pytest_cache", "node_modules"}
        return [str(path.relative_to(ROOT)) for path in ROOT.rglob("*")
                if path.is_file() and not skipped & set(path.relative_to(ROOT).parts)]


def copy_of_the_course(target: Path) -> Path:
    """The course as a learner has it after `./course` ran: its files, the course's .venv (linked, not copied) and
    the folders the tests and Python leave behind, so the file browser has all the clutter to hide."""
    for name in course_files():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target / name)
    (target / ".venv").symlink_to(ROOT / ".venv")
    for left_behind in ("test-artifacts", ".pytest_cache", "notebooks/__pycache__", "helpers/__pycache__"):
        (target / left_behind).mkdir(parents=True, exist_ok=True)
    return target


class CourseLab:
    """`./course lab --no-browser` in a copy of the course; its output goes to a log, the first token address is
    kept."""

    def __init__(self, course: Path, home: Path, log_path: Path):
        self.course = course
        home.mkdir(exist_ok=True)
        environment = {name: value for name, value in os.environ.items()
                       if not name.startswith(("JUPYTER", "JPY_", "IPYTHON"))}  # nothing from a developer's setup
        environment.update(HOME=str(home), PYTHONUNBUFFERED="1")
        self.log = log_path.open("w")
        self.url: str | None = None
        self.found = threading.Event()
        # Arguments after `lab` pass through to JupyterLab: no browser of its own, and a port the system picks
        # (read back from the printed address), so a learner's server on 8888 or a parallel run cannot collide.
        self.process = subprocess.Popen([str(course / "course"), "lab", "--no-browser", "--ServerApp.port=0"],
                                        cwd=course, env=environment,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                        start_new_session=True)  # its own process group: the server and its kernels
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.log.write(line)
            self.log.flush()
            match = TOKEN_URL.search(line)
            if match and self.url is None:
                self.url = match.group(0)
                self.found.set()
        self.found.set()  # the server exited: stop waiting

    def printed_address(self, timeout_s: float = 120) -> str:
        if not self.found.wait(timeout_s) or self.url is None:
            raise RuntimeError(f"`./course lab` printed no token address (exit code {self.process.poll()}); "
                               f"see {self.log.name}")
        return self.url

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.reader.join(timeout=5)
        self.log.close()


def listing_when(page, condition: str, arg, what: str, timeout_ms: int = WAIT_MS) -> list[str]:
    """The file browser's listing once the JS ``condition`` on ``names`` (the listing) and ``arg`` holds; fails with
    ``what`` and the listing as it stands if it never does."""
    try:
        page.wait_for_function(f"(arg) => {{ const names = ({LISTING})(); return {condition}; }}", arg=arg,
                               timeout=timeout_ms)
    except harness.PlaywrightTimeout:
        pytest.fail(f"{what}: the file browser lists {page.evaluate(LISTING)}", pytrace=False)
    return page.evaluate(LISTING)


@pytest.fixture(scope="module")
def course_lab(tmp_path_factory):
    harness.ARTIFACTS.mkdir(exist_ok=True)
    # The copy shares the course's .venv: install (a no-op when it is up to date, as after ./course test) from the
    # course itself, so that the copy's ./course lab never reinstalls, which would point the editable install of
    # helpers at the copy.
    subprocess.run([str(ROOT / "course"), "install"], check=True, timeout=1800)
    scratch = tmp_path_factory.mktemp("first-minute")
    lab = CourseLab(copy_of_the_course(scratch / "course"), scratch / "home",
                    harness.ARTIFACTS / "first-minute-lab.log")
    try:
        yield lab
    finally:
        lab.stop()


def test_start_page_is_the_configured_default_url():
    """The start page is set once, in the settings ./course lab and Binder share (the server and JupyterLab
    agree), and it names a notebook that exists."""
    config = json.loads(SERVER_CONFIG.read_text())
    assert config["ServerApp"]["default_url"] == config["LabApp"]["default_url"] == f"/lab/tree/{START_PAGE}"
    assert (ROOT / START_PAGE).is_file()


def test_first_minute_in_jupyterlab(course_lab, page, page_log):
    address = course_lab.printed_address()
    assert address.split("?")[0].endswith(f"/lab/tree/{START_PAGE}"), f"./course lab printed {address}"
    base, token = address.split("/lab/")[0], address.split("token=")[1]

    # The server prints the address once it has chosen the port and listens a moment later: wait until it answers.
    harness.wait_for_http(f"{base}/api/status?token={token}", course_lab.process)
    page.goto(address)  # as a learner pastes it
    page.wait_for_function(KERNEL_IDLE, timeout=WAIT_MS)
    page.wait_for_function(f"() => ({LEFT_PANEL})().length > 0", timeout=WAIT_MS)

    # The start notebook is the one open tab and the active one; no Launcher.
    tab = page.evaluate(CURRENT_TAB)
    # (JupyterLab keeps the address on the active document's path)
    assert tab and tab["label"] == Path(START_PAGE).name and tab["path"].endswith(f"/lab/tree/{START_PAGE}"), tab
    assert tab["tabs"] == 1, f"{tab['tabs']} tabs open in the main area, expected only {START_PAGE}"

    # The table of contents is open on the left and lists the notebook's headings.
    assert page.evaluate(LEFT_PANEL) == ["table-of-contents"]
    page.wait_for_function("() => document.querySelectorAll('#table-of-contents .jp-tocItem').length > 3",
                           timeout=WAIT_MS)

    # No dialog, no news or update prompt, now or later: none is showing once the page has settled, the setting
    # the announcements plugin reads is "never", and the server has no news feed or update check to offer.
    assert page.locator(".jp-Dialog").count() == 0, page.locator(".jp-Dialog").all_inner_texts()
    assert page.locator(".Toastify__toast").count() == 0, page.locator(".Toastify__toast").all_inner_texts()
    settings = page.request.get(f"{base}/lab/api/settings/@jupyterlab/apputils-extension:notification"
                                f"?token={token}").json()
    defaults = {name: spec["default"] for name, spec in settings["schema"]["properties"].items()}
    assert defaults["fetchNews"] == "false" and defaults["checkForUpdates"] is False, defaults
    assert page.request.get(f"{base}/lab/api/news?token={token}").json()["news"] == []

    # Before anything is run, the saved outputs read well: the course map links every other notebook, and each
    # explorable shows its saved sentence (an untrusted notebook falls back to it; trusting the notebook would
    # show "Error displaying widget: model not found" until the cell runs).
    notebook = json.loads((course_lab.course / START_PAGE).read_text())
    sentences = ["".join(output["data"]["text/plain"]).strip() for cell in notebook["cells"]
                 for output in cell.get("outputs", [])
                 if "application/vnd.jupyter.widget-view+json" in output.get("data", {})]
    try:  # the saved outputs render progressively after the notebook opens: wait until each sentence is in
        page.wait_for_function(f"(sentences) => {{ const shown = ({OUTPUT_TEXTS})();"
                               " return sentences.every(s => shown.some(text => text.includes(s))); }",
                               arg=sentences, timeout=WAIT_MS)
    except harness.PlaywrightTimeout:
        pytest.fail(f"saved sentences {sentences} not shown on first open; outputs: {page.evaluate(OUTPUT_TEXTS)}")
    shown = page.evaluate(OUTPUT_TEXTS)
    assert not [text for text in shown if "Error displaying widget" in text], shown
    others = sorted({path.name for path in (course_lab.course / "notebooks").glob("[0-9]*.ipynb")}
                    - {Path(START_PAGE).name})
    try:
        page.wait_for_function(f"(others) => {{ const linked = ({MAP_LINKS})()"
                               ".map(h => h.split('?')[0].split('/').pop());"
                               " return others.every(name => linked.includes(name)); }", arg=others, timeout=WAIT_MS)
    except harness.PlaywrightTimeout:
        pytest.fail(f"the course map does not link every other notebook {others}: links {page.evaluate(MAP_LINKS)}")

    # The file browser (a learner clicks its tab) opens on the notebooks, then the course's top folder shows the
    # course, not the workshop.
    page.get_by_role("tab", name="File Browser").click()
    notebooks = sorted(path.name for path in (course_lab.course / "notebooks").glob("*.ipynb"))
    listed_first = listing_when(page, "JSON.stringify(names) === JSON.stringify(arg)", notebooks,
                                f"the file browser does not open on the notebooks {notebooks}")
    assert listed_first == notebooks, f"the file browser opens on {listed_first}, expected the notebooks {notebooks}"
    page.locator(".jp-FileBrowser .jp-BreadCrumbs-home").click()
    listed = set(listing_when(page, "names.includes(arg)", "notebooks", "the course's top folder is not listed"))
    workshop = sorted(listed - LEARNER_ENTRIES)
    assert not workshop, (f"the learner's file browser shows development files {workshop}: hide them with "
                          "ContentsManager.hide_globs in jupyter-config/etc/jupyter/jupyter_server_config.json, or add "
                          "them to LEARNER_ENTRIES if learners need them")
    assert {"notebooks", "README.md"} <= listed, listed
    page.screenshot(path=str(harness.ARTIFACTS / "first-minute.png"))

    # Nothing left this machine (no news feed, no update check), and the course's own plugin loaded cleanly.
    assert all(harness.is_local(url) for url in page_log.requests), [u for u in page_log.requests
                                                                      if not harness.is_local(u)]
    assert not [error for error in page_log.page_errors + page_log.console_errors if "bont-course" in error]
