// The readout under a figure: a sentence that says what the figure shows, announced politely to screen
// readers, swapped for the precomputed sentence while a slider is moved in the browser.
export default {
  render({ model, el, signal }) {
    const text = document.createElement("div");
    text.className = "course-readout";
    text.setAttribute("aria-live", "polite");
    text.setAttribute("aria-atomic", "true");  // a changed sentence is read whole, not just the changed words
    text.dataset.output = model.get("output_name");
    // Its figures name this id in aria-describedby (one view per readout in a page, as the course shows it).
    const identify = () => { text.id = model.get("element_id"); };
    identify();
    model.on("change:element_id", identify);
    el.append(text);
    const keyed = () => { text.dataset.key = model.get("key"); };
    keyed();
    model.on("change:key", keyed);
    // While a slider is dragged the sentence changes many times a second: screen readers wait (aria-busy) and
    // announce the sentence for the value the slider is let go at.
    const busy = (event) => text.setAttribute("aria-busy", String(event.detail.phase === "input"));
    document.addEventListener("course-control", busy);
    signal?.addEventListener("abort", () => document.removeEventListener("course-control", busy));
    let shown = null;  // the last HTML set: re-setting the same sentence would announce it again
    follow(model, "value", (html) => { if (html !== shown) { text.innerHTML = html; shown = html; } }, signal);
  },
};
