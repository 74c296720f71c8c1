"""Live slides: every playground shows and responds inside a jupyterlab-slideshow deck.

A teacher presents a notebook in JupyterLab itself: Run All, click the first cell, press the
deck button in the notebook toolbar (``deck:toggle``, "Start Deck"), then step through the
slides with the deck's on-screen arrows. This test does exactly that in Chromium, with the
JupyterLab settings a teacher has (the course's overrides and JupyterLab's defaults; in
particular the default ``windowingMode``, which attaches cells only as they scroll into
view; the extension switches it off while a deck runs). On the slide of each playground it
checks that the playground is on screen (its figure is the topmost element at its own
centre, not hidden behind or outside the slide), that the figure has loaded, and that moving
its first control (a key press on a slider, or Train then Stop) draws a new figure while the
deck stays on that slide. Then it ends the deck with the deck's stop button.
Screenshots go to build/screenshots/live-slides/.
"""

from __future__ import annotations

import json
import re
import time

import pytest

from lab import ROOT, SCREENSHOTS, start_lab, stop_lab
from notebook_page import KERNEL_READY_S, NOTEBOOK_LIMIT_S, inspect_playground, open_notebook, slider_changes, train_and_stop
from test_notebooks_in_lab import SLIDER, expected_playgrounds

NOTEBOOKS = [p for p in sorted((ROOT / "notebooks").glob("*.ipynb")) if expected_playgrounds(p)]
SHOTS = SCREENSHOTS / "live-slides"
MAX_STEPS = 400            # deck steps before giving up on reaching a playground's slide
PRESSES = 2                # slider presses per playground (the full browser suite times more)

# Is the element's figure really visible: inside the window and the topmost thing at its centre?
ON_SCREEN_JS = """(el) => {
  const img = el.querySelector('img.widget-image');
  const cell = el.closest('.jp-Cell');
  if (!img || !cell) return {onscreen: false, why: 'no figure or no cell'};
  const r = img.getBoundingClientRect();
  const inside = r.width > 50 && r.height > 50 && r.top >= 0 && r.left >= 0
                 && r.bottom <= window.innerHeight && r.right <= window.innerWidth;
  const hit = inside ? document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2) : null;
  return {onscreen: inside && hit === img, deckCell: cell.classList.contains('jp-deck-mod-onscreen'),
          why: inside ? `topmost at the figure's centre: ${hit ? hit.tagName + '.' + hit.className : 'nothing'}`
                      : `figure at ${JSON.stringify([r.left, r.top, r.width, r.height])}, window ${window.innerWidth}x${window.innerHeight}`};
}"""


@pytest.fixture(scope="module")
def teacher_lab(tmp_path_factory):
    """JupyterLab as `make lab` starts it, with JupyterLab's default notebook windowing (the
    browser suite's own server turns windowing off to read every cell; a teacher's does not)."""
    workdir = tmp_path_factory.mktemp("jupyterlab-teacher")
    server = start_lab(workdir)
    tracker = workdir / "user-settings" / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    tracker.write_text(json.dumps({}))          # autosave stays off (docmanager settings): notebooks are never saved
    yield server
    stop_lab(server)


