"""The static site (tools/site) in Chromium, served by a plain static file server on 127.0.0.1, no kernel.

Every page loads with no request leaving the server and no console error (screenshots in test-artifacts/);
every slider of every explorable is moved by key (End, Home) and one by a mouse drag, every choice and preset
is used, and after each the figures and the readout in the page must equal what the explorable's own
``render`` computes for those values (so the precomputed frame drawn is the model's); moving a second control
puts the first back and says "open in JupyterLab to combine"; every quiz option gives the feedback of its
verdict, and the final assessment's score counts first choices.
"""
from __future__ import annotations

import functools
import json
import re
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import harness
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
VERSION = "0.0.0-site-test"


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from tools import launch
    from tools.site.build import build, course_pages

    out = tmp_path_factory.mktemp("site") / "site"
    stats = build(ROOT, out, VERSION, launch.binder_url(), launch.nbgitpuller_url())
    harness.ARTIFACTS.mkdir(exist_ok=True)
    (harness.ARTIFACTS / "site-build.json").write_text(json.dumps(stats))
    return out, course_pages(ROOT)


@pytest.fixture(scope="module")
def server(site):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site[0])))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def open_page(page, server: str, file: str) -> float:
    started = time.perf_counter()
    page.goto(f"{server}/{file}")
    page.wait_for_function("document.body.dataset.ready === 'true'", timeout=30_000)
    elapsed = time.perf_counter() - started
    assert page.locator(".course-site-widget[data-ready=error]").count() == 0, f"{file}: an explorable did not load"
    return elapsed


def assert_stayed_local(log: harness.PageLog, server: str) -> None:
    outside = [url for url in log.requests if not url.startswith((server + "/", "data:", "blob:"))]
    assert not outside, f"requests left the site: {outside[:5]}"
    assert not log.console_errors and not log.page_errors, log.console_errors + log.page_errors


def test_every_page_loads_offline_with_disclaimer_and_navigation(page, page_log, site, server):
    _, pages = site
    timings = {}
    for number, entry in enumerate(pages):
        timings[entry["file"]] = round(open_page(page, server, entry["file"]), 3)
        assert page.get_by_text("For education only, not clinical guidance.").first.is_visible()
        assert page.locator(".course-nav a").count() == len(pages)
        assert page.locator(".course-nav [aria-current=page]").inner_text() == entry["title"]
        if number + 1 < len(pages):
            assert page.locator(".course-pager a[rel=next]").get_attribute("href") == pages[number + 1]["file"]
        assert page.locator("main .jp-Cell").count() > 0
        page.screenshot(path=str(harness.ARTIFACTS / f"site-{entry['notebook']}.png"), full_page=True)
    page.goto(f"{server}/02_neuromuscular_blockade.html")
    assert page.locator("math").count() > 5, "maths shows as MathML"
    page.goto(f"{server}/index.html")
    page.locator(".course-nav a", has_text="Glossary").click()
    page.wait_for_url(re.compile(r"glossary\.html$"))
    (harness.ARTIFACTS / "site-load-seconds.json").write_text(json.dumps(timings, indent=1))
    assert_stayed_local(page_log, server)


# --- explorables ---------------------------------------------------------------------------------------------------
SNAPSHOT = """(holder) => {
  const out = {};
  for (const el of holder.querySelectorAll('[data-output]')) {
    if (el.classList.contains('course-figure')) {
      const rows = (z) => Array.from(z).map((r) => Array.isArray(r) || ArrayBuffer.isView(r) ? Array.from(r) : r);
      out[el.dataset.output] = {key: el.dataset.key ?? null, traces: (el.data ?? []).map((t) => ({
        y: t.y === undefined ? null : Array.from(t.y), z: t.z === undefined ? null : rows(t.z)}))};
    } else {
      out[el.dataset.output] = {html: el.innerHTML};
    }
  }
  return out;
}"""


def _same(drawn, expected) -> bool:
    if expected is None:
        return drawn is None
    if isinstance(expected, dict) and "dtype" in expected:
        expected = expected["array"]
    a = np.asarray(expected, dtype=object)
    b = np.asarray(drawn if drawn is not None else [], dtype=object)
    if a.shape != b.shape:
        return False
    try:
        return bool(np.allclose(np.asarray(a, float), np.asarray([np.nan if v is None else v for v in b.ravel()],
                                                                 float).reshape(b.shape), equal_nan=True))
    except (TypeError, ValueError):
        return a.tolist() == b.tolist()


def _matches(snapshot: dict, expected: dict) -> list:
    from helpers.widgets.state import state_key  # noqa: F401  (keys are checked against the frames' own)

    problems = []
    for name, state in expected.items():
        shown = snapshot.get(name)
        if shown is None:
            problems.append(f"{name}: not in the page")
        elif isinstance(state, str):
            if shown.get("html") != state:
                problems.append(f"{name}: readout {shown.get('html')[:120]!r} != {state[:120]!r}")
        else:
            traces = state["data"]
            if len(shown["traces"]) != len(traces):
                problems.append(f"{name}: {len(shown['traces'])} traces drawn, {len(traces)} computed")
                continue
            for index, (drawn, trace) in enumerate(zip(shown["traces"], traces, strict=True)):
                for axis in ("y", "z"):
                    if not _same(drawn[axis], trace.get(axis)):
                        problems.append(f"{name} trace {index} {axis} differs")
    return problems


