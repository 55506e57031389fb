// Puts an explorable's button states into the page (aria-pressed, a group name per row of buttons) and keeps
// JupyterLab's notebook shortcuts off the explorable's keys. The rows are found by the CSS class the kernel gave
// them; ipywidgets renders them in its own time, so the states are applied again until every row is in the page.
const CONTROL_KEYS = new Set(["Enter", " ", "ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End",
  "PageUp", "PageDown"]);

export default {
  render({ model, el, signal }) {
    el.classList.add("course-aria");
    const root = () => el.closest(".course-explorable");
    const apply = () => {
      const box = root();
      if (!box) return false;
      if (!box.dataset.courseKeys) {
        // The keys that operate a control stay with it (JupyterLab listens on the document, after the controls).
        box.dataset.courseKeys = "own";
        box.addEventListener("keydown", (event) => {
          if (CONTROL_KEYS.has(event.key) && !(event.ctrlKey || event.metaKey || event.altKey || event.shiftKey)) {
            event.stopPropagation();
          }
        });
      }
      let complete = true;
      for (const [name, group] of Object.entries(model.get("groups"))) {
        const row = box.querySelector(`.${name}`);
        const buttons = row ? [...row.querySelectorAll("button")] : [];
        if (buttons.length < group.pressed.length) { complete = false; continue; }
        row.setAttribute("role", "group");
        if (group.label) row.setAttribute("aria-label", group.label);
        group.pressed.forEach((pressed, index) => {
          if (pressed === null) buttons[index].removeAttribute("aria-pressed");
          else buttons[index].setAttribute("aria-pressed", String(pressed));
        });
      }
      return complete;
    };
    let tries = 0;
    const untilComplete = () => { if (!apply() && ++tries < 400 && !signal?.aborted) setTimeout(untilComplete, 50); };
    untilComplete();
    model.on("change:groups", apply);
    // A choice shows as pressed at once; the kernel's own states follow.
    const clicked = (event) => {
      const button = event.target.closest?.("button");
      const row = button?.closest(".widget-toggle-buttons");
      if (!row || !root()?.contains(row) || !button.hasAttribute("aria-pressed")) return;
      for (const other of row.querySelectorAll("button[aria-pressed]")) {
        other.setAttribute("aria-pressed", String(other === button));
      }
    };
    document.addEventListener("click", clicked, { signal });
  },
};
