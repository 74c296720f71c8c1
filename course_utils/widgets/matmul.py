"""Notebook 04's playground: pick a cell (i, j) of C = A @ B and see the row of A and the
column of B whose dot product makes it."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.patches import Rectangle

from ..validation import check_array, check_count
from .base import WIDE_LABELS, Playground
from .live_figure import LiveFigure


def matmul_cell(A: np.ndarray, B: np.ndarray, i: int, j: int) -> dict:
    """The terms A[i, k] * B[k, j] and their sum C[i, j]. Checks shapes and indices."""
    A = check_array("A", A, ndim=2, dtype=None, hint="a matrix of shape (m, k)")
    B = check_array("B", B, ndim=2, dtype=None, hint="a matrix of shape (k, n)")
    if A.shape[1] != B.shape[0]:
        raise ValueError(f"need A (m, k) and B (k, n) with matching k; got {A.shape} and {B.shape}")
    i = check_count("i", i, minimum=0, maximum=A.shape[0] - 1, hint=f"C = A @ B has {A.shape[0]} rows")
    j = check_count("j", j, minimum=0, maximum=B.shape[1] - 1, hint=f"C = A @ B has {B.shape[1]} columns")
    terms = A[i, :] * B[:, j]
    return {"row": A[i, :], "column": B[:, j], "terms": terms, "value": terms.sum()}


class MatmulExplorer(Playground):
    """Sliders for i and j; highlights row i of A, column j of B and cell (i, j) of C."""

    def __init__(self, A, B, i: int = 0, j: int = 0):
        self.A = check_array("A", A, ndim=2, dtype=None)
        self.B = check_array("B", B, ndim=2, dtype=None)
        if self.A.shape[1] != self.B.shape[0]:
            raise ValueError(f"A's columns must match B's rows for A @ B (got A {self.A.shape} and B {self.B.shape})")
        self.C = self.A @ self.B
        m, n = self.C.shape
        i = check_count("i", i, minimum=0, maximum=m - 1, hint=f"C = A @ B has {m} rows")
        j = check_count("j", j, minimum=0, maximum=n - 1, hint=f"C = A @ B has {n} columns")
        matmul_cell(self.A, self.B, i, j)  # validates shapes
        self.i = widgets.IntSlider(value=i, min=0, max=m - 1, description="row i", style=WIDE_LABELS)
        self.j = widgets.IntSlider(value=j, min=0, max=n - 1, description="column j", style=WIDE_LABELS)
        self.readout = widgets.HTML()
        self.live = LiveFigure(ncols=3, figsize=(9.5, 3.2))
        self.boxes = []
        for ax, M, title in zip(self.live.axes, (self.A, self.B, self.C), ("A", "B", "C = A @ B")):
            ax.imshow(M, cmap="Blues", alpha=0.35)
            for (r, c), v in np.ndenumerate(M):
                ax.text(c, r, f"{v:g}", ha="center", va="center", fontsize=9)
            ax.set(title=f"{title}  {M.shape}", xticks=range(M.shape[1]), yticks=range(M.shape[0]))
            ax.grid(False)
            box = Rectangle((0, 0), 1, 1, fill=False, lw=3, ec="#d62728")
            ax.add_patch(box)
            self.boxes.append(box)
        self.live.set_dynamic(self.boxes)     # only the three highlight boxes move: blit them
        for w in (self.i, self.j):
            w.observe(self.update, names="value")
        self.widget = widgets.VBox([widgets.HBox([self.i, self.j]), self.readout, self.live.image])
        self.update()

    def update(self, *_) -> dict:
        i, j = int(self.i.value), int(self.j.value)
        cell = matmul_cell(self.A, self.B, i, j)
        k = self.A.shape[1]
        self.boxes[0].set_bounds(-0.5, i - 0.5, k, 1)       # row i of A
        self.boxes[1].set_bounds(j - 0.5, -0.5, 1, k)       # column j of B
        self.boxes[2].set_bounds(j - 0.5, i - 0.5, 1, 1)    # cell (i, j) of C
        sums = " + ".join(f"{a:g}·{b:g}" for a, b in zip(cell["row"], cell["column"]))
        self.readout.value = f"C[{i}, {j}] = row {i} of A · column {j} of B = {sums} = <b>{cell['value']:g}</b>"
        self.live.refresh()
        self.last = cell
        return cell
