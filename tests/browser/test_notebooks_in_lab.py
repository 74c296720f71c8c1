"""Every notebook, run in real JupyterLab in Chromium, as a learner runs it.

For each notebook in notebooks/ (new ones are picked up automatically): open it, Run ->
Run All Cells, wait for every cell (each within a generous bound, else the failure names
the cell), then check what is on screen: no error output, no MathJax error or raw math, no
popup, and every playground the notebook builds shows labelled controls and a loaded,
non-blank figure drawn at the screen's pixel density; a slider moved with the keyboard (or
Train pressed) changes the figure. Screenshots go to build/screenshots/, latencies to
build/browser/latency.json (printed by `make bench`).
"""

from __future__ import annotations

import inspect
import os
import re

import nbformat
import pytest

import course_utils.widgets as course_widgets
from course_utils.widgets.base import Playground
from lab import ROOT, SCREENSHOTS
from notebook_page import (NOTEBOOK_LIMIT_S, cell_refs, error_outputs, inspect_playground, math_problems, open_notebook,
                           playground_elements, popups, run_all_and_wait, slider_changes, train_and_stop, unexecuted_cells)

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
PLAYGROUND_CLASSES = sorted(name for name, obj in vars(course_widgets).items()
                            if inspect.isclass(obj) and issubclass(obj, Playground) and obj is not Playground)
# The control a learner would reach for first; the figure must change when it moves.
SLIDER = {"SecantExplorer": "step log10 h", "EulerStabilityExplorer": "step size Δt", "ResNetDepthExplorer": "blocks L",
          "MatmulExplorer": "column j", "OptimizerPlayground": "learning rate", "EmbeddingExplorer": "neighbours"}
PRESSES = int(os.environ.get("COURSE_LATENCY_PRESSES", "5"))
TRAIN_PRESSES = int(os.environ.get("COURSE_TRAIN_PRESSES", "2"))

# MathJax errors that are expected, keyed by (notebook, cell id) with the error text. Empty:
# every formula renders. An entry whose error no longer occurs fails the test.
KNOWN_MATH_ERRORS: dict[tuple[str, str], str] = {}


def expected_playgrounds(path) -> list[str]:
    """Playground classes the notebook constructs (``Name(`` in a code cell, not in an import)."""
    found = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        code = "\n".join(line for line in cell.source.splitlines() if not re.match(r"\s*(from|import)\s", line))
        found += [name for name in PLAYGROUND_CLASSES if re.search(rf"\b{name}\(", code)]
    return sorted(found)


@pytest.fixture
def fresh_kernels(lab):
    yield
    lab.shut_down_kernels()


def test_the_suite_covers_every_playground_class():
    shown = {name for path in NOTEBOOKS for name in expected_playgrounds(path)}
    assert shown == set(PLAYGROUND_CLASSES), f"not shown in any notebook: {set(PLAYGROUND_CLASSES) - shown}"
    assert set(SLIDER) | {"TrainingPlayground"} == set(PLAYGROUND_CLASSES), "name the control to move for each playground"


@pytest.mark.timeout(NOTEBOOK_LIMIT_S + 900)
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_renders_and_responds_in_jupyterlab(path, page, lab, latency_log, fresh_kernels):
    name = path.name
    page.set_default_timeout(120_000)
    refs = cell_refs(path)
    open_notebook(page, lab, f"notebooks/{name}")
    problems = [f"popup on opening: {p}" for p in popups(page)]
    run_all_and_wait(page, name, refs)

    problems += [f"error output in {e}" for e in error_outputs(page, refs)]
    problems += [f"did not run: {c}" for c in unexecuted_cells(page, refs)]
    math_errors, raw_math = math_problems(page, refs)
    for cell_id, error, where in math_errors:
        expected = KNOWN_MATH_ERRORS.get((name, cell_id))
        if expected is None or expected not in error:
            problems.append(f"MathJax error in {where}: {error}")
    for (nb, cell_id), expected in KNOWN_MATH_ERRORS.items():
        if nb == name and not any(c == cell_id and expected in e for c, e, _ in math_errors):
            problems.append(f"KNOWN_MATH_ERRORS entry {(nb, cell_id)} no longer occurs: remove it from {__file__}")
    problems += [f"raw math not rendered in {r}" for r in raw_math]

    expected = expected_playgrounds(path)
    elements = playground_elements(page)
    shown = sorted(k for i in range(elements.count()) for k in inspect_playground(elements.nth(i))["kinds"])
    if shown != expected:
        problems.append(f"playgrounds on screen {shown}, but the notebook builds {expected} "
                        "(one printed as text instead of showing its controls?)")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for i in range(elements.count()):
        element = elements.nth(i)
        element.scroll_into_view_if_needed()
        seen = inspect_playground(element)
        kind = seen["kinds"][0]
        what = f"{name}: {kind}"
        if not (seen["hasImg"] and seen["loaded"]):
            problems.append(f"{what}: its figure has not loaded")
            continue
        if seen["controls"] == 0:
            problems.append(f"{what}: no controls on screen")
        if seen["colours"] < 8:
            problems.append(f"{what}: the figure is blank ({seen['colours']} colours)")
        if seen["natural"] + 2 < seen["shown"] * seen["dpr"]:
            problems.append(f"{what}: figure upscaled (blurry): {seen['natural']} px wide PNG shown at "
                            f"{seen['shown']:.0f} CSS px on a {seen['dpr']}x screen")
        problems += [f"{what}: label cut off: {label['text']!r}" for label in seen["labels"] if label["cut"]]
        element.screenshot(path=str(SCREENSHOTS / f"{path.stem}--{kind}.png"))
        fingerprints = set()
        if kind == "TrainingPlayground":
            runs = [train_and_stop(element, what) for _ in range(TRAIN_PRESSES)]
            if "Stopped" not in runs[-1]["text"] and "done" not in runs[-1]["text"]:
                problems.append(f"{what}: after Stop the playground says: {runs[-1]['text'][:200]}")
            latency_log.append({"notebook": name, "playground": kind, "control": "Train: first response",
                                "ms": [r["response_ms"] for r in runs]})
            latency_log.append({"notebook": name, "playground": kind, "control": "Train: first epoch drawn",
                                "ms": [r["first_epoch_ms"] for r in runs]})
            fingerprints.add(inspect_playground(element)["fingerprint"])
        else:
            ms, fingerprints = slider_changes(element, SLIDER[kind], PRESSES, what)
            latency_log.append({"notebook": name, "playground": kind, "control": SLIDER[kind], "ms": ms})
        if fingerprints <= {seen["fingerprint"]}:
            problems.append(f"{what}: the figure looks the same after the control changes")
        element.screenshot(path=str(SCREENSHOTS / f"{path.stem}--{kind}--after.png"))
    problems += [f"popup after running: {p}" for p in popups(page)]
    assert not problems, f"{name} in JupyterLab:\n- " + "\n- ".join(problems)
