"""Insert the cost-model cells (handoff/nb05_cost_model.md) into a copy of notebook 05.

    python handoff/apply_nb05_cost_model.py SOURCE.ipynb DEST.ipynb

Adds the import to the setup cell (cell-001) and the cells after ``cell-036``; DEST may be
SOURCE. Cell ids come from the markers (``=== CELL: <type> id=<id> ===``)."""

import re
import sys
from pathlib import Path

import nbformat

CELLS = Path(__file__).with_name("nb05_cost_model.md")
IMPORT = "from course_utils.cost_model import fit_power_law, measure_sweep_times\n"
AFTER, SETUP, IMPORT_AFTER = "cell-036", "cell-001", "from course_utils.crossval import"


def cells():
    parts = re.split(r"^=== CELL: (markdown|code) id=([\w-]+) ===\n", CELLS.read_text(), flags=re.M)[1:]
    for kind, cell_id, text in zip(parts[::3], parts[1::3], parts[2::3]):
        make = nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell
        cell = make(text.rstrip("\n"))
        cell.id = cell_id
        yield cell


def main(source, dest):
    nb = nbformat.read(source, as_version=4)
    ids = [c.id for c in nb.cells]
    setup = nb.cells[ids.index(SETUP)]
    if IMPORT not in setup.source:
        lines = setup.source.splitlines(keepends=True)
        at = next(i for i, line in enumerate(lines) if line.startswith(IMPORT_AFTER))
        setup.source = "".join(lines[:at] + [IMPORT] + lines[at:])
    new = list(cells())
    if not set(c.id for c in new) & set(ids):
        at = ids.index(AFTER) + 1
        nb.cells[at:at] = new
    nbformat.validate(nb)
    nbformat.write(nb, dest)


if __name__ == "__main__":
    main(*sys.argv[1:3])
