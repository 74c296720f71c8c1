r"""Labels that stay readable on a projector (notebooks 05 and 07).

``place_labels`` writes a text label next to each point and moves it around its point until
it overlaps no earlier label and stays inside the axes: it tries offsets on rings of growing
radius (in points) and keeps the first that fits, drawing a thin line back to the point when
the label had to move far. ``label_log_axis`` puts readable tick labels on a log axis whose
data spans less than a decade (matplotlib's default then shows no major tick at all).
"""

from __future__ import annotations

import numpy as np
from matplotlib.text import Text

from .validation import check_array, check_positive

# Offsets (in points) tried around a point, nearest first: right, above, left, below, diagonals.
_DIRECTIONS = [(1, 0.4), (1, -1), (-1, 0.4), (-1, -1), (0, 1), (0, -1.6), (1, 1), (-1, 1)]


def _overlaps(box, others, pad: float) -> bool:
    return any(box.x0 < o.x1 + pad and box.x1 > o.x0 - pad and box.y0 < o.y1 + pad and box.y1 > o.y0 - pad for o in others)


def place_labels(ax, x, y, texts, fontsize: float = 9, radii=(6, 14, 24, 36, 50), pad: float = 2.0, **text_kwargs) -> list:
    """Annotate point (x[i], y[i]) with texts[i], each label where it overlaps no earlier label.

    ``radii``: the rings of offsets tried, in points; ``pad``: the gap in pixels kept between
    labels. A label that fits nowhere goes to its last try (and the returned list still holds
    it), so nothing is dropped silently. Returns the ``Annotation`` artists, in input order.
    """
    x = check_array("x", x, ndim=1)
    y = check_array("y", y, ndim=1, shape=(len(x),))
    if len(texts) != len(x):
        raise ValueError(f"texts must have one label per point ({len(x)}); got {len(texts)}")
    fontsize = check_positive("fontsize", fontsize)
    figure = ax.figure
    figure.canvas.draw()                                      # a renderer, and the axes' final position
    renderer = figure.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    placed, artists = [], []
    for xi, yi, text in zip(x, y, texts):
        chosen = None
        for radius in radii:
            for dx, dy in _DIRECTIONS:
                offset = (dx * radius, dy * radius)
                label = ax.annotate(text, (xi, yi), xytext=offset, textcoords="offset points", fontsize=fontsize,
                                    ha="left" if dx > 0 else ("right" if dx < 0 else "center"), va="center",
                                    arrowprops={"arrowstyle": "-", "lw": 0.5, "color": "0.4"} if radius > 14 else None,
                                    **text_kwargs)
                label.update_positions(renderer)                  # place the text where a draw would
                box = Text.get_window_extent(label, renderer)     # the text alone, not its line
                inside = box.x0 >= frame.x0 and box.x1 <= frame.x1 and box.y0 >= frame.y0 and box.y1 <= frame.y1
                if inside and not _overlaps(box, placed, pad):
                    chosen = (label, box)
                    break
                label.remove()
            if chosen:
                break
        if chosen is None:                                    # no free spot: keep the nearest try, visibly
            label = ax.annotate(text, (xi, yi), xytext=(radii[0], radii[0]), textcoords="offset points",
                                fontsize=fontsize, **text_kwargs)
            label.update_positions(renderer)
            chosen = (label, Text.get_window_extent(label, renderer))
        artists.append(chosen[0])
        placed.append(chosen[1])
    return artists


def label_log_axis(axis, values) -> list:
    """Major ticks on a log ``axis`` (``ax.xaxis`` or ``ax.yaxis``) at 1-2-5 steps covering
    ``values``, labelled as plain numbers (0.5, 2, 10), minor labels off. Returns the ticks."""
    import matplotlib.pyplot as plt

    values = check_array("values", values, ndim=1)
    if np.any(values <= 0):
        raise ValueError("values on a log axis must be > 0; got " + f"min {values.min():g}")
    low, high = values.min(), values.max()
    decades = np.arange(np.floor(np.log10(low)) - 1, np.ceil(np.log10(high)) + 1)
    candidates = np.sort(np.concatenate([[1 * 10**d, 2 * 10**d, 5 * 10**d] for d in decades]))
    inside = candidates[(candidates >= low / 1.5) & (candidates <= high * 1.5)]
    ticks = inside if len(inside) >= 2 else candidates[np.argsort(np.abs(np.log(candidates / np.sqrt(low * high))))[:2]]
    ticks = np.sort(ticks)
    axis.set_major_locator(plt.FixedLocator(ticks))
    axis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:g}"))
    axis.set_minor_formatter(plt.NullFormatter())
    return ticks.tolist()
