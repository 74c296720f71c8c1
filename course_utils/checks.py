"""Check helpers: every claim a notebook makes is asserted through these, so checks
read the same everywhere. Each prints one row saying what was compared, and raises
``AssertionError`` with a readable message when the claim does not hold.

They are built so that they cannot pass by accident: NaN or inf on either side fails, an
empty comparison fails, shapes must match exactly (no silent broadcasting), a claim must be
a real yes/no (not a string or a list, which are always "true"), and a failure names the
worst element. A check that is *called* wrongly (a tolerance that is negative, a range
whose ends are swapped) raises ``ValueError``/``TypeError`` naming the argument instead.
"""

from __future__ import annotations

import math

import numpy as np

from .validation import check_nonnegative, check_number, check_text

PASS, FAIL = "PASS", "FAIL"


def _as_array(name: str, value) -> np.ndarray:
    try:
        import torch

        if isinstance(value, torch.Tensor):
            value = value.detach().cpu().numpy()
    except ImportError:  # pragma: no cover - torch is a dependency
        pass
    if value is None or isinstance(value, (str, bytes, dict, set)):
        raise TypeError(f"{name} must be numbers (a scalar, array or tensor); got {type(value).__name__} {value!r:.60}")
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be numbers with a regular shape (not a ragged list); got {type(value).__name__}") from None
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise TypeError(f"{name} must be numbers (a scalar, array or tensor); got {type(value).__name__} of dtype {arr.dtype}")
    return arr.astype(np.float64) if not np.iscomplexobj(arr) else arr


def _index(flat: int, shape: tuple) -> tuple:
    return tuple(int(i) for i in np.unravel_index(flat, shape)) if shape else ()


def _first_nonfinite(arr: np.ndarray) -> tuple[tuple, object]:
    flat = int(np.flatnonzero(~np.isfinite(arr.ravel()))[0])
    return _index(flat, arr.shape), arr.ravel()[flat].item()


def check_close(name: str, actual, expected, rtol: float = 1e-7, atol: float = 0.0) -> float:
    """Assert ``|actual - expected| <= atol + rtol * |expected|`` elementwise.

    Prints one row: name, max abs diff, max relative error, tolerances, PASS/FAIL.
    Returns the max abs diff. Shapes must match exactly (no silent broadcasting); NaN or
    inf on either side fails (an infinite ``expected`` would make every tolerance infinite);
    empty arrays fail (nothing was compared).
    """
    check_text("name", name)
    rtol = check_nonnegative("rtol", rtol, hint="tolerances are distances, never negative; try rtol=1e-7")
    atol = check_nonnegative("atol", atol, hint="tolerances are distances, never negative; try atol=1e-12")
    a, e = _as_array("actual", actual), _as_array("expected", expected)
    if a.shape != e.shape:
        print(f"{FAIL}  {name:<44s} shape {a.shape} vs expected {e.shape}")
        raise AssertionError(
            f"{name}: shape mismatch, actual {a.shape} vs expected {e.shape}; "
            "compare arrays of the same shape (reshape one explicitly if that is what you mean)"
        )
    if a.size == 0:
        print(f"{FAIL}  {name:<44s} nothing to compare (empty)")
        raise AssertionError(f"{name}: nothing to compare (empty arrays); a check of nothing proves nothing")
    for side, arr, why in (("actual", a, "the computation blew up before the comparison"),
                           ("expected", e, "an infinite or NaN reference makes any tolerance meaningless")):
        if not np.all(np.isfinite(arr)):
            idx, value = _first_nonfinite(arr)
            print(f"{FAIL}  {name:<44s} {side} has NaN/inf")
            raise AssertionError(f"{name}: {side} contains NaN or inf (element {idx} is {value}); {why}")
    diff = np.abs(a - e)
    max_abs = float(diff.max())
    scale = np.maximum(np.abs(e), np.finfo(np.float64).tiny)
    max_rel = float((diff / scale).max())
    ok = bool(np.all(diff <= atol + rtol * np.abs(e)))
    print(f"{PASS if ok else FAIL}  {name:<44s} max|diff|={max_abs:9.2e}  max rel={max_rel:9.2e}  (rtol={rtol:.0e}, atol={atol:.0e})")
    if not ok:
        worst = int(np.argmax(diff - (atol + rtol * np.abs(e))))
        idx = _index(worst, a.shape)
        raise AssertionError(
            f"{name}: not close. Worst element {idx}: actual {a.flat[worst].item()!r}, expected {e.flat[worst].item()!r}, "
            f"|diff| {diff.flat[worst]:.3e} > atol + rtol*|expected| = {atol + rtol * abs(e.flat[worst]):.3e}"
        )
    return max_abs


def _scalar(name: str, value) -> float:
    arr = _as_array(name, value)
    if arr.size != 1:
        raise TypeError(f"{name} must be one number; got an array of shape {arr.shape}. Reduce it first (e.g. .max())")
    if np.iscomplexobj(arr):
        raise TypeError(f"{name} must be a real number; got {value!r}")
    return float(arr.reshape(()))


