"""axe-core accessibility audits of a notebook's outputs in the page (JupyterLab or Voila).

axe-core is vendored (tests/browser/vendor/axe-core/: axe.min.js 4.14.1 from the npm package, MPL-2.0, with its
licence files; no CDN) and injected into the page by Playwright. The audit covers what the course puts in the
page, the notebook's output areas and rendered Markdown, not JupyterLab's or Voila's own interface (their toolbars
and editors are not the course's to fix). Every rule of axe runs; a violation of impact serious or critical fails.
The JSON report goes to test-artifacts/axe-<label>-<notebook>.json beside the screenshots.
"""
from __future__ import annotations

import json

import harness

AXE_DIR = harness.ROOT / "tests" / "browser" / "vendor" / "axe-core"
AXE_JS = AXE_DIR / "axe.min.js"
AXE_VERSION = "4.14.1"
OUTPUTS = ".jp-OutputArea-output, .jp-RenderedMarkdown, .jp-MarkdownOutput"
BLOCKING = ("serious", "critical")

RUN = """async (selector) => {
  const include = [...document.querySelectorAll(selector)];
  if (!include.length) return { version: axe.version, scope: 0, violations: [], incomplete: 0, passes: 0 };
  const result = await axe.run({ include }, { resultTypes: ["violations", "incomplete"] });
  const contrast = result.passes.find(p => p.id === "color-contrast");
  const node = (n) => ({ target: n.target.join(" "), html: n.html.slice(0, 300), summary: n.failureSummary });
  return {
    version: axe.version, scope: include.length, url: location.pathname,
    violations: result.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                                             nodes: v.nodes.map(node) })),
    incomplete: result.incomplete.length, passes: result.passes.length,
    contrast_checked: contrast ? contrast.nodes.length : 0,
  };
}"""


def inject(page) -> None:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_JS))
    version = page.evaluate("() => axe.version")
    assert version == AXE_VERSION, f"the page runs axe-core {version}, the vendored file should be {AXE_VERSION}"


# The height of everything the page can scroll to (JupyterLab scrolls the notebook panel, not the window).
CONTENT_HEIGHT = """() => Math.max(document.documentElement.scrollHeight, ...[...document.querySelectorAll(
  '.jp-WindowedPanel-outer, .jp-Notebook, #rendered_cells, body, .jp-LabShell')].map(e => e.scrollHeight))"""
MAX_HEIGHT = 32_000  # px; a taller window is not needed by any notebook of the course


def audit(page, name: str, label: str) -> dict:
    """Audit the outputs of notebook ``name`` as the page shows them now; save the report; return it.

    axe checks colour contrast only where an element is on screen, so the window is made as tall as the
    notebook for the audit (every output is then on screen) and given back its size after."""
    inject(page)
    size = page.viewport_size
    height = min(int(page.evaluate(CONTENT_HEIGHT)) + 200, MAX_HEIGHT)
    page.set_viewport_size({"width": size["width"], "height": max(height, size["height"])})
    try:
        page.evaluate(harness.TWO_FRAMES)  # the page has laid itself out for the new size
        report = page.evaluate(RUN, OUTPUTS)
    finally:
        page.set_viewport_size(size)
    report["notebook"], report["when"] = name, label
    harness.ARTIFACTS.mkdir(exist_ok=True)
    path = harness.ARTIFACTS / f"axe-{label}-{name.removesuffix('.ipynb')}.json"
    path.write_text(json.dumps(report, indent=1))
    return report


def blocking(report: dict) -> list[str]:
    """The serious and critical violations of a report, one line each: rule, impact, elements."""
    return [f"{v['id']} ({v['impact']}, {len(v['nodes'])}x): {v['help']}: "
            + "; ".join(f"{n['target']} {n['html'][:100]}" for n in v["nodes"][:3])
            for v in report["violations"] if v["impact"] in BLOCKING]


def assert_accessible(page, name: str, label: str) -> None:
    """No serious or critical axe-core violation in the outputs of notebook ``name`` (report saved)."""
    report = audit(page, name, label)
    assert report["scope"] > 0, f"{name}: no output area found to audit"
    problems = blocking(report)
    assert not problems, (f"{name} ({label}): {len(problems)} serious or critical accessibility violations "
                          f"(axe-core {report['version']}, report test-artifacts/axe-{label}-"
                          f"{name.removesuffix('.ipynb')}.json): {problems}")
