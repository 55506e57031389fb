"""The install is reproducible: environment.yml, requirements.txt and constraints.txt agree."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]

PIN = re.compile(r"^\s*([A-Za-z0-9_.\-]+)==([^\s;#]+)")


def pins(lines) -> dict:
    found = {}
    for line in lines:
        match = PIN.match(line)
        if match:
            found[match.group(1).lower().replace("_", "-")] = match.group(2)
    return found


def requirement_pins() -> dict:
    return pins((ROOT / "requirements.txt").read_text().splitlines())


def test_every_requirement_is_pinned_exactly():
    lines = [line for line in (ROOT / "requirements.txt").read_text().splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    assert lines, "requirements.txt is empty"
    unpinned = [line for line in lines if not PIN.match(line)]
    assert not unpinned, f"not pinned with ==: {unpinned}"
    required = {"jupyterlab", "ipywidgets", "plotly", "anywidget", "nbval", "pytest", "numpy"}
    assert required <= set(requirement_pins()), f"missing: {required - set(requirement_pins())}"


def test_constraints_pin_the_same_versions_as_requirements():
    constraints = pins((ROOT / "constraints.txt").read_text().splitlines())
    disagree = {name: (version, constraints.get(name)) for name, version in requirement_pins().items()
                if constraints.get(name) != version}
    assert not disagree, f"requirements.txt vs constraints.txt: {disagree}"


def test_environment_yml_agrees_with_requirements():
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_lists = [item["pip"] for item in environment["dependencies"] if isinstance(item, dict) and "pip" in item]
    assert len(pip_lists) == 1, "environment.yml needs exactly one pip sub-list"
    assert pins(pip_lists[0]) == requirement_pins(), "environment.yml pip list differs from requirements.txt"
    pythons = [item for item in environment["dependencies"] if isinstance(item, str) and item.startswith("python")]
    assert pythons == ["python=3.11"], ("environment.yml should pin the course's minimum Python, "
                                        "the one the lock installs on (3.11)")
