"""A matplotlib figure shown as an ipywidgets Image and redrawn in place.

Playgrounds change line data and call ``refresh()``; the figure is never rebuilt.
Rendering to PNG works with any matplotlib backend (the default inline one too) and
needs no JupyterLab extension beyond the ipywidgets frontend.

Speed: one Agg canvas is kept, the layout is computed once on the first draw and then
frozen (re-laying out every frame costs more than drawing it), and the PNG is written
with light compression. A two-panel figure redraws in well under 100 ms on a laptop.
"""

from __future__ import annotations

import io

import ipywidgets as widgets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image


class LiveFigure:
    """Own a ``Figure`` (not a pyplot one, so it is never displayed twice) and its Image widget."""

    def __init__(self, ncols: int = 1, figsize=(8.0, 3.6), dpi: int = 90):
        self.figure = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        self.canvas = FigureCanvasAgg(self.figure)
        self.axes = [self.figure.add_subplot(1, ncols, i + 1) for i in range(ncols)]
        self.image = widgets.Image(format="png")
        self.renders = 0

    def png(self) -> bytes:
        """Draw the figure and return it as PNG bytes."""
        self.canvas.draw()
        if self.renders == 0:
            self.figure.set_layout_engine("none")  # keep the first layout for every later frame
        width, height = self.canvas.get_width_height()
        frame = Image.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buffer = io.BytesIO()
        frame.save(buffer, format="png", compress_level=1)
        return buffer.getvalue()

    def refresh(self) -> None:
        self.image.value = self.png()
        self.renders += 1
