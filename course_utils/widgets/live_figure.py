"""A matplotlib figure shown as an ipywidgets Image and redrawn in place.

Playgrounds change line data and call ``refresh()``; the figure is never rebuilt.
Rendering to PNG works with any matplotlib backend (the default inline one too) and
needs no JupyterLab extension beyond the ipywidgets frontend.

Speed: one Agg canvas is kept and the layout is computed once, on the first draw. A
playground that names its ``dynamic`` artists gets blitting: the static part (axes,
ticks, contours) is drawn once into a cached background, and each refresh restores it and
draws only the dynamic artists. Call ``invalidate()`` after changing anything static
(limits, contours, titles).
"""

from __future__ import annotations

import io

import ipywidgets as widgets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from ..presenter import figure_scale


class LiveFigure:
    """Own a ``Figure`` (not a pyplot one, so it is never displayed twice) and its Image widget."""

    def __init__(self, ncols: int = 1, figsize=(8.0, 3.6), dpi: int = 90):
        dpi = dpi * figure_scale()  # presenter mode (course_utils.presenter) draws playgrounds larger
        self.figure = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        self.canvas = FigureCanvasAgg(self.figure)
        self.axes = [self.figure.add_subplot(1, ncols, i + 1) for i in range(ncols)]
        self.image = widgets.Image(format="png")
        self.renders = 0
        self.dynamic: list = []
        self._background = None

    def set_dynamic(self, artists) -> None:
        """Artists that change between frames; everything else is cached as background."""
        self.dynamic = list(artists)
        for artist in self.dynamic:
            artist.set_animated(True)
        self._background = None

    def swap_dynamic(self, old, new) -> None:
        """Replace dynamic artist ``old`` (or add ``new`` if ``old`` is None); the background stays valid."""
        new.set_animated(True)
        self.dynamic = [a for a in self.dynamic if a is not old] + [new]

    def invalidate(self) -> None:
        self._background = None

    def _encode(self) -> bytes:
        width, height = self.canvas.get_width_height()
        frame = Image.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buffer = io.BytesIO()
        frame.save(buffer, format="png", compress_level=1)
        return buffer.getvalue()

    def png(self) -> bytes:
        """Draw the figure (blitting when possible) and return it as PNG bytes."""
        if not self.dynamic:
            self.canvas.draw()
            if self.renders == 0:
                self.figure.set_layout_engine("none")  # keep the first layout for every later frame
            return self._encode()
        if self._background is None:
            self.canvas.draw()                       # animated artists are skipped here
            if self.renders == 0:
                self.figure.set_layout_engine("none")
            self._background = self.canvas.copy_from_bbox(self.figure.bbox)
        else:
            self.canvas.restore_region(self._background)
        for artist in self.dynamic:
            if artist.get_visible():
                artist.axes.draw_artist(artist) if artist.axes is not None else self.figure.draw_artist(artist)
        return self._encode()

    def refresh(self) -> None:
        self.image.value = self.png()
        self.renders += 1
