"""``./course release``: the refusals, the changelog, and a dry run that builds the bundle and the site from the
committed tree; then nbval on the zipped notebooks, run as a learner would run them (the zip's own helpers)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tools import launch, release  # noqa: E402

VERSION = "0.0.0-test"


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A small git repository with two commits and a release tag between them."""
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "config", "user.email", "t@example.org")
    _git(tmp_path, "config", "user.name", "t")
    (tmp_path / "a.txt").write_text("a")
    _git(tmp_path, "add", "a.txt")
    _git(tmp_path, "commit", "-q", "-m", "First change")
    _git(tmp_path, "tag", "-a", "v1.0.0", "-m", "1.0.0")
    (tmp_path / "a.txt").write_text("b")
    _git(tmp_path, "commit", "-q", "-am", "Second change")
    return tmp_path


def test_refuses_an_existing_version_a_bad_version_and_a_dirty_tree(repo):
    assert any("tag v1.0.0 exists" in p for p in release.version_problems("1.0.0", repo))
    assert any("not a version" in p for p in release.version_problems("one", repo))
    assert release.version_problems("1.1.0", repo) == []
    (repo / "CHANGELOG.md").write_text("# Changelog\n\n## 1.1.0 (2025-01-01)\n")
    assert any("CHANGELOG.md already has 1.1.0" in p for p in release.version_problems("1.1.0", repo))
    (repo / "a.txt").write_text("uncommitted")
    with pytest.raises(release.ReleaseError, match="refused: .*uncommitted changes"):
        release.release("1.2.0", root=repo)
    assert "Release" not in _git(repo, "log", "--format=%s"), "a refused release must commit nothing"


def test_changelog_lists_the_subjects_since_the_last_release_newest_first(repo):
    subjects = release.subjects_since(release.last_release(repo), repo)
    assert [s.rsplit(" (", 1)[0] for s in subjects] == ["Second change"]
    first = release.changelog_text("", "1.1.0", "2025-02-01", subjects)
    second = release.changelog_text(first, "1.2.0", "2025-03-01", ["Third change (abc1234)"])
    assert second.index("## 1.2.0 (2025-03-01)") < second.index("## 1.1.0 (2025-02-01)")
    assert "- Second change (" in second and "- Third change (abc1234)" in second
    assert second.count("# Changelog") == 1


def test_launch_links_come_from_the_repository_address_in_citation_cff(tmp_path):
    (tmp_path / "CITATION.cff").write_text('repository-code: "https://github.com/someone/some-course"\n')
    assert launch.binder_url("v2.0.0", tmp_path).startswith("https://mybinder.org/v2/gh/someone/some-course/v2.0.0?urlpath=")
    hub = launch.nbgitpuller_url("https://hub.uni.example/", root=tmp_path)
    assert hub.startswith("https://hub.uni.example/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Fsomeone%2Fsome-course")
    assert "some-course%2Fnotebooks%2F00_start_here.ipynb" in hub
    (tmp_path / "CITATION.cff").write_text('repository-code: "git@github.com:someone/some-course"\n')
    with pytest.raises(ValueError, match="repository-code"):
        launch.repository(tmp_path)


@pytest.fixture(scope="module")
def dry_run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist") / VERSION
    release.release(VERSION, dry_run=True, out=out)
    return out


def test_dry_run_bundle_holds_the_course_without_widget_state(dry_run):
    archive = zipfile.ZipFile(dry_run / f"course-{VERSION}.zip")
    names = set(archive.namelist())
    top = f"course-{VERSION}/"
    for required in ("environment.yml", "requirements.txt", "constraints.txt", "README.md", "LICENSE", "CITATION.cff",
                     "CHANGELOG.md", "helpers/__init__.py", "helpers/widgets/figure.js", "data/course_map.yaml",
                     "data/bibliography.yaml", "course", "pyproject.toml"):
        assert top + required in names, f"{required} missing from the zip"
    committed = set(release.git("ls-files", "notebooks").split())
    zipped = {n[len(top):] for n in names if n.startswith(top + "notebooks/")}
    assert {n for n in committed if n.endswith(".ipynb")} <= zipped
    assert not [n for n in names if "__pycache__" in n or n.startswith(top + "tests/") or "/dist/" in n]
    for name in sorted(n for n in names if n.endswith(".ipynb")):
        notebook = nbformat.reads(archive.read(name).decode(), as_version=4)
        assert "widgets" not in notebook.metadata, f"{name}: widget state saved"
        outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
        assert all(c.execution_count for c in notebook.cells if c.cell_type == "code" and c.source.strip()), \
            f"{name}: not executed"
        for output in outputs:
            assert set(output.get("data", {})) <= set(release.TEXT_MIME), f"{name}: {set(output['data'])}"
        text = archive.read(name).decode()
        assert "widget-view" not in text and "widget-state" not in text
    assert "## " + VERSION in archive.read(top + "CHANGELOG.md").decode()
    assert archive.read(top + "data/course_map.yaml").decode().startswith(f"# Course version: {VERSION} ")
    assert f'version: "{VERSION}"' in archive.read(top + "CITATION.cff").decode()


def test_dry_run_site_has_every_notebook_a_disclaimer_the_version_and_nothing_remote(dry_run):
    site = dry_run / "site"
    notebooks = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
    pages = {("index" if n == "00_start_here" else n): (site / ("index.html" if n == "00_start_here" else f"{n}.html"))
             for n in notebooks}
    for name, page in pages.items():
        text = page.read_text()
        assert "For education only, not clinical guidance." in text, name
        assert f'content="{VERSION}"' in text, name
        assert not re.search(r'<(script|link|img|iframe)[^>]+(src|href)="(https?:)?//', text), \
            f"{name}: loads from outside"
        assert "mathjax" not in text.lower() and "require.js" not in text, name
        assert not re.search(r'href="[\w-]+\.ipynb', text), f"{name}: a link still points at a notebook file"
        assert "mybinder.org/v2/gh/" in text and "git-pull?repo=" in text, f"{name}: launch links"
    assert "<math" in pages["02_neuromuscular_blockade"].read_text(), "maths is rendered as MathML"
    explorables = list((site / "explorables").glob("*.json"))
    assert len(explorables) >= 12
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    assert size <= 25_000_000, f"site is {size / 1e6:.1f} MB, over the 25 MB budget"
    for page in pages.values():
        for mount in page.read_text().split('data-src="explorables/')[1:]:
            assert (site / "explorables" / (mount.split('"')[0] + ".json")).is_file()


def test_zipped_notebooks_pass_nbval_as_a_learner_runs_them(dry_run, tmp_path):
    """Unzip, then nbval (strict, the course's sanitize file) with the zip's own helpers first on the path."""
    with zipfile.ZipFile(dry_run / f"course-{VERSION}.zip") as archive:
        archive.extractall(tmp_path)
    course = tmp_path / f"course-{VERSION}"
    env = {**os.environ, "PYTHONPATH": str(course)}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-o", "addopts=", "-p", "no:cacheprovider",
         "-n", "2", "--dist", "loadfile", "--nbval",
         "--nbval-sanitize-with", str(ROOT / "tests" / "nbval_sanitize.cfg"), "--nbval-cell-timeout", "300",
         "notebooks"], cwd=course, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "failed" not in result.stdout.splitlines()[-1]
    probe = subprocess.run([sys.executable, "-c", "import helpers; print(helpers.__file__)"], cwd=course / "notebooks",
                           env=env, capture_output=True, text=True)
    assert str(course) in probe.stdout, "the zipped notebooks must run with the zip's own helpers"
