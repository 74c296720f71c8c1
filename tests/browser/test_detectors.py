"""The browser checks must be able to fail: a scratch notebook with a MathJax error, an
undefined macro and a failing cell, run through the same functions as the course's notebooks."""

from __future__ import annotations

import nbformat
import pytest

from lab import RESULTS, ROOT
from notebook_page import cell_refs, error_outputs, math_problems, open_notebook, run_all_and_wait, unexecuted_cells


@pytest.fixture
def broken_notebook():
    folder = RESULTS / "selfcheck"
    folder.mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("Best step $h^\\* \\sim \\sqrt{\\varepsilon}$, a double subscript $x_1_2$ "
                                              "and an unbalanced $\\frac{1}{$ formula."),
                nbformat.v4.new_code_cell("print('fine')"),
                nbformat.v4.new_code_cell("1 / 0"),
                nbformat.v4.new_code_cell("print('never runs')")]
    path = folder / "detectors.ipynb"
    nbformat.write(nb, path)
    yield path
    path.unlink(missing_ok=True)


@pytest.mark.timeout(900)
def test_the_checks_see_math_errors_failed_cells_and_cells_that_never_ran(broken_notebook, page, lab):
    page.set_default_timeout(120_000)
    refs = cell_refs(broken_notebook)
    open_notebook(page, lab, str(broken_notebook.relative_to(ROOT)))
    run_all_and_wait(page, "detectors.ipynb", refs)
    errors = error_outputs(page, refs)
    assert len(errors) == 1 and "ZeroDivisionError" in errors[0] and "code cell 1" in errors[0], errors
    assert [c for c in unexecuted_cells(page, refs)] == [refs[3].describe()]
    math_errors, raw = math_problems(page, refs)
    texts = [e for _, e, _ in math_errors]
    assert any("undefined macro \\*" in t for t in texts), texts
    assert any("Double subscripts" in t for t in texts), f"x_1_2 should show as an merror: {texts}"
    assert len(raw) == 1 and "\\frac" in raw[0], f"the unbalanced formula stays raw text: {raw}"
    lab.shut_down_kernels()
