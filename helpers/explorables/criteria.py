"""Notebook 01: the ACR 2016 fibromyalgia criteria calculator, with the 2010 result beside it."""
from __future__ import annotations

import functools
import html

import ipywidgets as widgets

from .. import controls
from ..figures import criteria as criteria_figures
from ..models import criteria
from ..theme import COLOURS, GREYS

SYMPTOM_SLIDERS = ("fatigue", "waking_unrefreshed", "cognitive_symptoms")
SYMPTOM_COUNT_ITEMS = ("headaches", "lower_abdominal_pain", "depression")
DURATION = "duration_months"
SLIDERS = SYMPTOM_SLIDERS + SYMPTOM_COUNT_ITEMS + (DURATION,)

# Column headers of the body layout, facing the patient (patient's right on the viewer's left).
COLUMN_TITLES = {"right": "Patient's right side", "axial": "Axial (midline)", "left": "Patient's left side"}
COLUMN_ORDER = ("right", "axial", "left")
NOT_COUNTED_MARK = " \u2020"   # dagger: jaw, chest, abdomen (WPI only)
MAP_WIDTH, MAP_HEIGHT = 560, 520


def _symptoms_from(values: dict) -> criteria.Symptoms:
    return criteria.make_symptoms(**{name: values[name] for name in SLIDERS})


def _verdict_badge(year: int, met: bool) -> str:
    colour = COLOURS["bluish_green"] if met else COLOURS["vermillion"]   # always paired with words
    word = "criteria met" if met else "criteria not met"
    # the border carries the colour; the words are dark (the palette's green and vermillion on white are 3.4:1
    # and 3.9:1, below the 4.5:1 that text needs)
    return (f"<span style='display:inline-block;border:2px solid {colour};border-radius:4px;padding:2px 8px;"
            f"margin-right:8px;font-weight:bold;color:{GREYS['text']}'>{year}: {word}</span>")


def readout_html(result: criteria.Assessment) -> str:
    """The live readout: two verdict badges, then the three sentences of :func:`criteria.describe_lines`."""
    head, line_2016, line_2010 = criteria.describe_lines(result)
    badges = _verdict_badge(2016, result.meets_2016) + _verdict_badge(2010, result.meets_2010)
    body = "".join(f"<div style='margin:3px 0'>{html.escape(line)}</div>" for line in (head, line_2016, line_2010))
    return f"<div><div style='margin-bottom:4px'>{badges}</div>{body}</div>"  # the Readout's style and live region


def _short(label: str) -> str:
    """'Jaw, left' -> 'left jaw'; 'Chest' -> 'chest'."""
    base, _, side = label.rpartition(", ")
    return f"{side} {base.lower()}" if base else label.lower()


def map_text(result: criteria.Assessment) -> str:
    """What the body map shows, in words."""
    if result.regions:
        counted = ", ".join(criteria.REGION_LABELS[key] for key in result.regions)
        regions = f"regions with counted pain: {counted} ({result.n_regions} of 5; 4 needed)"
    else:
        regions = "no region has counted pain (4 of 5 needed)"
    wpi_only = [_short(s.label) for s in criteria.load_sites()
                if s.name in result.painful_sites and not s.in_generalized_pain]
    extra = f"; painful but adding to the WPI only: {', '.join(wpi_only)}" if wpi_only else ""
    return f"Body map: {result.wpi} painful sites; {regions}{extra}."


def _site_checkbox(site) -> widgets.Checkbox:
    mark = "" if site.in_generalized_pain else NOT_COUNTED_MARK
    return widgets.Checkbox(value=False, description=f"{site.label}{mark}", indent=False,
                            layout=widgets.Layout(width="auto", margin="0 0 0 8px"))


def _body_layout(sites, checkboxes) -> widgets.HBox:
    """Three columns laid out as a body; side columns split into their upper and lower regions."""
    columns = []
    for side in COLUMN_ORDER:
        parts = [widgets.HTML(f"<b>{COLUMN_TITLES[side]}</b>")]
        regions = [key for key in criteria.REGION_KEYS if any(s.side == side and s.region == key for s in sites)]
        for key in regions:
            members = [checkboxes[s.name] for s in sites if s.side == side and s.region == key]
            title = widgets.HTML(f"<span style='color:{GREYS['muted']}'>"
                                 f"{criteria.REGION_LABELS[key].capitalize()} region</span>")
            parts.append(widgets.VBox([title, *members], layout=widgets.Layout(
                border=f"1px solid {GREYS['border']}", padding="4px", margin="4px 0")))
        columns.append(widgets.VBox(parts, layout=widgets.Layout(width="32%", min_width="210px")))
    return widgets.HBox(columns, layout=widgets.Layout(flex_flow="row wrap", justify_content="space-between",
                                                       max_width="900px"))


