"""What the browser tests do on a notebook page, as plain functions over a Playwright page.

Everything a learner would do goes through the UI (the Run menu, keyboard on a slider, a
click on a button); the page's DOM is read to see what the learner sees.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

import nbformat

# Generous bounds: the suite must pass on a loaded two-core machine, and a failure must say
# which notebook and cell did not finish rather than hang.
KERNEL_READY_S = 180
CELL_LIMIT_S = 300
NOTEBOOK_LIMIT_S = 1500
MATH_SETTLE_S = 60
FIGURE_CHANGE_S = 60
TRAIN_LIMIT_S = 300

STATE_JS = """() => {
  const cells = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell')];
  const prompts = cells.map(c => c.classList.contains('jp-CodeCell')
      ? (c.querySelector('.jp-InputArea-prompt')?.textContent || '').trim() : null);
  const ind = document.querySelector('.jp-Notebook-ExecutionIndicator');
  return {prompts, status: ind ? ind.getAttribute('data-status') : null};
}"""

ERRORS_JS = r"""() => {
  const cells = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell')];
  const found = [];
  cells.forEach((cell, index) => {
    cell.querySelectorAll('.jp-OutputArea-output').forEach(out => {
      // JupyterLab renders an error output with the stderr renderer; IPython's traceback marks it
      const mime = out.getAttribute('data-mime-type') || '';
      const text = out.innerText;
      const traceback = /^-{20,}\s*$|Traceback \(most recent call last\)|^\s*Cell In\[\d+\], line \d+/m.test(text);
      if (mime === 'application/vnd.jupyter.error' || (mime === 'application/vnd.jupyter.stderr' && traceback)) {
        found.push({index, text: text.slice(0, 600)});
      }
    });
  });
  return found;
}"""

MATH_JS = r"""() => {
  const cells = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell')];
  const errors = [], raw = [];
  const rawMath = /\$[^$\s][^$]*\$|\\\(|\\\[|\\(frac|sum|mathbf|mathrm|nabla|partial|theta|lambda|alpha|beta|sigma|top|cdot|left|right|hat|sqrt|approx|le|ge)(?![a-zA-Z])/;
  cells.forEach((cell, index) => {
    if (!cell.classList.contains('jp-MarkdownCell')) return;
    cell.querySelectorAll('mjx-merror').forEach(e => errors.push({index, error: e.getAttribute('data-mjx-error') || e.textContent}));
    // an undefined macro (MathJax's noundefined extension) is drawn as red text, not as an merror
    cell.querySelectorAll('mjx-assistive-mml mtext[mathcolor="red"]')
        .forEach(e => errors.push({index, error: 'undefined macro ' + e.textContent}));
    const md = cell.querySelector('.jp-RenderedMarkdown');
    if (!md) return;
    const copy = md.cloneNode(true);
    copy.querySelectorAll('mjx-container, mjx-assistive-mml, code, pre, script, style').forEach(e => e.remove());
    const m = copy.textContent.match(rawMath);
    if (m) raw.push({index, text: m[0].slice(0, 80)});
  });
  return {errors, raw, typeset: document.querySelectorAll('mjx-container').length};
}"""

PLAYGROUND_JS = r"""(el) => {
  const img = el.querySelector('img.widget-image');
  const controls = el.querySelectorAll('.widget-slider, .widget-dropdown select, .widget-toggle-buttons button, .widget-checkbox input, button.jupyter-button, .widget-text input');
  const labels = [...el.querySelectorAll('.widget-label')].filter(l => l.textContent.trim())
      .map(l => ({text: l.textContent.trim(), cut: l.scrollWidth > l.clientWidth + 1}));
  const out = {kinds: [...el.classList].filter(c => c.startsWith('course-playground-')).map(c => c.slice(18)),
               hasImg: !!img, loaded: !!(img && img.complete && img.naturalWidth > 0), controls: controls.length,
               labels, dpr: window.devicePixelRatio, natural: img ? img.naturalWidth : 0,
               shown: img ? img.getBoundingClientRect().width : 0, colours: 0, fingerprint: ''};
  if (out.loaded) {
    const c = document.createElement('canvas'); c.width = 96; c.height = 48;
    const ctx = c.getContext('2d'); ctx.drawImage(img, 0, 0, 96, 48);
    const d = ctx.getImageData(0, 0, 96, 48).data; const colours = new Set(); let h = 0;
    for (let i = 0; i < d.length; i += 4) { colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]); h = (h * 31 + d[i] + 7 * d[i + 1] + 13 * d[i + 2]) >>> 0; }
    out.colours = colours.size; out.fingerprint = String(h);
  }
  return out;
}"""

WATCH_JS = """(el) => {
  const img = el.querySelector('img.widget-image');
  el.__loads = []; el.__mutations = []; el.__inputs = [];
  img.addEventListener('load', () => el.__loads.push(performance.now()));
  new MutationObserver(() => el.__mutations.push(performance.now()))
      .observe(el, {subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['aria-valuenow', 'value', 'style']});
  for (const kind of ['keydown', 'pointerdown']) el.addEventListener(kind, () => el.__inputs.push(performance.now()), true);
  return true;
}"""


@dataclass
class CellRef:
    """A cell as the learner and nbval number it: position in the notebook, code-cell number, id, first line."""
    index: int
    code_number: int | None
    cell_id: str
    first_line: str

    def describe(self) -> str:
        number = f"code cell {self.code_number} (nbval 'Cell {self.code_number}')" if self.code_number is not None else "markdown cell"
        return f"cell {self.index} [{number}, id {self.cell_id}]: {self.first_line!r}"


def cell_refs(path) -> list[CellRef]:
    nb = nbformat.read(path, as_version=4)
    refs, code = [], 0
    for i, cell in enumerate(nb.cells):
        first = next((line for line in cell.source.splitlines() if line.strip()), "")[:90]
        refs.append(CellRef(i, code if cell.cell_type == "code" else None, cell.get("id", "?"), first))
        code += cell.cell_type == "code"
    return refs


def open_notebook(page, lab, name: str) -> None:
    """Open a notebook (path relative to the repository root) with a clean workspace and
    wait until its kernel is up and idle."""
    page.goto(lab.notebook_url(name), timeout=KERNEL_READY_S * 1000)
    try:
        page.wait_for_function(
            """() => { const k = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Toolbar-kernelName');
                       const i = document.querySelector('.jp-Notebook-ExecutionIndicator');
                       return k && /Python/.test(k.getAttribute('aria-label') || k.textContent)
                              && i && i.getAttribute('data-status') === 'idle'; }""",
            timeout=KERNEL_READY_S * 1000, polling=500)
    except Exception as exc:
        raise AssertionError(f"{name}: the kernel was not ready within {KERNEL_READY_S} s of opening the notebook "
                             f"(a kernel-selection dialog or a failed start?)\n{lab.log_tail(15)}") from exc


def popups(page) -> list[str]:
    """Dialogs and toast notifications on screen (the news popup, a kernel dialog, ...)."""
    return page.evaluate("""() => [...document.querySelectorAll('.jp-Dialog, .Toastify__toast')]
        .map(e => e.innerText.replace(/\\s+/g, ' ').slice(0, 160))""")


def run_all_and_wait(page, name: str, refs: list[CellRef]) -> float:
    """Run -> Run All Cells through the menu; wait for every cell, with a per-cell bound.
    Returns the seconds it took. Fails naming the cell that did not finish."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()
    start = time.monotonic()
    running, since, quiet_polls = None, start, 0
    while True:
        state = page.evaluate(STATE_JS)
        prompts = state["prompts"]
        if len(prompts) != len(refs):
            raise AssertionError(f"{name}: the page shows {len(prompts)} cells, the file has {len(refs)}")
        stars = [i for i, p in enumerate(prompts) if p is not None and "*" in p]
        now = time.monotonic()
        if stars:
            quiet_polls = 0
            if stars[0] != running:
                running, since = stars[0], now
            elif now - since > CELL_LIMIT_S:
                raise AssertionError(f"{name}: {refs[running].describe()} did not finish within {CELL_LIMIT_S} s")
        elif state["status"] == "idle":
            quiet_polls += 1
            if quiet_polls >= 3:
                return now - start
        if now - start > NOTEBOOK_LIMIT_S:
            where = refs[running].describe() if running is not None else "no cell running"
            raise AssertionError(f"{name}: Run All did not finish within {NOTEBOOK_LIMIT_S} s (last running: {where})")
        time.sleep(1.0)


