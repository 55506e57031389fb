"""Launch links made from the course's repository address, kept in one place: ``repository-code`` in
CITATION.cff (with the branch learners open, ``main``).

    python tools/launch.py                   # prints the Binder link and the nbgitpuller link template
    python tools/launch.py https://hub.example.edu   # the nbgitpuller link for that hub

Used by the README, the static site (tools/site) and ``./course link``.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path
from urllib.parse import quote, urlencode

import yaml

ROOT = Path(__file__).resolve().parent.parent
BRANCH = "main"
START = "notebooks/00_start_here.ipynb"
HUB_PLACEHOLDER = "HUB_URL"


def repository(root: Path = ROOT) -> str:
    """The repository address from CITATION.cff (``https://github.com/OWNER/NAME``)."""
    url = yaml.safe_load((Path(root) / "CITATION.cff").read_text())["repository-code"]
    if not re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", url):
        raise ValueError(f"CITATION.cff: repository-code {url!r} is not https://github.com/OWNER/NAME")
    return url


def binder_url(ref: str = BRANCH, root: Path = ROOT) -> str:
    """mybinder.org builds the repository at ``ref`` (environment.yml + postBuild) and opens the first notebook."""
    owner_name = repository(root).removeprefix("https://github.com/")
    return (f"https://mybinder.org/v2/gh/{owner_name}/{quote(ref, safe='')}"
            f"?urlpath={quote('lab/tree/' + START, safe='')}")


def nbgitpuller_url(hub: str = HUB_PLACEHOLDER, ref: str = BRANCH, root: Path = ROOT) -> str:
    """A JupyterHub link that pulls the repository into the learner's home with nbgitpuller and opens the first
    notebook; with no hub, the template with ``HUB_URL`` in its place."""
    url = repository(root)
    folder = url.rsplit("/", 1)[1]
    query = urlencode({"repo": url, "branch": ref, "urlpath": f"lab/tree/{folder}/{START}"})
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


if __name__ == "__main__":
    if len(sys.argv) > 1:
        print(nbgitpuller_url(sys.argv[1]))
    else:
        print(f"Binder:              {binder_url()}\nJupyterHub template: {nbgitpuller_url()}")
