"""The course map, from ``data/course_map.yaml``; a notebook is marked written if its file exists."""
from __future__ import annotations

from pathlib import Path

from IPython.display import Markdown

from .data import DATA_DIR, load_course_map

NOTEBOOKS_DIR = DATA_DIR.parent / "notebooks"


def course_map_rows(data_dir=None, notebooks_dir=None) -> list:
    """``[(notebook, title, teaches, minutes, written)]`` in course order."""
    return [(entry.notebook, entry.title, entry.teaches, entry.minutes,
             (Path(notebooks_dir or NOTEBOOKS_DIR) / f"{entry.notebook}.ipynb").is_file())
            for entry in load_course_map(data_dir)]


def course_map() -> Markdown:
    lines = ["| notebook | what it teaches | time | status |", "|---|---|---|---|"]
    for name, title, teaches, minutes, written in course_map_rows():
        link = f"[{title}]({name}.ipynb)" if written else title
        status = "ready" if written else "not written yet"
        lines.append(f"| `{name}` {link} | {teaches} | {minutes} min | {status} |")
    return Markdown("\n".join(lines))
