// The course site's explorables without a kernel. Each mount point names a data file made at build time
// (tools/site/frames.py): the explorable's widget tree, and what the kernel would answer, precomputed for the
// default patient and each preset with one control moved at a time. The course's own widget modules
// (helpers/widgets/*.js: slider, figure, readout; the quiz feedback) are mounted unchanged on small static
// models; this file plays the kernel's part: it sets the figures' and readouts' states and frames, exactly as
// helpers.controls.Live does, from the precomputed data. Plain ipywidgets (boxes, buttons, choices) are drawn here.
const PLOTLY_KEY = "__course_plotly_site";
let plotly = null;
Object.defineProperty(globalThis, PLOTLY_KEY, {
  configurable: true,
  get() {  // plotly.js from the site (the plotly package's bundle), loaded when the first figure needs it
    plotly ??= new Promise((resolve, reject) => {
      const script = Object.assign(document.createElement("script"), { src: new URL("plotly.min.js", import.meta.url).href });
      script.onload = () => resolve(globalThis.Plotly);
      script.onerror = () => reject(new Error("course site: plotly.min.js did not load"));
      document.head.append(script);
    });
    return plotly;
  },
});
const LIBRARY = { get: (key) => (key === "version" ? "site" : undefined) };

// {"$r": i} -> the shared node i; {"$b": [offset, bytes]} -> the wire array {dtype, shape, buffer: DataView}.
function unpack(document_, binary) {
  const memo = new Map();
  const walk = (value) => {
    if (value === null || typeof value !== "object") return value;
    if (Array.isArray(value)) return value.map(walk);
    if ("$r" in value) {
      if (!memo.has(value.$r)) memo.set(value.$r, walk(document_.nodes[value.$r]));
      return memo.get(value.$r);
    }
    if ("$b" in value) {
      const [offset, bytes] = value.$b;
      return { dtype: value.dtype, shape: value.shape, buffer: new DataView(binary, offset, bytes) };
    }
    const out = {};
    for (const [key, item] of Object.entries(value)) out[key] = walk(item);
    return out;
  };
  return walk(document_.root);
}

// The part of an anywidget model that the course's widget modules use.
class StaticModel {
  constructor(attributes, onSave) {
    this.attributes = { ...attributes, library: "IPY_MODEL_site" };
    this.handlers = new Map();
    this.onSave = onSave;
    this.widget_manager = { get_model: async () => LIBRARY };
  }
  get(key) { return this.attributes[key]; }
  set(key, value) { this.update(key, value); }
  update(key, value) {
    this.attributes[key] = value;
    for (const handler of this.handlers.get(`change:${key}`) ?? []) handler();
  }
  save_changes() { this.onSave?.(this); }
  send() {}  // frames are in the page already: nothing to ask for
  on(events, handler) {
    for (const event of events.split(" ")) {
      if (!this.handlers.has(event)) this.handlers.set(event, []);
      this.handlers.get(event).push(handler);
    }
  }
  off(events, handler) {
    for (const event of (events ?? [...this.handlers.keys()].join(" ")).split(" ")) {
      const list = this.handlers.get(event) ?? [];
      this.handlers.set(event, handler ? list.filter((h) => h !== handler) : []);
    }
  }
}

const modules = new Map();
function widgetModule(name) {
  if (!modules.has(name)) {
    modules.set(name, import(new URL(`widgets/${name}`, import.meta.url).href).then(async (module) => {
      const definition = module.default;
      return typeof definition === "function" ? await definition() : definition;
    }));
  }
  return modules.get(name);
}

const STYLES = { success: "course-site-success", danger: "course-site-danger", warning: "course-site-warning",
                 info: "course-site-info", primary: "course-site-primary" };
const ICONS = { undo: "\u21ba " };

// Builds the DOM of the widget tree; returns {elements, models, mounts} by widget id.
async function build(node, tree, onSave) {
  const el = document.createElement("div");
  el.dataset.widget = node.id;
  el.classList.add("course-site-w", ...node.classes);
  el.hidden = node.hidden;
  tree.elements.set(node.id, el);
  tree.nodes.set(node.id, node);
  if (node.children) {
    el.classList.add(node.row ? "course-site-row" : "course-site-column");
    if (node.wrap) el.classList.add("course-site-wrap");
    for (const child of node.children) el.append(await build(child, tree, onSave));
  } else if (node.type === "anywidget") {
    const model = new StaticModel(node.model, onSave);
    tree.models.set(node.id, model);
    tree.mounts.push(widgetModule(node.esm).then((definition) => {
      definition.initialize?.({ model });
      return definition.render({ model, el, signal: new AbortController().signal });
    }));
  } else if (node.type === "Button") {
    const button = Object.assign(document.createElement("button"), { type: "button", title: node.tooltip });
    button.textContent = (ICONS[node.icon] ?? "") + node.description;
    button.className = `course-site-button ${STYLES[node.style] ?? ""}`;
    el.append(button);
  } else if (node.type === "ToggleButtons") {
    const group = document.createElement("div");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", node.description || "Choose");
    if (node.description) group.append(Object.assign(document.createElement("span"), { className: "course-site-label", textContent: node.description }));
    node.labels.forEach((label, index) => {
      const button = Object.assign(document.createElement("button"), { type: "button", textContent: label });
      button.className = "course-site-button course-site-toggle";
      button.dataset.index = index;
      button.setAttribute("aria-pressed", String(index === node.index));
      group.append(button);
    });
    el.append(group);
  } else if (node.type === "Dropdown") {
    const label = Object.assign(document.createElement("label"), { className: "course-site-label", textContent: `${node.description} ` });
    const select = document.createElement("select");
    node.labels.forEach((text, index) => select.append(new Option(text, String(index), false, index === node.index)));
    label.append(select);
    el.append(label);
  } else if (node.type === "Checkbox") {
    const label = document.createElement("label");
    const box = Object.assign(document.createElement("input"), { type: "checkbox", checked: node.value });
    label.append(box, ` ${node.description}`);
    el.append(label);
  } else {
    el.innerHTML = node.value ?? "";
  }
  return el;
}

