"""Small models for notebook 02: dynamics functions, a weight-shared residual stack that
is Euler's method, and the ResNet / ODE-Net pair compared on the digits data set."""

from __future__ import annotations

import torch
from torch import nn

from .ode import STEPPERS, integrate
from .validation import check_choice, check_count

# The spiral of torchdiffeq's demo: dy/dt = (y**3) A^T for a row vector y, A below.
SPIRAL_A = ((-0.1, 2.0), (-2.0, -0.1))


class SpiralDynamics(nn.Module):
    """True dynamics dy/dt = y**3 @ A for states of shape ``(batch, 2)`` (no parameters)."""

    def __init__(self, A=SPIRAL_A):
        super().__init__()
        self.register_buffer("A", torch.tensor(A, dtype=torch.get_default_dtype()))

    def forward(self, t, y):
        return (y**3) @ self.A.to(y.dtype)


class MLPDynamics(nn.Module):
    """Learned dynamics f(t, h) = W2 tanh(W1 g(h) + b1) + b2, autonomous (ignores t).

    ``dim`` in and out, ``hidden`` units; ``cube_input`` uses g(h) = h**3 (a hint that fits
    the spiral, as in torchdiffeq's demo), else g(h) = h. Shapes: ``(batch, dim)`` -> same.
    """

    def __init__(self, dim: int = 2, hidden: int = 50, cube_input: bool = False):
        super().__init__()
        if dim < 1 or hidden < 1:
            raise ValueError(f"dim and hidden must be >= 1; got dim={dim}, hidden={hidden}")
        self.cube_input = cube_input
        self.net = nn.Sequential(nn.Linear(dim, hidden), nn.Tanh(), nn.Linear(hidden, dim))

    def forward(self, t, h):
        return self.net(h**3 if self.cube_input else h)


class SharedResidualStack(nn.Module):
    """L residual blocks that share one f, each scaled by 1/L: h <- h + f(h) / L.

    This is exactly Euler's method with L steps of size 1/L on dh/dt = f(h), t in [0, 1].
    """

    def __init__(self, f: nn.Module, n_blocks: int):
        super().__init__()
        if isinstance(n_blocks, bool) or not isinstance(n_blocks, int) or n_blocks < 1:
            raise ValueError(f"n_blocks must be a whole number >= 1; got {n_blocks!r}")
        self.f, self.n_blocks = f, n_blocks

    def forward(self, h):
        for _ in range(self.n_blocks):
            h = h + self.f(None, h) / self.n_blocks
        return h


class ResidualBlock(nn.Module):
    """h + W2 relu(W1 h + b1) + b2, width ``width``."""

    def __init__(self, width: int):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(width, width), nn.ReLU(), nn.Linear(width, width))

    def forward(self, h):
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
        h0 = torch.relu(self.stem(x))
        # integrate, not odeint_fixed: the shapes were fixed at construction, so no extra
        # evaluation of f to validate them on every forward pass
        h1 = integrate(self.dynamics, h0, 0.0, 1.0, self.n_steps, self.method)
        return self.head(h1)


def count_parameters(model: nn.Module) -> int:
    """Number of trainable scalars."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)
