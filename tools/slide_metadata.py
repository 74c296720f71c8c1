"""Give every notebook cell its slide type, from the notebook's structure alone.

    python tools/slide_metadata.py            rewrite notebooks/*.ipynb in place (metadata only)
    python tools/slide_metadata.py --check    exit 1 and name the notebooks whose stored metadata differs

The live slideshow in JupyterLab (jupyterlab-slideshow's *Start Deck*) and ``make slides``
(reveal.js decks) read ``cell.metadata.slideshow.slide_type``. A cell that continues the current
slide (``-`` in the rules below) is stored *without* a ``slideshow`` entry, as JupyterLab's own
property inspector stores it: nbconvert reads a missing type as ``-``, but jupyterlab-slideshow
reads only a missing type as "continue" and hides a cell stored as ``"-"`` (the playground on a
slide would not be shown). Writing it by hand goes stale as soon as a lesson is
edited, so this tool derives it, deterministically and idempotently, and a test fails when a
stored notebook differs from what the tool would write: after editing a notebook, rerun it.

The rules, in order (the first that applies wins):

1. The title cell (first cell, ``# NN · ...``) starts a ``slide``.
2. A markdown cell that opens with a ``## `` heading (a section, Key points) starts a ``slide``.
3. A markdown cell that opens a solution (``<details>``; it also carries the next exercise's
   question) starts a ``subslide``.
4. A markdown cell that opens with ``**Check`` starts a ``subslide`` (the claim, then its check).
5. Any other markdown cell starts a ``subslide`` (one idea per slide), unless it is too long for
   a slide on its own (more than ``SLIDE_BUDGET`` display lines): then it becomes ``notes``
   (speaker notes), and the cell after it starts a fresh subslide.
6. The first code cell (imports, seeding, environment report) starts a ``subslide``.
7. A code cell that builds a playground (calls a class imported from ``course_utils.widgets``)
   joins the slide of the markdown right before it when both fit, else starts a ``subslide``.
8. Any other code cell joins the current slide (``-``) while the slide stays within
   ``SLIDE_BUDGET`` display lines; otherwise it starts a ``subslide`` (a long cell is split
   onto a slide of its own, which scrolls when it is longer than the screen).

Display lines: markdown source lines wrapped at ``WRAP`` characters (blank lines free, headings
count double); code lines plus an allowance for what the cell shows (``FIGURE_LINES`` for a
figure or playground, ``OUTPUT_LINES`` otherwise).

The notebook's own ``rise`` metadata (theme, scrolling, where to start) is set too, so that
every notebook opens the same way in RISE. Nothing but metadata is ever written; cell sources,
ids and outputs stay as they are.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"

SLIDE_BUDGET = 24   # display lines that fit a 960 x 700 slide at projector font size
WRAP = 100          # characters per markdown line on a slide
FIGURE_LINES = 12   # a figure or playground takes about half a slide
OUTPUT_LINES = 3    # printed output (PASS lines, a short table)

RISE_SETTINGS = {
    "theme": "white",              # reveal.js's white theme ships its fonts; "simple" fetches web fonts
    "transition": "none",
    "scroll": True,                # a long code cell scrolls instead of running off the slide
    "start_slideshow_at": "beginning",
    "slideNumber": "c/t",
    "center": False,
    "enable_chalkboard": False,
}

_WIDGET_IMPORT = re.compile(r"from\s+course_utils\.widgets(?:\.\w+)?\s+import\s+\(?([\w\s,]+)\)?")
_FIGURE = re.compile(r"\bplt\.|\bfig\b|\.plot\(|\.imshow\(|\.scatter\(|\bdisplay\(")


def _playground_classes(nb) -> set[str]:
    names: set[str] = set()
    for cell in nb.cells:
        if cell.cell_type == "code":
            for match in _WIDGET_IMPORT.finditer(cell.source):
                names.update(n for n in re.split(r"[\s,]+", match.group(1)) if n[:1].isupper())
    return names


def _markdown_lines(source: str) -> int:
    total = 0
    for line in source.splitlines():
        if line.strip():
            total += max(1, math.ceil(len(line) / WRAP)) * (2 if line.startswith("#") else 1)
    return total


def _code_lines(source: str, playground: bool) -> int:
    lines = len(source.splitlines())
    return lines + (FIGURE_LINES if playground or _FIGURE.search(source) else OUTPUT_LINES)


def _builds_playground(source: str, classes: set[str]) -> bool:
    return any(re.search(rf"\b{re.escape(name)}\s*\(", source) for name in classes)


def slide_types(nb) -> list[str]:
    """The slide type of each cell of ``nb``, by the rules in this module's docstring."""
    classes = _playground_classes(nb)
    types: list[str] = []
    used = 0                        # display lines on the current slide
    seen_code = False
    for index, cell in enumerate(nb.cells):
        source = cell.source.lstrip()
        if cell.cell_type == "markdown":
            size = _markdown_lines(cell.source)
            if index == 0 and source.startswith("# "):
                kind = "slide"
            elif source.startswith("## "):
                kind = "slide"
            elif source.startswith("<details") or source.startswith("**Check"):
                kind = "subslide"
            elif size > SLIDE_BUDGET:
                kind = "notes"
            else:
                kind = "subslide"
            if kind == "notes":
                used = SLIDE_BUDGET     # the next visible cell starts a fresh slide
            else:
                used = size
        elif cell.cell_type == "code":
            playground = _builds_playground(cell.source, classes)
            size = _code_lines(cell.source, playground)
            previous = nb.cells[index - 1] if index else None
            if not seen_code:
                kind = "subslide"
            elif playground:
                follows_markdown = previous is not None and previous.cell_type == "markdown" and types[-1] != "notes"
                kind = "-" if follows_markdown and used + size <= SLIDE_BUDGET else "subslide"
            else:
                kind = "-" if used + size <= SLIDE_BUDGET else "subslide"
            used = size if kind == "subslide" else used + size
            seen_code = True
        else:                           # raw cells carry no slide content of their own
            kind = "skip"
        types.append(kind)
    return types


