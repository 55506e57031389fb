// The readout under a figure: a sentence that says what the figure shows, announced politely to screen
// readers, swapped for the precomputed sentence while a slider is moved in the browser.
export default {
  render({ model, el, signal }) {
    const text = document.createElement("div");
    text.className = "course-readout";
    text.setAttribute("aria-live", "polite");
    el.append(text);
    let shown = null;  // the last HTML set: re-setting the same sentence would announce it again
    follow(model, "value", (html) => { if (html !== shown) { text.innerHTML = html; shown = html; } }, signal);
  },
};
