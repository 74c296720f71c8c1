"""Notebook 06's playground: optimizers racing on a 2-D loss surface.

``OptimizerPlayground.update()`` reads the controls, runs every ticked optimizer with the
shared settings (``course_utils.optimizers.optimize``), and redraws by changing line data:
the contours are drawn once per surface. Bad settings produce a message in the widget.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullLocator

from ..optimizers import OPTIMIZERS, check_hyperparameters, optimize
from ..plotting import color_for
from ..surfaces import SURFACES, Surface
from ..validation import check_array, check_choice, check_count, check_instance, check_name, check_number
from .base import WIDE_LABELS as WIDE
from .base import Playground
from .live_figure import LiveFigure

LR_RANGE, STEPS_RANGE, KAPPA_RANGE = (1e-4, 10.0), (1, 500), (1.0, 1000.0)
LABELS = {"gd": "GD", "momentum": "momentum", "nesterov": "Nesterov", "rmsprop": "RMSProp", "adam": "Adam", "adamw": "AdamW"}


SETTING_KEYS = ("lr", "momentum", "betas", "weight_decay")


def _check_names(name: str, names) -> list:
    """A list of optimizer names from OPTIMIZERS (a single string is refused: it is not a list)."""
    if isinstance(names, (str, bytes, dict)) or not hasattr(names, "__iter__"):
        raise TypeError(f"{name} must be a list of optimizer names, e.g. ('gd', 'adam') (got {names!r:.60})")
    names = list(names)
    for n in names:
        check_name(name, n, OPTIMIZERS, what="optimizer", hint=f"each entry of {name} names an optimizer")
    return names


def _check_settings(settings) -> dict:
    check_instance("settings", settings, dict, what="a dict like settings() returns", hint=f"keys {list(SETTING_KEYS)}")
    missing = [k for k in SETTING_KEYS if k not in settings]
    if missing:
        raise ValueError(f"settings must hold {', '.join(SETTING_KEYS)} (missing {', '.join(missing)}); start from settings()")
    return settings


def run_all(surface, names, settings: dict, start, n_steps: int) -> dict:
    """Run each optimizer in ``names`` on ``surface``; returns name -> {"path", "losses", "diverged_at"}."""
    check_instance("surface", surface, Surface, hint="e.g. course_utils.surfaces.quadratic(30.0)")
    names = _check_names("names", names)
    check_instance("settings", settings, dict, what="a dict of hyperparameters", hint="e.g. {'lr': 0.1, 'momentum': 0.9}")
    start = check_array("start", start, shape=(2,), hint="the start point (x, y)")
    n_steps = check_count("n_steps", n_steps, minimum=0, maximum=STEPS_RANGE[1] * 10, hint="steps per optimizer, e.g. 100")
    results = {}
    for name in names:
        out = optimize(name, surface.grad, start, n_steps, **settings)
        path = out["path"]
        with np.errstate(all="ignore"):
            losses = surface.f(path[:, 0], path[:, 1]) - surface.minimum_value
        results[name] = {"path": path, "losses": np.maximum(losses, 1e-16), "diverged_at": out["diverged_at"]}
    return results


class OptimizerPlayground(Playground):
    """Controls: surface (and its condition number), which optimizers, learning rate (log
    slider), momentum, Adam's beta1/beta2, weight decay, steps and start point."""

    def __init__(self, surface: str = "quadratic", optimizers=("gd", "momentum", "adam"), lr: float = 0.1,
                 momentum: float = 0.9, beta1: float = 0.9, beta2: float = 0.999, weight_decay: float = 0.0,
                 n_steps: int = 100, kappa: float = 30.0):
        check_choice("surface", surface, sorted(SURFACES))
        optimizers = _check_names("optimizers", optimizers)
        # the sliders would clamp an out-of-range value without a word: refuse it here instead
        lr = check_number("lr", lr, low=LR_RANGE[0], high=LR_RANGE[1], hint="the learning-rate slider spans 1e-4 to 10")
        momentum = check_number("momentum", momentum, low=0.0, high=1.0, high_open=True)
        beta1 = check_number("beta1", beta1, low=0.0, high=1.0, high_open=True)
        beta2 = check_number("beta2", beta2, low=0.0, high=1.0, high_open=True)
        weight_decay = check_number("weight_decay", weight_decay, low=0.0)
        n_steps = check_count("n_steps", n_steps, minimum=STEPS_RANGE[0], maximum=STEPS_RANGE[1])
        kappa = check_number("kappa", kappa, low=KAPPA_RANGE[0], high=KAPPA_RANGE[1], hint="the κ slider spans 1 to 1000")
        self.surface_name = widgets.Dropdown(options=sorted(SURFACES), value=surface, description="surface", style=WIDE)
        self.kappa = widgets.FloatLogSlider(value=kappa, base=10, min=0, max=3, step=0.1, description="κ (quadratic only)",
                                            style=WIDE, layout=widgets.Layout(width="360px"))
        self.ticks = {n: widgets.Checkbox(value=n in optimizers, description=LABELS[n], indent=False,
                                          layout=widgets.Layout(width="110px")) for n in OPTIMIZERS}
        self.lr = widgets.FloatLogSlider(value=lr, base=10, min=-4, max=1, step=0.05, description="learning rate",
                                         style=WIDE, readout_format=".2e", layout=widgets.Layout(width="380px"))
        self.momentum = widgets.FloatText(value=momentum, description="momentum", style=WIDE, layout=widgets.Layout(width="170px"))
        self.beta1 = widgets.FloatText(value=beta1, description="β1 (Adam)", style=WIDE, layout=widgets.Layout(width="170px"))
        self.beta2 = widgets.FloatText(value=beta2, description="β2 (Adam)", style=WIDE, layout=widgets.Layout(width="170px"))
        self.weight_decay = widgets.FloatText(value=weight_decay, description="weight decay", style=WIDE, layout=widgets.Layout(width="180px"))
        self.n_steps = widgets.IntSlider(value=n_steps, min=STEPS_RANGE[0], max=STEPS_RANGE[1], description="steps", style=WIDE)
        self.x0 = widgets.FloatText(description="start x", style=WIDE, layout=widgets.Layout(width="160px"))
        self.y0 = widgets.FloatText(description="start y", style=WIDE, layout=widgets.Layout(width="160px"))
        self.readout = widgets.HTML()
        self.live = LiveFigure(ncols=2, figsize=(10.0, 4.0), dpi=80)
        self.ax_path, self.ax_loss = self.live.axes
        self.path_lines, self.loss_lines, self.ends = {}, {}, {}
        for name in OPTIMIZERS:
            colour = color_for(name if name != "gd" else "forward")
            self.path_lines[name] = self.ax_path.plot([], [], "-", lw=1.4, color=colour, label=LABELS[name])[0]
            self.ends[name] = self.ax_path.plot([], [], "x", ms=9, mew=2, color=colour)[0]
            self.loss_lines[name] = self.ax_loss.semilogy([], [], lw=1.5, color=colour, label=LABELS[name])[0]
        self.ax_loss.set(xlabel="step", ylabel="f(x) − f(x*)", title="loss gap (log scale)", ylim=(1e-12, 1e4))
        # few plain-text ticks: tick labels are most of the cost of a full redraw
        self.ax_loss.yaxis.set_major_locator(LogLocator(numticks=6))
        self.ax_loss.yaxis.set_minor_locator(NullLocator())
        self.ax_loss.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0e}"))
        for axis in (self.ax_loss.xaxis, self.ax_path.xaxis, self.ax_path.yaxis):
            axis.set_major_locator(MaxNLocator(5))
        self.start_marker = self.ax_path.plot([], [], "ko", ms=5)[0]
        self.legend = None
        self.live.set_dynamic([*self.path_lines.values(), *self.ends.values(), *self.loss_lines.values(), self.start_marker])
        self.contours, self.contour_key = None, None
        self._set_surface(reset_start=True)
        self._updating = False
        self.surface_name.observe(lambda _: self._on_surface(reset_start=True), names="value")
        self.kappa.observe(lambda _: self._on_surface(reset_start=False), names="value")
        controls = [self.lr, self.momentum, self.beta1, self.beta2, self.weight_decay, self.n_steps, self.x0, self.y0,
                    *self.ticks.values()]
        for w in controls:
            w.observe(self.update, names="value")
        self.widget = widgets.VBox([
            widgets.HBox([self.surface_name, self.kappa]),
            widgets.HBox(list(self.ticks.values())),
            widgets.HBox([self.lr, self.n_steps]),
            widgets.HBox([self.momentum, self.beta1, self.beta2, self.weight_decay]),
            widgets.HBox([self.x0, self.y0]),
            self.readout, self.live.image])
        self.update()

    # -- surfaces
    def _set_surface(self, reset_start: bool) -> None:
        name = self.surface_name.value
        self.surface = SURFACES[name](self.kappa.value) if name == "quadratic" else SURFACES[name]()
        key = (name, self.kappa.value if name == "quadratic" else None)
        if key != self.contour_key:
            if self.contours is not None:
                self.contours.remove()
            s = self.surface
            X, Y = np.meshgrid(np.linspace(*s.xlim, 120), np.linspace(*s.ylim, 120))
            Z = s.f(X, Y) - s.minimum_value
            levels = np.geomspace(max(Z.min(), 1e-3 * Z.max(), 1e-6), Z.max(), 14)
            self.contours = self.ax_path.contour(X, Y, np.maximum(Z, 1e-12), levels=levels, colors="#bbbbbb", linewidths=0.8)
            self.ax_path.set(xlim=s.xlim, ylim=s.ylim, xlabel="x", ylabel="y", title=s.name)
            self.contour_key = key
            self.live.invalidate()
        if reset_start:
            self._updating = True
            self.x0.value, self.y0.value = self.surface.start
            self._updating = False

    def _on_surface(self, reset_start: bool) -> None:
        self._set_surface(reset_start=reset_start)
        self.update()

    # -- settings
    def settings(self) -> dict:
        return {"lr": float(self.lr.value), "momentum": float(self.momentum.value),
                "betas": (float(self.beta1.value), float(self.beta2.value)), "weight_decay": float(self.weight_decay.value),
                "alpha": 0.99}

    def problems(self, settings: dict | None = None) -> list[str]:
        """What is wrong with ``settings`` (default: the controls' values), as messages; [] when fine."""
        settings = self.settings() if settings is None else _check_settings(settings)
        found = check_hyperparameters(lr=settings["lr"], momentum=settings["momentum"], betas=settings["betas"],
                                      weight_decay=settings["weight_decay"])
        start = (self.x0.value, self.y0.value)
        if not all(np.isfinite(start)):
            found.append("the start point must be two finite numbers")
        if not any(t.value for t in self.ticks.values()):
            found.append("tick at least one optimizer")
        return found

    def update(self, *_, settings: dict | None = None) -> dict | None:
        """Recompute every ticked optimizer and redraw; returns the results, or None when a
        setting is invalid (the message is shown in the widget instead)."""
        settings = self.settings() if settings is None else _check_settings(settings)
        if self._updating:
            return None
        problems = self.problems(settings)
        if problems:
            self.readout.value = "<b style='color:#b00'>Not run:</b> " + "; ".join(problems)
            self.last = None
            return None
        names = [n for n, t in self.ticks.items() if t.value]
        lines = []
        if "nesterov" in names and settings["momentum"] <= 0:   # an invalid combination, not an error
            names.remove("nesterov")
            lines.append("<span style='color:#b00'>Nesterov: not run, it needs momentum &gt; 0 (set momentum, e.g. 0.9)</span>")
        start = np.array([self.x0.value, self.y0.value], dtype=float)
        results = run_all(self.surface, names, settings, start, int(self.n_steps.value))
        for name in OPTIMIZERS:
            r = results.get(name)
            path_line, loss_line, end = self.path_lines[name], self.loss_lines[name], self.ends[name]
            if r is None:
                for artist in (path_line, loss_line, end):
                    artist.set_data([], [])
                continue
            path_line.set_data(r["path"][:, 0], r["path"][:, 1])
            end.set_data(r["path"][-1:, 0], r["path"][-1:, 1])
            loss_line.set_data(np.arange(len(r["losses"])), r["losses"])
            if r["diverged_at"] is not None:
                label = f"{LABELS[name]}: diverged at step {r['diverged_at']}"
                lines.append(f"<span style='color:#b00'>{label}</span>")
            else:
                label = f"{LABELS[name]}: gap {r['losses'][-1]:.1e}"
                lines.append(label)
            path_line.set_label(label)
        self.start_marker.set_data([start[0]], [start[1]])
        steps = max(1, int(self.n_steps.value))
        if self.ax_loss.get_xlim() != (0, steps):     # the only limit that changes: redraw the background
            self.ax_loss.set_xlim(0, steps)
            self.live.invalidate()
        old_legend = self.legend
        if old_legend is not None:
            old_legend.remove()
        self.legend = self.ax_path.legend(handles=[self.path_lines[n] for n in names], loc="upper right", fontsize=7)
        self.live.swap_dynamic(old_legend, self.legend)
        self.readout.value = " &nbsp;|&nbsp; ".join(lines)
        self.live.refresh()
        self.last = results
        return results
