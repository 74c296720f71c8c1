"""Notebooks 05 and 07 on real MovieLens data (``ml-latest-small``), as a learner with the data
would run them: every cell must run and every check must hold. nbval runs them on the
synthetic path; this runs the real-data path. Skipped, with the reason, when the data is absent."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
REAL_DATA = Path(os.environ.get("MOVIELENS_DIR") or ROOT.parent / "shared" / "data" / "ml-latest-small")


@pytest.mark.parametrize("name", ["05_matrix_factorization.ipynb", "07_what_the_factors_learned.ipynb"])
def test_notebook_runs_and_its_checks_hold_on_real_movielens(name, monkeypatch):
    if not (REAL_DATA / "ratings.csv").is_file():
        pytest.skip(f"real-data path not tested: no MovieLens ratings.csv in {REAL_DATA}")
    monkeypatch.setenv("MOVIELENS_DIR", str(REAL_DATA))
    nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    text = "\n".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert "using: MovieLens" in text, "the notebook did not pick up the real data"
    assert "FAIL" not in text
