"""The course map, from ``data/course_map.yaml``; a notebook is marked written if its file exists."""
from __future__ import annotations

from pathlib import Path

from IPython.display import Markdown

from .data import DATA_DIR, DataFileError, read_yaml_records, require_field

NOTEBOOKS_DIR = DATA_DIR.parent / "notebooks"


def course_map_rows(data_dir=None, notebooks_dir=None) -> list:
    """``[(notebook, title, teaches, minutes, written)]`` in course order."""
    path = Path(data_dir or DATA_DIR) / "course_map.yaml"
    rows = []
    for record, entry in read_yaml_records(path, "notebook"):
        name = str(entry["notebook"])
        minutes = require_field(path, record, entry, "minutes")
        if not isinstance(minutes, int) or minutes <= 0:
            raise DataFileError(path, record, "minutes", f"{minutes!r} must be a positive whole number")
        written = (Path(notebooks_dir or NOTEBOOKS_DIR) / f"{name}.ipynb").is_file()
        rows.append((name, str(require_field(path, record, entry, "title")),
                     str(require_field(path, record, entry, "teaches")), minutes, written))
    return rows


def course_map() -> Markdown:
    lines = ["| notebook | what it teaches | time | status |", "|---|---|---|---|"]
    for name, title, teaches, minutes, written in course_map_rows():
        link = f"[{title}]({name}.ipynb)" if written else title
        status = "ready" if written else "not written yet"
        lines.append(f"| `{name}` {link} | {teaches} | {minutes} min | {status} |")
    return Markdown("\n".join(lines))
