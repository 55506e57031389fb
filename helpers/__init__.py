"""Helpers for the botulinum toxin A and fibromyalgia course.

Layers (dependencies point one way, top to bottom):

* ``explorables`` wire controls to models to figures, one function per explorable;
* ``controls`` (labelled sliders, presets, reset, readouts) and ``quiz`` (self-checks);
* ``figures`` build plotly figures from model results;
* ``models`` are pure numpy, validated, with no widgets, plotting or printing;
* ``data`` loads and validates ``data/``; ``validation`` holds the shared input checks.
"""
__all__ = ["data", "validation"]
