"""Small models for notebook 02: dynamics functions, a weight-shared residual stack that
is Euler's method, and the ResNet / ODE-Net pair compared on the digits data set."""

from __future__ import annotations

import numbers

import torch
from torch import nn

from .ode import STEPPERS, _integrate
from .validation import check_array, check_bool, check_callable, check_choice, check_count, check_instance


def _check_time_arg(t) -> None:
    """Autonomous dynamics ignore t, but it must still be a time: None, a number or a 0-d tensor."""
    if t is None or (isinstance(t, numbers.Real) and not isinstance(t, bool)) or (isinstance(t, torch.Tensor) and t.ndim == 0):
        return
    raise TypeError(f"t must be a time: a number, a 0-d tensor or None (got {type(t).__name__}); "
                    "call the dynamics as f(t, h), e.g. f(None, h)")


def _check_batch(name: str, x, width: int, what: str) -> torch.Tensor:
    """A float tensor whose last dimension is ``width`` (shape checks only: no pass over the data)."""
    if not isinstance(x, torch.Tensor) or not x.is_floating_point():
        shown = f"a {x.dtype} tensor" if isinstance(x, torch.Tensor) else type(x).__name__
        raise TypeError(f"{name} must be a floating-point torch tensor of {what} (got {shown}); "
                        f"e.g. torch.randn(8, {width})")
    if x.ndim < 1 or x.shape[-1] != width:
        raise ValueError(f"{name} must have {width} numbers in its last dimension, {what} (got shape {tuple(x.shape)})")
    return x

# The spiral of torchdiffeq's demo: dy/dt = (y**3) A^T for a row vector y, A below.
SPIRAL_A = ((-0.1, 2.0), (-2.0, -0.1))


class SpiralDynamics(nn.Module):
    """True dynamics dy/dt = y**3 @ A for states of shape ``(batch, 2)`` (no parameters)."""

    def __init__(self, A=SPIRAL_A):
        super().__init__()
        A = check_array("A", A, ndim=2, hint="a square matrix, e.g. ((-0.1, 2.0), (-2.0, -0.1))")
        if A.shape[0] != A.shape[1]:
            raise ValueError(f"A must be a square matrix (got shape {A.shape}); e.g. ((-0.1, 2.0), (-2.0, -0.1))")
        self.register_buffer("A", torch.tensor(A, dtype=torch.get_default_dtype()))

    def forward(self, t, y):
        _check_time_arg(t)
        _check_batch("y", y, self.A.shape[0], "states (batch, dim)")
        return (y**3) @ self.A.to(y.dtype)


class MLPDynamics(nn.Module):
    """Learned dynamics f(t, h) = W2 tanh(W1 g(h) + b1) + b2, autonomous (ignores t).

    ``dim`` in and out, ``hidden`` units; ``cube_input`` uses g(h) = h**3 (a hint that fits
    the spiral, as in torchdiffeq's demo), else g(h) = h. Shapes: ``(batch, dim)`` -> same.
    """

    def __init__(self, dim: int = 2, hidden: int = 50, cube_input: bool = False):
        super().__init__()
        dim = check_count("dim", dim, hint="the state's size, e.g. dim=2")
        hidden = check_count("hidden", hidden, hint="hidden units, e.g. hidden=50")
        self.dim = dim
        self.cube_input = check_bool("cube_input", cube_input)
        self.net = nn.Sequential(nn.Linear(dim, hidden), nn.Tanh(), nn.Linear(hidden, dim))

    def forward(self, t, h):
        _check_time_arg(t)
        _check_batch("h", h, self.dim, "states (batch, dim)")
        return self.net(h**3 if self.cube_input else h)


