"""Checks of notebooks 05-07 that must be able to fail: break the idea a check tests in a copy
of the notebook's cells and assert that the check then fails (the harness of
``test_check_perturbations.py``: cells run in this process on the synthetic data, once as
stored, where the check must pass, and once with one line replaced, where it must fail).
"""

from __future__ import annotations

import re

import pytest

from test_check_perturbations import run_cells

# (name, notebook, cell ids to run in order (the last one is the check cell),
#  (cell id, original text, broken text), fragment of the check name that must fail)
CASES = [
    ("05 latin-1 title read as UTF-8 by mistake", "05_matrix_factorization.ipynb",
     ["cell-001", "cell-05-latin1", "cell-05-latin1-check"],
     ("cell-05-latin1", 'as_utf8 = title_bytes.decode("utf-8")', 'as_utf8 = title_bytes.decode("latin-1")'),
     "UTF-8 cannot decode"),
    ("05 fold-in penalising the bias with the factor penalty", "05_matrix_factorization.ipynb",
     ["cell-001", "cell-003", "cell-011", "cell-019", "cell-038", "cell-05-foldin-run", "cell-05-foldin-check"],
     ("cell-038", "np.diag(np.r_[np.full(K, lam), lam_bias])", "np.diag(np.r_[np.full(K, lam), lam])"),
     "fold-in by hand == course_utils fold_in_user"),
    ("06 EMA without the (1 - beta) factor", "06_optimizers.ipynb",
     ["cell-001", "cell-003", "cell-005"],
     ("cell-003", "avg = beta * avg + (1 - beta) * value", "avg = beta * avg + value"),
     "impulse response == (1 - β) β^k"),
    ("06 AdamW replaced by Adam + L2", "06_optimizers.ipynb",
     ["cell-001", "cell-019", "cell-021"],
     ("cell-019", 'adam_w = optimize("adamw",', 'adam_w = optimize("adam",'),
     "AdamW ends where"),
    ("06 rate map: theory with the wrong largest curvature", "06_optimizers.ipynb",
     ["cell-001", "cell-06-map", "cell-06-map-gap", "cell-06-map-check"],
     ("cell-06-map", "theory_map = theory_rates(lr_grid, momentum_grid, [mu_map, L_map])",
      "theory_map = theory_rates(lr_grid, momentum_grid, [mu_map, 1.1 * L_map])"),
     "measured rate map vs theory"),
    ("07 general map applied to U only (predictions change)", "07_what_the_factors_learned.ipynb",
     ["cell-001", "cell-003", "cell-015", "cell-017"],
     ("cell-015", "U @ A, V @ np.linalg.inv(A).T", "U @ A, V @ A"),
     "largest change of a prediction"),
]


@pytest.mark.parametrize("name, notebook, cell_ids, patch, check", CASES, ids=[c[0] for c in CASES])
def test_a_broken_idea_fails_its_check(name, notebook, cell_ids, patch, check, monkeypatch):
    monkeypatch.delenv("MOVIELENS_DIR", raising=False)     # the synthetic data: known, small, always there
    printed = run_cells(notebook, cell_ids)
    assert re.search(rf"^PASS  .*{re.escape(check)}", printed, re.M), f"the check {check!r} did not run and pass on the stored notebook:\n{printed}"
    run_cells(notebook, cell_ids[:-1], patch)              # broken, everything before the check still runs
    with pytest.raises(AssertionError, match=re.escape(check)):
        run_cells(notebook, cell_ids, patch)
