// Shared by the course's figure and readout: show the kernel's state or, while a course slider on the page
// is moved in the browser, the frame the kernel computed ahead for that slider's value. Sliders announce
// their value with a "course-control" event on the document: {channel, value, phase: "input" | "end"}.
// {dtype, shape, buffer} (a binary buffer) -> Float64Array, or an array of them for two dimensions.
function decode(value) {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(decode);
  if (value.dtype && value.buffer && (value.buffer instanceof DataView || value.buffer instanceof ArrayBuffer)) {
    const view = value.buffer instanceof DataView ? value.buffer : new DataView(value.buffer);
    const flat = new Float64Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
    if (value.shape.length < 2) return flat;
    const [rows, columns] = value.shape;
    return Array.from({ length: rows }, (_, r) => flat.subarray(r * columns, (r + 1) * columns));
  }
  const out = {};
  for (const [key, item] of Object.entries(value)) out[key] = decode(item);
  return out;
}

const DECODED = new WeakMap();  // a frame set's values, decoded once

function frameFor(frames, channel, value, exact = false) {
  const set = frames?.[channel];
  if (!set) return undefined;
  if (!DECODED.has(set)) DECODED.set(set, decode(set.values));
  const values = DECODED.get(set);
  let best = -1, distance = Infinity;
  for (let i = 0; i < values.length; i++) {
    const d = Math.abs(values[i] - value);
    if (d < distance) { best = i; distance = d; }
  }
  // Frames of a fine slider hold every k-th value: the nearest one stands in until the kernel's own state.
  const spacing = values.length > 1 ? Math.abs(values[values.length - 1] - values[0]) / (values.length - 1) : 1;
  return distance <= (exact ? spacing * 1e-6 : spacing * 0.5 + 1e-9) ? set.states[best] : undefined;
}

// Calls show(state) with what the view must draw now; the last call always wins.
function follow(model, stateName, show, signal) {
  let live = null;  // {channel, value} while a slider is moved in the browser and a frame exists for it
  const frames = () => model.get("frames");
  const current = () => {
    if (live) {
      const frame = frameFor(frames(), live.channel, live.value);
      if (frame !== undefined) return frame;
      live = null;
    }
    return model.get(stateName);
  };
  const onControl = (event) => {
    const { channel, value, phase } = event.detail;
    if (!frames()?.[channel]) return;
    live = phase === "input" && frameFor(frames(), channel, value) !== undefined ? { channel, value } : null;
    if (phase === "end") {
      // The frame of the final value stays until the kernel's own state for it arrives; without an exact frame
      // (a fine slider) the kernel's state is shown, and its state for the new value follows.
      const frame = frameFor(frames(), channel, value, true);
      show(frame !== undefined ? frame : model.get(stateName));
      return;
    }
    show(current());
  };
  const onState = () => show(current());
  model.on(`change:${stateName}`, onState);
  model.on("change:frames", onState);
  document.addEventListener("course-control", onControl);
  signal?.addEventListener("abort", () => {
    document.removeEventListener("course-control", onControl);
    model.off(`change:${stateName}`, onState);
    model.off("change:frames", onState);
  });
  show(current());
}
