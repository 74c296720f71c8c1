"""The one display contract every playground follows.

A playground builds ``self.widget`` (its ipywidgets tree: controls, readout, figure) and
``self.live`` (the ``LiveFigure`` holding its current picture). ``Playground`` does the rest:

- Ending a cell with the playground, ``display(playground)``, and displaying it again all
  show the live controls: ``_repr_mimebundle_`` returns the widget's view
  (``application/vnd.jupyter.widget-view+json``), never a plain object repr.
- The same bundle carries a static fallback, a PNG of the current figure with one line
  saying the playground is live in JupyterLab (``text/html`` and ``image/png``). Where no
  widget manager runs (GitHub, nbviewer, a built site, a slide export) the viewer shows that
  picture instead of blank space or ``VBox(...)`` text.
"""

from __future__ import annotations

import base64

# Every control's label shown in full ("learning rate", not "learning r..."): pass style=WIDE_LABELS.
WIDE_LABELS = {"description_width": "initial"}

LIVE_NOTE = ("Interactive playground: run this notebook in JupyterLab to move the controls. "
             "This picture shows its starting state.")


class Playground:
    """Base class of every playground in ``course_utils.widgets``.

    Subclasses set ``self.widget`` (an ipywidgets ``Widget``) and ``self.live`` (a
    ``LiveFigure``) in ``__init__``; they do not define their own display hooks.
    """

    widget = None
    live = None

    def static_png(self) -> bytes:
        """The figure as shown now, as PNG bytes (what the Image widget holds)."""
        if self.live is None:
            raise RuntimeError(f"{type(self).__name__} has no figure yet; set self.live in __init__")
        png = self.live.image.value
        return bytes(png) if png else self.live.png()

    def _repr_mimebundle_(self, include=None, exclude=None):
        if self.widget is None:
            raise RuntimeError(f"{type(self).__name__} has no widget yet; set self.widget in __init__")
        # CSS classes let a browser test (and a teacher's stylesheet) find every playground by kind
        self.widget.add_class("course-playground")
        self.widget.add_class(f"course-playground-{type(self).__name__}")
        bundle = dict(self.widget._repr_mimebundle_(include=include, exclude=exclude) or {})
        encoded = base64.b64encode(self.static_png()).decode("ascii")
        bundle["image/png"] = encoded
        bundle["text/html"] = (
            f'<figure class="course-playground-static" style="margin:0">'
            f'<img src="data:image/png;base64,{encoded}" alt="{type(self).__name__}: starting state" '
            f'style="max-width:100%"/><figcaption><em>{LIVE_NOTE}</em></figcaption></figure>')
        bundle["text/plain"] = f"{type(self).__name__}: {LIVE_NOTE}"
        return bundle
