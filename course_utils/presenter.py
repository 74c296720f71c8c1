"""Projector-ready sizes with one call: ``presenter_mode()``.

Run it once after a notebook's setup cell (which applies the course style)::

    from course_utils.presenter import presenter_mode
    presenter_mode()            # presenter_mode(scale=1.8) for a big room, presenter_mode(False) to undo

What changes, for every figure and playground made afterwards:

- Figures are drawn ``scale`` times larger (``figure.dpi`` times ``scale``): the whole plot,
  text included, grows on screen and stays sharp, because it is drawn at that size, not
  stretched. Playgrounds' pictures grow the same way (``LiveFigure`` asks ``figure_scale()``).
- On top of that, text grows by ``FONT_BOOST`` relative to the plot (tick labels, axis labels,
  titles, legends) and lines and markers get thicker, so the farthest row reads axis labels.
- Widget controls (sliders, dropdowns, buttons, their labels) grow by ``scale`` through the
  ipywidgets CSS variables, so a slider handle stays easy to grab on a touch screen or with a
  presenter's mouse.

Existing figures are not redrawn: rerun their cells. The notebook's own text size is
JupyterLab's setting (*Settings > Theme > Increase Content Font Size*), and in a RISE slideshow
reveal.js scales the whole slide to the screen.
"""

from __future__ import annotations

import matplotlib as mpl

from .validation import check_bool, check_number

FONT_BOOST = 1.25      # text relative to the plot, beyond the overall scale
LINE_BOOST = 1.4       # line widths and marker sizes

_FONT_KEYS = ("font.size", "axes.titlesize", "axes.labelsize", "xtick.labelsize", "ytick.labelsize",
              "legend.fontsize", "figure.titlesize")
_LINE_KEYS = ("lines.linewidth", "lines.markersize", "axes.linewidth", "xtick.major.width", "ytick.major.width")

_saved: dict | None = None      # rcParams before presenter mode, to restore them
_scale = 1.0

# ipywidgets 8 sizes its controls with these CSS variables (defaults in parentheses).
_WIDGET_SIZES = {
    "--jp-widgets-font-size": 13,                # (13px) control text and labels
    "--jp-widgets-inline-height": 28,            # (28px) one row of controls
    "--jp-widgets-inline-width": 300,            # (300px)
    "--jp-widgets-inline-width-short": 148,      # (148px)
    "--jp-widgets-inline-width-tiny": 72,        # (72px)
    "--jp-widgets-inline-label-width": 80,       # (80px) the label left of a slider
    "--jp-widgets-slider-handle-size": 16,       # (16px) the knob you drag
    "--jp-widgets-slider-track-thickness": 4,    # (4px)
    "--jp-widgets-slider-active-handle-color": None,
}


def figure_scale() -> float:
    """How much larger figures are drawn now: ``scale`` in presenter mode, else 1.0."""
    return _scale


def _font_size_points(value) -> float:
    """rcParams font sizes may be names ('large'); turn them into points at the current base size."""
    if isinstance(value, str):
        from matplotlib.font_manager import font_scalings
        return font_scalings.get(value, 1.0) * float(mpl.rcParams["font.size"])
    return float(value)


def widget_css(scale: float) -> str:
    """The ``<style>`` block that scales ipywidgets controls by ``scale`` (1.0 restores the defaults)."""
    scale = check_number("scale", scale, low=1.0, high=3.0, hint="1.5 suits most rooms")
    sizes = "; ".join(f"{name}: {round(px * scale)}px" for name, px in _WIDGET_SIZES.items() if px is not None)
    return (f"<style id=\"course-presenter-mode\">:root {{ {sizes}; }} "
            f".jupyter-widgets .widget-readout {{ min-width: {round(40 * scale)}px; }}</style>")


class PresenterStyle:
    """What ``presenter_mode`` displays: the widget CSS and one line saying what changed."""

    def __init__(self, scale: float, on: bool):
        self.scale = check_number("scale", scale, low=1.0, high=3.0, hint="1.5 suits most rooms")
        self.on = check_bool("on", on, hint="True for presenter mode, False for the course sizes")

    def summary(self) -> str:
        if not self.on:
            return "Presenter mode off: course sizes restored (rerun a cell to redraw its figure)."
        return (f"Presenter mode on: figures and widget controls x{self.scale:g}, text x{self.scale * FONT_BOOST:g} "
                "for figures and playgrounds made from now on (rerun a cell to redraw its figure).")

    def _repr_html_(self) -> str:
        return widget_css(self.scale if self.on else 1.0) + f"<p><em>{self.summary()}</em></p>"

    def __repr__(self) -> str:
        return self.summary()


def presenter_mode(on: bool = True, *, scale: float = 1.5, display: bool = True) -> PresenterStyle | None:
    """Turn projector sizes on (or off with ``presenter_mode(False)``).

    ``scale`` (1 to 3) multiplies figure size and widget controls; text in figures grows by
    ``scale * FONT_BOOST``. Calling it again with another scale replaces the earlier one, never
    compounds it. In a notebook it displays the widget CSS and a one-line summary and returns
    None; with ``display=False`` (or outside IPython) it returns them as a ``PresenterStyle``.
    """
    global _saved, _scale
    on = check_bool("on", on, hint="presenter_mode() turns it on, presenter_mode(False) off")
    scale = check_number("scale", scale, low=1.0, high=3.0, hint="1.5 suits most rooms; 2 for a large hall")
    display = check_bool("display", display, hint="False returns the PresenterStyle instead of showing it")
    if _saved is not None:                      # start from the course sizes, so calls never compound
        mpl.rcParams.update(_saved)
        _saved, _scale = None, 1.0
    if on:
        _saved = {key: mpl.rcParams[key] for key in _FONT_KEYS + _LINE_KEYS + ("figure.dpi",)}
        fonts = {key: _font_size_points(_saved[key]) * FONT_BOOST for key in _FONT_KEYS}
        lines = {key: float(_saved[key]) * LINE_BOOST for key in _LINE_KEYS}
        mpl.rcParams.update({**fonts, **lines, "figure.dpi": float(_saved["figure.dpi"]) * scale})
        _scale = scale
    style = PresenterStyle(scale, on)
    if display:
        try:
            from IPython import get_ipython
            from IPython.display import display as show
        except ImportError:                     # plain Python: the rcParams are set, nothing to show
            return style
        if get_ipython() is not None:
            show(style)
            return None
    return style
