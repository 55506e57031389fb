"""``./course release VERSION``: a versioned, gated bundle of the course and its static site.

    ./course release 1.0.0              # refuse a dirty tree or an existing version; gate; changelog; stamp;
                                        # commit "Release 1.0.0" and tag v1.0.0; build dist/1.0.0/
    ./course release 1.0.0 --dry-run    # the same checks and artefacts, built in a temporary folder (or --out),
                                        # nothing committed or tagged; the gate is skipped unless --gate

dist/VERSION/ then holds ``course-VERSION.zip`` (executed notebooks with text outputs only and no widget state,
data/, helpers/, the environment and pinned requirements, README, LICENSE, CITATION.cff and what ``./course lab``
needs to install and open them) and ``site/`` (the static site, tools/site). Everything is built from the
committed tree (``git archive``), never from uncommitted files.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
VERSION = re.compile(r"\d+\.\d+\.\d+(?:[-.][0-9A-Za-z.]+)?")
TAG_PREFIX = "v"
# What a learner or instructor unpacks: the brief's list, plus what `./course lab` needs to install and open it.
BUNDLE = ("notebooks", "data", "helpers", "environment.yml", "requirements.txt", "constraints.txt", "README.md",
          "LICENSE", "CITATION.cff", "CHANGELOG.md", "course", "pyproject.toml", "postBuild", "jupyter-config",
          "presentation")
REQUIRED = ("notebooks", "data", "helpers", "environment.yml", "requirements.txt", "constraints.txt", "README.md",
            "LICENSE", "CITATION.cff")
TEXT_MIME = ("text/plain", "text/markdown", "text/latex")
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
CHANGELOG_HEAD = ("# Changelog\n\nEvery release of the course, newest first; "
                  "entries are the commit subjects since the previous release.\n")


class ReleaseError(SystemExit):
    def __init__(self, message: str):
        super().__init__(f"course release: {message}")


def git(*args: str, root: Path = ROOT) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout.strip()


def dirty(root: Path = ROOT) -> list[str]:
    """Changed or untracked files (ignored ones aside)."""
    return [line for line in git("status", "--porcelain", root=root).splitlines() if line.strip()]


def last_release(root: Path = ROOT) -> str | None:
    tags = git("tag", "--list", f"{TAG_PREFIX}*", "--sort=-creatordate", root=root).split()
    return tags[0] if tags else None


def version_problems(version: str, root: Path = ROOT) -> list[str]:
    problems = []
    if not VERSION.fullmatch(version):
        problems.append(f"{version!r} is not a version like 1.0.0")
    if git("tag", "--list", TAG_PREFIX + version, root=root):
        problems.append(f"tag {TAG_PREFIX}{version} exists")
    if (root / "dist" / version).exists():
        problems.append(f"dist/{version} exists")
    changelog = root / "CHANGELOG.md"
    if changelog.is_file() and re.search(rf"^## {re.escape(version)}\b", changelog.read_text(), re.M):
        problems.append(f"CHANGELOG.md already has {version}")
    return problems


def subjects_since(tag: str | None, root: Path = ROOT) -> list[str]:
    span = f"{tag}..HEAD" if tag else "HEAD"
    return [line for line in git("log", "--no-merges", "--format=%s (%h)", span, root=root).splitlines() if line]


def changelog_text(old: str, version: str, date: str, subjects: list[str]) -> str:
    entry = f"## {version} ({date})\n\n" + "".join(f"- {subject}\n" for subject in subjects or ["No changes."])
    body = old.split("\n## ", 1)
    rest = "## " + body[1] if len(body) == 2 else ""
    return f"{CHANGELOG_HEAD}\n{entry}\n{rest}".rstrip() + "\n"


def stamp(root: Path, version: str, date: str) -> list[Path]:
    """The version into the course map (a header line), CITATION.cff and pyproject.toml; the files changed."""
    course_map = root / "data" / "course_map.yaml"
    text = re.sub(r"^# Course version: .*\n", "", course_map.read_text(), flags=re.M)
    course_map.write_text(f"# Course version: {version} (released {date})\n{text}")
    citation = root / "CITATION.cff"
    text = re.sub(r'^version: .*$', f'version: "{version}"', citation.read_text(), flags=re.M)
    citation.write_text(re.sub(r'^date-released: .*$', f'date-released: "{date}"', text, flags=re.M))
    pyproject = root / "pyproject.toml"
    pyproject.write_text(re.sub(r'^version = ".*"$', f'version = "{version}"', pyproject.read_text(),
                                count=1, flags=re.M))
    return [course_map, citation, pyproject]


def export(ref: str, target: Path, root: Path = ROOT) -> Path:
    """The committed tree at ``ref`` in ``target`` (no untracked or uncommitted file)."""
    target.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "archive", "--format=tar", ref], cwd=root, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def text_only(path: Path) -> None:
    """Keep an executed notebook's text outputs (the explorables' sentences, tables); drop widget views and state."""
    notebook = nbformat.read(path, as_version=4)
    notebook.metadata.pop("widgets", None)
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.outputs:
            if "data" in output:
                output["data"] = {k: v for k, v in output["data"].items() if k in TEXT_MIME}
                output.get("metadata", {}).pop(WIDGET_MIME, None)
    nbformat.write(notebook, path)


def bundle(tree: Path, version: str, target: Path) -> Path:
    missing = [name for name in REQUIRED if not (tree / name).exists()]
    if missing:
        raise ReleaseError(f"the committed tree lacks {', '.join(missing)}")
    for path in sorted((tree / "notebooks").glob("*.ipynb")):
        text_only(path)
    zip_path = target / f"course-{version}.zip"
    top = f"course-{version}"
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in BUNDLE:
            path = tree / name
            files = ([path] if path.is_file()
                     else sorted(p for p in path.rglob("*") if p.is_file()) if path.exists() else [])
            for file in files:
                if "__pycache__" in file.parts or file.suffix == ".pyc":
                    continue
                info = zipfile.ZipInfo.from_file(file, f"{top}/{file.relative_to(tree).as_posix()}")
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, file.read_bytes())
    return zip_path


def build_site(tree: Path, version: str, target: Path, ref: str) -> dict:
    """The site, built by the exported tree's own code (its helpers, its notebooks)."""
    result = subprocess.run([sys.executable, "-m", "tools.site", str(target), "--version", version, "--ref", ref],
                            cwd=tree, env={**os.environ, "PYTHONPATH": str(tree)}, capture_output=True, text=True)
    if result.returncode:
        raise ReleaseError(f"the site did not build:\n{result.stdout}\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def release(version: str, dry_run: bool = False, gate: bool | None = None, out: Path | None = None,
            root: Path = ROOT) -> Path:
    gate = (not dry_run) if gate is None else gate
    problems = version_problems(version, root)
    changed = dirty(root)
    if changed:
        problems.append("the working tree has uncommitted changes:\n    " + "\n    ".join(changed[:20]))
    if problems and not dry_run:
        raise ReleaseError("refused: " + "; ".join(problems))
    for problem in problems:
        print(f"course release (dry run): a real release would refuse: {problem}")
    if gate:
        print("course release: running the gate (./course test)")
        if subprocess.run([str(root / "course"), "test"], cwd=root).returncode:
            raise ReleaseError("the gate failed; nothing was released")
    elif not dry_run:
        print("course release: the gate was skipped (--no-gate)")
    date = datetime.date.today().isoformat()
    since = last_release(root)
    subjects = subjects_since(since, root)
    work = Path(tempfile.mkdtemp(prefix=f"course-release-{version}-"))
    if dry_run:
        tree = export("HEAD", work / "tree", root)
        ref = "HEAD"
    else:
        changelog = root / "CHANGELOG.md"
        changelog.write_text(changelog_text(changelog.read_text() if changelog.is_file() else "", version, date,
                                            subjects))
        files = [changelog, *stamp(root, version, date)]
        names = [str(p.relative_to(root)) for p in files]
        git("add", "--", *names, root=root)
        git("commit", "-m", f"Release {version}", "--", *names, root=root)
        git("tag", "-a", TAG_PREFIX + version, "-m", f"Course release {version}", root=root)
        tree = export(TAG_PREFIX + version, work / "tree", root)
        ref = TAG_PREFIX + version
    if dry_run:  # the changelog and the stamps as the release commit would have them, in the export only
        changelog = tree / "CHANGELOG.md"
        changelog.write_text(changelog_text(changelog.read_text() if changelog.is_file() else "", version, date,
                                            subjects))
        stamp(tree, version, date)
    target = Path(out) if out else (work / "dist" / version if dry_run else root / "dist" / version)
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    stats = build_site(tree, version, target / "site", TAG_PREFIX + version if not dry_run else "main")
    zip_path = bundle(tree, version, target)
    print(f"course release: {'dry run, ' if dry_run else ''}{version} built in {target}")
    print(f"  {zip_path.name}: {zip_path.stat().st_size / 1e6:.1f} MB")
    print(f"  site/: {stats['pages']} pages, {stats['explorables']} live explorables, {stats['bytes'] / 1e6:.1f} MB, "
          f"built in {stats['seconds']} s")
    print(f"  changelog: {len(subjects)} commits since {since or 'the first commit'}")
    if not dry_run:
        print(f"  committed 'Release {version}' and tagged {ref}; push both: git push && git push origin {ref}")
    shutil.rmtree(work / "tree", ignore_errors=True)
    return target


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="./course release", description=__doc__.split("\n\n")[0])
    parser.add_argument("version", help="the new version, e.g. 1.0.0")
    parser.add_argument("--dry-run", action="store_true", help="build into a temporary folder; commit and tag nothing")
    parser.add_argument("--gate", dest="gate", action="store_true", default=None, help="run the gate in a dry run too")
    parser.add_argument("--no-gate", dest="gate", action="store_false",
                        help="skip the gate (never for a published release)")
    parser.add_argument("--out", type=Path, help="folder for the artefacts (default dist/VERSION, or a temporary one)")
    args = parser.parse_args(argv)
    release(args.version, dry_run=args.dry_run, gate=args.gate, out=args.out)


if __name__ == "__main__":
    main()
