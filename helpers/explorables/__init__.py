"""Explorables: one public function each, wiring controls -> model -> figures.

Notebooks call them with one line, e.g. ``onset_and_duration()``.
"""
from .onset_duration import compare_patients, onset_and_duration
from .setup_check import setup_check

__all__ = ["compare_patients", "onset_and_duration", "setup_check"]
