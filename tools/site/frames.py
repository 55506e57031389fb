"""What the static site needs of one explorable, taken from the widgets the notebook itself builds.

The site has no kernel, so the build plays the kernel's part ahead of time. For the default patient and each
preset (found by pressing the explorable's own buttons), it moves one control at a time over its whole range:
each course slider through ``Live.send_frames`` (the very frames the kernel sends while a slider is dragged,
subsampled like them for a very fine slider), each other control (choice, toggle, checkbox) through every option
with the explorable's own ``render``. Buttons that step from the current state (Back / Next) are pressed from
every precomputed state. Buttons and options outside ``Live`` only show and hide parts (FigureViews, a step
chooser): for each option the build records what is shown. A quiz (no ``Live``) records, for every option
button, the state of its question after the click; the running score's sentences come from ``helpers.quiz.Score``.

Everything goes through :class:`tools.site.pack.Pack`, so the site stores each shared part once.
"""
from __future__ import annotations

import hashlib
from typing import Any

import anywidget
import ipywidgets as widgets

from helpers.controls import Live
from helpers.quiz import Score
from helpers.widgets import Figure, Slider
from helpers.widgets.state import same_state, state_key

from .pack import Pack

SKIP_STATE = {"_esm", "_css", "_anywidget_id", "layout", "tabbable", "tooltip", "_dom_classes", "library",
              "_model_module", "_model_module_version", "_model_name", "_view_count", "_view_module",
              "_view_module_version", "_view_name", "comm", "keys", "log"}


def children(widget) -> tuple:
    return tuple(getattr(widget, "children", ()) or ())


def _visible(widget) -> bool:
    layout = getattr(widget, "layout", None)
    return getattr(layout, "display", None) != "none"


