"""Exercise checkers for notebook 02 (Euler steps and ResNets)."""

from __future__ import annotations

import math

import torch

from ..convergence import loglog_slope
from ..ode import rk4_step
from .feedback import call_learner, correct, not_yet, read_number

_ROTATION = torch.tensor([[0.0, 1.0], [-1.0, 0.0]], dtype=torch.float64)


def _rotate(t, h):
    return h @ _ROTATION.T


def check_midpoint_step(midpoint_step) -> bool:
    """Exercise 1: ``midpoint_step(f, t, h, dt)``; the checker measures its order (expect 2)."""
    h0 = torch.tensor([1.0, 0.0], dtype=torch.float64)
    exact = torch.tensor([math.cos(2.0), -math.sin(2.0)], dtype=torch.float64)
    steps, errors = [0.2, 0.1, 0.05, 0.025], []
    for dt in steps:
        h, t = h0, 0.0
        for _ in range(round(2.0 / dt)):
            ok, h = call_learner(midpoint_step, _rotate, torch.tensor(t, dtype=torch.float64), h, dt)
            if not ok:
                return not_yet(h)
            if not isinstance(h, torch.Tensor) or h.shape != h0.shape:
                got = f"a tensor of shape {tuple(h.shape)}" if isinstance(h, torch.Tensor) else type(h).__name__
                return not_yet(f"return the new state, a torch tensor shaped like h {tuple(h0.shape)}; got {got}")
            t += dt
        errors.append((h - exact).norm().item())
    if not all(math.isfinite(e) for e in errors) or max(errors) > 1.0:
        return not_yet(f"the solution is far off (errors {[f'{e:.1e}' for e in errors]}); check the half step")
    order = loglog_slope(steps, [max(e, 1e-300) for e in errors])
    if abs(order - 2) <= 0.3:
        return correct(f"measured order {order:.2f}: halving dt quarters the error")
    if abs(order - 1) <= 0.3:
        return not_yet(f"measured order {order:.2f}, like Euler: evaluate f at the midpoint h + dt/2 * f(t, h), then take the full step with that slope")
    return not_yet(f"measured order {order:.2f}, expected 2")


def check_largest_stable_step(lam, dt) -> bool:
    """Exercise 2: the largest Euler step that does not blow up on dh/dt = -lam h."""
    ok, dt = read_number(dt)
    if not ok:
        return not_yet(dt)
    ok, lam = read_number(lam)
    if not ok:
        return not_yet(f"lam: {lam}")
    if not (lam > 0 and dt > 0):
        return not_yet(f"λ and Δt must both be positive; got λ = {lam:g}, Δt = {dt:g}")
    if math.isclose(dt, 2 / lam, rel_tol=0.02):
        return correct(f"Δt = 2/λ = {2 / lam:.4g}: there |1 − λΔt| = 1, the edge between decay and growth")
    if math.isclose(dt, 1 / lam, rel_tol=0.02):
        return not_yet("at 1/λ the solution stops decaying smoothly, but it still decays; how far can |1 − λΔt| go?")
    return not_yet(f"{'too large: it grows' if dt > 2 / lam else 'still stable: you can go further'} (growth factor |1 − λΔt| = {abs(1 - lam * dt):.3f})")


def check_implicit_euler_stable_step(lam, dt) -> bool:
    """Exercise 3(c): the largest step for which implicit Euler, h_{n+1} = h_n / (1 + lam dt),
    does not grow on dh/dt = -lam h. There is none: it is stable for every dt > 0, so the
    answer is ``float("inf")``."""
    ok, lam = read_number(lam)
    if not ok:
        return not_yet(f"lam: {lam}")
    if isinstance(dt, (int, float)) and not isinstance(dt, bool) and math.isinf(dt) and dt > 0:
        return correct("no limit: 1/(1 + λΔt) lies in (0, 1) for every Δt > 0, so implicit Euler decays at any step. "
                       "The price is solving for h_{n+1} at every step")
    ok, dt = read_number(dt)
    if not ok:
        return not_yet(dt if "finite" not in dt else 'for "no limit", write float("inf")')
    if not (lam > 0 and dt > 0):
        return not_yet(f"λ and Δt must both be positive; got λ = {lam:g}, Δt = {dt:g}")
    if math.isclose(dt, 2 / lam, rel_tol=0.02):
        return not_yet("2/λ is explicit Euler's limit; implicit Euler's factor is 1/(1 + λΔt): where does that exceed 1?")
    return not_yet(f"at Δt = {dt:g} the factor 1/(1 + λΔt) = {1 / (1 + lam * dt):.3g} is below 1, and it stays below 1 for any "
                   'larger Δt too. If there is no limit, answer float("inf")')


def reference_rk4_step(f, t, h, dt):
    """The course's RK4 step, for comparison in exercise 3."""
    return rk4_step(f, t, h, dt)
