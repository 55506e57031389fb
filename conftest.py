"""Root pytest configuration.

- nbval must not compare plotly payloads (random ids, MBs of JSON).
- How pytest-xdist shares the work (``CourseScheduling``): every test file is one unit, run on one worker in order
  (nbval's cells of a notebook share one kernel; module fixtures, such as the static site, are built once), except
  the browser suite's tests of one notebook in one server, which are independent and go to whichever worker is
  free. The longest units are handed out first (``FIRST``), so no long one starts last. (xdist's own
  ``--dist loadgroup`` cannot do this with pytest 9: its group marks rename node ids, which pytest 9 ignores.)
"""
from __future__ import annotations

PLOTLY_MIME = ("application/vnd.plotly.v1+json",)

# Test files spread test by test (each test opens its own page in the worker's JupyterLab or Voila).
SPREAD = ("tests/browser/test_in_browser.py", "tests/browser/test_accessibility.py")
# Units handed out first, longest first (measured); every other unit follows in collection order.
FIRST = (
    "tests/browser/test_in_browser.py::test_notebook_in_jupyterlab",
    "tests/browser/test_in_browser.py::test_notebook_in_voila",
    "tests/test_deploy.py",
    "tests/browser/test_site.py",
    "tests/test_release.py",
    "tests/test_load_class.py",
    "tests/browser/test_in_browser.py::test_repeated_loads",
)


def _file(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def _rank(item) -> int:
    for rank, prefix in enumerate(FIRST):
        if item.nodeid.startswith(prefix):
            return rank
    return len(FIRST)


def pytest_collection_modifyitems(items):
    for item in items:
        notebook_file = getattr(item, "parent", None)
        skip = getattr(notebook_file, "skip_compare", None)
        if skip is not None and PLOTLY_MIME[0] not in skip:
            notebook_file.skip_compare = tuple(skip) + PLOTLY_MIME
    # a stable sort: every worker collects the same order; within a unit the tests keep theirs
    items.sort(key=_rank)


def pytest_xdist_make_scheduler(config, log):
    from xdist.scheduler import LoadScopeScheduling

    class CourseScheduling(LoadScopeScheduling):
        """xdist's load-scope scheduling with a unit per test file, or per test in the SPREAD files; units go out in
        collection order (``--no-loadscope-reorder``), which pytest_collection_modifyitems sets."""

        def _split_scope(self, nodeid: str) -> str:
            return nodeid if _file(nodeid) in SPREAD else _file(nodeid)

    return CourseScheduling(config, log)
