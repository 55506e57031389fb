"""What the page draws, compared with what the model computes, in the test process.

Every course figure in the page carries the key of the control values it was drawn for (``data-key``) and
its output name (``data-output``); every explorable the name of the function that built it
(``course-x-<name>``). The check rebuilds that explorable here, decodes the key into control values, renders
them with the explorable's own ``render`` and compares trace by trace (names, lengths, values at the ends and
the middle of every array) and the readout sentences. A figure that lost a message, doubled its traces or
lacks x data fails; so does a figure that shows other values than its slider.
"""
from __future__ import annotations

import functools
import html
import json
import math
import re
import time
from html.parser import HTMLParser

import harness
import numpy as np
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

import helpers.explorables as explorables
from helpers.widgets import Figure, Readout
from helpers.widgets.state import state_key

FIELDS = ("x", "y", "text", "marker.color", "error_y.array")

# Runs in the page: a summary of every explorable (figures as drawn by plotly.js, readouts, sliders).
SNAPSHOT = """() => {
  const FIELDS = %s;
  const get = (o, path) => path.split('.').reduce((v, k) => (v == null ? undefined : v[k]), o);
  const num = (x) => (typeof x === 'number' && !Number.isFinite(x)) ? null : (x === undefined ? null : x);
  const pick = (v) => {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'object') return {scalar: v};
    const n = v.length;
    return {n, samples: n ? [num(v[0]), num(v[Math.floor(n / 2)]), num(v[n - 1])] : []};
  };
  const trace = (t) => {
    const fields = {};
    for (const f of FIELDS) { const p = pick(get(t, f)); if (p !== undefined) fields[f] = p; }
    return {name: t.name ?? null, type: t.type ?? 'scatter', fields};
  };
  return [...document.querySelectorAll('.course-explorable')].map((box, index) => ({
    index,
    name: ([...box.classList].find(c => c.startsWith('course-x-')) || '').slice('course-x-'.length),
    figures: [...box.querySelectorAll('.course-figure')].map(gd => ({
      output: gd.dataset.output, key: gd.dataset.key ?? null, renders: Number(gd.dataset.renders || 0),
      traces: (gd.data || []).map(trace),
      title: gd.layout?.title?.text ?? null,
      shapes: (gd.layout?.shapes || []).length,
      annotations: (gd.layout?.annotations || []).map(a => a.text ?? null),
    })),
    readouts: [...box.querySelectorAll('.course-readout')].map(r => ({
      output: r.dataset.output, key: r.dataset.key ?? null, text: r.textContent})),
    sliders: [...box.querySelectorAll('.course-slider input[type=range]')].map(r => ({
      control: r.dataset.control, value: Number(r.value), visible: r.offsetParent !== null})),
  }));
}""" % (list(FIELDS),)


SNAPSHOT_TEXT = "() => JSON.stringify((" + SNAPSHOT + ")())"


def snapshot_text(page) -> str:
    return page.evaluate(SNAPSHOT_TEXT)


def snapshot(page) -> list[dict]:
    return json.loads(snapshot_text(page))


@functools.lru_cache(maxsize=None)
def _built(name: str):
    return getattr(explorables, name)()


def controls_of(name: str) -> dict:
    return _built(name).slider_group.controls


def decode_key(name: str, key: str) -> dict:
    """Control values from a state key (``helpers.widgets.state.state_key``: values in sorted-name order)."""
    controls = controls_of(name)
    names = sorted(controls)
    parts = key.split("|") if names else []
    if len(parts) != len(names):
        raise ValueError(f"key {key!r} has {len(parts)} values for {len(names)} controls of {name}")
    values = {}
    for control_name, text in zip(names, parts, strict=True):
        kind = type(controls[control_name].value)
        values[control_name] = (text == "true") if kind is bool else kind(float(text)) if kind in (int, float) else text
    return values


@functools.lru_cache(maxsize=512)
def _expected(name: str, key: str) -> dict:
    return _built(name).slider_group.render(decode_key(name, key))


def _get(obj, path: str):
    for part in path.split("."):
        if not isinstance(obj, dict) or part not in obj:
            return None
        obj = obj[part]
    return obj