// A choice control's index, read and set in the DOM (toggle buttons, select, checkbox).
function choiceIndex(el) {
  const select = el.querySelector("select");
  if (select) return Number(select.value);
  const box = el.querySelector("input[type=checkbox]");
  if (box) return box.checked ? 1 : 0;
  return Number(el.querySelector("[aria-pressed=true]")?.dataset.index ?? 0);
}
function setChoice(el, index) {
  const select = el.querySelector("select");
  if (select) { select.value = String(index); return; }
  const box = el.querySelector("input[type=checkbox]");
  if (box) { box.checked = index === 1; return; }
  for (const button of el.querySelectorAll("[data-index]")) button.setAttribute("aria-pressed", String(Number(button.dataset.index) === index));
}
function onChoice(el, handler) {
  el.addEventListener("change", () => handler(choiceIndex(el)));
  el.addEventListener("click", (event) => {
    const button = event.target.closest("[data-index]");
    if (!button) return;
    setChoice(el, Number(button.dataset.index));
    handler(Number(button.dataset.index));
  });
}

function nearest(values, value) {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (Math.abs(values[i] - value) < Math.abs(values[best] - value)) best = i;
  return best;
}
const numbers = (values) => (values && values.buffer instanceof DataView
  ? Array.from(new Float64Array(values.buffer.buffer, values.buffer.byteOffset, values.buffer.byteLength / 8)) : values);

// Plays the kernel's part for an explorable with controls (helpers.controls.Live), from precomputed states.
class LiveHost {
  constructor(data, tree, root) {
    Object.assign(this, { data, tree, root, state: 0, moved: null });
    this.note = Object.assign(document.createElement("p"), { className: "course-site-note" });
    this.note.setAttribute("role", "status");
    const hint = Object.assign(document.createElement("p"), { className: "course-site-hint" });
    hint.textContent = "On this page each control works on its own, starting from the patient chosen (one control " +
      "moved at a time); open in JupyterLab to combine changes.";
    if (Object.keys(data.controls).length > 1) root.prepend(hint);
    root.append(this.note);
    this.channels = {};
    for (const [name, control] of Object.entries(data.controls)) {
      control.name = name;
      if (control.slider) this.channels[tree.models.get(control.id).get("channel")] = name;
    }
  }
  values(name) { return numbers(this.data.states[this.state].moves[name].values); }
  presetIndex(name) {
    const value = this.data.states[this.state].values[name];
    const values = this.values(name);
    const exact = values.findIndex((v) => v === value);
    return exact >= 0 ? exact : nearest(values, value);
  }
  label(name) {
    const control = this.data.controls[name];
    if (control.slider) return this.tree.models.get(control.id).get("description");
    return this.tree.nodes.get(control.id).description || name;
  }
  // Show control `name` at position `index` of its precomputed values (or every control at the state's values).
  showControl(name, index) {
    const control = this.data.controls[name];
    const value = this.values(name)[index];
    if (control.slider) {
      const model = this.tree.models.get(control.id);
      model.update("framed", true);
      model.update("value", value);
    } else {
      setChoice(this.tree.elements.get(control.id), index);
    }
  }
  release(except) {
    if (!this.moved || this.moved.name === except) return;
    const { name } = this.moved;
    this.moved = null;
    this.showControl(name, this.presetIndex(name));
    const shown = this.data.controls[name].slider ? this.values(name)[this.presetIndex(name)]
      : this.tree.nodes.get(this.data.controls[name].id).labels?.[this.presetIndex(name)] ?? String(this.values(name)[this.presetIndex(name)]);
    this.note.textContent = `${this.label(name)} went back to ${shown}: this page moves one control at a time from ` +
      "the chosen patient. Open in JupyterLab to combine changes.";
  }
  move(name, index) {
    this.release(name);
    this.moved = index === this.presetIndex(name) ? null : { name, index };
    this.showControl(name, index);
    this.apply();
  }
  setState(state) {
    this.state = state;
    this.moved = null;
    for (const name of Object.keys(this.data.controls)) this.showControl(name, this.presetIndex(name));
    this.note.textContent = "";
    this.apply();
  }
  apply() {
    const current = this.data.states[this.state];
    for (const [output, id] of Object.entries(this.data.outputs)) {
      const model = this.tree.models.get(id);
      let shown = current.outputs[output];
      if (this.moved) shown = current.moves[this.moved.name].outputs[output]?.[this.moved.index] ?? shown;
      const frames = {};
      for (const [channel, name] of Object.entries(this.channels)) {
        const move = current.moves[name];
        if (move.outputs[output]) frames[channel] = { values: move.values, states: move.outputs[output] };
      }
      model.update("frames", frames);
      if ("figure" in model.attributes) model.update("figure", shown);
      else model.update("value", shown);
    }
  }
  wire() {
    const { data, tree } = this;
    // A slider let go or stepped (slider.js saves its value): the kernel's answer is the precomputed state.
    this.onSave = (model) => {
      const name = this.channels[model.get("channel")];
      if (name) this.move(name, nearest(this.values(name), model.get("value")));
    };
    // A slider starts to move while another control is moved: that one goes back first (before the figures swap frames).
    document.addEventListener("course-control", (event) => {
      const name = this.channels[event.detail.channel];
      if (name && event.detail.phase === "input" && this.moved && this.moved.name !== name) {
        this.release(name);
        this.apply();
      }
    });
    for (const [name, control] of Object.entries(data.controls)) {
      if (!control.slider) onChoice(tree.elements.get(control.id), (index) => this.move(name, index));
    }
    for (const [id, action] of Object.entries(data.buttons)) {
      tree.elements.get(id).querySelector("button").addEventListener("click", () => {
        if (action.state !== undefined) {
          this.setState(action.state);
          for (const [toggle, index] of Object.entries(action.views)) showView(tree, data.views, toggle, index, true);
          return;
        }
        const first = Object.keys(data.controls)[0];
        const key = this.moved ? `${this.state}|${this.moved.name}|${this.moved.index}` : `${this.state}|${first}|${this.presetIndex(first)}`;
        const target = action.steps[key];
        if (!target) return;
        this.setState(target[0]);
        if (target[1] !== null) this.move(target[1], target[2]);
      });
    }
  }
}

