"""Explorables: one public function each, wiring controls -> model -> figures.

Notebooks call them with one line, e.g. ``onset_and_duration()``. ``EXPLORABLES`` lists the
stand-alone ones (no arguments) for the benchmarks.
"""
from .criteria import criteria_calculator
from .junction import blockade_explorer, junction_steps
from .onset_duration import compare_patients, onset_and_duration
from .risk import anecdote, benefit_harm, cost, dose_safety, patient_checklist, shared_decision
from .sequencing import eular_ladder, treatment_sequencing
from .setup_check import setup_check

EXPLORABLES = {
    "00 setup_check": setup_check,
    "01 criteria_calculator": criteria_calculator,
    "02 junction_steps": junction_steps,
    "02 blockade_explorer": blockade_explorer,
    "03 onset_and_duration": onset_and_duration,
    "04 treatment_sequencing": treatment_sequencing,
    "05 benefit_harm": benefit_harm,
    "05 dose_safety": dose_safety,
    "05 patient_checklist": patient_checklist,
    "05 anecdote": anecdote,
    "05 cost": cost,
    "05 shared_decision": shared_decision,
}

__all__ = ["EXPLORABLES", "compare_patients", *(f.__name__ for f in EXPLORABLES.values()), "eular_ladder"]
