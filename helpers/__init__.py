"""Helpers for the botulinum toxin A and fibromyalgia course.

Layers (dependencies point one way, top to bottom):

* ``explorables`` wire controls to models to figures, one function per explorable;
* ``controls`` (labelled sliders, presets, reset, readouts, the ``Live`` wiring) and ``quiz`` (self-checks);
* ``widgets``: the course's own figure, readout and slider (anywidget; the figure's state is the whole figure);
* ``figures`` build plotly figure states from model results;
* ``models`` are pure numpy, validated, with no widgets, plotting or printing;
* ``data`` loads ``data/`` and validates it against the record schemas declared in ``schemas``;
  ``validation`` holds the models' shared input checks.
"""
__all__ = ["data", "validation"]
