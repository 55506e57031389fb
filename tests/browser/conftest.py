"""Fixtures of the browser suite: one Chromium, one JupyterLab and one Voila server per test session."""
from __future__ import annotations

import signal

import harness
import pytest

TEST_LIMIT_S = 300  # a browser test that takes longer is stuck: fail it instead of hanging CI


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    try:
        return harness.find_chromium()
    except RuntimeError as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, args=harness.CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def course_copy(tmp_path_factory):
    return harness.copy_course(tmp_path_factory.mktemp("course"))


@pytest.fixture(scope="session")
def lab(course_copy):
    harness.ARTIFACTS.mkdir(exist_ok=True)
    with harness.server("lab", course_copy, harness.ARTIFACTS / "jupyterlab.log") as address:
        yield address


@pytest.fixture(scope="session")
def voila(course_copy):
    harness.ARTIFACTS.mkdir(exist_ok=True)
    with harness.server("voila", course_copy, harness.ARTIFACTS / "voila.log") as address:
        yield address


@pytest.fixture
def page(browser):
    """A fresh page that records its requests, console errors and uncaught errors; the test fails if it runs past TEST_LIMIT_S."""
    def stuck(_signum, _frame):
        raise TimeoutError(f"browser test still running after {TEST_LIMIT_S} s: stuck page or server")

    if hasattr(signal, "SIGALRM"):
        signal.signal(signal.SIGALRM, stuck)
        signal.alarm(TEST_LIMIT_S)
    context = browser.new_context(viewport={"width": 1400, "height": 1600})
    page = context.new_page()
    page.requests, page.console_errors, page.page_errors = [], [], []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("console", lambda message: page.console_errors.append(message.text[:300])
            if message.type == "error" else None)
    page.on("pageerror", lambda error: page.page_errors.append(str(error)[:300]))  # uncaught, incl. promise rejections
    try:
        yield page
    finally:
        if hasattr(signal, "SIGALRM"):
            signal.alarm(0)
        context.close()