def unexecuted_cells(page, refs: list[CellRef]) -> list[str]:
    prompts = page.evaluate(STATE_JS)["prompts"]
    return [refs[i].describe() for i, p in enumerate(prompts) if p is not None and not re.search(r"\[\d+\]", p)]


def error_outputs(page, refs: list[CellRef]) -> list[str]:
    return [f"{refs[e['index']].describe()}\n{e['text']}" for e in page.evaluate(ERRORS_JS)]


def math_problems(page, refs: list[CellRef]) -> tuple[list[tuple], list[str]]:
    """MathJax errors and raw (unrendered) math, once typesetting has settled.
    Returns ([(cell_id, error text)], [descriptions of raw math])."""
    deadline = time.monotonic() + MATH_SETTLE_S
    previous = None
    while True:
        found = page.evaluate(MATH_JS)
        key = (len(found["errors"]), len(found["raw"]), found["typeset"])
        if (not found["raw"] and key == previous) or time.monotonic() > deadline:
            break
        previous = key
        time.sleep(1.0)
    errors = [(refs[e["index"]].cell_id, e["error"], refs[e["index"]].describe()) for e in found["errors"]]
    raw = [f"{refs[r['index']].describe()}: {r['text']!r}" for r in found["raw"]]
    return errors, raw


