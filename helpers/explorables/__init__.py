"""Explorables: one public function each, wiring controls -> model -> figures.

Notebooks call them with one line, e.g. ``onset_and_duration()``. Modules are imported when a name is
first used, so a notebook loads only its own models and data. ``EXPLORABLES`` names the stand-alone ones
(no arguments) for the benchmarks; :func:`explorable` returns one by that name.
"""
from __future__ import annotations

import importlib

_MODULES = {
    "setup_check": "setup_check",
    "criteria_calculator": "criteria", "compare_presets": "criteria",
    "junction_steps": "junction", "blockade_explorer": "junction",
    "onset_and_duration": "onset_duration", "compare_patients": "onset_duration",
    "treatment_sequencing": "sequencing", "eular_ladder": "sequencing",
    "benefit_harm": "risk", "dose_safety": "risk", "patient_checklist": "risk", "anecdote": "risk",
    "cost": "risk", "shared_decision": "risk",
}

EXPLORABLES = ("00 setup_check", "01 criteria_calculator", "02 junction_steps", "02 blockade_explorer",
               "03 onset_and_duration", "04 treatment_sequencing", "05 benefit_harm", "05 dose_safety",
               "05 patient_checklist", "05b anecdote", "05b cost", "05b shared_decision")


def __getattr__(name: str):
    if name not in _MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_MODULES[name]}", __name__), name)
    globals()[name] = value  # importing setup_check.py set the package attribute to the module: the function wins
    return value


def explorable(label: str):
    """The function of a stand-alone explorable named as in ``EXPLORABLES`` (e.g. ``"03 onset_and_duration"``)."""
    return __getattr__(label.split(" ", 1)[1])


__all__ = ["EXPLORABLES", "explorable", *_MODULES]
