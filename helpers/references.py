"""Reference lists for notebooks, built from ``data/bibliography.yaml``."""
from __future__ import annotations

from IPython.display import Markdown

from .data import load_bibliography, load_parameters


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
    """Display the reference list in a notebook."""
    return Markdown(references_markdown(source_ids))


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
