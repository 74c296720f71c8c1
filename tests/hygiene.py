"""Rules every stored notebook must follow; each function returns a list of problems
(empty when the notebook is fine) so a test can show all of them at once."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
NAME_PATTERN = re.compile(r"^(\d\d)_[a-z0-9_]+\.ipynb$")
OPENING = ("What you'll learn", "What you need", "Time")
CLOSING = ("Key points", "Exercises")


def course_notebooks() -> list[Path]:
    return sorted(p for p in NOTEBOOK_DIR.glob("*.ipynb"))


def stored_without_outputs(nb) -> list[str]:
    problems = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if cell.get("outputs"):
            problems.append(f"cell {i} is stored with outputs; run `make strip`")
        if cell.get("execution_count") is not None:
            problems.append(f"cell {i} is stored with an execution count; run `make strip`")
    return problems


def opening_and_closing(nb) -> list[str]:
    problems = []
    markdown = [c for c in nb.cells if c.cell_type == "markdown"]
    if not markdown or nb.cells[0].cell_type != "markdown":
        return ["the first cell must be a markdown title cell"]
    first = nb.cells[0].source
    if not re.match(r"^# \d\d · \S", first):
        problems.append("the first cell must start with a title like '# 01 · Finite differences'")
    for heading in OPENING:
        if heading not in first:
            problems.append(f"the opening cell lacks '{heading}'")
    headings = [line for c in markdown for line in c.source.splitlines() if line.startswith("#")]
    for heading in CLOSING:
        if not any(heading in h for h in headings):
            problems.append(f"no '{heading}' section heading")
    return problems


def no_install_or_cwd_tricks(nb) -> list[str]:
    problems = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and re.search(r"^\s*[!%]\s*(pip|conda)\b|os\.chdir|sys\.path\.(append|insert)", cell.source, re.M):
            problems.append(f"cell {i} installs packages or changes paths; the environment does that")
    return problems


def all_problems(path: Path) -> list[str]:
    try:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
    except Exception as exc:  # any parse or schema error is a problem to report
        return [f"not a valid notebook: {exc}"]
    return stored_without_outputs(nb) + opening_and_closing(nb) + no_install_or_cwd_tricks(nb)
