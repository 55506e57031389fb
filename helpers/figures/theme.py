"""The course's figure theme: Okabe-Ito colours (safe for colour-blind readers) and one layout."""
from __future__ import annotations

import functools
import hashlib
import json

import plotly.graph_objects as go
import traitlets

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision deficiency.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "grey": "#999999",
}
COLOURS = OKABE_ITO  # short alias used by the figure builders


# The browser side of every course figure: loads plotly's FigureWidget code (a 5 MB module) once per page and
# hands each figure to it. anywidget, which runs plotly's code, gives a figure 2 s from its creation to finish
# ``initialize``; after that it silently drops every message the kernel sends to that figure. Evaluating plotly's
# module takes about 1.3 s and each figure evaluates its own copy, so when Voila creates all figures of a page
# at once (8 in notebook 05) most miss the deadline and never redraw. Here ``initialize`` returns at once, the
# module is evaluated once and shared, and edits that arrive before it is ready are replayed to plotly in order.
# Plotly's view also registers its listeners on the figure's model for good; a removed view (a figure taken out
# of the page, as controls.FigureViews does) then throws on the next edit and stops the listeners of the views
# after it. Here a view's listeners are registered for that view, and anywidget removes them with it.
_LOADER = """
const BUNDLE = "__course_plotly_widget_BUNDLE_ID";
const MESSAGES = MESSAGE_NAMES;

function plotlyWidgetCode(source) {
  globalThis[BUNDLE] ??= (async () => {
    const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
    try { return await import(url); } finally { URL.revokeObjectURL(url); }
  })();
  return globalThis[BUNDLE];
}

export default () => {
  let ready;  // plotly's widget definition for this figure, initialised
  let viewModel = null;  // while plotly renders a view: that view's model, whose listeners go with the view
  return {
    initialize({ model, ...context }) {
      const early = [], record = {}, handlers = {}, replaying = new Map();
      for (const name of MESSAGES) {
        record[name] = () => early.push([name, model.get(name)]);
        model.on(`change:${name}`, record[name]);
      }
      const proxy = {
        ...model,
        get: (name) => (replaying.has(name) ? replaying.get(name) : model.get(name)),
        on: (event, callback) => {
          if (viewModel) return viewModel.on(event, callback);
          handlers[event] ??= callback;
          model.on(event, callback);
        },
      };
      ready = plotlyWidgetCode(model.get("_plotly_bundle")).then(async (code) => {
        const widget = typeof code.default === "function" ? await code.default() : code.default;
        for (const name of MESSAGES) model.off(`change:${name}`, record[name]);
        widget.initialize?.({ model: proxy, ...context });  // synchronous: plotly's listeners are now set
        for (const [name, value] of early) {
          replaying.set(name, value);
          handlers[`change:${name}`]?.();
          replaying.delete(name);
        }
        return widget;
      });
    },
    async render(view) {
      const widget = await ready;
      viewModel = view.model;
      try { return widget.render(view); } finally { viewModel = null; }
    },
  };
};
"""


@functools.lru_cache(maxsize=1)
def _plotly_widget_code() -> tuple[str, str]:
    """Plotly's FigureWidget module (read on first use) and the loader that shares it between figures."""
    bundle = str(go.FigureWidget._esm)
    messages = sorted(name for name in go.FigureWidget.class_trait_names() if name.startswith("_py2js_"))
    loader = (_LOADER.replace("BUNDLE_ID", hashlib.sha256(bundle.encode()).hexdigest()[:16])
              .replace("MESSAGE_NAMES", json.dumps(messages)))
    return bundle, loader


class CourseFigureWidget(go.FigureWidget):
    """A FigureWidget that keeps its last edit message in its widget state and loads plotly's code once per page.

    Plotly sends each edit (restyle, relayout, update) as a one-off value of a synced trait and resets
    it to ``None`` straight away, so a frontend model that reads the trait late, or is created after
    the edit, sees ``None``. Keeping the last message leaves the latest edit in the state; every
    message carries a new edit id, so none is mistaken for a repeat.

    ``_esm`` is the course's loader (``_LOADER``) and ``_plotly_bundle`` plotly's own module, which the
    loader evaluates once per page, however many figures the page holds.
    """

    _esm = traitlets.Unicode().tag(sync=True)
    _plotly_bundle = traitlets.Unicode().tag(sync=True)

    @traitlets.default("_esm")
    def _default_esm(self):
        return _plotly_widget_code()[1]

    @traitlets.default("_plotly_bundle")
    def _default_plotly_bundle(self):
        return _plotly_widget_code()[0]

    def __setattr__(self, name, value):
        if value is None and name.startswith("_py2js_"):
            return
        super().__setattr__(name, value)


def figure_widget(title: str, x_title: str, y_title: str, height: int = 360, **layout) -> go.FigureWidget:
    """An empty ``FigureWidget`` with the course layout: a title that states the message, axis titles with units.

    The layout is set once here; explorables then change only trace data (no relayout per slider move).
    """
    figure = CourseFigureWidget()
    figure.update_layout(
        title=dict(text=title, x=0.01, xanchor="left", font=dict(size=16)),
        xaxis=dict(title=dict(text=x_title), showgrid=True, gridcolor="#e5e5e5", zeroline=False),
        yaxis=dict(title=dict(text=y_title), showgrid=True, gridcolor="#e5e5e5", zeroline=False),
        template="simple_white",
        font=dict(size=14),
        height=height,
        margin=dict(l=70, r=20, t=60, b=110),
        legend=dict(orientation="h", yanchor="top", y=-0.3, x=0),
        hovermode="x unified",
        **layout,
    )
    return figure
