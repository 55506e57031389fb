"""Build the static site of the course into a folder.

Each notebook in notebooks/ becomes one page. Its code cells are run in this process, in order, as a kernel
would; an output that shows widgets (an explorable, a quiz) is replaced by a mount point (its plain-text
fallback inside, for a browser without JavaScript) and the widgets are captured as site data
(``explorables/<page>-<cell>.json`` + ``.bin``). The JavaScript that draws them is the widgets' own modules
(helpers/widgets/*.js, written to static/widgets/ as the widgets ship them), driven by static/site.js.
Nothing is fetched from outside the site: plotly.js comes from the plotly package, maths is MathML.
"""
from __future__ import annotations

import argparse
import ast
import json
import os
import re
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def page_file(notebook: str) -> str:
    return "index.html" if notebook == "00_start_here" else f"{notebook}.html"


def course_pages(root: Path) -> list[dict]:
    """Pages in course-map order, then any other notebook in notebooks/ (none is left out)."""
    import yaml

    entries = yaml.safe_load((root / "data/course_map.yaml").read_text())
    listed = [(str(e["notebook"]), str(e["title"])) for e in entries]
    names = {name for name, _ in listed}
    extra = [(p.stem, p.stem.replace("_", " ").capitalize()) for p in sorted((root / "notebooks").glob("*.ipynb"))
             if p.stem not in names]
    return [{"notebook": name, "title": title, "file": page_file(name)} for name, title in listed + extra
            if (root / "notebooks" / f"{name}.ipynb").is_file()]


def _exporter():
    from latex2mathml.converter import convert
    from nbconvert import HTMLExporter
    from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

    class MathMLRenderer(IPythonRenderer):
        """nbconvert's Markdown renderer with its maths (found by nbconvert's own parser) turned into MathML."""

        def block_math(self, body: str) -> str:
            return convert(body, display="block")

        def inline_math(self, body: str) -> str:
            return convert(body)

        def latex_environment(self, name: str, body: str) -> str:
            return convert(f"\\begin{{{name}}}{body}\\end{{{name}}}", display="block")

    class CourseExporter(HTMLExporter):
        def markdown2html(self, context, source):
            cell = context.get("cell", {})
            renderer = MathMLRenderer(escape=False, attachments=cell.get("attachments", {}),
                                      anchor_link_text=self.anchor_link_text,
                                      exclude_anchor_links=self.exclude_anchor_links)
            return MarkdownWithMath(renderer=renderer).render(source)

    CourseExporter.markdown2html.__dict__.update(HTMLExporter.markdown2html.__dict__)  # keep the context filter mark
    exporter = CourseExporter(template_name="course", extra_template_basedirs=[str(HERE / "template")])
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    return exporter


def _run_cell(source: str, namespace: dict):
    """Run a code cell as a kernel would; the value of its last expression (or None)."""
    tree = ast.parse(source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, "<cell>", "exec"), namespace)
    return eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace) if last else None


def _mount(name: str, fallback: str) -> str:
    from html import escape

    return (f'<div class="course-site-widget" data-src="explorables/{name}">'
            f'<pre class="course-site-fallback">{escape(fallback)}</pre></div>')


def build(root: Path, out: Path, version: str, binder_url: str, hub_template: str) -> dict:
    """Build the site of the course at ``root`` into ``out``; returns numbers for the report."""
    import ipywidgets
    import nbformat
    from plotly.offline import get_plotlyjs

    from .frames import Capture

    started = time.perf_counter()
    root, out = Path(root).resolve(), Path(out)
    if out.exists():
        shutil.rmtree(out)
    (out / "static" / "widgets").mkdir(parents=True)
    (out / "explorables").mkdir()
    pages = course_pages(root)
    exporter = _exporter()
    esm_files, css = {}, {}
    explorables = 0
    title = "Botulinum toxin A and fibromyalgia pain"
    cwd, seed = os.getcwd(), os.environ.get("COURSE_QUIZ_SEED")
    # quiz options in the order of the notebooks' saved text (helpers.quiz.COURSE_SEED), the same for every reader
    from helpers.quiz import COURSE_SEED
    os.environ["COURSE_QUIZ_SEED"] = COURSE_SEED
    os.chdir(root / "notebooks")
    try:
        for number, page in enumerate(pages):
            notebook = nbformat.read(root / "notebooks" / f"{page['notebook']}.ipynb", as_version=4)
            namespace = {"__name__": "__main__"}
            for index, cell in enumerate(notebook.cells):
                if cell.cell_type != "code":
                    continue
                value = _run_cell(cell.source, namespace)
                if not any(WIDGET_MIME in output.get("data", {}) for output in cell.get("outputs", [])):
                    continue
                if not isinstance(value, ipywidgets.Widget):
                    raise RuntimeError(
                        f"{page['notebook']} cell {index}: a widget output, but the cell gives {value!r}")
                name = f"{page['notebook']}-{index}"
                capture = Capture(value, esm_files, css)
                document = capture.data()
                (out / "explorables" / f"{name}.json").write_text(json.dumps(document, separators=(",", ":"),
                                                                             allow_nan=False))
                (out / "explorables" / f"{name}.bin").write_bytes(bytes(capture.pack.blob))
                explorables += 1
                fallback = next((o["data"].get("text/plain", "") for o in cell.outputs if "data" in o), "")
                cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": _mount(name, fallback)})]
            resources = {"course": {"pages": pages, "current": page["file"], "version": version, "title": title,
                                    "previous": pages[number - 1] if number else None,
                                    "next": pages[number + 1] if number + 1 < len(pages) else None,
                                    "binder_url": binder_url, "hub_template": hub_template},
                         "metadata": {"name": page["title"]}}
            notebook.metadata["title"] = f"{page['title']} | {title}"
            body, _ = exporter.from_notebook_node(notebook, resources=resources)
            body = re.sub(r'href="([\w-]+)\.ipynb(#[^"]*)?"',
                          lambda m: f'href="{page_file(m.group(1))}{m.group(2) or ""}"', body)
            (out / page["file"]).write_text(body)
    finally:
        os.chdir(cwd)
        if seed is None:
            os.environ.pop("COURSE_QUIZ_SEED", None)
        else:
            os.environ["COURSE_QUIZ_SEED"] = seed
    lab = Path(sys.prefix) / "share/jupyter/nbconvert/templates/lab/static"
    (out / "static" / "lab.css").write_text((lab / "index.css").read_text() + (lab / "theme-light.css").read_text())
    (out / "static" / "plotly.min.js").write_text(get_plotlyjs())
    for name, source in esm_files.items():
        (out / "static" / "widgets" / name).write_text(source)
    (out / "static" / "widgets.css").write_text("\n".join(css.values()))
    for name in ("site.js", "site.css"):
        shutil.copy(HERE / "static" / name, out / "static" / name)
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return {"pages": len(pages), "explorables": explorables, "bytes": size,
            "seconds": round(time.perf_counter() - started, 1)}


def main(argv=None) -> None:
    sys.path.insert(0, str(HERE.parent.parent))
    from tools import launch

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--version", default="unreleased")
    parser.add_argument("--ref", default=launch.BRANCH, help="git ref the launch links open (a release: its tag)")
    args = parser.parse_args(argv)
    root = HERE.parent.parent
    stats = build(root, args.out, args.version, launch.binder_url(args.ref, root),
                  launch.nbgitpuller_url(ref=args.ref, root=root))
    print(json.dumps(stats))


if __name__ == "__main__":
    main()
