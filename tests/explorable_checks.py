"""Checks shared by the explorable tests: a slider swept over every position it can take."""
from __future__ import annotations

from typing import Callable

import numpy as np


def positions(control, at_least: int = 5) -> np.ndarray:
    """Every value slider ``control`` can take, both ends included."""
    values = np.arange(control.min, control.max + control.step / 2, control.step)
    assert len(values) >= at_least, f"a slider of {len(values)} positions tests too little"
    return values


def sweep(box, name: str, check: Callable[[], object], at_least: int = 5, every: int = 1,
          cast: Callable = lambda value: value) -> None:
    """Move slider ``name`` of ``box`` to every ``every``-th position; ``check()`` after each move. The readout must
    change at least once (a slider that changes nothing would pass every check)."""
    control = box.controls[name]
    seen = set()
    for value in positions(control, at_least)[::every]:
        control.value = cast(value)
        check()
        seen.add(box.readout.value)
    assert len(seen) > 1, f"the readout never changed while sweeping {name}"
