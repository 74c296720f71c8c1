"""Notebook 01's playground: a secant line closing in on the tangent as h shrinks,
with the error of the slope estimate printed and placed on the error-vs-h curve."""

from __future__ import annotations

from typing import Callable

import ipywidgets as widgets
import numpy as np

from ..finite_diff import METHODS, derivative
from ..plotting import color_for
from ..validation import check_callable, check_choice, check_instance, check_number, check_positive
from .base import WIDE_LABELS, Playground

# name -> (f, f') ; learners add their own with SecantExplorer(functions={...}).
SECANT_FUNCTIONS: dict[str, tuple[Callable, Callable]] = {
    "sin(x)": (np.sin, np.cos),
    "exp(x)": (np.exp, np.exp),
    "x^3 - 2x": (lambda x: x**3 - 2 * x, lambda x: 3 * x**2 - 2),
    "log(1 + x^2)": (lambda x: np.log1p(x**2), lambda x: 2 * x / (1 + x**2)),
}


def secant_estimate(f: Callable, dfdx: Callable, x0: float, h: float, method: str) -> dict:
    """The slope a finite difference gives at ``x0`` with step ``h``, the exact slope and the error.

    Returns a dict with ``slope``, ``exact``, ``abs_error``, ``x_left`` and ``x_right``
    (the two points the secant passes through).
    """
    check_callable("f", f, hint="the function, e.g. np.sin")
    check_callable("dfdx", dfdx, hint="its exact derivative, e.g. np.cos")
    x0 = check_number("x0", x0, hint="the point where the slope is estimated, e.g. 1.0")
    h = check_positive("h", h, hint="the step, e.g. 0.1")
    check_choice("method", method, list(METHODS), hint='e.g. method="central"')
    slope = derivative(f, float(x0), h=float(h), method=method)
    exact = float(dfdx(float(x0)))
    if not (np.isfinite(slope) and np.isfinite(exact)):
        raise ValueError(f"f or f' is not finite near x0 = {x0:g}; pick a point inside the function's domain")
    left, right = {"forward": (x0, x0 + h), "backward": (x0 - h, x0), "central": (x0 - h, x0 + h)}[method]
    return {"slope": slope, "exact": exact, "abs_error": abs(slope - exact), "x_left": left, "x_right": right}