def stored_slide_type(cell) -> str:
    """The slide type a cell carries: ``-`` (continue the slide) when it has none."""
    return cell.metadata.get("slideshow", {}).get("slide_type", "-")


def apply(nb) -> bool:
    """Write slide metadata into ``nb`` in place; return True when anything changed."""
    before = nbformat.writes(nb)
    for cell, kind in zip(nb.cells, slide_types(nb)):
        if kind == "-":                 # no entry: the one form every slideshow reads as "continue"
            cell.metadata.pop("slideshow", None)
        else:
            cell.metadata["slideshow"] = {"slide_type": kind}
    nb.metadata["rise"] = dict(RISE_SETTINGS)
    return nbformat.writes(nb) != before


def process(path: Path, check: bool) -> bool:
    """Apply the rules to the notebook at ``path``; return True when it was (or would be) changed."""
    nb = nbformat.read(path, as_version=4)
    changed = apply(nb)
    if changed and not check:
        nbformat.validate(nb)
        path.write_text(nbformat.writes(nb), encoding="utf-8")
    return changed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks or folders (default: notebooks/)")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 when a notebook is out of date")
    args = parser.parse_args(argv)
    targets = args.paths or [NOTEBOOK_DIR]
    paths = [p for t in targets for p in (sorted(t.glob("*.ipynb")) if t.is_dir() else [t])]
    if not paths:
        print(f"no notebooks found in {', '.join(map(str, targets))}", file=sys.stderr)
        return 2
    changed = [p for p in paths if process(p, args.check)]
    if args.check:
        for p in changed:
            print(f"{p}: slide metadata is out of date; run `python tools/slide_metadata.py`")
        return 1 if changed else 0
    print(f"slide metadata: updated {len(changed)} of {len(paths)} notebooks" + "".join(f"\n  {p}" for p in changed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
