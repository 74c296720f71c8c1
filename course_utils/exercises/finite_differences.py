"""Exercise checkers for notebook 01 (finite differences)."""

from __future__ import annotations

import math

import numpy as np

from ..convergence import loglog_slope
from ..finite_diff import derivative
from .feedback import call_learner, correct, not_yet, read_number

_CASES = [(np.sin, 1.0, 1e-3), (np.exp, 0.3, 1e-2), (lambda x: x**3, 2.0, 1e-2)]


def check_backward_difference(backward_difference) -> bool:
    """Exercise 1: ``backward_difference(f, x, h)`` returns (f(x) - f(x - h)) / h."""
    for f, x, h in _CASES:
        ok, got = call_learner(backward_difference, f, x, h)
        if not ok:
            return not_yet(got)
        try:
            got = float(got)
        except (TypeError, ValueError):
            return not_yet(f"return one number; got {type(got).__name__}")
        want = derivative(f, x, h=h, method="backward")
        if math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-12):
            continue
        if math.isclose(got, derivative(f, x, h=h, method="forward"), rel_tol=1e-9):
            return not_yet("that is the forward difference; backward uses f(x) and f(x - h)")
        if math.isclose(got, derivative(f, x, h=h, method="central"), rel_tol=1e-9):
            return not_yet("that is the central difference; backward uses f(x) and f(x - h) only")
        if math.isclose(got, -want, rel_tol=1e-9):
            return not_yet("the sign is flipped: rise is f(x) - f(x - h), run is +h")
        return not_yet(f"for x={x}, h={h} expected {want:.10g}, got {got:.10g}")
    return correct("your backward difference matches (f(x) - f(x - h)) / h on three functions")


def check_five_point_stencil(five_point) -> bool:
    """Exercise 2: the fourth-order stencil [-f(x+2h) + 8f(x+h) - 8f(x-h) + f(x-2h)] / (12h)."""
    hs = np.logspace(-2.0, -0.5, 8)
    errors = []
    for h in hs:
        ok, got = call_learner(five_point, np.sin, 1.0, float(h))
        if not ok:
            return not_yet(got)
        try:
            got = float(got)
        except (TypeError, ValueError):
            return not_yet(f"return one number, the derivative estimate; got {type(got).__name__}")
        errors.append(abs(got - math.cos(1.0)))
    errors = np.array(errors)
    if not np.all(np.isfinite(errors)):
        return not_yet("your stencil returned NaN or inf")
    if np.any(errors > 0.5):
        return not_yet(f"the estimate is far off (error {errors.max():.2g} at h={hs[errors.argmax()]:.2g}); check the signs and the 12h")
    slope = loglog_slope(hs, np.maximum(errors, 1e-300))
    if abs(slope - 4) <= 0.3:
        return correct(f"measured order {slope:.2f}: the error shrinks like h^4")
    if abs(slope - 2) <= 0.3:
        return not_yet(f"measured order {slope:.2f}, like central differences: the weights must be -1, 8, -8, 1 over 12h")
    return not_yet(f"measured order {slope:.2f}, expected 4; compare your weights with -1, 8, -8, 1 over 12h")


def check_best_step_float32(h) -> bool:
    """Exercise 3: predict the best central-difference step in float32 (within a factor 10)."""
    ok, h = read_number(h)
    if not ok:
        return not_yet(h)
    if not h > 0:
        return not_yet("a step must be a positive finite number")
    theory = float(np.finfo(np.float32).eps) ** (1 / 3)
    if theory / 10 <= h <= theory * 10:
        return correct(f"theory says about eps32^(1/3) = {theory:.1e}; the measured best is close to that too")
    if abs(math.log10(h / float(np.finfo(np.float64).eps) ** (1 / 3))) < 1:
        return not_yet("that is the float64 answer; float32's eps is 1.2e-7, not 2.2e-16")
    if h < theory:
        return not_yet(f"{h:.1e} is too small for float32: round-off (about eps/h) dominates there")
    return not_yet(f"{h:.1e} is too large: truncation (about h^2) dominates there")


def buggy_gradient_problem():
    """Exercise 4's setup: ``(f, grad_f, x)`` where exactly one coordinate of ``grad_f`` is wrong."""

    def f(x):
        return float(np.sum(x**2 * np.cos(x)) + x[0] * x[3])

    def grad_f(x):
        g = 2 * x * np.cos(x) - x**2 * np.sin(x)
        g[0] += x[3]
        g[2] = 2 * x[2] * np.cos(x[2]) + x[2] ** 2 * np.sin(x[2])  # the bug: wrong sign on the product rule
        g[3] += x[0]
        return g

    return f, grad_f, np.array([0.4, -1.1, 0.9, 1.7])


def check_wrong_coordinate(index) -> bool:
    """Exercise 4: which coordinate of the buggy gradient is wrong? (0-based index)."""
    if index is Ellipsis or index is None:
        return not_yet("this exercise is not attempted yet: put your answer in place of the ...")
    if isinstance(index, bool) or not isinstance(index, (int, np.integer)):
        return not_yet(f"give one whole-number index (0-based); got {index!r}")
    if not 0 <= index <= 3:
        return not_yet(f"the gradient has 4 coordinates, numbered 0 to 3 (0-based); got {index}")
    if index == 2:
        return correct("coordinate 2: the product rule lost its minus sign (d/dx cos x = -sin x)")
    if index == 3:
        return not_yet("coordinate 3 agrees with finite differences; is that a 1-based answer? Python counts from 0")
    return not_yet(f"coordinate {index} agrees with finite differences; compare each coordinate's relative error")
