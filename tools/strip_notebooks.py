"""Remove outputs, execution counts and run metadata from notebooks, in place.

    python tools/strip_notebooks.py notebooks        (or: make strip)
"""

import sys
from pathlib import Path

import nbformat


def strip(path: Path) -> bool:
    nb = nbformat.read(path, as_version=4)
    before = nbformat.writes(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        for key in ("execution", "collapsed", "scrolled", "ExecuteTime"):
            cell.metadata.pop(key, None)
    nb.metadata.pop("widgets", None)
    after = nbformat.writes(nb)
    if after != before:
        path.write_text(after, encoding="utf-8")
    return after != before


if __name__ == "__main__":
    targets = [Path(a) for a in sys.argv[1:]] or [Path("notebooks")]
    paths = [p for t in targets for p in (sorted(t.rglob("*.ipynb")) if t.is_dir() else [t]) if ".ipynb_checkpoints" not in p.parts]
    changed = [p for p in paths if strip(p)]
    print(f"stripped {len(changed)} of {len(paths)} notebooks" + "".join(f"\n  {p}" for p in changed))
