r"""Figures of learned item factors that stay readable on a projector (notebook 07).

``genre_scatter`` draws items on their first two principal-component scores: films that list
one of a few chosen genres in that genre's colour (the first of the chosen genres they list),
all others in light grey underneath, each chosen genre's centre (the mean score of every film
that lists it) as a large cross, and a few films labelled with short titles placed so that no
two labels overlap (``annotate.place_labels``). ``short_title`` keeps long titles distinct:
"Lord of the Rings: The Two Towers, The (2002)" becomes "Lord of the Rings:… (2002)".
"""

from __future__ import annotations

import numpy as np

from .annotate import place_labels
from .validation import check_count

PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b")
OTHER = "#d0d0d0"


def short_title(title: str, width: int = 24) -> str:
    """``title`` cut to about ``width`` characters, keeping a trailing "(year)" so that films of
    one series stay distinguishable."""
    width = check_count("width", width, minimum=8)
    title = str(title)
    if len(title) <= width:
        return title
    year = title[-6:] if title.endswith(")") and title[-6] == "(" else ""
    head = title[: width - len(year) - 2].rstrip()
    return f"{head}… {year}".rstrip()


def genre_scatter(ax, scores, item_genres, candidates, genres_shown, label_items, titles, fontsize: float = 10) -> dict:
    """Scatter the ``candidates`` (boolean mask) on ``scores[:, 0]`` and ``scores[:, 1]``.

    ``item_genres``: one list of genres per item; ``genres_shown``: at most 6 genres to colour;
    ``label_items``: item indices to label with ``short_title(titles[i])``. Returns ``colors``
    (n_items,) the colour given to every item, ``centres`` {genre: (mean PC1, mean PC2)} and
    ``labels`` (the text artists).
    """
    scores = np.asarray(scores, dtype=np.float64)
    candidates = np.asarray(candidates, bool)
    if len(genres_shown) > len(PALETTE):
        raise ValueError(f"colour at most {len(PALETTE)} genres (more cannot be told apart); got {len(genres_shown)}")
    if scores.ndim != 2 or scores.shape[1] < 2 or candidates.shape != (len(scores),) or len(item_genres) != len(scores):
        raise ValueError(f"need scores (n, >= 2), a boolean mask of length n and one genre list per item; got scores "
                         f"{scores.shape}, mask {candidates.shape}, {len(item_genres)} genre lists")
    group = np.array([next((n for n, g in enumerate(genres_shown) if g in gs), len(genres_shown)) for gs in item_genres])
    colors = np.array([PALETTE[g] if g < len(genres_shown) else OTHER for g in group])
    idx = np.flatnonzero(candidates)
    idx = idx[np.argsort(group[idx] < len(genres_shown), kind="stable")]               # grey first, colours on top
    ax.scatter(scores[idx, 0], scores[idx, 1], s=12, c=colors[idx], alpha=0.8, linewidths=0)
    centres = {}
    for n, genre in enumerate(genres_shown):
        members = np.array([candidates[i] and genre in item_genres[i] for i in range(len(item_genres))])
        centres[genre] = (float(scores[members, 0].mean()), float(scores[members, 1].mean()))
        ax.scatter(*centres[genre], marker="X", s=260, color=PALETTE[n], edgecolors="black", linewidths=1.2, zorder=5,
                   label=f"{genre} ({members.sum()} films; × = centre)")
    label_items = np.asarray(label_items, dtype=np.int64)
    labels = place_labels(ax, scores[label_items, 0], scores[label_items, 1], [short_title(titles[i]) for i in label_items],
                          fontsize=fontsize)
    return {"colors": colors, "centres": centres, "labels": labels}