def render(values: dict, show_map: bool = True) -> dict:
    """The score plane, the verdict and (with ``show_map``) the body map and its sentence for one set of
    control values (a bool per site, a number per slider)."""
    sites = criteria.load_sites()
    painful = [site.name for site in sites if values[site.name]]
    result = criteria.assess(painful, _symptoms_from(values))
    shown = {"plane": criteria_figures.score_plane_state(result), "readout": readout_html(result)}
    if show_map:
        mask = [bool(values[site.name]) for site in sites]
        flags = {key: key in result.regions for key in criteria.REGION_KEYS}
        shown["map"] = criteria_figures.body_map_state(sites, mask, flags, criteria.REGION_LABELS,
                                                       width=MAP_WIDTH, height=MAP_HEIGHT)
        shown["map_readout"] = controls.readout_html(map_text(result))
    return shown


def preset_values(preset) -> dict:
    """A teaching patient as control values: a bool per WPI site, a number per slider."""
    return {**{site.name: site.name in preset.painful_sites for site in criteria.load_sites()},
            **{name: getattr(preset.symptoms, name) for name in SLIDERS}}


def describe_values(values: dict) -> str:
    painful = [site.name for site in criteria.load_sites() if values[site.name]]
    return criteria.describe(criteria.assess(painful, _symptoms_from(values)))


def _layout(parts: controls.Parts) -> list:
    """The controls laid out as a body and a symptom form; the verdict right under them; the map (when shown)
    follows with its own readout."""
    sites, sliders, outputs = criteria.load_sites(), parts.controls, parts.outputs
    symptom_box = widgets.VBox([
        widgets.HTML("<b>Symptom severity, past week</b> (0 no problem, 1 mild, 2 moderate, 3 severe)"),
        *(sliders[name] for name in SYMPTOM_SLIDERS),
        widgets.HTML("<b>Bothered by these in the previous 6 months?</b> (0 no, 1 yes)"),
        *(sliders[name] for name in SYMPTOM_COUNT_ITEMS),
        widgets.HTML("<b>Duration</b>"),
        sliders[DURATION],
    ])
    note = widgets.HTML(f"<span style='color:{GREYS['muted']}'>\u2020 Jaw, chest and abdomen add to the WPI but do "
                        "not make their region count for generalized pain (2016 rule).</span>")
    children = [parts.bar, widgets.HTML("<b>Painful sites, past week</b> (tick every site that hurt)"),
                _body_layout(sites, {site.name: parts.controls[site.name] for site in sites}), note, symptom_box,
                outputs["readout"], outputs["plane"]]
    return children + [outputs[name] for name in ("map", "map_readout") if name in outputs]


@controls.explorable
def criteria_calculator(show_map: bool = True) -> controls.Explorable:
    """Checkboxes for the 19 WPI sites laid out as a body, sliders for the symptom items and the
    duration, presets, Reset, a body map and a live verdict (2016 criteria, 2010 for comparison)."""
    presets = criteria.load_presets()
    return controls.Explorable.from_spec(controls.Spec(
        controls={**{site.name: _site_checkbox(site) for site in criteria.load_sites()},
                  **controls.sliders(criteria.parameter_specs(), SLIDERS)},
        render=functools.partial(render, show_map=show_map), layout=_layout,
        fallback=lambda values: ("Interactive: run this cell to tick painful sites and move the symptom sliders; "
                                 f"the verdict updates as you go. Default patient: {describe_values(values)}"),
        start=preset_values(presets["typical"]), presets=presets, preset_values=preset_values,
        preset_title="Patients", reset="Back to the default patient"))


def compare_presets():
    """A table of every teaching patient's scores and verdicts (Markdown, compared by nbval)."""
    from IPython.display import Markdown

    lines = ["| patient | WPI | SSS | regions | months | 2016 | 2010 |", "|---|---|---|---|---|---|---|"]
    for preset in criteria.load_presets().values():
        result = criteria.assess(preset.painful_sites, preset.symptoms)
        lines.append(f"| {preset.label} | {result.wpi} | {result.sss} | {result.n_regions} of 5 | "
                     f"{result.symptoms.duration_months:g} | {'met' if result.meets_2016 else 'not met'} | "
                     f"{'met' if result.meets_2010 else 'not met'} |")
    return Markdown("\n".join(lines))
