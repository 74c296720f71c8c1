r"""Fixed-step ODE solvers over torch tensors, for dh/dt = f(t, h).

One step of size dt from (t, h)::

    euler     h + dt * f(t, h)                                        error O(dt)
    midpoint  h + dt * f(t + dt/2, h + dt/2 * f(t, h))                error O(dt^2)
    rk4       h + dt/6 * (k1 + 2 k2 + 2 k3 + k4), with                error O(dt^4)
              k1 = f(t, h),               k2 = f(t + dt/2, h + dt/2 k1),
              k3 = f(t + dt/2, h + dt/2 k2), k4 = f(t + dt, h + dt k3)

(The errors are global: after integrating over a fixed time span.) With dt = 1 an
Euler step is h + f(h): a residual block. ``f`` follows torchdiffeq's convention,
``f(t, h)`` with t a 0-d tensor, and must return a tensor of h's shape.
"""

from __future__ import annotations

from typing import Callable, Sequence

import torch

ORDERS = {"euler": 1, "midpoint": 2, "rk4": 4}


def euler_step(f: Callable, t, h: torch.Tensor, dt) -> torch.Tensor:
    return h + dt * f(t, h)


def midpoint_step(f: Callable, t, h: torch.Tensor, dt) -> torch.Tensor:
    return h + dt * f(t + dt / 2, h + dt / 2 * f(t, h))


def rk4_step(f: Callable, t, h: torch.Tensor, dt) -> torch.Tensor:
    k1 = f(t, h)
    k2 = f(t + dt / 2, h + dt / 2 * k1)
    k3 = f(t + dt / 2, h + dt / 2 * k2)
    k4 = f(t + dt, h + dt * k3)
    return h + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)


STEPPERS = {"euler": euler_step, "midpoint": midpoint_step, "rk4": rk4_step}


def _stepper(method: str) -> Callable:
    if method not in STEPPERS:
        raise ValueError(f"method must be one of {sorted(STEPPERS)}; got {method!r}")
    return STEPPERS[method]


def time_grid(t) -> list[float]:
    """Validate a time grid: 1-D, at least two finite, strictly increasing values."""
    grid = torch.as_tensor(t, dtype=torch.float64).detach().cpu()
    if grid.ndim != 1 or grid.numel() < 2:
        raise ValueError(f"t must be a 1-D grid of at least 2 times, like torch.linspace(0, 1, 11); got shape {tuple(grid.shape)}")
    if not torch.isfinite(grid).all():
        raise ValueError("t must be finite")
    if not (grid[1:] > grid[:-1]).all():
        bad = int(torch.nonzero(grid[1:] <= grid[:-1])[0])
        raise ValueError(
            f"t must be strictly increasing; t[{bad}] = {grid[bad].item():g} >= t[{bad + 1}] = {grid[bad + 1].item():g}. "
            "Sort it, and remove repeated times"
        )
    return grid.tolist()


def check_substeps(substeps) -> int:
    """Refuse anything but a whole number of steps per interval, >= 1."""
    if isinstance(substeps, bool) or not isinstance(substeps, int) or substeps < 1:
        raise ValueError(f"substeps must be a whole number >= 1; got {substeps!r}")
    return substeps


def check_state(f: Callable, t0: float, h0: torch.Tensor) -> None:
    """Refuse a non-finite initial state, or an f whose output shape is not h's shape."""
    if not isinstance(h0, torch.Tensor) or not h0.is_floating_point():
        raise ValueError(f"h0 must be a floating-point torch tensor; got {type(h0).__name__}")
    if not torch.isfinite(h0).all():
        raise ValueError("h0 must be finite; it contains NaN or inf")
    with torch.no_grad():
        out = f(torch.tensor(t0, dtype=h0.dtype, device=h0.device), h0)
    if not isinstance(out, torch.Tensor) or out.shape != h0.shape:
        shape = tuple(out.shape) if isinstance(out, torch.Tensor) else type(out).__name__
        raise ValueError(f"f(t, h) returned {shape} for a state of shape {tuple(h0.shape)}; it must return dh/dt with h's shape")


def integrate(f: Callable, h: torch.Tensor, t0: float, t1: float, n_steps: int, method: str = "rk4") -> torch.Tensor:
    """Take ``n_steps`` equal steps from t0 to t1 (t1 < t0 integrates backwards in time)."""
    step = _stepper(method)
    dt = (t1 - t0) / n_steps
    for k in range(n_steps):
        t = torch.tensor(t0 + k * dt, dtype=h.dtype, device=h.device)
        h = step(f, t, h, dt)
    return h


def odeint_fixed(f: Callable, h0: torch.Tensor, t: Sequence[float] | torch.Tensor, method: str = "rk4",
                 substeps: int = 1, check_finite: bool = True) -> torch.Tensor:
    """Solve dh/dt = f(t, h), h(t[0]) = h0, with ``substeps`` equal steps per interval of ``t``.

    ``h0``: any shape, e.g. ``(batch, dim)``; ``t``: strictly increasing, shape ``(T,)``.
    Returns the states at every time in ``t``, shape ``(T, *h0.shape)``. Differentiable:
    backprop goes through every step (memory grows with the number of steps).
    With ``check_finite``, a state that overflows raises a ValueError naming the step.
    """
    grid = time_grid(t)
    _stepper(method)
    check_substeps(substeps)
    check_state(f, grid[0], h0)
    states, h = [h0], h0
    for i in range(len(grid) - 1):
        h = integrate(f, h, grid[i], grid[i + 1], substeps, method)
        if check_finite and not torch.isfinite(h).all():
            raise ValueError(
                f"the state became NaN/inf between t = {grid[i]:g} and {grid[i + 1]:g} ({method}, "
                f"dt = {(grid[i + 1] - grid[i]) / substeps:g}): the step is too large for this problem, so the "
                "solver is unstable. Use more substeps or a smaller dt"
            )
        states.append(h)
    return torch.stack(states)
