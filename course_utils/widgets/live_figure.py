"""A matplotlib figure shown as an ipywidgets Image and redrawn in place.

Playgrounds change line data and call ``refresh()``; the figure is never rebuilt.
Rendering to PNG works with any matplotlib backend (the default inline one too) and
needs no extra JupyterLab extension beyond the ipywidgets frontend.
"""

from __future__ import annotations

import io

import ipywidgets as widgets
from matplotlib.figure import Figure


class LiveFigure:
    """Own a ``Figure`` (not a pyplot one, so it is never displayed twice) and its Image widget."""

    def __init__(self, ncols: int = 1, figsize=(8.0, 3.6), dpi: int = 90):
        self.figure = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        self.axes = [self.figure.add_subplot(1, ncols, i + 1) for i in range(ncols)]
        self.image = widgets.Image(format="png")
        self.renders = 0

    def refresh(self) -> None:
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png")
        self.image.value = buffer.getvalue()
        self.renders += 1