class Capture:
    """One explorable (or quiz) as site data: ``view`` (the widget tree) and ``data`` (packed)."""

    def __init__(self, box: widgets.Widget, esm_files: dict[str, str], css: dict[str, str]):
        self.box, self.pack, self.esm_files, self.css = box, Pack(), esm_files, css
        self.ids: dict[int, str] = {}
        self.widgets: dict[str, Any] = {}
        self.live: Live | None = getattr(box, "slider_group", None)
        self.view_toggles = self._view_toggles()
        self.structure: dict[str, list] = {}  # box id -> children ids, union over every view option
        self._walk_all()
        self.view = self._view(box)

    # --- the widget tree -------------------------------------------------------------------------------------
    def wid(self, widget) -> str:
        if id(widget) not in self.ids:
            self.ids[id(widget)] = f"w{len(self.ids)}"
            self.widgets[self.ids[id(widget)]] = widget
        return self.ids[id(widget)]

    def _walk(self, widget, seen: set | None = None) -> set:
        """Ids of the widgets shown now; records every box's children in the union structure."""
        seen = set() if seen is None else seen
        key = self.wid(widget)
        if not _visible(widget):
            return seen
        seen.add(key)
        kids = [self.wid(child) for child in children(widget)]
        known = self.structure.setdefault(key, [])
        for kid in kids:
            if kid not in known:
                known.append(kid)
        for child in children(widget):
            self._walk(child, seen)
        return seen

    def _all(self, widget) -> list:
        out = [widget]
        for child in children(widget):
            out.extend(self._all(child))
        return out

    def _view_toggles(self) -> list:
        controls = set(map(id, self.live.controls.values())) if self.live else set()
        return [w for w in self._all(self.box)
                if isinstance(w, (widgets.ToggleButtons, widgets.Dropdown)) and id(w) not in controls]

    def _walk_all(self) -> None:
        self.visible: dict[str, list] = {}
        self._walk(self.box)
        for toggle in self.view_toggles:
            start = toggle.index
            shown = []
            for index in range(len(toggle.options)):
                toggle.index = index
                shown.append(sorted(self._walk(self.box)))
            toggle.index = start
            self.visible[self.wid(toggle)] = shown
        self._walk(self.box)

    def _view(self, widget) -> dict:
        key = self.wid(widget)
        node = {"id": key, "type": type(widget).__name__, "classes": list(getattr(widget, "_dom_classes", ())),
                "hidden": not _visible(widget)}
        if isinstance(widget, widgets.Box):
            flow = getattr(widget.layout, "flex_flow", None) or ""
            node.update(row=isinstance(widget, widgets.HBox) or flow.startswith("row"), wrap="wrap" in flow,
                        children=[self._view(self.widgets[kid]) for kid in self.structure.get(key, [])])
        elif isinstance(widget, anywidget.AnyWidget):
            node["type"] = "anywidget"
            esm = widget._esm
            name = hashlib.sha1(esm.encode()).hexdigest()[:12] + ".js"
            self.esm_files[name] = esm
            css = getattr(widget, "_css", "") or ""
            if css:
                self.css[hashlib.sha1(css.encode()).hexdigest()[:12]] = css
            node["esm"] = name
            state = {k: v for k, v in widget.get_state().items() if k not in SKIP_STATE}
            node["model"] = self.pack._encode(state)
        elif isinstance(widget, (widgets.ToggleButtons, widgets.Dropdown)):
            node.update(description=widget.description, labels=list(widget._options_labels), index=widget.index)
        elif isinstance(widget, widgets.Checkbox):
            node.update(description=widget.description, value=bool(widget.value))
        elif isinstance(widget, widgets.Button):
            node.update(description=widget.description, tooltip=widget.tooltip or "", style=widget.button_style,
                        icon=widget.icon)
        elif isinstance(widget, (widgets.HTML, widgets.HTMLMath, widgets.Label)):
            node.update(value=widget.value)
        else:
            raise TypeError(f"the site cannot show a {type(widget).__name__} widget")
        return node

    # --- the kernel's part, played ahead -----------------------------------------------------------------------
    def data(self) -> dict:
        root = {"view": self.view, "views": self.visible}
        root.update(self._live() if self.live is not None else self._quiz())
        return self.pack.document(root)

    def _buttons(self) -> list:
        return [w for w in self._all(self.box) if isinstance(w, widgets.Button)]

    def _outputs_now(self) -> dict:
        return {name: dict(out.figure) if isinstance(out, Figure) else out.value
                for name, out in self.live.outputs.items()}

    def _toggle_indexes(self) -> dict:
        return {self.wid(t): t.index for t in self.view_toggles}

    def _live(self) -> dict:
        live = self.live
        names = list(live.controls)
        start = live.values()
        toggles_start = self._toggle_indexes()
        # presets: the states the explorable's own buttons lead to, pressed from the start
        states, buttons, relative = [(start, self._outputs_now())], {}, []
        for button in self._buttons():
            # a preset or Reset leads to the same state when pressed again; Back / Next step on from where they are
            button.click()
            values, outputs = live.values(), self._outputs_now()
            button.click()
            again = live.values()
            self._elsewhere(start)
            button.click()
            once = live.values()
            button.click()
            if again != values or live.values() != once:
                relative.append(button)
            else:
                index = next((i for i, (v, _) in enumerate(states) if v == values), None)
                if index is None:
                    index = len(states)
                    states.append((values, outputs))
                buttons[self.wid(button)] = {"state": index, "views": self._toggle_indexes()}
            self._restore(start, toggles_start)
        packed_states = []
        for values, outputs in states:
            live.set_values(values)
            packed_states.append({"values": values, "outputs": self.pack.add(outputs),
                                  "moves": {name: self._moves(name, values, outputs) for name in names}})
        for button in relative:
            buttons[self.wid(button)] = {"steps": self._steps(button, states, packed_states)}
        self._restore(start, toggles_start)
        controls = {name: {"id": self.wid(c), "slider": isinstance(c, Slider),
                           "options": None if isinstance(c, Slider) else self._options(c)}
                    for name, c in live.controls.items()}
        return {"kind": "live", "controls": controls, "outputs": {n: self.wid(o) for n, o in live.outputs.items()},
                "states": packed_states, "buttons": buttons}

    def _restore(self, values: dict, toggles: dict) -> None:
        self.live.set_values(values)
        for key, index in toggles.items():
            self.widgets[key].index = index

    def _elsewhere(self, start: dict):
        """Moves the first control off its start value (to see whether a button's result depends on the state)."""
        for name, control in self.live.controls.items():
            choices = control.positions().tolist() if isinstance(control, Slider) else self._options(control)
            for value in choices:
                if value != start[name]:
                    self.live.set_values({name: value})
                    return name
        return None

    @staticmethod
    def _options(control) -> list:
        if isinstance(control, widgets.Checkbox):
            return [False, True]
        return list(control._options_values)

    def _moves(self, name: str, values: dict, outputs: dict) -> dict:
        control = self.live.controls[name]
        if isinstance(control, Slider):
            self.live.send_frames(name)
            frames = {out_name: out.frames[control.channel] for out_name, out in self.live.outputs.items()
                      if control.channel in out.frames}
            positions = next(iter(frames.values()))["values"] if frames else control.positions().astype(float)
            return self.pack.add({"values": positions, "outputs": {n: f["states"] for n, f in frames.items()}})
        options = self._options(control)
        rendered = {}
        for option in options:
            setting = {**values, name: option}
            shown = self.live.render(setting)
            for out_name, state in shown.items():
                if isinstance(self.live.outputs[out_name], Figure):
                    state = {**state, "key": state_key(setting)}
                rendered.setdefault(out_name, []).append(state)
        changed = {n: s for n, s in rendered.items()
                   if not all(same_state(_bare(s[0]), _bare(x)) for x in s[1:])}
        return self.pack.add({"values": options, "outputs": changed})

    def _steps(self, button, states, packed_states) -> dict:
        """For a button that steps from the current state: {"state|control|value index": [state, control, index]}."""
        live, steps = self.live, {}
        for s, (values, _) in enumerate(states):
            for name, control in live.controls.items():
                choices = (control.positions().tolist() if isinstance(control, Slider) else self._options(control))
                for i, value in enumerate(choices):
                    live.set_values(values)
                    live.set_values({name: value})
                    button.click()
                    target = self._locate(live.values(), states, packed_states)
                    if target is not None:
                        steps[f"{s}|{name}|{i}"] = target
        return steps

    def _locate(self, values: dict, states, packed_states):
        for s, (start, _) in enumerate(states):
            moved = [n for n in values if values[n] != start[n]]
            if not moved:
                return [s, None, None]
            if len(moved) == 1:
                control = self.live.controls[moved[0]]
                choices = control.positions().tolist() if isinstance(control, Slider) else self._options(control)
                if values[moved[0]] in choices:
                    return [s, moved[0], choices.index(values[moved[0]])]
        return None

    def _quiz(self) -> dict:
        """Option buttons: the state of their question after a click; the score's sentences by (answered, correct)."""
        patches, score = {}, None
        for widget in self._all(self.box):
            if isinstance(widget, anywidget.AnyWidget) and "course-quiz-score" in getattr(widget, "value", ""):
                score = self.wid(widget)
        for parent in self._all(self.box):
            for button in [c for c in children(parent) if isinstance(c, widgets.Button)]:
                button.click()
                group = {}
                for w in self._all(parent):
                    if isinstance(w, widgets.Button):
                        group[self.wid(w)] = {"style": w.button_style}
                    elif isinstance(w, anywidget.AnyWidget) and self.wid(w) != score:
                        group[self.wid(w)] = {"value": w.value}
                patches[self.wid(button)] = {"group": self.wid(parent), "widgets": group,
                                             "correct": button.button_style == "success"}
        texts = None
        if score is not None:
            total = sum(1 for w in self._all(self.box) if "course-quiz-question" in getattr(w, "_dom_classes", ()))
            tally, texts = Score(total), []
            for answered in range(total + 1):
                row = []
                for correct in range(answered + 1):
                    tally.answered, tally.correct = answered, correct
                    row.append(tally.text())
                texts.append(row)
        return {"kind": "quiz", "buttons": patches, "score": score, "score_texts": texts}


def _bare(state):
    return {k: v for k, v in state.items() if k != "key"} if isinstance(state, dict) else state
