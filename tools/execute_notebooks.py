"""Execute course notebooks in place, the way they are committed.

    python tools/execute_notebooks.py                 # every notebook in notebooks/
    python tools/execute_notebooks.py notebooks/03_onset_and_duration.ipynb

Widget state is not saved (learners would get stale widgets and files would grow by megabytes),
per-cell timing metadata is dropped (noisy diffs), and each notebook must stay <= 300 KB.
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
MAX_BYTES = 300_000


def execute(path: Path) -> int:
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=600, kernel_name="python3", store_widget_state=False,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    notebook.metadata.pop("widgets", None)
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
    nbformat.write(notebook, path)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise SystemExit(f"{path.name}: {size // 1024} KB, over the 300 KB limit")
    return size


def main(arguments: list[str]) -> None:
    paths = [Path(a) for a in arguments] or sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
    for path in paths:
        print(f"{path.name}: {execute(path.resolve()) // 1024} KB")


if __name__ == "__main__":
    main(sys.argv[1:])
