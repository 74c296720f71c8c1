"""Notebook 07's playground: pick an item, see its nearest neighbours in factor space and
where it sits on any two principal components."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.colors import to_rgba_array

from ..embedding_analysis import nearest_items
from ..validation import check_array, check_count, check_ids
from .base import WIDE_LABELS, Playground
from .live_figure import LiveFigure


class EmbeddingExplorer(Playground):
    """``factors`` (n_items, k), ``scores`` (n_items, c) from ``pca``, ``titles`` (n_items,),
    ``choices``: the item indices offered in the dropdown (e.g. the most rated ones);
    ``candidates``: a mask of items allowed as neighbours; ``colors``: one colour per item."""

    def __init__(self, factors, scores, titles, choices, candidates=None, colors=None, n_neighbors: int = 8):
        self.factors = check_array("factors", factors, ndim=2, dtype=None, hint="item factors of shape (n_items, k)")
        self.scores = check_array("scores", scores, ndim=2, dtype=None, finite=False,
                                  hint="principal-component scores of shape (n_items, c), from pca")
        if isinstance(titles, (str, bytes)) or not hasattr(titles, "__len__") or not hasattr(titles, "__iter__"):
            raise TypeError(f"titles must be a list of item titles, one per row of factors (got {type(titles).__name__})")
        self.titles = list(titles)
        if len(self.titles) != len(self.factors) or len(self.scores) != len(self.factors):
            raise ValueError("factors, scores and titles must describe the same items")
        if self.scores.shape[1] < 1:
            raise ValueError(f"scores must hold at least one principal component (got shape {self.scores.shape})")
        n_items = len(self.titles)
        choices = [int(c) for c in check_ids("choices", choices, n_items, what="item",
                                             hint="choices are row indices into factors and titles")]
        if not choices:
            raise ValueError("choices must offer at least one item (got an empty list); e.g. the ids of the most rated items")
        if candidates is not None:
            mask = check_array("candidates", candidates, shape=(n_items,), dtype=None,
                               hint="a True/False mask with one entry per item")
            if mask.dtype != np.bool_:
                raise TypeError(f"candidates must be a True/False mask of shape ({n_items},) (got dtype {mask.dtype})")
            candidates = mask
        self.candidates = candidates
        if colors is not None:
            try:
                rgba = to_rgba_array(colors)
            except (TypeError, ValueError) as exc:
                raise ValueError(f"colors must be matplotlib colours, one per item or one for all ({exc})") from None
            if len(rgba) not in (1, n_items):
                raise ValueError(f"colors must hold one colour per item ({n_items}) or a single colour (got {len(rgba)})")
        n_neighbors = check_count("n_neighbors", n_neighbors, minimum=1, maximum=20)
        n_comp = self.scores.shape[1]
        self.item = widgets.Dropdown(options=[(self.titles[c], c) for c in choices], value=choices[0], description="item",
                                     style=WIDE_LABELS, layout=widgets.Layout(width="420px"))
        self.pc_x = widgets.Dropdown(options=[(f"PC{i + 1}", i) for i in range(n_comp)], value=0, description="x axis",
                                     style=WIDE_LABELS)
        self.pc_y = widgets.Dropdown(options=[(f"PC{i + 1}", i) for i in range(n_comp)], value=min(1, n_comp - 1),
                                     description="y axis", style=WIDE_LABELS)
        self.k = widgets.IntSlider(value=n_neighbors, min=1, max=20, description="neighbours", style=WIDE_LABELS)
        self.readout = widgets.HTML()
        self.live = LiveFigure(ncols=1, figsize=(6.5, 5.0), dpi=80)
        ax = self.live.axes[0]
        self.cloud = ax.scatter(self.scores[:, 0], self.scores[:, 1], s=6, c=colors if colors is not None else "#999999", alpha=0.35)
        (self.neighbours,) = ax.plot([], [], "o", ms=8, mfc="none", mec="#d62728", mew=1.5, label="neighbours")
        (self.selected,) = ax.plot([], [], "*", ms=16, color="black", label="chosen item")
        ax.legend(loc="upper right", fontsize=8)
        self.caption = ax.text(0.02, 0.97, "", transform=ax.transAxes, va="top", fontsize=9)
        self.live.set_dynamic([self.neighbours, self.selected, self.caption])
        for w in (self.item, self.k):
            w.observe(self.update, names="value")
        for w in (self.pc_x, self.pc_y):
            w.observe(self._on_axes, names="value")
        self._on_axes()
        self.widget = widgets.VBox([widgets.HBox([self.item, self.k]), widgets.HBox([self.pc_x, self.pc_y]), self.readout, self.live.image])

    def _on_axes(self, *_):
        ax, i, j = self.live.axes[0], self.pc_x.value, self.pc_y.value
        self.cloud.set_offsets(self.scores[:, [i, j]])
        pad = lambda v: (v.min() - 0.05 * np.ptp(v), v.max() + 0.05 * np.ptp(v))
        ax.set(xlim=pad(self.scores[:, i]), ylim=pad(self.scores[:, j]), xlabel=f"PC{i + 1}", ylabel=f"PC{j + 1}",
               title=f"Items on PC{i + 1} and PC{j + 1}")
        self.live.invalidate()
        self.update()

    def update(self, *_) -> dict:
        item, i, j = int(self.item.value), self.pc_x.value, self.pc_y.value
        idx, sims = nearest_items(self.factors, item, int(self.k.value), self.candidates)
        self.selected.set_data([self.scores[item, i]], [self.scores[item, j]])
        self.neighbours.set_data(self.scores[idx, i], self.scores[idx, j])
        rows = "".join(f"<li>{self.titles[n]} <span style='color:#777'>(cosine {s:.2f})</span></li>" for n, s in zip(idx, sims))
        self.readout.value = f"<b>Because you liked {self.titles[item]}:</b><ol style='margin:0'>{rows}</ol>"
        self.caption.set_text(f"★ {self.titles[item]}, ○ its {len(idx)} nearest neighbours")
        self.live.refresh()
        self.last = {"item": item, "neighbours": idx, "similarities": sims}
        return self.last
