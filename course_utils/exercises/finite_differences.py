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


def measured_best_step_float16() -> float:
    """The central-difference step with the smallest median error for sin'(x) = cos(x) over
    41 points x in [0.5, 1.5], everything computed in float16 (about 0.11)."""
    x = np.linspace(0.5, 1.5, 41).astype(np.float16)
    exact = np.cos(x.astype(np.float64))
    steps = np.logspace(-4, 0, 161)
    errors = []
    for h in steps:
        h16 = np.float16(h)
        estimate = (np.sin(x + h16) - np.sin(x - h16)) / (np.float16(2) * h16)
        errors.append(np.median(np.abs(estimate.astype(np.float64) - exact)))
    return float(steps[int(np.argmin(errors))])


def check_best_step_float16(h) -> bool:
    """Exercise 3: predict the best central-difference step in float16 (within a factor 3 of
    eps16^(1/3) = 0.099); the checker also measures it."""
    ok, h = read_number(h)
    if not ok:
        return not_yet(h)
    if not h > 0:
        return not_yet("a step must be a positive finite number")
    eps16 = float(np.finfo(np.float16).eps)
    theory = eps16 ** (1 / 3)
    if theory / 3 <= h <= theory * 3:
        return correct(f"eps16^(1/3) = {theory:.2g}, and measured in float16 the error is smallest at "
                       f"h = {measured_best_step_float16():.2g}: in half precision the best step is a tenth of x itself")
    for name, dtype in (("float32", np.float32), ("float64", np.float64)):
        if abs(math.log10(h / float(np.finfo(dtype).eps) ** (1 / 3))) < 0.5:
            return not_yet(f"that is the {name} answer; float16's eps is 2^-10 = 9.8e-4, so the step is much larger")
    if abs(math.log10(h / math.sqrt(eps16))) < 0.2:
        return not_yet("sqrt(eps) is the best step of a one-sided difference; the central one balances h^2 against eps/h")
    if h < theory:
        return not_yet(f"{h:.1e} is too small for float16: round-off (about eps/h) dominates there")
    return not_yet(f"{h:.1e} is too large: truncation (about h^2) dominates there")


def check_float32_gradient_check(relative_error) -> bool:
    """Exercise 5: the relative error of the *correct* logistic-loss gradient when the gradient
    check runs in float32 (about 1e-5: the 'investigate' band, not 'right')."""
    ok, rel = read_number(relative_error)
    if not ok:
        return not_yet(rel)
    if rel < 0:
        return not_yet(f"a relative error is >= 0; got {rel:g}")
    if rel < 1e-7:
        return not_yet(f"{rel:.1e} is a float64 result: cast features, labels and w_test to np.float32 and rerun "
                       "loss_gradient and gradient")
    if rel > 0.1:
        return not_yet(f"{rel:.1e} is the size of a bug: did you check loss_gradient_buggy (0.38) instead of loss_gradient?")
    if rel > 1e-3:
        return not_yet(f"{rel:.1e} is larger than float32 round-off explains (about 3e-5); compare the correct loss_gradient")
    return correct(f"{rel:.1e}: in float32 even the correct gradient lands in the 'investigate' band, as the step "
                   "predicts (eps32/h + h^2/6 ~ 3e-5 at h = eps32^(1/3)). Run gradient checks in float64")


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
