"""Measuring orders of accuracy: the slope of error against step size on log-log axes."""

from __future__ import annotations

import numpy as np

from .validation import check_array


def loglog_slope(steps, errors) -> float:
    """Least-squares slope p of log(error) = p log(step) + c.

    An error that behaves like C h^p gives slope p: 1 for forward differences and
    Euler's method, 2 for central differences, 4 for RK4. ``steps`` and ``errors``
    are 1-D, the same length (at least 2) and strictly positive.
    """
    s = check_array("steps", steps, finite=False, allow_empty=True, hint="step sizes such as [0.1, 0.01, 0.001]")
    e = check_array("errors", errors, finite=False, allow_empty=True, hint="one error per step size")
    if s.ndim != 1 or s.shape != e.shape or s.size < 2:
        raise ValueError(f"steps and errors must be 1-D of the same length >= 2; got shapes {s.shape} and {e.shape}")
    if not (np.all(np.isfinite(s)) and np.all(np.isfinite(e))):
        raise ValueError("steps and errors must be finite; drop the NaN/inf points (a diverged run?) first")
    if np.any(s <= 0) or np.any(e <= 0):
        raise ValueError(
            "steps and errors must be > 0 to take logs; an error of exactly 0 means the method is exact "
            "there, so leave that point out"
        )
    if np.ptp(np.log(s)) == 0:
        raise ValueError("steps are all equal; a slope needs at least two different step sizes")
    slope, _ = np.polyfit(np.log(s), np.log(e), 1)
    return float(slope)
