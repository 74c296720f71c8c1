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

import numbers
from typing import Callable, Sequence

import numpy as np
import torch

from .validation import check_array, check_bool, check_callable, check_choice, check_count, check_number

ORDERS = {"euler": 1, "midpoint": 2, "rk4": 4}

_F_HINT = "the right-hand side f(t, h) that returns dh/dt, e.g. lambda t, h: -h"


def _check_f(name: str, f) -> None:
    check_callable(name, f, hint=_F_HINT)


def _check_tensor(name: str, h) -> torch.Tensor:
    """A floating-point tensor (a ValueError, as the course has always raised for a bad state)."""
    if not isinstance(h, torch.Tensor) or not h.is_floating_point():
        shown = f"a {h.dtype} tensor" if isinstance(h, torch.Tensor) else type(h).__name__
        raise ValueError(f"{name} must be a floating-point torch tensor (got {shown}); "
                         f"make one with torch.tensor([1.0, 0.0]) or torch.as_tensor(x, dtype=torch.float64)")
    return h


def _check_time(name: str, t):
    """A time: a finite real number or a 0-d tensor (what a solver passes to f). Returned as given."""
    if isinstance(t, torch.Tensor) and t.ndim == 0:
        if t.is_complex() or t.dtype == torch.bool:
            raise TypeError(f"{name} must be a real time (got a {t.dtype} tensor)")
        check_number(name, t.item(), hint="a time such as 0.0")
        return t
    check_number(name, t, hint="a time such as 0.0 (a number or a 0-d tensor)")
    return t


def _check_dt(dt) -> float:
    """A finite, non-zero step; negative steps integrate backwards in time (the adjoint does)."""
    value = check_number("dt", dt, hint="a step size such as 0.1 (negative integrates backwards in time)")
    if value == 0:
        raise ValueError("dt must be non-zero (got 0): a step of size 0 does not move; use e.g. dt=0.1")
    return dt


def _euler(f, t, h, dt):
    return h + dt * f(t, h)


def _midpoint(f, t, h, dt):
    return h + dt * f(t + dt / 2, h + dt / 2 * f(t, h))


def _rk4(f, t, h, dt):
    k1 = f(t, h)
    k2 = f(t + dt / 2, h + dt / 2 * k1)
    k3 = f(t + dt / 2, h + dt / 2 * k2)
    k4 = f(t + dt, h + dt * k3)
    return h + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)


_RAW_STEPS = {"euler": _euler, "midpoint": _midpoint, "rk4": _rk4}


def _checked_step(raw, f, t, h, dt):
    _check_f("f", f)
    _check_time("t", t)
    _check_tensor("h", h)
    _check_dt(dt)
    return raw(f, t, h, dt)


def euler_step(f: Callable, t, h: torch.Tensor, dt) -> torch.Tensor:
    """One Euler step, ``h + dt * f(t, h)``; ``h`` a float tensor of any shape, same shape out."""
    return _checked_step(_euler, f, t, h, dt)


def midpoint_step(f: Callable, t, h: torch.Tensor, dt) -> torch.Tensor:
    """One midpoint step, ``h + dt * f(t + dt/2, h + dt/2 * f(t, h))``."""
    return _checked_step(_midpoint, f, t, h, dt)


def rk4_step(f: Callable, t, h: torch.Tensor, dt) -> torch.Tensor:
    """One classical Runge-Kutta step (formula in the module docstring)."""
    return _checked_step(_rk4, f, t, h, dt)


STEPPERS = {"euler": euler_step, "midpoint": midpoint_step, "rk4": rk4_step}


def _check_method(method: str) -> str:
    return check_choice("method", method, sorted(STEPPERS), hint='e.g. method="rk4"')


def time_grid(t) -> list[float]:
    """Validate a time grid: 1-D, at least two finite, strictly increasing values."""
    grid = check_array("t", t, ndim=1, allow_empty=True, hint="a 1-D grid of times like torch.linspace(0, 1, 11)")
    if grid.size < 2:
        raise ValueError(f"t must be a 1-D grid of at least 2 times, like torch.linspace(0, 1, 11); got shape {grid.shape}")
    if not (grid[1:] > grid[:-1]).all():
        bad = int(np.flatnonzero(grid[1:] <= grid[:-1])[0])
        raise ValueError(
            f"t must be strictly increasing; t[{bad}] = {grid[bad]:g} >= t[{bad + 1}] = {grid[bad + 1]:g}. "
            "Sort it, and remove repeated times"
        )
    return grid.tolist()


