"""Two-dimensional loss surfaces for notebook 06: each has f, its gradient, a view and a start."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .validation import check_array, check_callable, check_number, check_pair, check_positive, check_nonnegative, check_text


@dataclass
class Surface:
    name: str
    f: Callable            # f(x, y) on arrays of any shape (for contour grids)
    grad: Callable         # grad(p) for p of shape (2,) -> (2,)
    xlim: tuple
    ylim: tuple
    start: tuple
    minimum_value: float
    description: str

    def __post_init__(self):
        check_text("name", self.name)
        check_callable("f", self.f, hint="f(x, y) on arrays")
        check_callable("grad", self.grad, hint="grad(p) for p of shape (2,)")
        self.xlim = check_pair("xlim", self.xlim, hint="the plotted x range (low, high)")
        self.ylim = check_pair("ylim", self.ylim, hint="the plotted y range (low, high)")
        self.start = check_pair("start", self.start, increasing=False, hint="the start point (x, y)")
        self.minimum_value = check_number("minimum_value", self.minimum_value)
        check_text("description", self.description, allow_empty=True)

    def value(self, p) -> float:
        """f at the point ``p`` of shape (2,)."""
        p = check_array("p", p, shape=(2,), hint="a point (x, y)")
        return float(self.f(p[..., 0], p[..., 1]))


def quadratic(kappa: float = 10.0) -> Surface:
    """f = (x^2 / kappa + y^2) / 2: curvature 1 along y, 1/kappa along x; condition number kappa."""
    kappa = check_number("kappa", kappa, low=1.0, hint="the condition number kappa is L / mu, at least 1")
    mu = 1.0 / kappa
    return Surface(f"quadratic (κ = {kappa:g})", lambda x, y: 0.5 * (mu * x**2 + y**2), lambda p: np.array([mu * p[0], p[1]]),
                   (-4.0, 4.0), (-1.5, 1.5), (-3.5, 1.0), 0.0, "a long narrow valley; L = 1, mu = 1/kappa")


def rosenbrock() -> Surface:
    """The banana: f = (1 - x)^2 + 100 (y - x^2)^2, minimum 0 at (1, 1)."""
    return Surface("Rosenbrock", lambda x, y: (1 - x) ** 2 + 100 * (y - x**2) ** 2,
                   lambda p: np.array([-2 * (1 - p[0]) - 400 * p[0] * (p[1] - p[0] ** 2), 200 * (p[1] - p[0] ** 2)]),
                   (-2.0, 2.0), (-1.0, 3.0), (-1.5, 2.0), 0.0, "a curved valley with a flat floor")


def saddle() -> Surface:
    """f = x^2/2 + y^4/4 - y^2/2: a saddle at the origin between minima (0, +-1), value -1/4."""
    return Surface("saddle", lambda x, y: 0.5 * x**2 + 0.25 * y**4 - 0.5 * y**2, lambda p: np.array([p[0], p[1] ** 3 - p[1]]),
                   (-2.0, 2.0), (-1.6, 1.6), (1.8, 1e-3), -0.25, "starts almost on the ridge of a saddle")


def factorization(rating: float = 3.0, lam: float = 0.1) -> Surface:
    """Notebook 05's loss for one rating with K = 1: f(u, v) = (u v - r)^2 + lam (u^2 + v^2).
    Minimum 2 lam r - lam^2 on u = v = +-sqrt(r - lam); a saddle at the origin."""
    rating = check_positive("rating", rating, hint="the one rating r, e.g. 3")
    lam = check_nonnegative("lam", lam, hint="the regularization weight, e.g. 0.1")
    if not rating > lam:
        raise ValueError(f"lam must be < rating (got rating={rating:g}, lam={lam:g}): the minimum sits at u = v = "
                         "sqrt(rating - lam), so lam >= rating leaves only the saddle at 0")
    return Surface("factorization (one rating, K = 1)", lambda u, v: (u * v - rating) ** 2 + lam * (u**2 + v**2),
                   lambda p: np.array([2 * (p[0] * p[1] - rating) * p[1] + 2 * lam * p[0], 2 * (p[0] * p[1] - rating) * p[0] + 2 * lam * p[1]]),
                   (-3.0, 3.0), (-3.0, 3.0), (0.2, -2.5), 2 * lam * rating - lam**2, "a curved valley of equally good (u, v) pairs")


SURFACES = {"quadratic": quadratic, "rosenbrock": rosenbrock, "saddle": saddle, "factorization": factorization}
