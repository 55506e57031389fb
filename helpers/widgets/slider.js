// A course slider: a labelled native range input (an ARIA slider with its unit in aria-valuetext), an
// editable number and the allowed range. While it is dragged or stepped, it announces each value on the
// page ("course-control" events) so figures can swap frames computed ahead, and asks the kernel for those
// frames when the pointer or the focus reaches it. It tells the kernel its value on release and on each
// key step; during a drag only when no frames are in the page yet (then at most every 100 ms).
const SINGULAR = new Set(["days", "weeks", "months", "years", "units", "points", "millivolts", "pounds"]);

export default {
  render({ model, el, signal }) {
    const id = `course-slider-${model.get("channel")}-${Math.random().toString(36).slice(2, 8)}`;
    el.classList.add("course-slider");
    // Arrow, Page, Home and End keys belong to the slider, not to JupyterLab's notebook (its shortcuts, its cell
    // navigation), as in ipywidgets' own controls.
    el.setAttribute("data-lm-suppress-shortcuts", "true");
    el.addEventListener("keydown", (event) => event.stopPropagation(), { signal });
    const label = Object.assign(document.createElement("label"), { htmlFor: id });
    const range = Object.assign(document.createElement("input"), { type: "range", id });
    range.dataset.control = model.get("control_name");
    const number = Object.assign(document.createElement("input"), { type: "number", className: "course-slider-number" });
    const limits = Object.assign(document.createElement("span"), { className: "course-slider-range" });
    el.append(label, range, number, limits);

    const fmt = (value) => Number(value).toFixed(model.get("decimals"));
    const unit = () => model.get("unit");
    // What a screen reader says for a value: the number and its unit in words ("1 day", "150 units", "2 out of 3").
    const valueText = (value) => {
      let words = model.get("unit_text");
      if (Number(value) === 1 && SINGULAR.has(words)) words = words.slice(0, -1);
      return words ? `${fmt(value)} ${words}` : fmt(value);
    };
    const snap = (value) => {
      const [min, max, step] = [model.get("min"), model.get("max"), model.get("step")];
      const snapped = min + Math.round((Math.min(Math.max(value, min), max) - min) / step) * step;
      return Number(snapped.toFixed(model.get("decimals") + 6));
    };
    const configure = () => {
      for (const input of [range, number]) {
        input.min = model.get("min"); input.max = model.get("max"); input.step = model.get("step");
      }
      label.textContent = model.get("description");
      number.setAttribute("aria-label", `${model.get("description")}: type a value`);
      limits.textContent = `range ${fmt(model.get("min"))}\u2013${fmt(model.get("max"))} ${unit()}`;
    };
    const display = (value) => {
      range.value = value;
      number.value = fmt(value);
      range.setAttribute("aria-valuetext", valueText(value));
    };
    configure();
    display(model.get("value"));

    let dragging = false, timer = null, waiting = null;
    const announce = (value, phase) => document.dispatchEvent(
      new CustomEvent("course-control", { detail: { channel: model.get("channel"), value, phase } }));
    const send = (value) => {
      clearTimeout(timer); timer = null;
      if (model.get("value") !== value) { model.set("value", value); model.save_changes(); }
    };
    const sendSoon = (value) => {
      waiting = value;
      timer ??= setTimeout(() => { timer = null; send(waiting); }, 100);
    };
    // Asked on arrival and again on a later move while none have come (at most every 500 ms): an arrival the
    // page never reported, or an answer overtaken by another control's change, does not leave the slider unframed.
    let askedAt = -Infinity;
    const wantFrames = () => {
      if (model.get("framed")) return;
      askedAt = performance.now();
      model.send({ want: "frames" });
    };
    const wantFramesAgain = () => { if (performance.now() - askedAt > 500) wantFrames(); };
    const finish = () => {
      if (!dragging) return;
      dragging = false;
      const value = snap(Number(range.value));
      announce(value, "end");
      send(value);
    };

    range.addEventListener("pointerenter", wantFrames, { signal });
    range.addEventListener("pointermove", wantFramesAgain, { signal });
    range.addEventListener("focus", wantFrames, { signal });
    range.addEventListener("pointerdown", () => { dragging = true; wantFrames(); }, { signal });
    range.addEventListener("input", () => {
      const value = snap(Number(range.value));
      display(value);
      announce(value, "input");
      if (!dragging) { announce(value, "end"); send(value); }   // a key step: one value, sent at once
      else if (!model.get("framed")) sendSoon(value);            // no frames yet: the kernel draws
    }, { signal });
    range.addEventListener("change", finish, { signal });
    window.addEventListener("pointerup", finish, { signal });
    window.addEventListener("pointercancel", finish, { signal });
    number.addEventListener("change", () => {
      const value = snap(Number(number.value));
      display(value);
      announce(value, "input");
      announce(value, "end");
      send(value);
    }, { signal });

    const fromKernel = () => { if (!dragging) display(model.get("value")); };
    model.on("change:value", fromKernel);
    // Whether the page holds this slider's frames: tests and benchmarks wait on it instead of sleeping.
    // Frames dropped (another control moved) while the pointer or the focus is on this slider: ask again, since
    // no new pointerenter or focus will come to ask.
    const showFramed = () => { range.dataset.framed = String(model.get("framed")); };
    showFramed();
    model.on("change:framed", () => {
      showFramed();
      if (!model.get("framed") && (range.matches(":hover") || document.activeElement === range)) wantFrames();
    });
    model.on("change:min change:max change:step change:description change:unit change:unit_text change:decimals", () => {
      configure(); fromKernel();
    });
  },
};