def run_all(page, lab, name: str) -> None:
    """Run -> Run All Cells through the menu, then wait until the kernel has been idle for a
    few seconds in a row (with windowing on, not every cell's prompt is in the page to read)."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator('.lm-Menu-item[data-command="runmenu:run-all"]').click()
    start, idle = time.monotonic(), 0
    while idle < 4:
        states = [k["execution_state"] for k in lab.api("GET", "kernels")]
        idle = idle + 1 if states == ["idle"] and time.monotonic() - start > 3 else 0
        if time.monotonic() - start > NOTEBOOK_LIMIT_S:
            raise AssertionError(f"{name}: Run All did not finish within {NOTEBOOK_LIMIT_S} s")
        time.sleep(1.0)


def step(page) -> bool:
    """One step through the deck, as a teacher clicks the deck's on-screen arrows: down to the
    next subslide where there is one, else forward to the next slide. False at the end."""
    for direction in ("down", "forward"):
        button = page.locator(f".jp-Deck-Remote button.jp-deck-mod-direction-{direction}")
        if button.count() and "jp-mod-disabled" not in (button.first.get_attribute("class") or ""):
            button.first.click()
            time.sleep(0.3)
            return True
    return False


def go_to(page, element, what: str) -> dict:
    """Step through the deck until ``element`` (a playground) is on screen."""
    for _ in range(MAX_STEPS):
        seen = element.evaluate(ON_SCREEN_JS)
        if seen["onscreen"]:
            return seen
        if not step(page):
            raise AssertionError(f"{what}: reached the deck's last slide without the playground on screen ({seen['why']})")
    raise AssertionError(f"{what}: not on screen after {MAX_STEPS} deck steps ({seen['why']})")


@pytest.fixture
def fresh_kernels(teacher_lab):
    """Each test starts with no kernel and no deck: jupyterlab-slideshow remembers "active" in
    its user settings, so a deck left running would open the next notebook as a deck."""
    deck_settings = teacher_lab.log_path.parent / "user-settings" / "jupyterlab-slideshow" / "plugin.jupyterlab-settings"
    deck_settings.unlink(missing_ok=True)
    yield
    teacher_lab.shut_down_kernels()


@pytest.mark.timeout(NOTEBOOK_LIMIT_S + 600)
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_playgrounds_show_and_respond_on_live_slides(path, page, teacher_lab, fresh_kernels):
    name = path.name
    page.set_default_timeout(120_000)
    open_notebook(page, teacher_lab, f"notebooks/{name}")
    run_all(page, teacher_lab, name)

    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell").first.click()
    page.locator('.jp-NotebookPanel:not(.lm-mod-hidden) [data-command="deck:toggle"]').first.click()
    page.wait_for_selector(".jp-Deck-Remote", timeout=KERNEL_READY_S * 1000)
    title = page.locator(".jp-Notebook .jp-Cell.jp-deck-mod-onscreen").first.inner_text()
    assert path.stem[:2] in title, f"{name}: the deck does not open on the title slide (shows {title[:80]!r})"
    SHOTS.mkdir(parents=True, exist_ok=True)

    elements = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .course-playground")
    wanted, deadline = len(expected_playgrounds(path)), time.monotonic() + 60
    while elements.count() < wanted and time.monotonic() < deadline:   # cells far down render once the deck
        time.sleep(0.5)                                                  # has switched windowing off
    kinds = [inspect_playground(elements.nth(i))["kinds"][0] for i in range(elements.count())]
    assert sorted(kinds) == expected_playgrounds(path), f"{name}: playgrounds in the deck {kinds}"
    problems = []
    for i, kind in enumerate(kinds):
        element, what = elements.nth(i), f"{name}: {kind} on its slide"
        go_to(page, element, what)
        seen = inspect_playground(element)
        if not (seen["loaded"] and seen["colours"] >= 8 and seen["controls"] > 0):
            problems.append(f"{what}: figure loaded {seen['loaded']}, {seen['colours']} colours, {seen['controls']} controls")
            continue
        page.screenshot(path=str(SHOTS / f"{path.stem}--{kind}.png"))
        if kind == "TrainingPlayground":
            train_and_stop(element, what)
            changed = inspect_playground(element)["fingerprint"] != seen["fingerprint"]
        else:
            _, fingerprints = slider_changes(element, SLIDER[kind], PRESSES, what)
            changed = bool(fingerprints - {seen["fingerprint"]})
        if not changed:
            problems.append(f"{what}: the figure did not change when its control moved")
        after = element.evaluate(ON_SCREEN_JS)
        if not after["onscreen"]:
            problems.append(f"{what}: the deck left the playground's slide when its control moved ({after['why']})")
        page.screenshot(path=str(SHOTS / f"{path.stem}--{kind}--after.png"))
    page.locator(".jp-Deck-Remote button.jp-deck-mod-stop").click()       # end the deck, as a teacher does
    page.wait_for_selector(".jp-Deck-Remote", state="detached", timeout=30_000)
    assert not problems, f"{name} as live slides:\n- " + "\n- ".join(problems)