class SecantExplorer(Playground):
    """Pick a function, a point x0, a step h (log slider) and a method; see the secant
    against the tangent (left) and where this h sits on the error curve (right)."""

    def __init__(self, functions: dict | None = None, function: str | None = None, x0: float = 1.0,
                 log10_h: float = -0.5, method: str = "forward"):
        if functions is not None:
            check_instance("functions", functions, dict, what="a dict {'name': (f, dfdx)}", hint="e.g. {'sin(x)': (np.sin, np.cos)}")
        self.functions = dict(SECANT_FUNCTIONS if functions is None else functions)
        if not self.functions:
            raise ValueError("functions must hold at least one entry: {'name': (f, dfdx)}")
        for name, pair in self.functions.items():
            if not (isinstance(pair, tuple) and len(pair) == 2 and all(callable(p) for p in pair)):
                raise ValueError(f"functions[{name!r}] must be a pair (f, dfdx) of callables")
        function = next(iter(self.functions)) if function is None else function
        check_choice("function", function, list(self.functions), hint="a name from functions, or None for the first")
        if method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}; got {method!r}")
        x0 = check_number("x0", x0, low=-2.0, high=2.0, hint="the x0 slider spans -2 to 2")
        log10_h = check_number("log10_h", log10_h, low=-15.0, high=0.0, hint="h runs from 1e-15 to 1")
        self.function = widgets.Dropdown(options=list(self.functions), value=function, description="function f",
                                         style=WIDE_LABELS)
        self.x0 = widgets.FloatSlider(value=x0, min=-2.0, max=2.0, step=0.05, description="point x0", style=WIDE_LABELS)
        self.log10_h = widgets.FloatSlider(value=log10_h, min=-15.0, max=0.0, step=0.25, description="step log10 h",
                                           style=WIDE_LABELS)
        self.method = widgets.ToggleButtons(options=list(METHODS), value=method, description="method", style=WIDE_LABELS)
        self.readout = widgets.HTML()
        from .live_figure import LiveFigure

        self.live = LiveFigure(ncols=2)
        self._build_artists()
        for w in (self.function, self.x0, self.log10_h, self.method):
            w.observe(self.update, names="value")
        self.widget = widgets.VBox(
            [widgets.HBox([self.function, self.method]), widgets.HBox([self.x0, self.log10_h]), self.readout, self.live.image]
        )
        self.update()

    def _build_artists(self) -> None:
        ax, ax_err = self.live.axes
        (self.curve,) = ax.plot([], [], color=color_for("exact"), lw=2, label="f(x)")
        (self.tangent,) = ax.plot([], [], color=color_for("theory"), ls="--", label="tangent (exact slope)")
        (self.secant,) = ax.plot([], [], color=color_for("forward"), lw=1.5, label="secant (estimate)")
        (self.points,) = ax.plot([], [], "o", color=color_for("forward"))
        ax.set_xlabel("x")
        ax.set_ylabel("f(x)")
        self.legend_secant = ax.legend(loc="upper left", fontsize=8).get_lines()[2]
        self.hs = np.logspace(-15, 0, 121)
        (self.error_curve,) = ax_err.loglog([], [], color=color_for("forward"))
        (self.error_marker,) = ax_err.loglog([], [], "o", ms=9, color="black")
        ax_err.set_xlabel("step h")
        ax_err.set_ylabel("|slope error|")
        ax_err.set_title("error of the estimate vs h")

    def update(self, *_) -> dict | None:
        """Recompute from the widget values and redraw; returns the estimate (None on bad input)."""
        f, dfdx = self.functions[self.function.value]
        x0, h, method = float(self.x0.value), 10.0 ** float(self.log10_h.value), self.method.value
        try:
            est = secant_estimate(f, dfdx, x0, h, method)
        except (ValueError, ArithmeticError) as exc:
            self.readout.value = f"<b style='color:#b00'>Cannot evaluate here:</b> {exc}"
            return None
        colour = color_for(method)
        ax, ax_err = self.live.axes
        xs = np.linspace(x0 - 1.0, x0 + 1.0, 200)
        with np.errstate(all="ignore"):
            ys = np.asarray(f(xs), dtype=float)
        if not np.all(np.isfinite(ys)):
            self.readout.value = "<b style='color:#b00'>Cannot draw here:</b> f is not finite on [x0 - 1, x0 + 1]; move x0."
            return None
        self.curve.set_data(xs, ys)
        y0 = float(f(x0))
        self.tangent.set_data(xs, y0 + est["exact"] * (xs - x0))
        y_left = float(f(est["x_left"]))
        self.secant.set_data(xs, y_left + est["slope"] * (xs - est["x_left"]))
        self.points.set_data([est["x_left"], est["x_right"]], [y_left, float(f(est["x_right"]))])
        for artist in (self.secant, self.points, self.error_curve, self.legend_secant):
            artist.set_color(colour)
        ax.set_xlim(xs[0], xs[-1])
        pad = 0.15 * (np.ptp(ys) + 1e-12)
        ax.set_ylim(ys.min() - pad, ys.max() + pad)
        key = (self.function.value, x0, method)
        if getattr(self, "_curve_key", None) != key:  # the curve depends on f, x0 and method, not on h
            with np.errstate(all="ignore"):
                errors = np.array([abs(derivative(f, x0, h=hh, method=method) - est["exact"]) for hh in self.hs])
            errors = np.maximum(np.nan_to_num(errors, nan=1e18), 1e-18)  # an exact hit (0) would vanish on log axes
            self.error_curve.set_data(self.hs, errors)
            ax_err.set_ylim(1e-18, max(10.0, errors.max() * 10))
            self._curve_key = key
        self.error_marker.set_data([h], [max(est["abs_error"], 1e-18)])
        ax_err.set_xlim(self.hs[0], self.hs[-1])
        ax.set_title(f"{method} difference, h = {h:.1e}")
        self.readout.value = (
            f"estimate <b>{est['slope']:.12f}</b> &nbsp; exact {est['exact']:.12f} &nbsp; "
            f"error <b>{est['abs_error']:.2e}</b>"
        )
        self.live.refresh()
        self.last = est
        return est