def check_substeps(substeps) -> int:
    """Refuse anything but a whole number of steps per interval, >= 1."""
    if isinstance(substeps, bool) or not isinstance(substeps, numbers.Integral) or substeps < 1:
        if isinstance(substeps, (str, bytes)) or not isinstance(substeps, numbers.Real):
            raise TypeError(f"substeps must be a whole number >= 1; got {substeps!r}")
        raise ValueError(f"substeps must be a whole number >= 1; got {substeps!r}")
    return int(substeps)


def check_state(f: Callable, t0: float, h0: torch.Tensor) -> None:
    """Refuse a non-finite initial state, or an f whose output shape is not h's shape."""
    _check_f("f", f)
    t0 = check_number("t0", t0, hint="the start time, e.g. 0.0")
    _check_tensor("h0", h0)
    if not torch.isfinite(h0).all():
        raise ValueError("h0 must be finite; it contains NaN or inf")
    with torch.no_grad():
        out = f(torch.tensor(t0, dtype=h0.dtype, device=h0.device), h0)
    if not isinstance(out, torch.Tensor) or out.shape != h0.shape:
        shape = tuple(out.shape) if isinstance(out, torch.Tensor) else type(out).__name__
        raise ValueError(f"f(t, h) returned {shape} for a state of shape {tuple(h0.shape)}; it must return dh/dt with h's shape")


def _integrate(f, h, t0: float, t1: float, n_steps: int, method: str):
    """``integrate`` without the checks, for callers that made them once (solvers, models)."""
    step = _RAW_STEPS[method]
    dt = (t1 - t0) / n_steps
    for k in range(n_steps):
        t = torch.tensor(t0 + k * dt, dtype=h.dtype, device=h.device)
        h = step(f, t, h, dt)
    return h


def integrate(f: Callable, h: torch.Tensor, t0: float, t1: float, n_steps: int, method: str = "rk4") -> torch.Tensor:
    """Take ``n_steps`` equal steps from t0 to t1 (t1 < t0 integrates backwards in time)."""
    _check_f("f", f)
    _check_tensor("h", h)
    t0 = check_number("t0", t0, hint="the start time, e.g. 0.0")
    t1 = check_number("t1", t1, hint="the end time, e.g. 1.0")
    n_steps = check_count("n_steps", n_steps, minimum=1, hint="equal steps from t0 to t1, e.g. n_steps=10")
    return _integrate(f, h, t0, t1, n_steps, _check_method(method))


def odeint_fixed(f: Callable, h0: torch.Tensor, t: Sequence[float] | torch.Tensor, method: str = "rk4",
                 substeps: int = 1, check_finite: bool = True) -> torch.Tensor:
    """Solve dh/dt = f(t, h), h(t[0]) = h0, with ``substeps`` equal steps per interval of ``t``.

    ``h0``: any shape, e.g. ``(batch, dim)``; ``t``: strictly increasing, shape ``(T,)``.
    Returns the states at every time in ``t``, shape ``(T, *h0.shape)``. Differentiable:
    backprop goes through every step (memory grows with the number of steps).
    With ``check_finite``, a state that overflows raises a ValueError naming the step.
    """
    _check_f("f", f)
    grid = time_grid(t)
    _check_method(method)
    substeps = check_substeps(substeps)
    check_finite = check_bool("check_finite", check_finite)
    check_state(f, grid[0], h0)
    states, h = [h0], h0
    for i in range(len(grid) - 1):
        h = _integrate(f, h, grid[i], grid[i + 1], substeps, method)
        if check_finite and not torch.isfinite(h).all():
            raise ValueError(
                f"the state became NaN/inf between t = {grid[i]:g} and {grid[i + 1]:g} ({method}, "
                f"dt = {(grid[i + 1] - grid[i]) / substeps:g}): the step is too large for this problem, so the "
                "solver is unstable. Use more substeps or a smaller dt"
            )
        states.append(h)
    return torch.stack(states)