SERIALISED = "(h) => { const t = document.createElement('div'); t.innerHTML = h; return t.innerHTML; }"
# What changes when an explorable's outputs change (a figure's frame key and trace count, a readout's HTML): cheap to
# compute, so the page can poll it often.
SIGNATURE = """(holder) => JSON.stringify([...holder.querySelectorAll('[data-output]')].map((el) =>
  el.classList.contains('course-figure') ? `${el.dataset.key ?? ''}#${(el.data ?? []).length}` : el.innerHTML))"""
CHANGED = "([holder, before]) => (" + SIGNATURE + ")(holder) !== before"


def expect(page, holder, render, values: dict, what: str, timeout_ms: int = 3_000) -> None:
    """Wait (up to 3 s) until every output in the explorable equals ``render(values)``: compare, and while they
    differ wait for the explorable's outputs to change, then compare again."""
    expected = render(values)
    # readouts as the browser serialises them (attribute quotes), then compared exactly
    expected = {name: page.evaluate(SERIALISED, state) if isinstance(state, str) else state
                for name, state in expected.items()}
    handle = holder.element_handle()
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        signature = page.evaluate(SIGNATURE, handle)
        problems = _matches(holder.evaluate(SNAPSHOT), expected)
        remaining_ms = int((deadline - time.monotonic()) * 1000)
        if not problems or remaining_ms <= 0:
            break
        try:
            page.wait_for_function(CHANGED, arg=[handle, signature], timeout=remaining_ms, polling=20)
        except harness.PlaywrightTimeout:
            deadline = time.monotonic()  # unchanged until the deadline: one last comparison, then report
    assert not problems, f"{what}: {problems[:4]}"


def _explorables(page) -> list:
    return page.evaluate("""() => (globalThis.courseSite ?? []).map((x) => ({host: !!x.host,
        index: [...document.querySelectorAll('.course-site-widget')].indexOf(x.holder),
        name: [...x.tree.elements.get(x.data.view.id).classList].find((c) => c.startsWith('course-x-')) ?? null,
        controls: x.host ? Object.fromEntries(Object.entries(x.data.controls).map(([n, c]) => [n, {
          id: c.id, slider: c.slider, options: c.options}])) : null,
        start: x.host ? x.data.states[0].values : null,
        states: x.host ? x.data.states.map((s) => s.values) : null,
        presets: x.host ? Object.entries(x.data.buttons).filter(([, a]) => a.state !== undefined)
          .map(([id, a]) => [id, a.state]) : null,
        views: x.host ? Object.keys(x.data.views) : []}))""")


def _live_render(name: str):
    import helpers.explorables as explorables

    box = getattr(explorables, name.removeprefix("course-x-"))()
    return box.slider_group.render


def _holder(page, index):
    return page.locator(".course-site-widget").nth(index)


def _slider_value(holder, control_id) -> float:
    return float(holder.locator(f"[data-widget={control_id}] input[type=range]").input_value())


SITE_PAGES = ("index.html", "01_fibromyalgia_in_brief.html", "02_neuromuscular_blockade.html",
              "03_onset_and_duration.html", "04_treatment_sequencing.html", "05_risk_tradeoffs.html",
              "05b_deciding_with_the_patient.html")


def _move_visible_sliders(page, holder, render, x: dict, tested: set) -> None:
    """Every visible slider of explorable ``x`` not yet ``tested``: End, Home, then typed back to the patient's
    value (the next control starts from the patient); after each, the outputs equal ``render``."""
    start = x["start"]
    for name, control in x["controls"].items():
        rng = holder.locator(f"[data-widget={control['id']}] input[type=range]")
        if control["slider"] and name not in tested and rng.is_visible():
            tested.add(name)
            for key in ("End", "Home"):
                rng.focus()
                rng.press(key)
                value = _slider_value(holder, control["id"])
                expect(page, holder, render, {**start, name: _cast(start[name], value)},
                       f"{x['name']}: {name} {key} ({value})")
            number = holder.locator(f"[data-widget={control['id']}] input[type=number]")
            number.fill(str(start[name]))
            number.press("Enter")
            expect(page, holder, render, start, f"{x['name']}: {name} typed back to {start[name]}")


