"""The slide metadata stored in each notebook is exactly what tools/slide_metadata.py writes.

When this fails after a notebook was edited, run `python tools/slide_metadata.py` (it only
writes metadata) and commit the result.
"""

import copy
import importlib.util
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("slide_metadata", ROOT / "tools" / "slide_metadata.py")
slide_metadata = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(slide_metadata)

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_slide_metadata_is_what_the_tool_writes(path):
    nb = nbformat.read(path, as_version=4)
    stored = [slide_metadata.stored_slide_type(cell) for cell in nb.cells]
    wanted = slide_metadata.slide_types(nb)
    differing = [f"cell {i} ({cell.id}): stored {s!r}, tool says {w!r}"
                 for i, (cell, s, w) in enumerate(zip(nb.cells, stored, wanted)) if s != w]
    assert not differing, (f"{path.name}: slide metadata is out of date; run `python tools/slide_metadata.py`\n"
                           + "\n".join(differing[:10]))
    assert nb.metadata.get("rise") == slide_metadata.RISE_SETTINGS, (
        f"{path.name}: notebook 'rise' settings differ; run `python tools/slide_metadata.py`")
    assert not slide_metadata.apply(nb), f"{path.name}: the tool would still change it"


def _lesson():
    return new_notebook(cells=[
        new_markdown_cell("# 09 · A lesson\n\n**What you'll learn**\n- one thing"),
        new_code_cell("import numpy as np\nfrom course_utils.widgets import SecantExplorer"),
        new_markdown_cell("## 1. A section\n\nWhy it matters."),
        new_code_cell("x = np.ones(3)\nprint(x)"),
        new_code_cell("\n".join(f"y{i} = {i}" for i in range(30))),          # too long to share a slide
        new_markdown_cell("**Check.** The sum is 3."),
        new_code_cell("check_close('sum', x.sum(), 3.0)"),
        new_markdown_cell("Drag the slider."),
        new_code_cell("display(SecantExplorer())"),
        new_markdown_cell("\n".join(["A very long paragraph " * 6] * 30)),  # longer than a slide
        new_code_cell("z = 1"),
        new_markdown_cell("## Key points\n\n- one\n\n## Exercises\n\n**1. Try.**"),
        new_code_cell("answer = ..."),
        new_markdown_cell("<details><summary>Solution</summary>\n\n42\n</details>\n\n**2. Next.**"),
    ])


def test_rules_on_a_small_lesson():
    assert slide_metadata.slide_types(_lesson()) == [
        "slide",      # title
        "subslide",   # setup cell
        "slide",      # ## section
        "-",          # short code joins its explanation
        "subslide",   # a long code cell gets a slide of its own
        "subslide",   # **Check.**
        "-",          # its check cell
        "subslide",   # playground introduction
        "-",          # the playground joins it
        "notes",      # prose too long for a slide goes to speaker notes
        "subslide",   # so the next visible cell starts a new slide
        "slide",      # Key points / Exercises
        "-",          # exercise cell
        "subslide",   # solution toggle + next question
    ]


def test_a_cell_that_continues_a_slide_carries_no_slide_type():
    """jupyterlab-slideshow (the live deck) treats only a missing type as "continue the slide":
    a cell stored as "-" is never shown on a slide there, so the tool never stores "-"."""
    nb = _lesson()
    nb.cells[3].metadata["slideshow"] = {"slide_type": "-"}        # as an older tool version wrote it
    slide_metadata.apply(nb)
    kinds = slide_metadata.slide_types(nb)
    assert kinds[3] == kinds[8] == "-"
    assert "slideshow" not in nb.cells[3].metadata and "slideshow" not in nb.cells[8].metadata
    assert [slide_metadata.stored_slide_type(c) for c in nb.cells] == kinds
    for path in NOTEBOOKS:
        stored_dash = [c.id for c in nbformat.read(path, as_version=4).cells
                       if c.metadata.get("slideshow", {}).get("slide_type") == "-"]
        assert not stored_dash, f"{path.name}: cells {stored_dash} store slide_type '-'; run `python tools/slide_metadata.py`"


def test_the_tool_writes_metadata_only_and_is_idempotent(tmp_path):
    path = tmp_path / "09_lesson.ipynb"
    nbformat.write(_lesson(), path)
    before = nbformat.read(path, as_version=4)
    assert slide_metadata.process(path, check=True) is True      # out of date, but --check writes nothing
    assert nbformat.read(path, as_version=4) == before
    assert slide_metadata.process(path, check=False) is True
    after = nbformat.read(path, as_version=4)
    assert [(c.id, c.cell_type, c.source) for c in after.cells] == [(c.id, c.cell_type, c.source) for c in before.cells]
    text = path.read_text(encoding="utf-8")
    assert slide_metadata.process(path, check=False) is False     # second run: nothing to do
    assert path.read_text(encoding="utf-8") == text
    assert slide_metadata.main(["--check", str(path)]) == 0


def test_check_mode_names_a_stale_notebook(tmp_path, capsys):
    path = tmp_path / "09_lesson.ipynb"
    nb = _lesson()
    slide_metadata.apply(nb)
    stale = copy.deepcopy(nb)
    stale.cells[2].metadata["slideshow"]["slide_type"] = "-"
    nbformat.write(stale, path)
    assert slide_metadata.main(["--check", str(path)]) == 1
    assert "run `python tools/slide_metadata.py`" in capsys.readouterr().out
