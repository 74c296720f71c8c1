r"""A results table for comparing models (notebooks 05 and 07): one row per model, printed as
aligned plain text that fits a projector.

    table = ResultsTable([("method", "method", "<24"), ("valid", "valid RMSE", ">10.4f")])
    table.add(method="biases only", valid=0.8980)
    table.show()                      # header line, then one line per row
    table["biases only"]["valid"]     # 0.898

Each column is ``(key, header, format spec)``. Missing values (``None`` or NaN) print as
blanks, so a row can leave out what does not apply to it (a baseline has no fit time).
The first column names the row; ``table[name]`` finds a row by it.
"""

from __future__ import annotations

import math

from .validation import check_choice


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


class ResultsTable:
    """Rows of results with fixed columns ``[(key, header, format spec), ...]``."""

    def __init__(self, columns):
        columns = [tuple(c) for c in columns]
        if not columns or any(len(c) != 3 for c in columns):
            raise ValueError("columns must be a non-empty list of (key, header, format spec) triples, "
                             "e.g. [('method', 'method', '<20'), ('rmse', 'test RMSE', '>9.4f')]")
        self.columns = columns
        self.keys = [key for key, _, _ in columns]
        self.rows: list[dict] = []

    def add(self, **values) -> None:
        """Append a row; every keyword must be a column key, and the first column is required."""
        for key in values:
            check_choice("column", key, self.keys, hint="add a column to the table first")
        if _blank(values.get(self.keys[0])):
            raise ValueError(f"every row needs a value in the first column {self.keys[0]!r} (its name)")
        self.rows.append({key: values.get(key) for key in self.keys})

    def __getitem__(self, name) -> dict:
        """The last row whose first column equals ``name``."""
        for row in reversed(self.rows):
            if row[self.keys[0]] == name:
                return row
        known = ", ".join(repr(r[self.keys[0]]) for r in self.rows)
        raise KeyError(f"no row named {name!r}; rows: {known}")

    def _width(self, spec: str) -> int:
        digits = "".join(ch for ch in spec.split(".")[0] if ch.isdigit())
        return int(digits) if digits else 0

    def _cell(self, value, spec: str) -> str:
        if _blank(value):
            return " " * self._width(spec)
        try:
            return format(value, spec)
        except (TypeError, ValueError):                  # text in a numeric column, e.g. "-"
            return format(str(value), ">" + str(self._width(spec)))

    def text(self, names=None) -> str:
        """The table as text: a header line and one line per row (only ``names``, in that order, if given)."""
        rows = self.rows if names is None else [self[name] for name in names]
        header = " ".join(format(h, (">" if not spec.startswith("<") else "<") + str(max(self._width(spec), len(h))))
                          for _, h, spec in self.columns)
        lines = [header]
        for row in rows:
            cells = []
            for key, h, spec in self.columns:
                cell = self._cell(row[key], spec)
                width = max(self._width(spec), len(h))
                cells.append(cell.ljust(width) if spec.startswith("<") else cell.rjust(width))
            lines.append(" ".join(cells))
        return "\n".join(lines)

    def show(self, names=None) -> None:
        """Print ``text(names)``."""
        print(self.text(names))
