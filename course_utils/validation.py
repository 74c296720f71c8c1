"""Checks for what a learner passes in, made at the boundary of every public function.

Each check either returns the value in the form the function needs (a float, an int, an
array) or raises ``TypeError`` (wrong kind of thing) or ``ValueError`` (right kind, wrong
value) with a message that names the argument, shows what was given, says what is allowed
and, where there is one, the fix::

    lam must be > 0 (got 0): λ = 0 makes each normal-equation matrix singular for users
    with fewer ratings than factors; try lam=5

The checks are cheap: they look at arrays (dtype, shape, min, max, finiteness) without
copying them unless a conversion is needed, and they never change a valid value.
In the spirit of scikit-learn's ``check_scalar`` and ``check_array``.
"""

from __future__ import annotations

import math
import numbers

import numpy as np


def _show(value) -> str:
    """A short, readable rendering of a given value for an error message."""
    if isinstance(value, np.ndarray):
        return f"array of shape {value.shape} and dtype {value.dtype}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _fail(kind, name: str, allowed: str, value, hint: str = ""):
    message = f"{name} must be {allowed} (got {_show(value)})"
    raise kind(message + (f": {hint}" if hint else ""))


def _bound_text(low, high, low_open: bool, high_open: bool) -> str:
    if low is not None and high is not None:
        return f"in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
    if low is not None:
        return f"{'>' if low_open else '>='} {low:g}"
    if high is not None:
        return f"{'<' if high_open else '<='} {high:g}"
    return "a finite number"


def check_number(name: str, value, *, low=None, high=None, low_open: bool = False, high_open: bool = False,
                 finite: bool = True, hint: str = "") -> float:
    """A real number (Python or NumPy scalar, or a 0-d array / one-element tensor), within
    the bounds given; returns it as a ``float``. ``bool`` is refused (``True`` is not a rate)."""
    scalar = value
    if hasattr(scalar, "item") and getattr(scalar, "ndim", 0) == 0 and not isinstance(scalar, (bool, np.bool_)):
        scalar = scalar.item()  # 0-d arrays and tensors
    if isinstance(scalar, (bool, np.bool_)) or not isinstance(scalar, numbers.Real):
        _fail(TypeError, name, "a real number", value, hint)
    x = float(scalar)
    if math.isnan(x) or (finite and math.isinf(x)):
        _fail(ValueError, name, "a finite number", value, hint)
    too_low = low is not None and (x <= low if low_open else x < low)
    too_high = high is not None and (x >= high if high_open else x > high)
    if too_low or too_high:
        _fail(ValueError, name, _bound_text(low, high, low_open, high_open), value, hint)
    return x


def check_positive(name: str, value, *, hint: str = "") -> float:
    """A finite number > 0."""
    return check_number(name, value, low=0.0, low_open=True, hint=hint)


def check_nonnegative(name: str, value, *, hint: str = "") -> float:
    """A finite number >= 0."""
    return check_number(name, value, low=0.0, hint=hint)


def check_count(name: str, value, *, minimum: int = 1, maximum: int | None = None, hint: str = "") -> int:
    """A whole number (``int``, NumPy integer, or a float with no fractional part such as
    ``1e5``) in ``[minimum, maximum]``; returns an ``int``. ``2.5`` users is refused."""
    scalar = value
    if hasattr(scalar, "item") and getattr(scalar, "ndim", 0) == 0 and not isinstance(scalar, (bool, np.bool_)):
        scalar = scalar.item()
    if isinstance(scalar, (bool, np.bool_)) or not isinstance(scalar, numbers.Real):
        _fail(TypeError, name, "a whole number", value, hint)
    if isinstance(scalar, numbers.Integral):
        n = int(scalar)
    else:
        x = float(scalar)
        if not math.isfinite(x) or x != int(x):
            _fail(ValueError, name, "a whole number", value, hint)
        n = int(x)
    if n < minimum or (maximum is not None and n > maximum):
        allowed = f"a whole number >= {minimum}" if maximum is None else f"a whole number in [{minimum}, {maximum}]"
        _fail(ValueError, name, allowed, value, hint)
    return n


def check_choice(name: str, value, choices, *, hint: str = ""):
    """One of ``choices`` (compared with ==); returns the value."""
    options = list(choices)
    try:
        ok = value in options
    except TypeError:  # unhashable or incomparable values
        ok = False
    if not ok:
        _fail(ValueError, name, f"one of {options}", value, hint)
    return value


