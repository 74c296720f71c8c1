"""One look for every figure in the course: one colour per method, used everywhere."""

from __future__ import annotations

import matplotlib as mpl

from .validation import UnknownNameError

# One colour per method, shared by every notebook so "central" is always the same green.
METHOD_COLORS = {
    # finite differences
    "forward": "#1f77b4",
    "backward": "#ff7f0e",
    "central": "#2ca02c",
    "exact": "#444444",
    "theory": "#999999",
    # ODE solvers
    "euler": "#1f77b4",
    "midpoint": "#9467bd",
    "rk4": "#2ca02c",
    # gradients
    "hand": "#d62728",
    "autograd": "#17becf",
    # recommenders
    "als": "#8c564b",
    "sgd": "#e377c2",
    "gd": "#e377c2",
    "spark": "#17becf",                # Spark's ALS (notebook 08)
    # optimizers
    "momentum": "#bcbd22",
    "nesterov": "#17becf",
    "rmsprop": "#ff7f0e",
    "adam": "#d62728",
    "adamw": "#9467bd",
    # numeric types
    "float64": "#1f77b4",
    "float32": "#ff7f0e",
}


def color_for(method: str) -> str:
    """The course colour of ``method`` (case-insensitive). An unknown name raises ``UnknownNameError``
    (a ``KeyError`` and a ``ValueError``) listing the known names."""
    if not isinstance(method, str):
        raise TypeError(f"method must be a method name such as 'central' (got {method!r:.60})")
    key = method.lower()
    if key not in METHOD_COLORS:
        raise UnknownNameError(f"method {method!r} has no course colour; known methods: {', '.join(sorted(METHOD_COLORS))}")
    return METHOD_COLORS[key]


def use_course_style() -> None:
    """Readable-on-a-projector defaults: larger fonts, light grid, no top/right spines."""
    mpl.rcParams.update(
        {
            "figure.figsize": (7.0, 4.2),
            "figure.dpi": 100,
            "font.size": 11,
            "axes.titlesize": 12,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "legend.frameon": False,
        }
    )
