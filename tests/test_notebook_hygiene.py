import copy

import nbformat
import pytest

from hygiene import ROOT, NAME_PATTERN, all_problems, course_notebooks

NOTEBOOKS = course_notebooks()


def test_there_are_notebooks_numbered_from_01_without_gaps():
    numbers = [int(NAME_PATTERN.match(p.name).group(1)) for p in NOTEBOOKS if NAME_PATTERN.match(p.name)]
    assert numbers, "no notebooks found in notebooks/"
    assert numbers == list(range(1, len(numbers) + 1)), f"notebook numbers {numbers} must run 01, 02, ... with no gaps"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_named_stored_clean_and_has_the_course_frame(path):
    assert NAME_PATTERN.match(path.name), f"{path.name}: name notebooks NN_topic.ipynb (lower case)"
    assert all_problems(path) == []


def test_no_untitled_notebooks_anywhere():
    strays = [p for p in ROOT.rglob("Untitled*.ipynb") if ".venv" not in p.parts]
    assert strays == [], f"remove or rename: {strays}"


# The rules themselves must be able to fail: feed them broken copies of a real notebook.
def test_hygiene_rules_catch_outputs_missing_sections_and_installs():
    nb = nbformat.read(NOTEBOOKS[0], as_version=4)
    dirty = copy.deepcopy(nb)
    code = next(c for c in dirty.cells if c.cell_type == "code")
    code.execution_count = 3
    code.outputs = [nbformat.v4.new_output("stream", text="hello\n")]
    no_frame = copy.deepcopy(nb)
    no_frame.cells[0].source = "# Finite differences"
    no_frame.cells = [c for c in no_frame.cells if "Key points" not in c.source]
    installs = copy.deepcopy(nb)
    installs.cells.append(nbformat.v4.new_code_cell("!pip install torch"))
    from hygiene import no_install_or_cwd_tricks, opening_and_closing, stored_without_outputs

    assert len(stored_without_outputs(dirty)) == 2
    frame_problems = " ".join(opening_and_closing(no_frame))
    assert "title" in frame_problems and "What you'll learn" in frame_problems and "Key points" in frame_problems
    assert no_install_or_cwd_tricks(installs)