class SharedResidualStack(nn.Module):
    """L residual blocks that share one f, each scaled by 1/L: h <- h + f(h) / L.

    This is exactly Euler's method with L steps of size 1/L on dh/dt = f(h), t in [0, 1].
    """

    def __init__(self, f: nn.Module, n_blocks: int):
        super().__init__()
        check_callable("f", f, hint="the shared block f(t, h), e.g. MLPDynamics(2, 32)")
        if isinstance(n_blocks, bool) or not isinstance(n_blocks, numbers.Integral) or n_blocks < 1:
            kind = TypeError if isinstance(n_blocks, (str, bytes)) or not isinstance(n_blocks, numbers.Real) else ValueError
            raise kind(f"n_blocks must be a whole number >= 1; got {n_blocks!r}")
        self.f, self.n_blocks = f, int(n_blocks)

    def forward(self, h):
        if not isinstance(h, torch.Tensor) or not h.is_floating_point():
            raise TypeError(f"h must be a floating-point torch tensor of states (got {type(h).__name__})")
        for _ in range(self.n_blocks):
            h = h + self.f(None, h) / self.n_blocks
        return h


class ResidualBlock(nn.Module):
    """h + W2 relu(W1 h + b1) + b2, width ``width``."""

    def __init__(self, width: int):
        super().__init__()
        self.width = check_count("width", width, hint="units in and out, e.g. width=64")
        self.net = nn.Sequential(nn.Linear(self.width, self.width), nn.ReLU(), nn.Linear(self.width, self.width))

    def forward(self, h):
        _check_batch("h", h, self.width, "hidden states (batch, width)")
        return h + self.net(h)


class DigitsResNet(nn.Module):
    """64 pixels -> width -> ``n_blocks`` residual blocks (separate weights) -> 10 classes."""

    def __init__(self, width: int = 64, n_blocks: int = 6):
        super().__init__()
        width = check_count("width", width, hint="hidden units per layer, e.g. width=64")
        n_blocks = check_count("n_blocks", n_blocks, hint="residual blocks, e.g. n_blocks=6")
        self.stem = nn.Linear(64, width)
        self.blocks = nn.Sequential(*[ResidualBlock(width) for _ in range(n_blocks)])
        self.head = nn.Linear(width, 10)

    def forward(self, x):
        _check_batch("x", x, 64, "images (batch, 64 pixels)")
        return self.head(self.blocks(torch.relu(self.stem(x))))


class _BlockDynamics(nn.Module):
    def __init__(self, width: int):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(width + 1, width), nn.ReLU(), nn.Linear(width, width))

    def forward(self, t, h):  # time is an input, as in the paper's ODE-Net
        return self.net(torch.cat([h, t.expand(h.shape[0], 1)], dim=1))


class DigitsODENet(nn.Module):
    """64 pixels -> width -> one ODE block -> 10 classes. Same stem and head as ``DigitsResNet``.

    The block is one dynamics function f(t, h) (time is an input), integrated over t in [0, 1]
    with ``n_steps`` fixed steps of ``method`` ("euler", "midpoint" or "rk4"): a forward pass
    evaluates f ``n_steps * STAGES[method]`` times (16 for 4 RK4 steps). With ``n_steps=1`` and
    ``method="euler"`` the block is h + f(0, h): a ResNet with one residual block.
    """

    STAGES = {"euler": 1, "midpoint": 2, "rk4": 4}   # evaluations of f per step

    def __init__(self, width: int = 64, n_steps: int = 4, method: str = "rk4"):
        super().__init__()
        width = check_count("width", width, hint="hidden units, e.g. width=64")
        self.n_steps = check_count("n_steps", n_steps, hint="solver steps over t in [0, 1], e.g. n_steps=4")
        self.method = check_choice("method", method, sorted(STEPPERS), hint='e.g. method="rk4", or "euler" for a ResNet-like block')
        self.stem = nn.Linear(64, width)
        self.dynamics = _BlockDynamics(width)
        self.head = nn.Linear(width, 10)

    def forward(self, x):
        _check_batch("x", x, 64, "images (batch, 64 pixels)")
        h0 = torch.relu(self.stem(x))
        # _integrate, not odeint_fixed: the shapes were fixed at construction, so no extra
        # evaluation of f to validate them on every forward pass
        h1 = _integrate(self.dynamics, h0, 0.0, 1.0, self.n_steps, self.method)
        return self.head(h1)


def count_parameters(model: nn.Module) -> int:
    """Number of trainable scalars."""
    check_instance("model", model, nn.Module, what="a torch.nn.Module", hint="pass the model itself, e.g. DigitsResNet()")
    return sum(p.numel() for p in model.parameters() if p.requires_grad)
