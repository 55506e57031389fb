// The course figure: its synced state is the whole figure (traces and layout, numeric arrays as binary
// buffers), drawn with Plotly.react; states that arrive during a draw are coalesced, so the last state always wins.
// plotly.js comes from the kernel's one PlotlyLibrary widget and is evaluated once per page.
const CONFIG = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ["select2d", "lasso2d", "sendChartToCloud", "sendDataToCloud"] };
// (no button that sends a learner's chart to an online service: the course runs offline)

function loadPlotly(model) {
  return model.widget_manager.get_model(model.get("library").slice("IPY_MODEL_".length)).then((library) => {
    const key = `__course_plotly_${library.get("version")}`;
    globalThis[key] ??= (async () => {
      // plotly.min.js is a UMD bundle: given a `module`, it exports itself there instead of on window.
      const text = `const module = { exports: {} };\n${library.get("source")}\nexport default module.exports;`;
      const url = URL.createObjectURL(new Blob([text], { type: "text/javascript" }));
      try { return (await import(url)).default; } finally { URL.revokeObjectURL(url); }
    })();
    return globalThis[key];
  });
}

export default {
  async render({ model, el, signal }) {
    const plot = document.createElement("div");
    plot.className = "course-figure";
    plot.dataset.output = model.get("output_name");
    // The text alternative: plotly's main SVG (the graphic) is an image named by `description` and described by
    // the readouts under it. Not the plot's own element, which also holds the mode bar's buttons (an image may
    // not contain controls); plotly's hover layer repeats numbers on pointer hover only and is hidden.
    const describe = () => {
      const [graphic, hover] = plot.querySelectorAll(":scope > .plot-container > .svg-container > svg.main-svg");
      if (!graphic) return;
      const label = model.get("description"), describedBy = model.get("described_by");
      if (graphic.getAttribute("aria-label") !== label) {
        graphic.setAttribute("role", "img");
        graphic.setAttribute("aria-label", label);
      }
      if ((graphic.getAttribute("aria-describedby") || "") !== describedBy) {
        if (describedBy) graphic.setAttribute("aria-describedby", describedBy);
        else graphic.removeAttribute("aria-describedby");
      }
      hover?.setAttribute("aria-hidden", "true");
    };
    model.on("change:description change:described_by", describe);
    el.append(plot);
    const Plotly = await loadPlotly(model);
    if (signal?.aborted) return;

    let pending = null, scheduled = false, shownKey = null, renders = 0;
    const paint = async () => {
      const state = pending;
      pending = null;
      try {
        if (state && state.key !== shownKey) {
          await Plotly.react(plot, decode(state.data), decode(state.layout), CONFIG);
          describe();
          shownKey = state.key;
          plot.dataset.key = state.key;
          plot.dataset.renders = String(++renders);
        }
      } catch (error) {
        console.error("course figure: could not draw the state", error);
      }
      scheduled = false;
      if (pending) schedule();
    };
    // A state that arrives while no draw is under way is drawn at once (a key press shows without waiting for the
    // next animation frame); states that arrive during a draw wait for the next frame, and only the last is drawn.
    const schedule = () => { scheduled = true; requestAnimationFrame(paint); };
    const show = (state) => {
      pending = state;
      if (!scheduled) { scheduled = true; paint(); }
    };
    // A figure drawn before it was in the page has a default size; fit it once it has room.
    const resize = new ResizeObserver(() => { if (plot.isConnected && shownKey !== null) Plotly.Plots.resize(plot); });
    resize.observe(el);
    signal?.addEventListener("abort", () => { resize.disconnect(); Plotly.purge(plot); });
    follow(model, "figure", show, signal);
    return () => resize.disconnect();
  },
};
