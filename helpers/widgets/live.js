// Shared by the course's figure and readout: show the kernel's state or, while a course slider on the page
// is moved in the browser, the frame the kernel computed ahead for that slider's value. Sliders announce
// their value with a "course-control" event on the document: {channel, value, phase: "input" | "end"}.
function frameFor(frames, channel, value) {
  const set = frames?.[channel];
  if (!set) return undefined;
  const values = set.values;
  let best = -1, distance = Infinity;
  for (let i = 0; i < values.length; i++) {
    const d = Math.abs(values[i] - value);
    if (d < distance) { best = i; distance = d; }
  }
  const step = values.length > 1 ? Math.abs(values[1] - values[0]) : 1;
  return distance <= step * 1e-6 ? set.states[best] : undefined;
}

function valuesOf(frames, channel) {
  const values = frames?.[channel]?.values;
  if (!values) return null;
  return values instanceof Float64Array ? values : Float64Array.from(values);
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
      // The frame for the final value stays until the kernel's own state for it arrives.
      const frame = frameFor(frames(), channel, value);
      if (frame !== undefined) { show(frame); return; }
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
