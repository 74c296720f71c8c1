"""Test-wide hooks. The output rules of ``output_rules.py`` applied to every notebook cell
that nbval runs: after nbval has executed a cell (and found no error), its outputs
(``item.test_outputs``) must be short, free of object reprs, and, in a check cell, only the
checks' PASS lines. A failure names the notebook, the cell and the rule.

The hook wraps nbval's items from ``pytest_collection_modifyitems`` (a session-wide hook),
so it applies whenever ``tests/`` is part of the run, as in `make test`; running one notebook
alone (`pytest notebooks/01_...ipynb`) skips these rules unless you add ``tests/conftest.py``'s
folder: `pytest tests/test_output_rules.py notebooks/01_...ipynb`.
"""

from __future__ import annotations

import functools
from pathlib import Path

import output_rules

# TEMPORARY allowlist: cells that break the output rules today, in notebooks other helpers are
# rewriting now (01-04 and 05-07 pass without it). Keyed by (notebook file name, cell id). The integrator
# empties this after merging their branches. Do not add to it.
# Found on main at 16c4883 by running `pytest tests/test_output_rules.py notebooks`.
OUTPUT_RULE_ALLOWLIST: dict[tuple[str, str], str] = {
}


def _cell_id(item) -> str:
    return item.cell.get("id", f"#{item.cell_num}")


def _with_output_rules(item, runtest):
    @functools.wraps(runtest)
    def run_and_check():
        runtest()                                  # raises on a cell error or timeout, as before
        key = (Path(str(item.fspath)).name, _cell_id(item))
        found = output_rules.problems(item.cell.source, item.test_outputs or [])
        if found and key not in OUTPUT_RULE_ALLOWLIST:
            item.raise_cell_error("Cell output breaks the course's output rules (tests/output_rules.py)",
                                  "\n".join(f"- {p}" for p in found) + f"\n(cell id {key[1]})")
    return run_and_check


def pytest_collection_modifyitems(session, config, items):
    try:
        from nbval.plugin import IPyNbCell
    except ImportError:
        return
    for item in items:
        if isinstance(item, IPyNbCell):
            item.runtest = _with_output_rules(item, item.runtest)
