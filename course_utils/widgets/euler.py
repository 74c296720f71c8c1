"""Notebook 02's playgrounds: Euler's stability on dh/dt = -lambda h, and a shared-weight
ResNet approaching the ODE it discretizes as its depth L grows."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import torch

from ..ode import odeint_fixed
from ..odenets import SharedResidualStack
from ..plotting import color_for
from ..validation import check_callable, check_choice, check_count, check_number, check_positive
from .base import WIDE_LABELS, Playground
from .live_figure import LiveFigure


MAX_EULER_STEPS = 1_000_000     # euler_decay refuses more steps than this (a tiny dt would run for minutes)


def euler_decay(lam: float, dt: float, t_end: float = 10.0) -> tuple[np.ndarray, np.ndarray]:
    """Explicit Euler on dh/dt = -lam h, h(0) = 1: each step multiplies h by (1 - lam dt).

    Returns ``(times, states)``, both ``(n_steps + 1,)``. Raises ValueError for lam <= 0 or dt <= 0.
    """
    hint = "λ, Δt and t_end must be positive finite numbers"
    lam, dt, t_end = (check_positive(name, value, hint=hint) for name, value in (("lam", lam), ("dt", dt), ("t_end", t_end)))
    if t_end / dt > MAX_EULER_STEPS:
        raise ValueError(f"dt must be at least t_end / {MAX_EULER_STEPS:,} = {t_end / MAX_EULER_STEPS:.3g} (got dt={dt:g}, "
                         f"t_end={t_end:g}: {t_end / dt:,.0f} steps); take a larger step or a shorter time")
    n_steps = max(1, int(round(t_end / dt)))
    times = np.arange(n_steps + 1) * dt
    states = odeint_fixed(lambda t, h: -lam * h, torch.ones(1, dtype=torch.float64), torch.as_tensor(times),
                          method="euler", check_finite=False)
    return times, states[:, 0].numpy()


class EulerStabilityExplorer(Playground):
    """Sliders for lambda and dt; the Euler trajectory against the exact e^(-lambda t)."""

    LAM_RANGE, DT_RANGE = (0.5, 5.0), (0.02, 1.5)

    def __init__(self, lam: float = 2.0, dt: float = 0.3, t_end: float = 10.0):
        lam = check_number("lam", lam, low=self.LAM_RANGE[0], high=self.LAM_RANGE[1], hint="the λ slider spans 0.5 to 5")
        dt = check_number("dt", dt, low=self.DT_RANGE[0], high=self.DT_RANGE[1], hint="the Δt slider spans 0.02 to 1.5")
        self.t_end = check_number("t_end", t_end, low=0.0, low_open=True, high=100.0)
        self.lam = widgets.FloatSlider(value=lam, min=self.LAM_RANGE[0], max=self.LAM_RANGE[1], step=0.1,
                                       description="decay rate λ", style=WIDE_LABELS)
        self.dt = widgets.FloatSlider(value=dt, min=self.DT_RANGE[0], max=self.DT_RANGE[1], step=0.01,
                                      description="step size Δt", style=WIDE_LABELS)
        self.readout = widgets.HTML()
        self.live = LiveFigure(ncols=1, figsize=(7.0, 3.4))
        ax = self.live.axes[0]
        (self.exact,) = ax.plot([], [], color=color_for("exact"), lw=2, label="exact e^(-λt)")
        (self.euler,) = ax.plot([], [], "o-", ms=3, color=color_for("euler"), label="Euler")
        ax.set(xlim=(0, t_end), ylim=(-1.6, 1.6), xlabel="time t", ylabel="h(t)")
        ax.legend(loc="upper right")
        for w in (self.lam, self.dt):
            w.observe(self.update, names="value")
        self.widget = widgets.VBox([widgets.HBox([self.lam, self.dt]), self.readout, self.live.image])
        self.update()

    def update(self, *_) -> dict:
        lam, dt = float(self.lam.value), float(self.dt.value)
        times, states = euler_decay(lam, dt, self.t_end)
        fine = np.linspace(0, self.t_end, 300)
        self.exact.set_data(fine, np.exp(-lam * fine))
        self.euler.set_data(times, np.clip(states, -1e3, 1e3))
        factor = abs(1 - lam * dt)
        verdict = "explodes" if factor > 1 else ("decays, but flips sign every step" if lam * dt > 1 else "decays smoothly")
        self.readout.value = (f"growth factor per step |1 − λΔt| = <b>{factor:.3f}</b> → {verdict}. "
                              f"Stable while Δt ≤ 2/λ = {2 / lam:.3f}. |h| at t = {times[-1]:.1f}: {abs(states[-1]):.2e}")
        self.live.axes[0].set_title(f"Euler on dh/dt = −{lam:g} h with Δt = {dt:g}: {verdict}")
        self.live.refresh()
        self.last = {"factor": factor, "final": float(states[-1]), "verdict": verdict}
        return self.last


def _check_start(h0) -> None:
    if not isinstance(h0, torch.Tensor) or not h0.is_floating_point():
        raise TypeError(f"h0 must be a floating-point torch tensor of starting points (batch, dim) "
                        f"(got {type(h0).__name__}); e.g. torch.randn(8, 2)")
    if not torch.isfinite(h0).all():
        raise ValueError("h0 must be finite (it contains NaN or inf)")


def resnet_hidden_states(f, h0: torch.Tensor, n_blocks: int) -> torch.Tensor:
    """Hidden states of a weight-shared ResNet (h <- h + f(h)/L) after each block, ``(L + 1, batch, dim)``."""
    _check_start(h0)
    stack = SharedResidualStack(f, n_blocks)
    with torch.no_grad():
        path = [h0]
        for _ in range(n_blocks):
            path.append(path[-1] + stack.f(None, path[-1]) / n_blocks)
    return torch.stack(path)


def ode_flow(f, h0: torch.Tensor, reference_steps: int = 400) -> torch.Tensor:
    """The ODE dh/dt = f(h) on [0, 1] by RK4, ``(reference_steps + 1, batch, dim)``."""
    reference_steps = check_count("reference_steps", reference_steps, maximum=100_000, hint="RK4 steps on [0, 1], e.g. 400")
    with torch.no_grad():
        return odeint_fixed(f, h0, torch.linspace(0, 1, reference_steps + 1), method="rk4")


def resnet_vs_ode(f, h0: torch.Tensor, n_blocks: int, reference_steps: int = 400) -> dict:
    """Run a weight-shared ResNet with ``n_blocks`` blocks (h <- h + f(h)/L) and the ODE
    dh/dt = f(h) on [0, 1] (RK4, ``reference_steps`` steps) from ``h0`` ``(batch, dim)``.

    Returns the ResNet's hidden states after each block ``(L + 1, batch, dim)``, the ODE
    path ``(reference_steps + 1, batch, dim)`` and the max endpoint distance between them.
    """
    reference_steps = check_count("reference_steps", reference_steps, maximum=100_000, hint="RK4 steps on [0, 1], e.g. 400")
    resnet_path, ode_path = resnet_hidden_states(f, h0, n_blocks), ode_flow(f, h0, reference_steps)
    error = (resnet_path[-1] - ode_path[-1]).norm(dim=-1).max().item()
    return {"resnet": resnet_path, "ode": ode_path, "endpoint_error": error}


class ResNetDepthExplorer(Playground):
    """An L slider: a shared-weight ResNet's hidden states (dots) against the ODE flow (lines)."""

    DEPTHS = (1, 2, 4, 8, 16, 32, 64)

    def __init__(self, f, h0: torch.Tensor, n_blocks: int = 4):
        if isinstance(n_blocks, bool):
            raise TypeError(f"n_blocks must be one of {list(self.DEPTHS)} (got {n_blocks!r}), a whole number, not True/False")
        check_choice("n_blocks", n_blocks, self.DEPTHS)
        check_callable("f", f, hint="the residual block, a callable f(t, h)")
        if not (isinstance(h0, torch.Tensor) and h0.ndim == 2 and h0.shape[1] == 2):
            raise ValueError(f"h0 must be a tensor of starting points of shape (batch, 2) (got {getattr(h0, 'shape', type(h0).__name__)})")
        self.f, self.h0 = f, h0
        self.depth = widgets.SelectionSlider(options=self.DEPTHS, value=n_blocks, description="blocks L", style=WIDE_LABELS)
        self.readout = widgets.HTML()
        self.live = LiveFigure(ncols=1, figsize=(5.5, 4.6))
        ax = self.live.axes[0]
        ode = ode_flow(f, h0)
        self.ode_end = ode[-1]
        ode = ode.numpy()
        for b in range(ode.shape[1]):
            ax.plot(ode[:, b, 0], ode[:, b, 1], color=color_for("rk4"), lw=1, alpha=0.7)
        ax.plot(ode[-1, :, 0], ode[-1, :, 1], "s", color=color_for("rk4"), ms=5, label="ODE at t = 1")
        self.paths = [ax.plot([], [], ".-", color=color_for("euler"), ms=4, lw=0.8)[0] for _ in range(ode.shape[1])]
        self.paths[0].set_label("ResNet hidden states")
        ax.set(xlabel="h₁", ylabel="h₂")
        ax.legend(loc="best", fontsize=8)
        self.depth.observe(self.update, names="value")
        self.widget = widgets.VBox([self.depth, self.readout, self.live.image])
        self.update()

    def update(self, *_) -> dict:
        states = resnet_hidden_states(self.f, self.h0, int(self.depth.value))
        result = {"resnet": states, "endpoint_error": (states[-1] - self.ode_end).norm(dim=-1).max().item()}
        path = states.numpy()
        for b, line in enumerate(self.paths):
            line.set_data(path[:, b, 0], path[:, b, 1])
        self.readout.value = f"L = {self.depth.value} blocks = Euler with Δt = 1/{self.depth.value}; " \
                             f"max distance from the ODE's endpoint: <b>{result['endpoint_error']:.2e}</b>"
        self.live.axes[0].set_title(f"{self.depth.value} residual blocks vs the continuous flow")
        self.live.refresh()
        self.last = result
        return result
