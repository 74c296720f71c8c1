"""Checks for what a learner passes in, made at the boundary of every public function.

Each check either returns the value in the form the function needs (a float, an int, an
array) or raises ``TypeError`` (wrong kind of thing) or ``ValueError`` (right kind, wrong
value) with a message that names the argument, shows what was given, says what is allowed
and, where there is one, the fix::

    lam must be > 0 (got 0): λ = 0 makes each normal-equation matrix singular for users
    with fewer ratings than factors; try lam=5

The checks are cheap: they look at arrays (dtype, shape, min, max, finiteness) without
copying them unless a conversion is needed, and they never change a valid value.

In the spirit of scikit-learn's ``check_scalar`` and ``check_array``, written here rather
than called because, for a learner's input, those two fall short in ways that matter:
``check_scalar`` lets NaN through its bounds (every comparison with NaN is False) and
accepts ``True`` as the number 1; ``check_array`` forces 2-D by default, copies to change a
dtype even for a 1-D view, and its messages ("Input contains NaN") name neither the fix
nor the element. We do borrow its cheap finiteness test (one sum first, the elementwise
check only when the sum is not finite), so a large valid array costs no boolean temporary.

Exceptions: ``TypeError`` and ``ValueError``, plus two documented subclasses that keep an
older contract: ``UnknownNameError`` (a ``KeyError`` *and* a ``ValueError``, for lookups by
name such as a colour or a data set) and the loaders' ``MovieLensNotFound`` (a
``FileNotFoundError`` and a ``ValueError``).
"""

from __future__ import annotations

import math
import numbers
import os
from pathlib import Path

import numpy as np


class UnknownNameError(KeyError, ValueError):
    """A name that is not in the known list (a method, a colour, a data set). Both a
    ``KeyError`` (what a lookup by name used to raise) and a ``ValueError`` (bad input)."""

    def __str__(self) -> str:  # KeyError would show the message in quotes
        return str(self.args[0]) if self.args else ""


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
    if finite and not all_finite(arr):
        bad = np.flatnonzero(~np.isfinite(arr.ravel()))[0]
        _fail(ValueError, name, "finite (no NaN or inf)",
              arr, f"element {tuple(int(i) for i in np.unravel_index(bad, arr.shape))} is {arr.ravel()[bad]}" + (f"; {hint}" if hint else ""))
    return arr


def all_finite(arr: np.ndarray) -> bool:
    """True when no element is NaN or inf; integer arrays always are. One sum decides for
    almost every valid array (NaN and inf propagate into it); only when the sum is not finite
    (a bad element, or an overflow of huge values) does an elementwise test run."""
    if not isinstance(arr, np.ndarray):
        raise TypeError(f"arr must be a NumPy array (got {type(arr).__name__}); convert it with check_array first")
    if arr.size == 0 or not np.issubdtype(arr.dtype, np.inexact):
        return True
    with np.errstate(over="ignore", invalid="ignore"):
        if np.isfinite(np.sum(arr)):
            return True
    return bool(np.isfinite(arr).all())