@pytest.mark.parametrize("file", SITE_PAGES)
def test_every_control_moves_its_figures_and_readout_to_the_model(page, page_log, site, server, file):
    open_page(page, server, file)
    explorables = [x for x in _explorables(page) if x["host"]]
    assert explorables, f"{file}: no live explorable"
    for x in explorables:
        holder = _holder(page, x["index"])
        render = _live_render(x["name"])
        start = x["start"]
        expect(page, holder, render, start, f"{x['name']} at first")
        tested = set()
        _move_visible_sliders(page, holder, render, x, tested)
        for toggle in x["views"]:
            buttons = holder.locator(f"[data-widget={toggle}] [data-index]")
            for i in range(buttons.count()):
                buttons.nth(i).click()
                _move_visible_sliders(page, holder, render, x, tested)
        untested = [n for n, c in x["controls"].items() if c["slider"] and n not in tested]
        assert not untested, f"{x['name']}: sliders never shown: {untested}"
        for name, control in x["controls"].items():
            if control["slider"]:
                continue
            element = holder.locator(f"[data-widget={control['id']}]")
            options = control["options"]
            last = len(options) - 1
            if element.locator("select").count():
                element.locator("select").select_option(str(last))
            elif element.locator("input[type=checkbox]").count():
                element.locator("input[type=checkbox]").click()
                last = 0 if start[name] else 1
            else:
                element.locator(f"[data-index='{last}']").click()
            expect(page, holder, render, {**start, name: options[last]},
                   f"{x['name']}: {name} = {options[last]!r}")
        for button_id, state in x["presets"]:
            holder.locator(f"[data-widget={button_id}] button").click()
            expect(page, holder, render, x["states"][state], f"{x['name']}: button {button_id} (state {state})")
    page.screenshot(path=str(harness.ARTIFACTS / f"site-moved-{file.removesuffix('.html')}.png"), full_page=True)
    assert_stayed_local(page_log, server)


def _cast(like, value):
    return int(value) if float(value).is_integer() else value


def test_drag_and_one_control_at_a_time(page, page_log, site, server):
    open_page(page, server, "03_onset_and_duration.html")
    x = next(x for x in _explorables(page) if x["name"] == "course-x-onset_and_duration")
    holder, render, start = _holder(page, x["index"]), _live_render(x["name"]), x["start"]
    names = [n for n, c in x["controls"].items() if c["slider"]]
    first, second = names[0], names[1]
    rng = holder.locator(f"[data-widget={x['controls'][first]['id']}] input[type=range]")
    rng.scroll_into_view_if_needed()
    box = rng.bounding_box()
    page.mouse.move(box["x"] + 3, box["y"] + box["height"] / 2)
    page.mouse.down()
    for step in range(1, 21):  # as fast as a hand: no pause between moves
        page.mouse.move(box["x"] + box["width"] * step / 20, box["y"] + box["height"] / 2)
    page.mouse.up()
    dragged = _slider_value(holder, x["controls"][first]["id"])
    assert dragged != start[first]
    expect(page, holder, render, {**start, first: _cast(start[first], dragged)}, f"after dragging {first}")
    other = holder.locator(f"[data-widget={x['controls'][second]['id']}] input[type=range]")
    other.focus()
    other.press("End")
    moved = _slider_value(holder, x["controls"][second]["id"])
    assert _slider_value(holder, x["controls"][first]["id"]) == start[first], "the first slider goes back"
    note = holder.locator(".course-site-note").inner_text()
    assert "Open in JupyterLab to combine" in note, note
    expect(page, holder, render, {**start, second: _cast(start[second], moved)}, "one control at a time")
    assert_stayed_local(page_log, server)


def test_quizzes_answer_with_the_feedback_of_each_option(page, page_log, site, server):
    from helpers.data import load_questions

    verdicts = {}
    for path in (ROOT / "data" / "questions").glob("*.yaml"):
        for question in load_questions(path.name):
            for option in question.options:
                verdicts.setdefault(option.text, set()).add(bool(option.correct))
    checked = 0
    for file in ("01_fibromyalgia_in_brief.html", "05_risk_tradeoffs.html", "06_capstone.html"):
        open_page(page, server, file)
        questions = page.locator(".course-quiz-question")
        assert questions.count() >= 3, file
        for q in range(questions.count()):
            question = questions.nth(q)
            options = question.locator("button")
            for o in range(options.count()):
                options.nth(o).click()
                feedback = question.locator(".course-quiz-feedback").inner_text()
                chosen = re.match(r"You chose [A-H]: (.*)", feedback).group(1).strip()
                rest = feedback.split(chosen, 1)[1]
                verdict = "Correct." in rest
                assert verdict != ("Not quite." in rest), feedback
                assert verdicts.get(chosen) == {verdict}, f"{file} Q{q + 1}: {chosen!r} answered {verdict}"
                assert ("course-site-success" in options.nth(o).get_attribute("class")) == verdict
                checked += 1
        if file == "06_capstone.html":
            score = page.locator(".course-quiz-score").inner_text()
            assert f"answered correctly at the first try ({questions.count()} questions). All answered." in score, score
    assert checked > 40
    page.screenshot(path=str(harness.ARTIFACTS / "site-quiz-06.png"), full_page=True)
    assert_stayed_local(page_log, server)
