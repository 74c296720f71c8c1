r"""Gradients through an ODE solve by the adjoint method (Chen et al., 2018, section 2).

For h(t1) = h(t0) + \int_{t0}^{t1} f(t, h, theta) dt and a loss L(h(t1)), define the
adjoint a(t) = dL/dh(t). It obeys its own ODE, run backwards from t1 to t0::

    da/dt        = - a(t)^T  df/dh        (the chain rule in continuous time)
    dL/dtheta    = - \int_{t1}^{t0} a(t)^T df/dtheta dt
    dL/dh(t0)    = a(t0)

The three are solved together, backwards in time, as one augmented state
[h, a, g_theta] with dynamics [f, -a^T df/dh, -a^T df/dtheta], starting from
[h(t1), dL/dh(t1), 0]; each vector-Jacobian product is one call to torch.autograd.grad.
Nothing from the forward solve is stored but its outputs, so memory does not grow
with the number of steps. The price: h is recomputed backwards, and the gradient is
a *discretization* of the continuous adjoint, so it matches backprop through the
solver only to the solver's accuracy (O(dt^4) for RK4), not bit for bit.
"""

from __future__ import annotations

from typing import Sequence

import torch
from torch import nn

from .ode import _check_method, _integrate, check_state, check_substeps, time_grid


def _flat(tensors) -> torch.Tensor:
    return torch.cat([t.reshape(-1) for t in tensors])


def _unflat(vector: torch.Tensor, likes) -> list[torch.Tensor]:
    out, start = [], 0
    for like in likes:
        out.append(vector[start : start + like.numel()].view_as(like))
        start += like.numel()
    return out


class _AdjointSolve(torch.autograd.Function):
    @staticmethod
    def forward(ctx, h0, func, grid, method, substeps, *params):
        with torch.no_grad():
            states = [h0]
            for i in range(len(grid) - 1):
                states.append(_integrate(func, states[-1], grid[i], grid[i + 1], substeps, method))
            solution = torch.stack(states)
        ctx.func, ctx.grid, ctx.method, ctx.substeps = func, grid, method, substeps
        ctx.save_for_backward(solution, *params)
        return solution

    @staticmethod
    def backward(ctx, grad_solution):
        solution, *params = ctx.saved_tensors
        func, grid = ctx.func, ctx.grid
        h_like = solution[0]

        def augmented(t, z):
            h, a, _ = _unflat(z, [h_like, h_like, _flat(params) if params else z[:0]])
            with torch.enable_grad():
                h = h.detach().requires_grad_(True)
                f = func(t, h)
                vjps = torch.autograd.grad(f, (h, *params), grad_outputs=a, allow_unused=True)
            vjps = [torch.zeros_like(x) if v is None else v for v, x in zip(vjps, (h, *params))]
            return _flat([f, -vjps[0], *[-v for v in vjps[1:]]])

        a = grad_solution[-1]
        g = [torch.zeros_like(p) for p in params]
        for i in range(len(grid) - 1, 0, -1):
            z = _flat([solution[i], a, *g])
            z = _integrate(augmented, z, grid[i], grid[i - 1], ctx.substeps, ctx.method)
            _, a, *g = _unflat(z, [h_like, h_like, *params])
            a = a + grad_solution[i - 1]  # a loss on h(t_{i-1}) adds its own gradient there
        return (a, None, None, None, None, *g)


def odeint_adjoint(func: nn.Module, h0: torch.Tensor, t: Sequence[float] | torch.Tensor,
                   method: str = "rk4", substeps: int = 1) -> torch.Tensor:
    """Like ``odeint_fixed`` (same arguments, same forward values), but its backward pass
    solves the adjoint ODE instead of storing every step. ``func`` must be an ``nn.Module``
    so its parameters are known. Returns the states at every time in ``t``, ``(T, *h0.shape)``.
    """
    if not isinstance(func, nn.Module):
        raise ValueError(f"func must be a torch.nn.Module so the adjoint knows which parameters to differentiate "
                         f"(got {type(func).__name__}); wrap f in a module, e.g. MLPDynamics(2, 50)")
    grid = time_grid(t)
    method = _check_method(method)
    substeps = check_substeps(substeps)
    check_state(func, grid[0], h0)
    params = tuple(p for p in func.parameters() if p.requires_grad)
    return _AdjointSolve.apply(h0, func, grid, method, substeps, *params)
