r"""Cosine similarity: do two vectors point the same way, whatever their lengths?

    cos(u, v) = u . v / (|u| |v|)        in [-1, 1]: 1 same direction, 0 orthogonal, -1 opposite
"""

from __future__ import annotations

import numpy as np

from .validation import check_array


def _vectors(x, name: str) -> np.ndarray:
    arr = check_array(name, x, finite=False, allow_empty=True, hint="a vector (d,) or a matrix of row vectors (n, d)")
    if arr.ndim not in (1, 2) or arr.shape[-1] == 0:
        raise ValueError(f"{name} must be a vector (d,) or a matrix of row vectors (n, d); got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or inf")
    return arr


def cosine_similarity(a, b) -> float | np.ndarray:
    """Cosine of the angle between ``a`` and ``b``.

    Vectors ``(d,)`` and ``(d,)`` give a float; matrices ``(n, d)`` and ``(m, d)`` give the
    ``(n, m)`` matrix of cosines between their rows. A zero vector has no direction, so it
    raises a ValueError naming the row.
    """
    A, B = _vectors(a, "a"), _vectors(b, "b")
    if A.shape[-1] != B.shape[-1]:
        raise ValueError(f"a and b must have the same length d; got {A.shape[-1]} and {B.shape[-1]}")
    A2, B2 = np.atleast_2d(A), np.atleast_2d(B)
    na, nb = np.linalg.norm(A2, axis=1), np.linalg.norm(B2, axis=1)
    for name, norms in (("a", na), ("b", nb)):
        if np.any(norms == 0):
            raise ValueError(f"{name} row {int(np.argmin(norms))} is the zero vector: its cosine similarity is undefined")
    cos = np.clip((A2 @ B2.T) / np.outer(na, nb), -1.0, 1.0)
    return float(cos[0, 0]) if A.ndim == 1 and B.ndim == 1 else cos