def _value(x):
    if isinstance(x, (np.floating, float)):
        return None if not math.isfinite(float(x)) else float(x)
    if isinstance(x, np.integer):
        return int(x)
    if isinstance(x, np.bool_):
        return bool(x)
    return x


def _pick(value):
    if value is None:
        return None
    if isinstance(value, (str, int, float, bool, np.generic)):
        return {"scalar": _value(value)}
    values = list(value)
    n = len(values)
    return {"n": n, "samples": [_value(values[0]), _value(values[n // 2]), _value(values[-1])] if n else []}


def trace_summary(trace: dict) -> dict:
    fields = {field: _pick(_get(trace, field)) for field in FIELDS}
    return {"name": trace.get("name"), "type": trace.get("type", "scatter"),
            "fields": {field: picked for field, picked in fields.items() if picked is not None}}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)

    def handle_starttag(self, tag, attrs):
        self.parts.append(" ")


def text_of(markup: str) -> str:
    parser = _Text()
    parser.feed(markup)
    return normalise("".join(parser.parts))


def normalise(text: str) -> str:
    """Text without its white space: the page's innerText and an HTML parser place line breaks and spaces
    between elements differently; the words and numbers must agree."""
    return re.sub(r"\s+", "", html.unescape(text or ""))


def _same(drawn, expected, where: str, problems: list, names: tuple = ("drawn", "model")) -> None:
    if isinstance(expected, dict):
        if not isinstance(drawn, dict) or set(drawn) != set(expected):
            problems.append(f"{where}: {names[0]} {drawn!r}, {names[1]} {expected!r}")
            return
        for key in expected:
            _same(drawn[key], expected[key], f"{where}.{key}", problems, names)
    elif isinstance(expected, list):
        if not isinstance(drawn, list) or len(drawn) != len(expected):
            problems.append(f"{where}: {names[0]} {drawn!r}, {names[1]} {expected!r}")
            return
        for index, (a, b) in enumerate(zip(drawn, expected, strict=True)):
            _same(a, b, f"{where}[{index}]", problems, names)
    elif isinstance(expected, float) or isinstance(drawn, float):
        differs = drawn is None or expected is None or isinstance(drawn, str) or isinstance(expected, str) \
            or not math.isclose(float(drawn), float(expected), rel_tol=1e-6, abs_tol=1e-9)
        if differs and not (drawn is None and expected is None):
            problems.append(f"{where}: {names[0]} {drawn!r}, {names[1]} {expected!r}")
    elif drawn != expected:
        problems.append(f"{where}: {names[0]} {drawn!r}, {names[1]} {expected!r}")


def _problems_at(name: str, box: dict, key: str) -> list[str]:
    """Every difference between what one explorable's page shows and its model's render at ``key``."""
    rendered, problems = _expected(name, key), []
    for figure in box["figures"]:
        where = f"{name}/{figure['output']}"
        expected = rendered[figure["output"]]
        _same(figure["traces"], [trace_summary(trace) for trace in expected["data"]], f"{where} traces", problems)
        layout = expected["layout"]
        title = _get(layout, "title.text") if isinstance(layout.get("title"), dict) else layout.get("title")
        _same(figure["title"], title, f"{where} title", problems)
        _same(figure["shapes"], len(layout.get("shapes") or []), f"{where} shapes", problems)
        _same(figure["annotations"], [a.get("text") for a in layout.get("annotations") or []],
              f"{where} annotations", problems)
    for readout in box["readouts"]:
        expected_text = text_of(rendered[readout["output"]])
        if normalise(readout["text"]) != expected_text:
            problems.append(f"{name}/{readout['output']}: reads {normalise(readout['text'])[:160]!r}, "
                            f"the model says {expected_text[:160]!r}")
    values = decode_key(name, key)
    for slider in box["sliders"]:
        if slider["control"] in values and not math.isclose(slider["value"], values[slider["control"]],
                                                             rel_tol=1e-9, abs_tol=1e-9):
            problems.append(f"{name}: slider {slider['control']} stands at {slider['value']} but the figures "
                            f"show {values[slider['control']]}")
    return problems


def explorable_problems(box: dict) -> list[str]:
    """Every difference between what one explorable's page shows and what its model computes.

    Each output carries the key of the control values it was last set for; an output that a change left as it
    was keeps its older key. The page equals the model when, at one of those keys, every figure, every readout
    and every slider equals the model's render for those control values (the newest key, once the page has
    caught up). When a slider moved without changing any output (the dose-safety prescription while no
    product is mixed up), every output keeps its older key; then the key with the sliders' page values put in
    must fit: the model's render at the values the sliders stand at equals what the page shows."""
    name = box["name"]
    if not name:
        return [f"explorable {box['index']} carries no course-x-<name> class"]
    keys = {figure["key"] for figure in box["figures"]} | {readout["key"] for readout in box["readouts"]}
    if None in keys:
        return [f"{name}: a figure or readout has not drawn yet"]
    keys = sorted(keys) + sorted({_with_page_sliders(name, box, key) for key in keys} - keys)
    fewest = None
    for key in keys:
        problems = _problems_at(name, box, key)
        if not problems:
            return []
        if fewest is None or len(problems) < len(fewest):
            fewest = problems
    return fewest or []


def _with_page_sliders(name: str, box: dict, key: str) -> str:
    """``key`` with each slider's value replaced by the value the slider stands at in the page."""
    values = decode_key(name, key)
    for slider in box["sliders"]:
        if slider["control"] in values:
            values[slider["control"]] = type(values[slider["control"]])(slider["value"])
    return state_key(values)


def shown(page) -> list[dict]:
    """What each explorable shows: its sliders' values, its figures as drawn (traces, title, shapes, annotations)
    and its readouts' sentences; not the outputs' keys (an output that a change left as it was keeps an older
    key, so two pages drawing the same can carry different keys)."""
    drawn = ("output", "traces", "title", "shapes", "annotations")
    return [{"name": box["name"], "sliders": box["sliders"],
             "figures": [{part: figure[part] for part in drawn} for figure in box["figures"]],
             "readouts": [normalise(readout["text"]) for readout in box["readouts"]]} for box in snapshot(page)]


def differences(now, before, where: str) -> list[str]:
    """Every difference between two summaries of a page (:func:`shown`; floats equal to a relative 1e-6), each
    named by where it is."""
    problems: list[str] = []
    _same(now, before, where, problems, ("now", "before"))
    return problems


def page_problems(page) -> list[str]:
    return [problem for box in snapshot(page) for problem in explorable_problems(box)]


# Runs in the page: true once what the snapshot shows differs from ``before`` (a figure redrew, a readout or a
# slider changed), polled every 50 ms.
CHANGED = "(before) => JSON.stringify((" + SNAPSHOT + ")()) !== before"


def wait_until_page_equals_model(page, timeout_ms: int = 30_000) -> list[str]:
    """Wait until every explorable in the page equals the model (the kernel may still be answering a move):
    compare, and while they differ wait for the page to change, then compare again. Returns the differences
    left when ``timeout_ms`` runs out without the page changing into the model (empty when equal)."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        text = snapshot_text(page)
        problems = [problem for box in json.loads(text) for problem in explorable_problems(box)]
        remaining_ms = int((deadline - time.monotonic()) * 1000)
        if not problems or remaining_ms <= 0:
            return problems
        try:
            page.wait_for_function(CHANGED, arg=text, timeout=remaining_ms, polling=50)
        except PlaywrightTimeout:
            return page_problems(page)


def fail_with_screenshot(page, name: str, what: str, problems: list) -> None:
    """Fail with the differences, the keys every output of a differing explorable carries (which control values
    each was last drawn for) and a screenshot."""
    shot = harness.ARTIFACTS / f"failed-{name.removesuffix('.ipynb')}.png"
    page.screenshot(path=str(shot))
    named = {problem.split("/", 1)[0].split(":", 1)[0] for problem in problems}
    keys = {box["name"]: {output["output"]: output["key"] for output in box["figures"] + box["readouts"]}
            for box in snapshot(page) if box["name"] in named}
    pytest.fail(f"{name}: {what}: the page does not show the model ({len(problems)} differences, first: "
                f"{problems[:4]}; the outputs' keys: {keys}; screenshot {shot.name}; trace in "
                "test-artifacts/traces/)", pytrace=False)


__all__ = ["snapshot", "shown", "differences", "page_problems", "wait_until_page_equals_model", "explorable_problems",
           "fail_with_screenshot", "Figure", "Readout"]