def playground_elements(page):
    return page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .course-playground")


def inspect_playground(element) -> dict:
    return element.evaluate(PLAYGROUND_JS)


def _wait_for_figure(element, loads_before: int, what: str) -> float:
    """Wait until the playground's image has loaded a new picture; returns ms from the last input."""
    deadline = time.monotonic() + FIGURE_CHANGE_S
    while time.monotonic() < deadline:
        got = element.evaluate("(el, n) => el.__loads.length > n ? [el.__loads[n], el.__inputs[el.__inputs.length - 1]] : null",
                               loads_before)
        if got:
            return got[0] - got[1]
        time.sleep(0.02)
    raise AssertionError(f"{what}: no new figure within {FIGURE_CHANGE_S} s of the control change")


def slider_changes(element, label: str, presses: int, what: str) -> tuple[list[float], set[str]]:
    """Press arrow keys on the slider labelled ``label``; per press, ms until the new figure
    has loaded. Also returns the fingerprints of the figures seen after each press."""
    slider = element.locator(".widget-slider", has=element.page.locator(".widget-label", has_text=label)).first
    handle = slider.locator(".noUi-handle").first
    element.evaluate(WATCH_JS)
    latencies, fingerprints, direction = [], set(), "ArrowRight"
    for i in range(presses):
        now, low, high = (float(handle.get_attribute(a)) for a in ("aria-valuenow", "aria-valuemin", "aria-valuemax"))
        if now >= high:
            direction = "ArrowLeft"
        elif now <= low:
            direction = "ArrowRight"
        loads = element.evaluate("el => el.__loads.length")
        handle.focus()
        handle.press(direction)
        latencies.append(_wait_for_figure(element, loads, f"{what}, press {i + 1} ({direction} on '{label}')"))
        time.sleep(0.3)                       # let any trailing update land before the next press
        fingerprints.add(inspect_playground(element)["fingerprint"])
        direction = "ArrowLeft" if direction == "ArrowRight" else "ArrowRight"
    return latencies, fingerprints


def train_and_stop(element, what: str) -> dict:
    """Press Train, time the first visible response and the first epoch's figure, press
    Stop, and wait until the run has ended. Returns the two times (ms) and the final text."""
    element.evaluate(WATCH_JS)
    train = element.locator("button.jupyter-button", has_text="Train")
    stop = element.locator("button.jupyter-button", has_text="Stop")
    loads = element.evaluate("el => el.__loads.length")
    mutations = element.evaluate("el => el.__mutations.length")
    train.click()
    deadline = time.monotonic() + TRAIN_LIMIT_S
    response = None
    while response is None and time.monotonic() < deadline:
        response = element.evaluate("""(el, n) => el.__mutations.length > n ?
            el.__mutations.find(t => t > el.__inputs[el.__inputs.length - 1]) - el.__inputs[el.__inputs.length - 1] : null""",
                                    mutations)
        time.sleep(0.02)
    first_epoch = _wait_for_figure(element, loads, f"{what}: Train pressed")
    stop.click()
    element.page.wait_for_function(
        """(el) => { const b = [...el.querySelectorAll('button.jupyter-button')].find(b => b.textContent.includes('Train'));
                     return b && !b.disabled; }""",
        arg=element.element_handle(), timeout=TRAIN_LIMIT_S * 1000, polling=200)
    return {"response_ms": response, "first_epoch_ms": first_epoch, "text": element.inner_text()}
