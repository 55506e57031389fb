"""Reference lists for notebooks, built from ``data/bibliography.yaml``.

A notebook cites a source by writing its bibliography id in backticks in a Markdown cell (`` `wolfe2016` ``); its
reference cell calls :func:`reference_list` with the notebook's name, which lists exactly the ids its prose cites, in
order of first citation, so the list cannot drift from the text (sphinxcontrib-bibtex's way).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from IPython.display import Markdown

from .course import NOTEBOOKS_DIR
from .data import load_bibliography, load_parameters

#: A citation in a notebook's Markdown: a bibliography id (lower-case letters, digits, underscores) in backticks.
CITATION = re.compile(r"`([a-z][a-z0-9_]*)`")

# A search page is not an identifier: it may return other records tomorrow. These patterns mark addresses that are
# search queries (PubMed ?term=, openFDA ?search=, generic ?q=) rather than the address of one record.
_SEARCH_ADDRESS = re.compile(r"[?&](term|search|q|query)=", re.IGNORECASE)


def identifier_problem(source) -> str:
    """Why ``source`` (a ``helpers.data.Source``) lacks a stable identifier, or ``""`` if it has one.

    A source needs a DOI, a PubMed record (its URL carries the PMID) or a stable URL of the record itself; a search
    address does not count. Teaching assumptions (evidence ``illustrative``) need none.
    """
    if source.evidence == "illustrative" or source.doi:
        return ""
    if not source.url:
        return f"{source.id}: no DOI, PMID or URL"
    if _SEARCH_ADDRESS.search(source.url):
        return f"{source.id}: {source.url} is a search address, not a DOI, PMID or stable URL"
    return ""


def references_markdown(source_ids) -> str:
    """A numbered Markdown list of the sources, in the order given, each with its evidence tag and link."""
    bibliography = load_bibliography()
    unknown = [source_id for source_id in source_ids if source_id not in bibliography]
    if unknown:
        raise ValueError(f"unknown source id(s) {unknown}; known ids are in data/bibliography.yaml")
    lines = []
    for number, source_id in enumerate(dict.fromkeys(source_ids), start=1):
        source = bibliography[source_id]
        link = f" <{source.link}>" if source.link else ""
        lines.append(f"{number}. {source.citation}{link} *[{source.evidence}; id `{source.id}`]*")
    return "\n".join(lines)


def references(source_ids) -> Markdown:
    """Display a reference list of the given ids in a notebook."""
    return Markdown(references_markdown(source_ids))


def cited_ids(notebook) -> tuple:
    """The ids a notebook's Markdown cells cite, in order of first citation; ``notebook`` is a name in ``notebooks/``
    (``"01_fibromyalgia_in_brief"``) or the path of an ``.ipynb`` file."""
    path = Path(notebook) if str(notebook).endswith(".ipynb") else NOTEBOOKS_DIR / f"{notebook}.ipynb"
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    text = "\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown")
    return tuple(dict.fromkeys(CITATION.findall(text)))


def reference_list(notebook) -> Markdown:
    """The notebook's reference list: every source its prose cites, numbered in order of first citation (an id
    missing from ``data/bibliography.yaml`` raises ``ValueError``)."""
    return references(cited_ids(notebook))


def parameter_table_markdown(filename: str) -> str:
    """A Markdown table of a parameter file: value, unit, range, evidence tag and source, plus the note.

    Shown next to an explorable so that learners see which numbers are sourced and which are
    teaching assumptions (``illustrative``).
    """
    lines = ["| parameter | default | range | evidence | source | why |", "|---|---|---|---|---|---|"]
    for spec in load_parameters(filename).values():
        flag = "**illustrative**" if spec.evidence == "illustrative" else spec.evidence
        allowed = "fixed" if spec.min == spec.max else f"{spec.min:g}-{spec.max:g}"
        lines.append(f"| {spec.label} | {spec.value:g} {spec.unit} | {allowed} | {flag} | "
                     f"`{spec.source_id}` | {spec.note} |")
    return "\n".join(lines)


def parameter_table(filename: str) -> Markdown:
    return Markdown(parameter_table_markdown(filename))
