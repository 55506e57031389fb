"""Root pytest configuration: nbval must not compare plotly payloads (random ids, MBs of JSON)."""

PLOTLY_MIME = ("application/vnd.plotly.v1+json",)


def pytest_collection_modifyitems(items):
    for item in items:
        notebook_file = getattr(item, "parent", None)
        skip = getattr(notebook_file, "skip_compare", None)
        if skip is not None and PLOTLY_MIME[0] not in skip:
            notebook_file.skip_compare = tuple(skip) + PLOTLY_MIME