def check_between(name: str, value, low: float, high: float) -> float:
    """Assert ``low <= value <= high`` for a scalar; prints the value and the range.
    A NaN or inf value fails; ``low`` and ``high`` may be infinite (a one-sided range) but not
    NaN, and ``low <= high``."""
    check_text("name", name)
    low = check_number("low", low, finite=False, hint="the lower end of the expected range (-inf for none)")
    high = check_number("high", high, finite=False, hint="the upper end of the expected range (inf for none)")
    if low > high:
        raise ValueError(f"low must be <= high (got low={low:g}, high={high:g}): swap them")
    v = _scalar("value", value)
    ok = math.isfinite(v) and low <= v <= high
    print(f"{PASS if ok else FAIL}  {name:<44s} value={v:.4g}  expected in [{low:.4g}, {high:.4g}]")
    if not ok:
        raise AssertionError(f"{name}: {v:.6g} is outside [{low:.6g}, {high:.6g}]")
    return v


def _truth(condition) -> bool:
    """A real yes/no: ``bool``, a NumPy bool, or a one-element bool array/tensor. A string, a
    list or a number is refused, because ``bool("False")`` and ``bool([0])`` are True."""
    if isinstance(condition, (bool, np.bool_)):
        return bool(condition)
    try:
        import torch

        if isinstance(condition, torch.Tensor):
            condition = condition.detach().cpu().numpy()
    except ImportError:  # pragma: no cover
        pass
    if isinstance(condition, np.ndarray) and condition.dtype == np.bool_:
        if condition.size != 1:
            raise TypeError(f"condition must be one True/False; got a bool array of shape {condition.shape}. "
                            "Use np.all(...) or np.any(...) to say which claim you mean")
        return bool(condition.reshape(()))
    raise TypeError(f"condition must be True or False (a comparison such as a < b); got {type(condition).__name__} "
                    f"{condition!r:.60}. Strings, lists and numbers are always 'true', so they cannot be checked")


def check_true(name: str, condition: bool, detail: str = "") -> None:
    """Assert a yes/no claim; ``detail`` says what was compared, in words and numbers."""
    check_text("name", name)
    check_text("detail", detail, allow_empty=True)
    ok = _truth(condition)
    print(f"{PASS if ok else FAIL}  {name:<44s} {detail}")
    if not ok:
        raise AssertionError(f"{name}: claim does not hold. {detail}")


def compare_gradients(pairs: dict, rtol: float = 1e-10, atol: float = 1e-12, reference: str = "reference") -> list[dict]:
    """Print a table comparing hand-derived gradients with reference ones, one row per name:
    exact (bit-identical), close (within atol + rtol |reference|), max abs diff.

    ``pairs`` maps a name to ``(manual, reference)`` (arrays or tensors of equal shape).
    Raises AssertionError listing every row that is not close, with its worst element;
    an empty ``pairs``, an empty array, a shape mismatch or NaN/inf on either side fails.
    Returns the rows.
    """
    if not isinstance(pairs, dict):
        raise TypeError(f"pairs must be a dict {{name: (manual, reference)}}; got {type(pairs).__name__}")
    rtol = check_nonnegative("rtol", rtol, hint="tolerances are distances, never negative; try rtol=1e-10")
    atol = check_nonnegative("atol", atol, hint="tolerances are distances, never negative; try atol=1e-12")
    check_text("reference", reference)
    if not pairs:
        raise AssertionError("compare_gradients: pairs is empty, so nothing was compared; pass {name: (manual, reference)}")
    rows, failures = [], []
    print(f"{'gradient':<10s} {'exact':>6s} {'close':>6s} {'max|diff|':>10s}   vs {reference} (rtol={rtol:.0e}, atol={atol:.0e})")
    for name, pair in pairs.items():
        if not (isinstance(pair, (tuple, list)) and len(pair) == 2):
            raise TypeError(f"pairs[{name!r}] must be a pair (manual, {reference}); got {type(pair).__name__}")
        manual, ref = pair
        m, r = _as_array(f"{name} (manual)", manual), _as_array(f"{name} ({reference})", ref)
        if m.shape != r.shape:
            raise AssertionError(f"{name}: shape mismatch, manual {m.shape} vs {reference} {r.shape}")
        if m.size == 0:
            raise AssertionError(f"{name}: nothing to compare (empty arrays)")
        for side, arr in (("manual", m), (reference, r)):
            if not np.all(np.isfinite(arr)):
                idx, value = _first_nonfinite(arr)
                raise AssertionError(f"{name}: {side} contains NaN or inf (element {idx} is {value})")
        diff = np.abs(m - r)
        excess = diff - (atol + rtol * np.abs(r))
        worst = int(np.argmax(excess))
        row = {"name": name, "exact": bool(np.array_equal(m, r)), "close": bool(np.all(excess <= 0)),
               "max_abs_diff": float(diff.max())}
        rows.append(row)
        print(f"{name:<10s} {str(row['exact']):>6s} {str(row['close']):>6s} {row['max_abs_diff']:10.2e}")
        if not row["close"]:
            failures.append(f"{name} (max|diff| {row['max_abs_diff']:.2e}) at worst element {_index(worst, m.shape)}: "
                            f"manual {m.flat[worst].item()!r} vs {reference} {r.flat[worst].item()!r}")
    if failures:
        raise AssertionError(f"gradients not close to {reference}: {', '.join(failures)}")
    return rows
