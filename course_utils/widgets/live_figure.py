"""A matplotlib figure shown as an ipywidgets Image and redrawn in place.

Playgrounds change line data and call ``refresh()``; the figure is never rebuilt.
Rendering to PNG works with any matplotlib backend (the default inline one too) and
needs no JupyterLab extension beyond the ipywidgets frontend.

Speed: one Agg canvas is kept and the layout is computed once, on the first draw. A
playground that names its ``dynamic`` artists gets blitting: the static part (axes,
ticks, contours) is drawn once into a cached background, and each refresh restores it and
draws only the dynamic artists. Call ``invalidate()`` after changing anything static
(limits, contours, titles).

Sharpness: the PNG is drawn with ``pixel_ratio`` times as many pixels as the figure's size
in CSS pixels (``figsize * dpi``), and the Image widget is told to show it at that CSS size.
On a high-DPI screen (device pixel ratio up to ``pixel_ratio``) each PNG pixel then lands on
at most one screen pixel: nothing is upscaled, so nothing is blurred. On a 1x screen the
browser downsamples, which stays sharp.
"""

from __future__ import annotations

import io

import ipywidgets as widgets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.artist import Artist
from PIL import Image

from ..presenter import figure_scale
from ..validation import check_count, check_number, check_pair

PIXEL_RATIO = 2  # PNG pixels per CSS pixel: sharp on screens up to 2x (most high-DPI laptops)


class LiveFigure:
    """Own a ``Figure`` (not a pyplot one, so it is never displayed twice) and its Image widget.

    ``figsize`` (inches) times ``dpi`` is the size shown, in CSS pixels; the PNG holds
    ``pixel_ratio`` times as many pixels in each direction.
    """

    def __init__(self, ncols: int = 1, figsize=(8.0, 3.6), dpi: int = 90, pixel_ratio: float | None = None):
        ncols = check_count("ncols", ncols, maximum=12, hint="side-by-side panels, e.g. ncols=2")
        width, height = check_pair("figsize", figsize, increasing=False, hint="(width, height) in inches, e.g. (8.0, 3.6)")
        if not (0 < width <= 40 and 0 < height <= 40):
            raise ValueError(f"figsize must be (width, height) in inches, each in (0, 40] (got {figsize!r}); e.g. (8.0, 3.6)")
        figsize = (width, height)
        dpi = check_count("dpi", dpi, minimum=10, maximum=600, hint="dots per inch, e.g. dpi=90")
        if pixel_ratio is not None:
            pixel_ratio = check_number("pixel_ratio", pixel_ratio, low=0.25, high=4.0,
                                       hint="PNG pixels per CSS pixel, e.g. 2 for sharp pictures on a high-DPI screen")
        dpi = dpi * figure_scale()  # presenter mode (course_utils.presenter) draws playgrounds larger
        self.css_size = (round(figsize[0] * dpi), round(figsize[1] * dpi))
        self.pixel_ratio = PIXEL_RATIO if pixel_ratio is None else pixel_ratio
        self.figure = Figure(figsize=figsize, dpi=dpi * self.pixel_ratio, layout="constrained")
        self.canvas = FigureCanvasAgg(self.figure)
        self.axes = [self.figure.add_subplot(1, ncols, i + 1) for i in range(ncols)]
        width, height = self.css_size
        self.image = widgets.Image(format="png", layout=widgets.Layout(width=f"{width}px", height=f"{height}px"))
        self.renders = 0
        self.dynamic: list = []
        self._background = None

    def _check_artist(self, name: str, artist) -> None:
        if not isinstance(artist, Artist):
            raise TypeError(f"{name} must be a matplotlib artist, such as a line from ax.plot (got {type(artist).__name__})")
        if artist.figure is not None and artist.figure is not self.figure:
            raise ValueError(f"{name} must belong to this LiveFigure's figure (it was drawn on another figure); "
                             "make it with one of self.axes")

    def set_dynamic(self, artists) -> None:
        """Artists that change between frames; everything else is cached as background."""
        if isinstance(artists, (str, bytes, Artist)) or not hasattr(artists, "__iter__"):
            raise TypeError(f"artists must be a list of matplotlib artists, e.g. [line] (got {type(artists).__name__})")
        artists = list(artists)
        for k, artist in enumerate(artists):
            self._check_artist(f"artists[{k}]", artist)
        self.dynamic = artists
        for artist in self.dynamic:
            artist.set_animated(True)
        self._background = None

    def swap_dynamic(self, old, new) -> None:
        """Replace dynamic artist ``old`` (or add ``new`` if ``old`` is None); the background stays valid."""
        if old is not None:
            self._check_artist("old", old)
        self._check_artist("new", new)
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