def check_bool(name: str, value, *, hint: str = "") -> bool:
    """``True`` or ``False`` (NumPy booleans too), not a truthy number or string."""
    if not isinstance(value, (bool, np.bool_)):
        _fail(TypeError, name, "True or False", value, hint)
    return bool(value)


def check_callable(name: str, value, *, hint: str = ""):
    """Something that can be called, such as a function ``f(x)``."""
    if not callable(value):
        _fail(TypeError, name, "a function (callable)", value, hint)
    return value


def _to_numpy(name: str, value, hint: str) -> np.ndarray:
    try:
        import torch
    except ImportError:  # pragma: no cover - torch is a dependency
        torch = None
    if torch is not None and isinstance(value, torch.Tensor):
        value = value.detach().cpu().numpy()
    if isinstance(value, (str, bytes, dict, set)) or value is None:
        _fail(TypeError, name, "an array of numbers", value, hint)
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError):  # ragged lists and the like
        _fail(ValueError, name, "an array of numbers with a regular shape (not a ragged list)", value, hint)
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == np.bool_):
        _fail(TypeError, name, "an array of numbers", value, hint)
    return arr


def check_array(name: str, value, *, ndim: int | tuple | None = None, shape: tuple | None = None,
                dtype=np.float64, finite: bool = True, allow_empty: bool = False, hint: str = "") -> np.ndarray:
    """An array of numbers (list, NumPy array or CPU/GPU tensor), returned as a NumPy array.

    ``ndim``: the number of dimensions required (an int or a tuple of allowed ones).
    ``shape``: the shape required; ``None`` entries match any length, e.g. ``(None, 2)``.
    ``dtype``: converted to this (``None`` keeps the input's); ``finite``: NaN/inf refused.
    Complex numbers are refused. No copy is made when the input already fits.
    """
    arr = _to_numpy(name, value, hint)
    if np.iscomplexobj(arr):
        _fail(TypeError, name, "real numbers (not complex)", value, hint)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            _fail(ValueError, name, f"{' or '.join(f'{d}-D' for d in allowed)}", arr, hint)
    if shape is not None:
        if arr.ndim != len(shape) or any(s is not None and s != a for s, a in zip(shape, arr.shape)):
            wanted = "(" + ", ".join("any" if s is None else str(s) for s in shape) + ")"
            _fail(ValueError, name, f"of shape {wanted}", arr, hint)
    if not allow_empty and arr.size == 0:
        _fail(ValueError, name, "non-empty", arr, hint)
    if dtype is not None and arr.dtype != dtype:
        arr = arr.astype(dtype)
    if finite and arr.size and np.issubdtype(arr.dtype, np.floating) and not np.isfinite(arr).all():
        bad = np.flatnonzero(~np.isfinite(arr.ravel()))[0]
        _fail(ValueError, name, "finite (no NaN or inf)",
              arr, f"element {tuple(int(i) for i in np.unravel_index(bad, arr.shape))} is {arr.ravel()[bad]}" + (f"; {hint}" if hint else ""))
    return arr


def check_ids(name: str, value, n: int, *, what: str = "id", hint: str = "") -> np.ndarray:
    """Whole-number ids in ``[0, n)`` (1-D), returned as an ``int64`` array.

    Negative ids are refused rather than counted from the end, and ids at or beyond ``n``
    (a user the model has never seen) are refused rather than wrapped or clipped.
    """
    arr = _to_numpy(name, value, hint)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1:
        _fail(ValueError, name, f"a 1-D list of {what} ids", arr, hint)
    if arr.dtype == np.bool_:
        _fail(TypeError, name, f"whole-number {what} ids (not True/False)", value, hint)
    if not np.issubdtype(arr.dtype, np.integer):
        if np.iscomplexobj(arr) or not np.isfinite(arr).all() or np.any(arr != np.round(arr)):
            _fail(ValueError, name, f"whole-number {what} ids", arr, hint)
    ids = arr.astype(np.int64, copy=False)
    if ids.size:
        low, high = int(ids.min()), int(ids.max())
        if low < 0 or high >= n:
            worst = low if low < 0 else high
            _fail(ValueError, name, f"{what} ids in [0, {n - 1}]", arr,
                  f"found {worst}" + (f"; {hint}" if hint else f"; this model knows {n} {what}s"))
    return ids


def check_same_length(**arrays) -> int:
    """All the named arrays have the same length; returns it."""
    lengths = {name: len(a) for name, a in arrays.items()}
    if len(set(lengths.values())) > 1:
        shown = ", ".join(f"{name} has {n}" for name, n in lengths.items())
        raise ValueError(f"{', '.join(lengths)} must have the same length ({shown})")
    return next(iter(lengths.values()), 0)
