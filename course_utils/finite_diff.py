r"""Derivatives from function values alone: finite differences.

Notebook 01 derives each formula; this module keeps the tested versions that later
notebooks import (for example to check hand-written backprop in notebook 03).

Formulas, for a step ``h > 0``::

    forward   f'(x) ~ (f(x + h) - f(x)) / h              error O(h)
    backward  f'(x) ~ (f(x) - f(x - h)) / h              error O(h)
    central   f'(x) ~ (f(x + h) - f(x - h)) / (2 h)      error O(h^2)

Round-off adds an error of about eps * |f| / h, so the best step balances the two:
about sqrt(eps) for one-sided differences and eps**(1/3) for central ones.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from .validation import check_callable

METHODS = ("forward", "backward", "central")


# ---------------------------------------------------------------- validation helpers
def _as_float_array(x, name: str = "x") -> np.ndarray:
    try:
        import torch

        if isinstance(x, torch.Tensor):
            x = x.detach().cpu().numpy()
    except ImportError:  # pragma: no cover - torch is a dependency
        pass
    try:
        arr = np.asarray(x)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number or an array of numbers with a regular shape (not a ragged list)") from None
    if isinstance(x, (str, bytes)) or arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise ValueError(f"{name} must be a number or an array of numbers; got {type(x).__name__}")
    if np.iscomplexobj(arr):
        raise ValueError(f"{name} must be real; got a complex value")
    arr = arr.astype(arr.dtype if arr.dtype in (np.float32, np.float64) else np.float64)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite; got {arr!r} (a NaN or inf cannot be differenced)")
    return arr


def _check_method(method: str) -> str:
    if not isinstance(method, str) or method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}; got {method!r}")
    return method


def _default_step(x: np.ndarray, method: str, order: int = 1) -> np.ndarray:
    """Step that balances truncation and round-off, scaled by |x| so large x still moves."""
    eps = np.finfo(x.dtype).eps
    power = {("forward", 1): 1 / 2, ("backward", 1): 1 / 2, ("central", 1): 1 / 3, ("central", 2): 1 / 4}[(method, order)]
    return (eps**power * np.maximum(1.0, np.abs(x))).astype(x.dtype)


def _check_step(h, x: np.ndarray) -> np.ndarray:
    try:
        raw = np.asarray(h)
    except (TypeError, ValueError):
        raw = np.asarray(None)
    if isinstance(h, (str, bytes, bool, np.bool_)) or raw.dtype.kind not in "iuf":
        raise TypeError(f"step h must be a positive number (or an array of x's shape), not {type(h).__name__} {h!r:.40}. "
                        "Try h=1e-5 (or leave h=None for a good default)")
    h_arr = raw.astype(x.dtype)
    if h_arr.ndim and h_arr.shape != x.shape:
        raise ValueError(f"h must be a scalar or have x's shape {x.shape}; got shape {h_arr.shape}")
    if not np.all(np.isfinite(h_arr)) or np.any(h_arr <= 0):
        raise ValueError(f"step h must be positive and finite; got {h!r}. Try h=1e-5 (or leave h=None for a good default)")
    return h_arr


def _call(f: Callable, x: np.ndarray, expect_shape: tuple | None, what: str) -> np.ndarray:
    out = np.asarray(f(x))
    if out.dtype == object or not np.issubdtype(out.dtype, np.number):
        raise ValueError(f"f must return numbers; at {what} it returned {type(out).__name__} of dtype {out.dtype}")
    if expect_shape is not None and out.shape != expect_shape:
        raise ValueError(
            f"f returned shape {out.shape} at {what}, but {expect_shape} was expected; "
            "f must return the same shape for every input of x's shape"
        )
    return out


# ---------------------------------------------------------------- one variable
def derivative(f: Callable, x, h=None, method: str = "central"):
    """Approximate f'(x) for a function applied elementwise.

    ``x``: a scalar or array (any shape); ``f(x)`` must return the same shape.
    ``h``: a positive step (scalar or x's shape); None picks the round-off/truncation
    balance for the method. Computes in x's float dtype (float32 stays float32).
    Returns a float for scalar x, else an array of x's shape.
    """
    check_callable("f", f, hint="the function to differentiate, e.g. np.sin")
    _check_method(method)
    x = _as_float_array(x)
    if x.size == 0:
        raise ValueError("x must hold at least one point (got an empty array)")
    h = _default_step(x, method) if h is None else _check_step(h, x)
    if method == "forward":
        d = (_call(f, x + h, x.shape, "x + h") - _call(f, x, x.shape, "x")) / h
    elif method == "backward":
        d = (_call(f, x, x.shape, "x") - _call(f, x - h, x.shape, "x - h")) / h
    else:
        d = (_call(f, x + h, x.shape, "x + h") - _call(f, x - h, x.shape, "x - h")) / (2 * h)
    return d.item() if d.ndim == 0 else d


# ---------------------------------------------------------------- many variables
def _vector_input(x) -> np.ndarray:
    x = _as_float_array(x)
    if x.ndim != 1 or x.size == 0:
        raise ValueError(f"x must be a non-empty 1-D array of shape (n,); got shape {x.shape}. Flatten it with x.ravel()")
    return x


def jacobian(f: Callable, x, h=None, method: str = "central") -> np.ndarray:
    """Jacobian J[i, j] = d f_i / d x_j, shape ``(m, n)``, one column per coordinate.

    ``x`` has shape ``(n,)``; ``f(x)`` returns shape ``(m,)`` (a scalar counts as m = 1).
    Column j is the directional derivative along the unit vector e_j.
    """
    check_callable("f", f, hint="the function to differentiate, returning shape (m,)")
    _check_method(method)
    x = _vector_input(x)
    return _jacobian(f, x, h, method, _call(f, x, None, "x"))


def _jacobian(f: Callable, x: np.ndarray, h, method: str, f0: np.ndarray) -> np.ndarray:
    """Jacobian given f0 = f(x) (already evaluated: used for its shape, and by one-sided differences)."""
    h = _default_step(x, method) if h is None else _check_step(h, x)
    h = np.broadcast_to(h, x.shape)
    if f0.ndim > 1:
        raise ValueError(f"f must return a scalar or a 1-D array of shape (m,); got shape {f0.shape}")
    m = f0.size
    J = np.empty((m, x.size), dtype=x.dtype)
    for j in range(x.size):
        step = np.zeros_like(x)
        step[j] = h[j]
        if method == "forward":
            col = (_call(f, x + step, f0.shape, f"x + h e_{j}") - f0) / h[j]
        elif method == "backward":
            col = (f0 - _call(f, x - step, f0.shape, f"x - h e_{j}")) / h[j]
        else:
            col = (_call(f, x + step, f0.shape, f"x + h e_{j}") - _call(f, x - step, f0.shape, f"x - h e_{j}")) / (2 * h[j])
        J[:, j] = np.reshape(col, m)
    return J


def gradient(f: Callable, x, h=None, method: str = "central") -> np.ndarray:
    """Gradient of a scalar function, shape ``(n,)``: the one row of its Jacobian.

    Costs 2n + 1 evaluations of f with central differences (n + 1 one-sided).
    """
    check_callable("f", f, hint="the scalar function to differentiate")
    _check_method(method)
    x = _vector_input(x)
    out = _call(f, x, None, "x")
    if out.size != 1:
        raise ValueError(
            f"gradient() needs f to return a scalar; it returned shape {out.shape}. "
            "For a vector-valued f use jacobian()"
        )
    return _jacobian(f, x, h, method, out)[0]


def hessian(f: Callable, x, h=None) -> np.ndarray:
    r"""Hessian H[i, j] = d^2 f / dx_i dx_j of a scalar function, shape ``(n, n)``, symmetric.

    Central second differences, four evaluations per entry::

        H_ij ~ [f(x + h_i e_i + h_j e_j) - f(x + h_i e_i - h_j e_j)
                - f(x - h_i e_i + h_j e_j) + f(x - h_i e_i - h_j e_j)] / (4 h_i h_j)

    The error is O(h^2) plus round-off of about eps |f| / h^2, so the default step
    is eps**(1/4): expect about 8 correct digits in float64, not 16.
    """
    check_callable("f", f, hint="the scalar function to differentiate twice")
    x = _vector_input(x)
    h = _default_step(x, "central", order=2) if h is None else _check_step(h, x)
    h = np.broadcast_to(h, x.shape)
    out = _call(f, x, None, "x")
    if out.size != 1:
        raise ValueError(f"hessian() needs f to return a scalar; it returned shape {out.shape}")

    def fs(v):
        return _call(f, v, out.shape, "a shifted x").item()

    n = x.size
    H = np.empty((n, n), dtype=x.dtype)
    for i in range(n):
        ei = np.zeros_like(x)
        ei[i] = h[i]
        for j in range(i, n):
            ej = np.zeros_like(x)
            ej[j] = h[j]
            H[i, j] = (fs(x + ei + ej) - fs(x + ei - ej) - fs(x - ei + ej) + fs(x - ei - ej)) / (4 * h[i] * h[j])
            H[j, i] = H[i, j]
    return H


def relative_error(a, b) -> float:
    """Norm-wise relative error ``||a - b|| / max(||a||, ||b||)``; 0.0 when both are zero.

    The scale gradient checks are read on: about 1e-7 or below is fine in float64,
    1e-4 deserves a look, above 1e-2 the gradient is almost certainly wrong.
    """
    a_arr, b_arr = _as_float_array(a, "a"), _as_float_array(b, "b")
    if a_arr.shape != b_arr.shape:
        raise ValueError(f"a and b must have the same shape; got {a_arr.shape} and {b_arr.shape}")
    a64, b64 = a_arr.astype(np.float64), b_arr.astype(np.float64)
    scale = max(np.linalg.norm(a64), np.linalg.norm(b64))
    return 0.0 if scale == 0 else float(np.linalg.norm(a64 - b64) / scale)
