"""Notebook 08 on real MovieLens data (``ml-latest-small``) with Spark, as a learner with both
would run it: every cell must run and every check must hold (nbval runs it on the synthetic
set). Skipped, with the reason, when the data, PySpark or Java 17+ is absent."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from course_utils.spark import spark_environment

ROOT = Path(__file__).resolve().parents[1]
REAL_DATA = Path(os.environ.get("MOVIELENS_DIR") or ROOT.parent / "shared" / "data" / "ml-latest-small")


def test_notebook_08_runs_and_its_checks_hold_on_real_movielens(monkeypatch):
    if not (REAL_DATA / "ratings.csv").is_file():
        pytest.skip(f"real-data path not tested: no MovieLens ratings.csv in {REAL_DATA}")
    env = spark_environment()
    if not env["ready"]:
        pytest.skip(f"notebook 08 on real data needs Spark: {env['reason']}")
    monkeypatch.setenv("MOVIELENS_DIR", str(REAL_DATA))
    nb = nbformat.read(ROOT / "notebooks" / "08_als_on_spark.ipynb", as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    text = "\n".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert "using: MovieLens" in text, "the notebook did not pick up the real data"
    assert "Spark cells skipped" not in text
    assert "FAIL" not in text
