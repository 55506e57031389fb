"""The bibliography: every source has a stable identifier, and every notebook cites what it lists and lists what it
cites (clinical review, bibliography findings B1-B10 and the reference-list audit)."""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from helpers.data import Source, load_bibliography
from helpers.references import cited_ids, identifier_problem, reference_list

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]*_*.ipynb"))  # 05b too
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


def citations(path: Path) -> tuple[list, list, list]:
    """(ids cited in the notebook's Markdown in order of first citation, the names its code passes to
    ``reference_list``, the ids its saved reference list shows in order). Read here independently of
    ``helpers.references`` so that the check does not rest on the code it checks."""
    notebook = nbformat.read(path, as_version=4)
    text = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert not any("references([" in cell.source for cell in code), "a hand-typed reference list"
    calls = [name for cell in code for name in re.findall(r'reference_list\("([^"]+)"\)', cell.source)]
    shown = [re.findall(r"id `([a-z][a-z0-9_]*)`", output.get("data", {}).get("text/markdown", ""))
             for cell in code if "reference_list(" in cell.source for output in cell.get("outputs", [])]
    return list(dict.fromkeys(CITATION.findall(text))), calls, [source_id for ids in shown for source_id in ids]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_lists_exactly_what_it_cites(path):
    """The reference list is generated from the prose: every cited id exists and appears in it, once, in order of
    first citation, and the saved list (what nbval compares) shows nothing else."""
    cited, calls, shown = citations(path)
    known = set(load_bibliography())
    assert sorted(set(cited) - known) == [], "cited ids missing from data/bibliography.yaml"
    assert calls == ([path.stem] if cited else []), \
        "a notebook that cites has one reference_list cell, called with its own name"
    assert cited_ids(path) == tuple(cited), "the generated list does not follow the citations"
    assert shown == cited, "the saved reference list differs from the citations"


def test_citation_audit_catches_unknown_ids_and_hand_lists(tmp_path):
    def notebook(text, code):
        path = tmp_path / "99_example.ipynb"
        nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(text),
                                                       nbformat.v4.new_code_cell(code)]), path)
        return path

    path = notebook("Exercise first (`macfarlane2017`); see `nobody1999` and `macfarlane2017`.", "")
    assert cited_ids(path) == ("macfarlane2017", "nobody1999")
    with pytest.raises(ValueError, match="unknown source id"):
        reference_list(path)
    with pytest.raises(AssertionError, match="missing from data/bibliography.yaml"):
        test_notebook_lists_exactly_what_it_cites(path)
    listed = notebook("Exercise first (`macfarlane2017`).", 'references(["macfarlane2017", "dworkin2008"])')
    with pytest.raises(AssertionError, match="hand-typed reference list"):
        test_notebook_lists_exactly_what_it_cites(listed)
    markdown = reference_list(notebook("Exercise first (`macfarlane2017`), then `dworkin2008`.", "")).data
    assert re.findall(r"id `(\w+)`", markdown) == ["macfarlane2017", "dworkin2008"]
    stale = notebook("Exercise first (`macfarlane2017`), then `dworkin2008`.", 'reference_list("99_example")')
    cell = nbformat.read(stale, as_version=4)
    saved = {"text/markdown": "1. A citation *[guideline; id `macfarlane2017`]*"}
    cell.cells[1].outputs = [nbformat.v4.new_output("display_data", saved)]
    nbformat.write(cell, stale)
    with pytest.raises(AssertionError, match="saved reference list differs"):
        test_notebook_lists_exactly_what_it_cites(stale)