function showView(tree, views, toggle, index, setControl = false) {
  const shown = new Set(views[toggle][index]);
  const touched = new Set(views[toggle].flat());
  for (const id of touched) tree.elements.get(id).hidden = !shown.has(id);
  if (setControl) setChoice(tree.elements.get(toggle), index);
}

function wireQuiz(data, tree) {
  const first = new Set();
  let answered = 0, correct = 0;
  for (const [id, patch] of Object.entries(data.buttons)) {
    tree.elements.get(id).querySelector("button").addEventListener("click", () => {
      for (const [target, change] of Object.entries(patch.widgets)) {
        if ("style" in change) tree.elements.get(target).querySelector("button").className = `course-site-button ${STYLES[change.style] ?? ""}`;
        if ("value" in change) tree.models.get(target).update("value", change.value);
      }
      if (data.score && !first.has(patch.group)) {
        first.add(patch.group);
        answered += 1;
        correct += patch.correct ? 1 : 0;
        tree.models.get(data.score).update("value", data.score_texts[answered][correct]);
      }
    });
  }
}

async function mount(holder) {
  const source = holder.dataset.src;
  const [document_, binary] = await Promise.all([
    fetch(`${source}.json`).then((r) => { if (!r.ok) throw new Error(`${source}.json: ${r.status}`); return r.json(); }),
    fetch(`${source}.bin`).then((r) => { if (!r.ok) throw new Error(`${source}.bin: ${r.status}`); return r.arrayBuffer(); }),
  ]);
  const data = unpack(document_, binary);
  const tree = { elements: new Map(), models: new Map(), nodes: new Map(), mounts: [] };
  let host = null;
  const root = await build(data.view, tree, (model) => host?.onSave?.(model));
  root.classList.add("course-site-explorable");
  if (data.kind === "live") {
    host = new LiveHost(data, tree, root);
    host.wire();
  } else {
    wireQuiz(data, tree);
  }
  for (const toggle of Object.keys(data.views)) {
    onChoice(tree.elements.get(toggle), (index) => showView(tree, data.views, toggle, index));
    showView(tree, data.views, toggle, tree.nodes.get(toggle).index);
  }
  holder.querySelector(".course-site-fallback").hidden = true;
  holder.append(root);
  await Promise.all(tree.mounts);
  if (host) host.setState(0);
  holder.dataset.ready = "true";
  (globalThis.courseSite ??= []).push({ holder, source, data, tree, host });
}

const holders = [...document.querySelectorAll(".course-site-widget")];
Promise.all(holders.map((holder) => mount(holder).catch((error) => {
  holder.dataset.ready = "error";
  const message = Object.assign(document.createElement("p"), { className: "course-site-note",
    textContent: "This interactive part could not load here (open the site from a web server, or open the course in JupyterLab)." });
  holder.append(message);
  console.error("course site:", error);
}))).then(() => { document.body.dataset.ready = "true"; });
