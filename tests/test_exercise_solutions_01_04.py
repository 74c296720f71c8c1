"""The solutions in the notebooks' collapsed <details> blocks pass their own checkers.

For each exercise with a checker in notebooks 01-04: run the cells the exercise needs, then
the solution's code block (```python ... ```), then the checker. Checker calls written inline in
a solution (`check_x(answer)`) are evaluated too, so a documented answer cannot drift from
what its checker accepts.
"""

from __future__ import annotations

import contextlib
import io
import re
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import pytest  # noqa: E402

from hygiene import NOTEBOOK_DIR  # noqa: E402

CODE_BLOCK = re.compile(r"```python\n(.*?)```", re.S)
INLINE_CHECK = re.compile(r"`(check_\w+\(.*?\))`")

# (notebook, cells to run first, solution cell id, checker calls after the solution's code)
SOLUTIONS = [
    ("01_finite_differences.ipynb", ["cell-036"], "cell-037", ["check_backward_difference(backward_difference)"]),
    ("01_finite_differences.ipynb", ["cell-036"], "cell-039", ["check_five_point_stencil(five_point)"]),
    ("01_finite_differences.ipynb", ["cell-001", "cell-036"], "cell-041", []),
    ("01_finite_differences.ipynb", ["cell-001", "cell-036", "cell-042"], "cell-043",
     ["check_wrong_coordinate(wrong_coordinate)"]),
    ("01_finite_differences.ipynb", ["cell-001", "cell-024", "cell-024a", "cell-024b", "cell-036"], "cell-043b",
     ["check_float32_gradient_check(my_float32_error)"]),
    ("02_euler_steps_and_resnets.ipynb", ["cell-001", "cell-045"], "cell-046", ["check_midpoint_step(midpoint_step)"]),
    ("02_euler_steps_and_resnets.ipynb", ["cell-045"], "cell-048", []),
    ("02_euler_steps_and_resnets.ipynb", ["cell-045"], "cell-048b", []),
    ("03_backprop_by_hand.ipynb", ["cell-001", "cell-028"], "cell-029", ["check_relu_backward(relu_backward)"]),
    ("03_backprop_by_hand.ipynb", ["cell-001", "cell-028"], "cell-031", ["check_linear_backward(linear_backward)"]),
    ("03_backprop_by_hand.ipynb", ["cell-001", "cell-028"], "cell-031b", ["check_tanh_mse_backward(tanh_mse_backward)"]),
    ("04_matmul_broadcasting_embeddings.ipynb", ["cell-001", "cell-032"], "cell-033", []),
    ("04_matmul_broadcasting_embeddings.ipynb", ["cell-001", "cell-032"], "cell-035",
     ["check_embedding_backward(embedding_backward)"]),
    ("04_matmul_broadcasting_embeddings.ipynb", ["cell-032"], "cell-035b", []),
]


def _solution_parts(source: str) -> tuple[str, list[str]]:
    """The code blocks and the inline checker calls of the first <details> block in a cell."""
    details = source[source.index("<details>"):source.index("</details>")]
    return "\n".join(CODE_BLOCK.findall(details)), INLINE_CHECK.findall(details)


@pytest.mark.parametrize("notebook, setup, solution_cell, calls", SOLUTIONS,
                         ids=[f"{s[0][:2]} {s[2]}" for s in SOLUTIONS])
def test_the_solution_passes_its_checker(notebook, setup, solution_cell, calls):
    cells = {c.get("id"): c for c in nbformat.read(NOTEBOOK_DIR / notebook, as_version=4).cells}
    code, inline_calls = _solution_parts(cells[solution_cell].source)
    assert code or inline_calls, f"{notebook} {solution_cell} has no solution code and no checker call"
    namespace, printed = {"__name__": "__main__"}, io.StringIO()
    try:
        with contextlib.redirect_stdout(printed), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for cell_id in setup:
                exec(compile(cells[cell_id].source, f"{notebook}:{cell_id}", "exec"), namespace)
            exec(compile(code, f"{notebook}:{solution_cell} solution", "exec"), namespace)
            verdicts = {call: eval(call, namespace) for call in calls + inline_calls}
    finally:
        plt.close("all")
    assert verdicts and all(v is True for v in verdicts.values()), f"{verdicts}\n{printed.getvalue()}"
