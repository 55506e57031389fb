"""The bibliography: every source has a stable identifier, and every notebook cites what it lists and lists what it
cites (clinical review, bibliography findings B1-B10 and the reference-list audit)."""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from helpers.data import Source, load_bibliography
from helpers.references import identifier_problem

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
# A citation in a notebook's text is a bibliography id in backticks: lower-case letters, digits and underscores.
CITATION = re.compile(r"`([a-z][a-z0-9_]*)`")


def test_every_source_has_a_doi_pmid_or_stable_url():
    problems = [identifier_problem(source) for source in load_bibliography().values()]
    assert [p for p in problems if p] == []


@pytest.mark.parametrize("url", [
    "https://pubmed.ncbi.nlm.nih.gov/?term=Hamjian+Walker",
    "https://api.fda.gov/drug/label.json?search=openfda.generic_name%3A%22Onabotulinumtoxina%22",
    "https://www.example.org/find?q=botox",
])
def test_a_search_address_is_not_an_identifier(url):
    source = Source("somebody2001", "A citation.", 2001, "trial", url=url)
    assert "is a search address" in identifier_problem(source)
    assert identifier_problem(Source("somebody2001", "A citation.", 2001, "trial", doi="10.1000/xyz", url=url)) == ""


def test_record_addresses_and_assumptions_pass():
    record = Source("park2002", "A citation.", 2002, "experimental", url="https://koreamed.org/SearchBasic.php?RID=2323721")
    pubmed = Source("cui2004", "A citation.", 2004, "experimental", url="https://pubmed.ncbi.nlm.nih.gov/14715398/")
    assumption = Source("course_assumption", "A teaching assumption.", 2026, "illustrative")
    assert [identifier_problem(s) for s in (record, pubmed, assumption)] == ["", "", ""]
    with pytest.raises(ValueError, match="a source needs a doi or a url"):  # the schema refuses it outright
        Source("nobody2001", "A citation.", 2001, "trial")


def citations(path: Path) -> tuple[set, list]:
    """(ids cited in the notebook's Markdown, ids in its ``references([...])`` call, in order)."""
    notebook = nbformat.read(path, as_version=4)
    text = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    listed = []
    for cell in notebook.cells:
        if cell.cell_type == "code" and "references(" in cell.source:
            listed += re.findall(r'"([a-z][a-z0-9_]*)"', cell.source[cell.source.index("references("):])
    return set(CITATION.findall(text)), listed


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_cites_what_it_lists_and_lists_what_it_cites(path):
    cited, listed = citations(path)
    known = set(load_bibliography())
    assert sorted(cited - known) == [], "cited ids missing from data/bibliography.yaml"
    assert sorted(set(listed) - known) == [], "listed ids missing from data/bibliography.yaml"
    assert [source_id for source_id in listed if source_id not in cited] == [], "listed in References but never cited"
    assert sorted(cited - set(listed)) == [], "cited in the text but missing from References"
    assert len(listed) == len(set(listed)), "a source is listed twice"


@pytest.mark.parametrize("text, message", [
    ("Exercise is the only strong-for recommendation (`macfarlane2017`); see `nobody1999`.",
     "missing from data/bibliography.yaml"),
    ("Exercise is the only strong-for recommendation (`macfarlane2017`).", "listed in References but never cited"),
])
def test_citation_audit_catches_unknown_and_uncited_sources(tmp_path, text, message):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(text),
                                               nbformat.v4.new_code_cell('references(["macfarlane2017", "dworkin2008"])')])
    path = tmp_path / "99_example.ipynb"
    nbformat.write(notebook, path)
    assert citations(path)[1] == ["macfarlane2017", "dworkin2008"]
    with pytest.raises(AssertionError, match=message):
        test_notebook_cites_what_it_lists_and_lists_what_it_cites(path)
