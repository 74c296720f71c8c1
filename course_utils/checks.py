"""Check helpers: every claim a notebook makes is asserted through these, so checks
read the same everywhere. Each prints one row saying what was compared, and raises
``AssertionError`` with a readable message when the claim does not hold.
"""

from __future__ import annotations

import math

import numpy as np

PASS, FAIL = "PASS", "FAIL"


def _as_array(name: str, value) -> np.ndarray:
    try:
        import torch

        if isinstance(value, torch.Tensor):
            value = value.detach().cpu().numpy()
    except ImportError:
        pass
    arr = np.asarray(value)
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise TypeError(f"{name} must be numbers (a scalar, array or tensor); got {type(value).__name__}")
    return arr.astype(np.float64) if not np.iscomplexobj(arr) else arr


def check_close(name: str, actual, expected, rtol: float = 1e-7, atol: float = 0.0) -> float:
    """Assert ``|actual - expected| <= atol + rtol * |expected|`` elementwise.

    Prints one row: name, max abs diff, max relative error, tolerances, PASS/FAIL.
    Returns the max abs diff. Shapes must match exactly (no silent broadcasting).
    """
    if rtol < 0 or atol < 0:
        raise ValueError(f"tolerances must be >= 0; got rtol={rtol}, atol={atol}")
    a, e = _as_array("actual", actual), _as_array("expected", expected)
    if a.shape != e.shape:
        raise AssertionError(
            f"{name}: shape mismatch, actual {a.shape} vs expected {e.shape}; "
            "compare arrays of the same shape (reshape one explicitly if that is what you mean)"
        )
    if a.size == 0:
        raise AssertionError(f"{name}: nothing to compare (empty arrays)")
    if not np.all(np.isfinite(a)):
        print(f"{FAIL}  {name:<44s} actual has NaN/inf")
        raise AssertionError(f"{name}: actual contains NaN or inf; the computation blew up before the comparison")
    diff = np.abs(a - e)
    max_abs = float(diff.max())
    scale = np.maximum(np.abs(e), np.finfo(np.float64).tiny)
    max_rel = float((diff / scale).max())
    ok = bool(np.all(diff <= atol + rtol * np.abs(e)))
    print(f"{PASS if ok else FAIL}  {name:<44s} max|diff|={max_abs:9.2e}  max rel={max_rel:9.2e}  (rtol={rtol:.0e}, atol={atol:.0e})")
    if not ok:
        worst = int(np.argmax(diff - (atol + rtol * np.abs(e))))
        idx = tuple(int(i) for i in np.unravel_index(worst, a.shape)) if a.ndim else ()
        raise AssertionError(
            f"{name}: not close. Worst element {idx}: actual {a.flat[worst].item()!r}, expected {e.flat[worst].item()!r}, "
            f"|diff| {diff.flat[worst]:.3e} > atol + rtol*|expected| = {atol + rtol * abs(e.flat[worst]):.3e}"
        )
    return max_abs


def check_between(name: str, value, low: float, high: float) -> float:
    """Assert ``low <= value <= high`` for a scalar; prints the value and the range."""
    v = float(_as_array("value", value))
    ok = math.isfinite(v) and low <= v <= high
    print(f"{PASS if ok else FAIL}  {name:<44s} value={v:.4g}  expected in [{low:.4g}, {high:.4g}]")
    if not ok:
        raise AssertionError(f"{name}: {v:.6g} is outside [{low:.6g}, {high:.6g}]")
    return v


def check_true(name: str, condition: bool, detail: str = "") -> None:
    """Assert a yes/no claim; ``detail`` says what was compared, in words and numbers."""
    ok = bool(condition)
    print(f"{PASS if ok else FAIL}  {name:<44s} {detail}")
    if not ok:
        raise AssertionError(f"{name}: claim does not hold. {detail}")


def compare_gradients(pairs: dict, rtol: float = 1e-10, atol: float = 1e-12, reference: str = "reference") -> list[dict]:
    """Print a table comparing hand-derived gradients with reference ones, one row per name:
    exact (bit-identical), close (within atol + rtol |reference|), max abs diff.

    ``pairs`` maps a name to ``(manual, reference)`` (arrays or tensors of equal shape).
    Raises AssertionError listing every row that is not close. Returns the rows.
    """
    rows, failures = [], []
    print(f"{'gradient':<10s} {'exact':>6s} {'close':>6s} {'max|diff|':>10s}   vs {reference} (rtol={rtol:.0e}, atol={atol:.0e})")
    for name, (manual, ref) in pairs.items():
        m, r = _as_array(f"{name} (manual)", manual), _as_array(f"{name} ({reference})", ref)
        if m.shape != r.shape:
            raise AssertionError(f"{name}: shape mismatch, manual {m.shape} vs {reference} {r.shape}")
        diff = np.abs(m - r)
        row = {"name": name, "exact": bool(np.array_equal(m, r)), "close": bool(np.all(diff <= atol + rtol * np.abs(r))),
               "max_abs_diff": float(diff.max()) if diff.size else 0.0}
        rows.append(row)
        print(f"{name:<10s} {str(row['exact']):>6s} {str(row['close']):>6s} {row['max_abs_diff']:10.2e}")
        if not row["close"]:
            failures.append(f"{name} (max|diff| {row['max_abs_diff']:.2e})")
    if failures:
        raise AssertionError(f"gradients not close to {reference}: {', '.join(failures)}")
    return rows
