"""Every check must be able to fail: break the idea a check tests (a wrong sign, a wrong
step, an off-by-one) in a copy of a notebook's cells and assert that the check then fails.

Each case runs a few cells of one notebook in a fresh namespace, in this process (no kernel,
so it takes seconds): once as stored, where the target check cell must pass, and once with
one line of one cell replaced, where the target check cell must raise AssertionError naming
the check that caught it. Cells before the target must still run, so the failure is the
check's, not a crash elsewhere.
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

# (name, notebook, cell ids to run in order (the last one is the check cell),
#  (cell id, original text, broken text), fragment of the check name that must fail)
CASES = [
    ("01 central difference divides by h, not 2h", "01_finite_differences.ipynb",
     ["cell-001", "cell-003", "cell-008", "cell-010"],
     ("cell-008", "return (f(x + h) - f(x - h)) / (2 * h)", "return (f(x + h) - f(x - h)) / h"), "central: error ratio"),
    ("01 Hessian stencil with a wrong sign", "01_finite_differences.ipynb",
     ["cell-001", "cell-018", "cell-018a", "cell-020", "cell-020a", "cell-022"],
     ("cell-020a", "- f(x - e_i + e_j) + f(x - e_i - e_j)", "+ f(x - e_i + e_j) + f(x - e_i - e_j)"), "Hessian: my stencil vs by hand"),
    ("01 gradient check predicted with the one-sided step", "01_finite_differences.ipynb",
     ["cell-001", "cell-024", "cell-024a", "cell-024b", "cell-026"],
     ("cell-024b", "h_default = eps64 ** (1 / 3)", "h_default = eps64 ** (1 / 2)"), "measured / expected error"),
    ("02 Euler step with the wrong sign", "02_euler_steps_and_resnets.ipynb",
     ["cell-001", "cell-003", "cell-003b", "cell-005a", "cell-006"],
     ("cell-003", "h = h + f(k * dt, h) * dt", "h = h - f(k * dt, h) * dt"), "Euler growth per step"),
    ("02 RK4 with wrong weights", "02_euler_steps_and_resnets.ipynb",
     ["cell-001", "cell-003", "cell-003b", "cell-008", "cell-010"],
     ("cell-008", "dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)", "dt / 6 * (k1 + k2 + k3 + k4)"), "notebook rk4_step == course_utils"),
    ("02 stability limit from the slow mode", "02_euler_steps_and_resnets.ipynb",
     ["cell-001", "cell-003", "cell-014", "cell-014c", "cell-014a"],
     ("cell-014", "fastest = torch.linalg.eigvalsh(M).abs().max().item()", "fastest = torch.linalg.eigvalsh(M).abs().min().item()"),
     "first unstable"),
    ("02 adjoint equation with the wrong sign", "02_euler_steps_and_resnets.ipynb",
     ["cell-001", "cell-003", "cell-003b", "cell-008", "cell-030a", "cell-031", "cell-031b"],
     ("cell-030a", "-a_df_dh.reshape(-1)", "a_df_dh.reshape(-1)"), "my adjoint"),
    ("02 slow and fast eigenvalues of M mixed up", "02_euler_steps_and_resnets.ipynb",
     ["cell-001", "cell-003", "cell-014", "cell-014c", "cell-014a"],
     ("cell-014c", "z * torch.tensor([-1.0, -20.0], dtype=f64)", "z * torch.tensor([-20.0, -1.0], dtype=f64)"),
     "Euler in eigen-coordinates"),
    ("02 RK4's cost counted in steps, not evaluations", "02_euler_steps_and_resnets.ipynb",
     ["cell-001", "cell-003", "cell-003b", "cell-008", "cell-010", "cell-010b", "cell-010f", "cell-010g", "cell-010c",
      "cell-010e"],
     ("cell-010f", 'fixed["nfe"].append(4 * n)', 'fixed["nfe"].append(n)'),
     "needs fewer evaluations than RK4"),
    ("03 softmax gradient with an off-by-one label", "03_backprop_by_hand.ipynb",
     ["cell-001", "cell-006b", "cell-006e", "cell-006f"],
     ("cell-006e", "np.eye(10)[labels_small]", "np.eye(10)[(labels_small + 1) % 10]"), "p - onehot(y)"),
    ("03 bias gradient averaged instead of summed", "03_backprop_by_hand.ipynb",
     ["cell-001", "cell-006b", "cell-006c"],
     ("cell-006b", "db_rule = X_small.T @ G, G @ W_small.T, G.sum(axis=0)", "db_rule = X_small.T @ G, G @ W_small.T, G.mean(axis=0)"),
     "db = column sums"),
    ("03 Kaiming experiment without the ReLU", "03_backprop_by_hand.ipynb",
     ["cell-001", "cell-024", "cell-024a", "cell-026"],
     ("cell-024", "a = np.maximum(a @ W, 0.0)", "a = a @ W"), "growth per layer vs theory"),
    ("03 finite-difference step large enough to straddle a ReLU kink", "03_backprop_by_hand.ipynb",
     ["cell-001", "cell-003", "cell-005", "cell-007", "cell-009", "cell-011", "cell-011a"],
     ("cell-011a", "largest_step = np.finfo(np.float64).eps ** (1 / 3) *", "largest_step = 1e-3 *"),
     "smallest |pre-activation| / largest move"),
    ("04 cross product with a swapped component", "04_matmul_broadcasting_embeddings.ipynb",
     ["cell-001", "cell-015", "cell-015b", "cell-017b"],
     ("cell-015b", "return np.array([u[1] * v[2] - u[2] * v[1],", "return np.array([u[2] * v[1] - u[1] * v[2],"), "our cross == np.cross"),
    ("04 MSE of a column against a vector, flattening forgotten", "04_matmul_broadcasting_embeddings.ipynb",
     ["cell-001", "cell-011", "cell-013", "cell-013b"],
     ("cell-011", "right_mse = np.mean((predictions.ravel() - targets) ** 2)", "right_mse = np.mean((predictions - targets) ** 2)"),
     "flattened MSE == mean over matched pairs"),
    ("04 embedding lookup off by one row", "04_matmul_broadcasting_embeddings.ipynb",
     ["cell-001", "cell-019", "cell-021"],
     ("cell-021", "grad_index = table_gradient(lambda W: W[indices])", "grad_index = table_gradient(lambda W: W[(indices + 1) % V])"),
     "gradients: matmul == indexing"),
]


def run_cells(notebook: str, cell_ids: list[str], patch=None) -> str:
    """Run the given code cells in order in one fresh namespace; return what they printed."""
    cells = {c.get("id"): c for c in nbformat.read(NOTEBOOK_DIR / notebook, as_version=4).cells}
    namespace = {"__name__": "__main__"}
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for cell_id in cell_ids:
                source = cells[cell_id].source
                if patch is not None and patch[0] == cell_id:
                    assert patch[1] in source, f"{notebook} {cell_id} no longer contains {patch[1]!r}: update this test"
                    source = source.replace(patch[1], patch[2])
                exec(compile(source, f"{notebook}:{cell_id}", "exec"), namespace)
    finally:
        plt.close("all")
    return out.getvalue()


@pytest.mark.parametrize("name, notebook, cell_ids, patch, check", CASES, ids=[c[0] for c in CASES])
def test_a_broken_idea_fails_its_check(name, notebook, cell_ids, patch, check):
    printed = run_cells(notebook, cell_ids)
    assert re.search(rf"^PASS  .*{re.escape(check)}", printed, re.M), f"the check {check!r} did not run and pass on the stored notebook:\n{printed}"
    run_cells(notebook, cell_ids[:-1], patch)              # broken, everything before the check still runs
    with pytest.raises(AssertionError, match=re.escape(check)):
        run_cells(notebook, cell_ids, patch)


def test_the_harness_reports_a_patch_that_no_longer_applies():
    with pytest.raises(AssertionError, match="no longer contains"):
        run_cells("01_finite_differences.ipynb", ["cell-003"], ("cell-003", "text that is not there", "x"))
