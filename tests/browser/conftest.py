"""Fixtures of the browser suite.

Chromium, contexts and pages come from pytest-playwright (``browser``, ``context``, ``page``; one Chromium per
test process, a fresh context per test). Here: which Chromium, the window size, what a page did (``page_log``),
one JupyterLab and one Voila server per test process, started on first use (``lab``, ``voila``:
``harness.Server``), and the Playwright trace of a failed test (``trace_on_failure``). A stuck browser test fails after
BROWSER_TEST_LIMIT_S (pytest-timeout), instead of hanging CI.
"""
from __future__ import annotations

import harness
import pytest
from slugify import slugify

# A notebook's JupyterLab test (keyboard walk, mouse, two audits, for 03, 05 and 05b a reload) took 4 to 10 minutes on
# this 2-core machine while other test runs loaded it (load average 10 to 20): the limit catches a stuck page, not a
# slow one.
BROWSER_TEST_LIMIT_S = 1200


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)
            if item.get_closest_marker("timeout") is None:
                item.add_marker(pytest.mark.timeout(BROWSER_TEST_LIMIT_S))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.failed:
        item.course_failed = True  # read by trace_on_failure at teardown
    return report


@pytest.fixture(autouse=True)
def trace_on_failure(request, context):
    """Every browser test is traced; a failed test's trace is kept in test-artifacts/traces/<test>/trace.zip (open
    it with ``playwright show-trace``): its actions with their timing and source lines, the console, the network and
    the page's errors, plus the screenshot taken at the failure. Not DOM snapshots or a screencast: pytest-
    playwright's ``--tracing`` records both around every action, which made each mouse move of a drag 3 to 4 times
    slower (the JupyterLab test of notebook 04: 225 s traced that way, 60 s traced this way, 57 s untraced)."""
    context.tracing.start(title=slugify(request.node.nodeid), screenshots=False, snapshots=False, sources=True)
    yield
    if getattr(request.node, "course_failed", False):
        path = harness.ARTIFACTS / "traces" / slugify(request.node.nodeid)[:120] / "trace.zip"
        path.parent.mkdir(parents=True, exist_ok=True)
        context.tracing.stop(path=str(path))
    else:
        context.tracing.stop()


@pytest.fixture(scope="session")
def chromium_path() -> str:
    try:
        return harness.find_chromium()
    except RuntimeError as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, chromium_path):
    return {**browser_type_launch_args, "executable_path": chromium_path, "args": harness.CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1400, "height": 1600}}


@pytest.fixture
def page_log(page) -> harness.PageLog:
    """The requests, console errors and uncaught errors of the test's page, recorded from before it loads."""
    return harness.PageLog().attach(page)


@pytest.fixture(scope="session")
def course_copy(tmp_path_factory):
    return harness.copy_course(tmp_path_factory.mktemp("course"))


@pytest.fixture(scope="session")
def lab(course_copy, worker_id):
    harness.ARTIFACTS.mkdir(exist_ok=True)
    with harness.server("lab", course_copy, harness.ARTIFACTS / f"jupyterlab-{worker_id}.log") as (base, token):
        yield harness.Server("lab", base, token)


@pytest.fixture(scope="session")
def voila(course_copy, worker_id):
    harness.ARTIFACTS.mkdir(exist_ok=True)
    with harness.server("voila", course_copy, harness.ARTIFACTS / f"voila-{worker_id}.log") as (base, token):
        yield harness.Server("voila", base, token)