def check_ids(name: str, value, n: int | None, *, what: str = "id", hint: str = "") -> np.ndarray:
    """Whole-number ids in ``[0, n)`` (1-D), returned as an ``int64`` array.

    Negative ids are refused rather than counted from the end, and ids at or beyond ``n``
    (a user the model has never seen) are refused rather than wrapped or clipped.
    ``n=None``: no upper bound (ids that only need to be whole numbers >= 0, such as the
    ids a partitioner places); fractional ids are refused either way, never truncated.
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
        if n is None and low < 0:
            _fail(ValueError, name, f"whole-number {what} ids >= 0", arr, f"found {low}" + (f"; {hint}" if hint else ""))
        if n is not None and (low < 0 or high >= n):
            worst = low if low < 0 else high
            _fail(ValueError, name, f"{what} ids in [0, {n - 1}]", arr,
                  f"found {worst}" + (f"; {hint}" if hint else f"; this model knows {n} {what}s"))
    return ids


def check_same_length(**arrays) -> int:
    """All the named arrays have the same length; returns it."""
    lengths = {}
    for name, a in arrays.items():
        try:
            lengths[name] = len(a)
        except TypeError:
            _fail(TypeError, name, "a sequence or array (something with a length)", a)
    if len(set(lengths.values())) > 1:
        shown = ", ".join(f"{name} has {n}" for name, n in lengths.items())
        raise ValueError(f"{', '.join(lengths)} must have the same length ({shown})")
    return next(iter(lengths.values()), 0)


def check_fraction(name: str, value, *, low_open: bool = True, high_open: bool = True, hint: str = "") -> float:
    """A number between 0 and 1 (ends excluded unless ``low_open`` / ``high_open`` is False)."""
    return check_number(name, value, low=0.0, high=1.0, low_open=low_open, high_open=high_open, hint=hint)


def check_seed(name: str, value, *, hint: str = "") -> int:
    """A random seed: a whole number >= 0 (what ``numpy.random.default_rng`` and torch accept)."""
    return check_count(name, value, minimum=0, hint=hint or "use a whole number such as 0 or 42")


def check_text(name: str, value, *, allow_empty: bool = False, hint: str = "") -> str:
    """A string (not bytes, not a number); empty only if ``allow_empty``."""
    if not isinstance(value, str):
        _fail(TypeError, name, "a string", value, hint)
    if not allow_empty and not value.strip():
        _fail(ValueError, name, "a non-empty string", value, hint)
    return value


def check_path(name: str, value, *, hint: str = "") -> Path:
    """A file-system path (``str`` or ``pathlib.Path``), returned as a ``Path`` with ``~`` expanded."""
    if isinstance(value, bytes) or not isinstance(value, (str, os.PathLike)):
        _fail(TypeError, name, "a path (a string or pathlib.Path)", value, hint)
    text = os.fspath(value)
    if not str(text).strip() or "\x00" in str(text):
        _fail(ValueError, name, "a non-empty path without NUL characters", value, hint)
    return Path(text).expanduser()


def check_instance(name: str, value, kinds, *, what: str | None = None, hint: str = ""):
    """``value`` is an instance of ``kinds`` (a class or a tuple of classes); returns it."""
    if not isinstance(value, kinds):
        names = " or ".join(k.__name__ for k in (kinds if isinstance(kinds, tuple) else (kinds,)))
        _fail(TypeError, name, what or f"a {names}", value, hint or f"got a {type(value).__name__}")
    return value


def check_pair(name: str, value, *, increasing: bool = True, hint: str = "") -> tuple[float, float]:
    """Two finite numbers ``(low, high)``, with ``low < high`` if ``increasing``; returns floats."""
    if isinstance(value, (str, bytes, dict, set)) or not hasattr(value, "__len__") or len(value) != 2:
        _fail(TypeError if not hasattr(value, "__len__") or isinstance(value, (str, bytes, dict, set)) else ValueError,
              name, "a pair (low, high)", value, hint)
    low = check_number(f"{name}[0]", value[0], hint=hint)
    high = check_number(f"{name}[1]", value[1], hint=hint)
    if increasing and not low < high:
        _fail(ValueError, name, "(low, high) with low < high", value, hint)
    return low, high


def check_name(name: str, value, known, *, what: str = "name", hint: str = ""):
    """A name from ``known`` (a dict or a list); raises ``UnknownNameError`` (a ``KeyError`` and a
    ``ValueError``) listing the known names. Strings are compared as given."""
    options = sorted(known)
    if not isinstance(value, str):
        _fail(TypeError, name, f"a {what} (a string), one of {options}", value, hint)
    if value not in known:
        message = f"{name} must be one of {options} (got {_show(value)})"
        raise UnknownNameError(message + (f": {hint}" if hint else ""))
    return value


def check_ratings(name: str, value, *, hint: str = ""):
    """A ``Ratings`` set (``course_utils.ratings.Ratings``), such as ``load_movielens()`` or
    ``synthetic_ratings().data`` returns; returns it."""
    from .ratings import Ratings      # here, not at the top: ratings imports this module

    if not isinstance(value, Ratings):
        _fail(TypeError, name, "a Ratings set", value,
              hint or "e.g. load_movielens(), synthetic_ratings().data or split_ratings(...)[0]")
    return value


def check_mask(name: str, value, n: int, *, hint: str = "") -> np.ndarray:
    """A True/False mask with one entry per item, shape ``(n,)``; returns it as a bool array."""
    arr = _to_numpy(name, value, hint)
    if arr.dtype != np.bool_:
        _fail(TypeError, name, f"a True/False mask of shape ({n},)", arr, hint or "e.g. counts >= 10")
    if arr.shape != (n,):
        _fail(ValueError, name, f"a True/False mask of shape ({n},), one entry per item", arr, hint)
    return arr


def check_label_lists(name: str, value, n: int | None = None, *, what: str = "genre", hint: str = "") -> list:
    """One list of labels (strings) per item, e.g. ``[["Comedy"], ["Drama", "War"], []]``;
    ``n``: the number of items required (None: any). Returns a list of lists."""
    if isinstance(value, (str, bytes, dict)) or not hasattr(value, "__len__") or not hasattr(value, "__iter__"):
        _fail(TypeError, name, f"a list with one list of {what}s per item", value, hint or "e.g. data.item_genres")
    lists = list(value)
    if n is not None and len(lists) != n:
        _fail(ValueError, name, f"{n} lists, one list of {what}s per item", value, f"got {len(lists)}" + (f"; {hint}" if hint else ""))
    for i, entry in enumerate(lists):
        if isinstance(entry, (str, bytes)) or not hasattr(entry, "__iter__") or not all(isinstance(g, str) for g in entry):
            _fail(TypeError, f"{name}[{i}]", f"a list of {what} names (strings)", entry, hint or "e.g. ['Comedy', 'Drama']")
    return [list(entry) for entry in lists]


def check_device(name: str, value, *, hint: str = ""):
    """A torch device (``"cpu"``, ``"cuda"``, ``"cuda:1"``, ``"mps"`` or a ``torch.device``) or
    ``None`` (the default); returns a ``torch.device`` or ``None``. Only the spelling is
    checked here: whether such a device exists is up to the caller."""
    if value is None:
        return None
    import torch

    if not isinstance(value, (str, torch.device)):
        _fail(TypeError, name, 'a device such as "cpu" or "cuda", or None', value, hint)
    try:
        return torch.device(value)
    except (RuntimeError, ValueError):
        _fail(ValueError, name, 'a device such as "cpu", "cuda" or "cuda:0", or None', value, hint)


def check_module(name: str, value, *, hint: str = ""):
    """A torch model (``torch.nn.Module``); returns it."""
    import torch

    if not isinstance(value, torch.nn.Module):
        _fail(TypeError, name, "a torch model (torch.nn.Module)", value, hint or "e.g. DotProductBias(n_users, n_items, k)")
    return value
