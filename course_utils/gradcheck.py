r"""The course's one convention for gradient checks (derived in notebook 01, used in 03).

Every gradient check compares a hand-written gradient with **central differences in
float64** (``course_utils.gradient`` at its default step) by the norm-wise relative
error ``||a - b|| / max(||a||, ||b||)``. What error to expect follows from the step h::

    error(h) ~ h^2 / 6 * |f'''|  +  eps * |f| / h          (truncation + round-off)

At the default step h = eps**(1/3) ~ 6e-6 and functions of unit scale that is about
4e-11. The verdicts allow a factor of 1000 above that for less tidy functions::

    relative error < GRADIENT_CHECK_PASS (1e-7)   "right"
    between the two                                "investigate" (a ReLU kink within h,
                                                    float32 somewhere, a badly scaled f)
    relative error > GRADIENT_CHECK_BUG (1e-2)     "bug"
"""

from __future__ import annotations

import numpy as np

from .validation import check_choice, check_nonnegative, check_positive

GRADIENT_CHECK_PASS = 1e-7
GRADIENT_CHECK_BUG = 1e-2


def expected_central_error(h, f_scale: float = 1.0, third_derivative_scale: float = 1.0, dtype=np.float64) -> float:
    """Error to expect from one central difference with step ``h``:
    ``h**2 / 6 * third_derivative_scale + eps * f_scale / h`` (eps of ``dtype``)."""
    h = check_positive("h", h, hint="a finite-difference step such as 6e-6")
    f_scale = check_nonnegative("f_scale", f_scale, hint="the size |f| of the function's values, e.g. 1.0")
    third_derivative_scale = check_nonnegative("third_derivative_scale", third_derivative_scale,
                                               hint="the size |f'''| of the third derivative, e.g. 1.0")
    dtype = check_choice("dtype", dtype, (np.float64, np.float32, "float64", "float32"), hint="use np.float64 or np.float32")
    eps = float(np.finfo(np.dtype(dtype)).eps)
    return h**2 / 6 * third_derivative_scale + eps * f_scale / h


def gradient_check_verdict(relative_error) -> str:
    """``"right"`` below ``GRADIENT_CHECK_PASS``, ``"bug"`` above ``GRADIENT_CHECK_BUG``,
    ``"investigate"`` in between."""
    rel = check_nonnegative("relative_error", relative_error,
                            hint="pass course_utils.relative_error(hand, finite_differences)")
    if rel < GRADIENT_CHECK_PASS:
        return "right"
    if rel > GRADIENT_CHECK_BUG:
        return "bug"
    return "investigate"
