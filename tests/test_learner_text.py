"""What learners read: no developer words, a "for education only" line, a Next link, a model answer under every
Think prompt, no answers inside Try-this steps, glossary links that land on a term, and Rosa always called
fictional (learner review 3.2, 3.3, 3.5, 3.6; issue 12 items 2, 4, 5, 6)."""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
NUMBERED = [p for p in NOTEBOOKS if re.match(r"\d\d[a-z]?_", p.name)]  # 05b continues 05

# Words that belong to the people who build the course, not to the people who take it.
DEVELOPER_WORDS = re.compile(
    r"\bnbval\b|\bscipy\b|\bpytest\b|\bnumpy\b|differential_evolution|tools/|\b\w+\.py\b|helpers\.\w|"
    r"verification_notes|V-sec|\bclaims? [AK]\d+\b|\(\s*[AK]\d{1,2}\s*\)|\bfixture\b|\bstub\b|\bTODO\b",
    re.IGNORECASE)


def learner_texts(path: Path):
    """(cell number, text) for every Markdown cell and every output a learner can see."""
    notebook = nbformat.read(path, as_version=4)
    for number, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown":
            yield number, cell.source
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            for kind in ("text/plain", "text/markdown", "text/html"):
                if kind in data:
                    yield number, data[kind] if isinstance(data[kind], str) else "".join(data[kind])
            if "text" in output:
                yield number, output["text"]


def markdown(path: Path) -> list:
    return [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_developer_words_in_learner_text(path):
    found = [f"cell {n}: {m.group(0)!r}" for n, text in learner_texts(path) for m in DEVELOPER_WORDS.finditer(text)]
    assert found == []


def test_the_developer_word_check_can_fail(tmp_path):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("Fitted by tools/fit_junction.py with scipy; see claim A11."),
                      nbformat.v4.new_code_cell("x", outputs=[nbformat.v4.new_output(
                          "display_data", data={"text/plain": "reproducible output for nbval"})])]
    path = tmp_path / "bad.ipynb"
    nbformat.write(notebook, path)
    words = {m.group(0).lower() for _, text in learner_texts(path) for m in DEVELOPER_WORDS.finditer(text)}
    assert {"tools/", "fit_junction.py", "scipy", "claim a11", "nbval"} <= words


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_notebook_says_for_education_only(path):
    assert any("For education only, not clinical guidance." in text for text in markdown(path))


@pytest.mark.parametrize("path", NUMBERED, ids=lambda p: p.name)
def test_every_notebook_ends_with_a_next_link(path):
    last = markdown(path)[-1]
    link = re.search(r"\*\*Next:\*\* \[[^\]]+\]\(([^)#]+)\)", last)
    assert link, "the last cell must be a 'Next' link"
    assert (path.parent / link.group(1)).is_file()


@pytest.mark.parametrize("path", NUMBERED, ids=lambda p: p.name)
def test_every_think_prompt_has_a_model_answer(path):
    for text in markdown(path):
        for part in text.split("### Think")[1:]:
            assert "<summary><b>Model answer" in part, f"Think prompt without a model answer: {part[:80]!r}"


@pytest.mark.parametrize("path", NUMBERED, ids=lambda p: p.name)
def test_try_this_steps_hold_no_answers(path):
    for text in markdown(path):
        if "### Try this" not in text:
            continue
        steps = text.split("### Try this", 1)[1].split("<details>", 1)[0].split("### Think", 1)[0]
        for line in steps.splitlines():
            assert not re.search(r"\((No|Yes|Far fewer|The vesicles)\b[^)]*\)", line), f"answer in a step: {line!r}"


def test_collapsible_sections_are_closed_and_separated_from_markdown():
    """<details> blocks render in JupyterLab and in Voila when the Markdown inside is set off by blank lines."""
    for path in NOTEBOOKS:
        for text in markdown(path):
            assert text.count("<details>") == text.count("</details>"), path.name
            assert not re.search(r"[^\n]<details>|[^\n]\n<details>", text), \
                f"{path.name}: <details> needs a blank line before it"
            for block in re.findall(r"<details>.*?</details>", text, flags=re.S):
                assert re.match(r"<details>\n<summary>.*?</summary>\n\n", block, flags=re.S), path.name
                assert block.endswith("\n\n</details>"), path.name


def _glossary_anchors() -> set:
    headings = [line[4:].strip() for text in markdown(ROOT / "notebooks" / "glossary.ipynb")
                for line in text.splitlines() if line.startswith("### ")]
    return {heading.replace(" ", "-") for heading in headings}


def test_glossary_links_land_on_a_term():
    anchors = _glossary_anchors()
    links = [(path.name, anchor) for path in NOTEBOOKS for text in markdown(path)
             for anchor in re.findall(r"\(glossary\.ipynb#([^)]+)\)", text)]
    assert len(links) >= 10
    assert [link for link in links if link[1] not in anchors] == []


@pytest.mark.parametrize("term", ["Off-label", "EULAR", "GRADE", "SMD", "Myofascial pain", "Trigger point",
                                  "Regression to the mean", "HCPCS", "Evidence tags", "Nadir", "Seed"])
def test_glossary_defines_the_terms_the_learner_review_found_undefined(term):
    assert term.replace(" ", "-") in _glossary_anchors()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_rosa_is_called_fictional_where_she_first_appears(path):
    about_rosa = [text for text in markdown(path) if "Rosa" in text]
    if about_rosa:
        assert "fictional" in about_rosa[0], f"{path.name}: the first cell about Rosa must say she is fictional"


@pytest.mark.parametrize("name", ["01", "02", "03", "04", "05", "05b"])
def test_rosa_has_a_case_box_in_every_content_notebook(name):
    path = next(p for p in NUMBERED if p.name.startswith(f"{name}_"))
    assert any(text.startswith("> **Rosa's story, part") for text in markdown(path))
