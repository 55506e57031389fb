"""Root pytest configuration.

- nbval must not compare plotly payloads (random ids, MBs of JSON).
- pytest-xdist (``--dist loadgroup``) keeps each file on one worker, so a notebook's cells run in order in one
  kernel, and runs the browser tests (JupyterLab and Voila) one after the other on one worker: two browsers,
  two servers and their kernels at once on a 2-core machine stalled the pages for seconds.
"""
import pytest

PLOTLY_MIME = ("application/vnd.plotly.v1+json",)
BROWSER_GROUP = "browser"


def pytest_collection_modifyitems(items):
    for item in items:
        notebook_file = getattr(item, "parent", None)
        skip = getattr(notebook_file, "skip_compare", None)
        if skip is not None and PLOTLY_MIME[0] not in skip:
            notebook_file.skip_compare = tuple(skip) + PLOTLY_MIME
        path = item.nodeid.split("::", 1)[0]
        group = BROWSER_GROUP if path.startswith("tests/browser/") else path
        item.add_marker(pytest.mark.xdist_group(group))
