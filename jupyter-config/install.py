"""Install the course's Jupyter settings into a Python environment, for Binder's postBuild and a hub image.

    python jupyter-config/install.py                   # Binder: the course folder is the server's root
    python jupyter-config/install.py --no-start-page   # a hub: learners arrive through an nbgitpuller link
    python jupyter-config/install.py --prefix DIR      # another environment than this Python's (sys.prefix)

This folder is laid out as an environment prefix: etc/jupyter holds the server settings (start page, development
files hidden, no news feed or update check) and the JupyterLab setting defaults (no news prompt; widget messages
handled in order on the kernel's main thread, not on a subshell);
share/jupyter/labextensions holds the plugin that opens the table of contents. `./course lab` puts these two
folders on JUPYTER_CONFIG_PATH and JUPYTER_PATH for its own server; this script copies them into the prefix so
that every server the environment starts gets the same settings. The server settings are merged into an
existing etc/jupyter/jupyter_server_config.json (traitlets reads no jupyter_server_config.d folder); a
ContentsManager.hide_globs list already there is kept and extended.
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SERVER_CONFIG = Path("etc/jupyter/jupyter_server_config.json")
COPIED = (Path("etc/jupyter/labconfig/default_setting_overrides.d/bont-course.json"),
          Path("share/jupyter/labextensions/bont-course-defaults"))
# The start page is a path under the server's root: right where the course is the root (./course lab, Binder),
# wrong on a hub, where nbgitpuller puts the course in a folder of the learner's home.
START_PAGE = {"ServerApp": "default_url", "LabApp": "default_url"}


def merged(existing: dict, course: dict) -> dict:
    """``existing`` updated with ``course`` section by section; lists of globs are joined, not replaced."""
    result = {section: dict(values) for section, values in existing.items()}
    for section, values in course.items():
        target = result.setdefault(section, {})
        for name, value in values.items():
            if isinstance(value, list) and isinstance(target.get(name), list):
                target[name] = target[name] + [item for item in value if item not in target[name]]
            else:
                target[name] = value
    return result


def course_server_config(start_page: bool = True) -> dict:
    config = json.loads((HERE / SERVER_CONFIG).read_text())
    if not start_page:
        for section, name in START_PAGE.items():
            config.get(section, {}).pop(name, None)
    return {section: values for section, values in config.items() if values}


def install(prefix: Path, start_page: bool = True) -> list[Path]:
    """Copy the course's settings into ``prefix``; return the paths written."""
    written = []
    server_config = prefix / SERVER_CONFIG
    existing = json.loads(server_config.read_text()) if server_config.is_file() else {}
    server_config.parent.mkdir(parents=True, exist_ok=True)
    server_config.write_text(json.dumps(merged(existing, course_server_config(start_page)), indent=2) + "\n")
    written.append(server_config)
    for relative in COPIED:
        source, target = HERE / relative, prefix / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True)
        else:
            shutil.copyfile(source, target)
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--prefix", type=Path, default=Path(sys.prefix),
                        help="environment to install into (default: this Python's, %(default)s)")
    parser.add_argument("--no-start-page", action="store_true",
                        help="leave the server's default page alone (a hub, where the course sits in a subfolder)")
    arguments = parser.parse_args(argv)
    for path in install(arguments.prefix, start_page=not arguments.no_start_page):
        print(f"course settings: {path}")


if __name__ == "__main__":
    main()
