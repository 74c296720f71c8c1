r"""How a fit's time grows with the data (notebook 08 and ``tools/bench_spark.py``).

- ``synthetic_at_scale(n_ratings)``: notebook 05's synthetic generator at a larger size, with
  users and items growing as real catalogues do (about 106 ratings per user, as in
  MovieLens-100k; items like the square root of the ratings: 1,682 at 100k, 16,820 at 10M).
- ``time_fits(fit, sweeps)``: time ``fit(n)`` for several numbers of sweeps ``n`` and split
  the time into a fixed cost per fit and a cost per sweep by a least-squares line

      seconds(n) = per_fit + n * per_sweep

  (for Spark the fixed part is moving the ratings into blocks and scheduling; for the course's
  ALS it is building the sparse matrices).
- ``fit_line`` / ``line_crossing``: a straight line through (size, seconds) points and where
  two such lines meet.
"""

from __future__ import annotations

import math
import time

import numpy as np

from .validation import check_array, check_callable, check_choice, check_count, check_pair

RATINGS_PER_USER = 106          # MovieLens-100k: 100,000 ratings by 943 users
ITEMS_AT_100K = 1682            # MovieLens-100k's catalogue


def scaled_shape(n_ratings: int) -> tuple[int, int]:
    """``(n_users, n_items)`` for a synthetic set of ``n_ratings`` ratings."""
    n_ratings = check_count("n_ratings", n_ratings, minimum=10_000, hint="use at least 10,000 ratings")
    return max(20, round(n_ratings / RATINGS_PER_USER)), max(50, round(ITEMS_AT_100K * math.sqrt(n_ratings / 100_000)))


def synthetic_at_scale(n_ratings: int, seed: int = 0):
    """``course_utils.ratings.synthetic_ratings`` with ``n_ratings`` ratings and the shape
    from ``scaled_shape``; returns its ``SyntheticRatings`` (``.data`` holds the ratings)."""
    from .ratings import synthetic_ratings

    n_users, n_items = scaled_shape(n_ratings)
    return synthetic_ratings(n_users=n_users, n_items=n_items, n_ratings=int(n_ratings), seed=seed)


def fit_line(x, y) -> tuple[float, float]:
    """Least-squares ``y = intercept + slope * x``; returns ``(intercept, slope)``.
    ``x``, ``y``: shape ``(n,)`` with at least two distinct x."""
    x = check_array("x", x, ndim=1)
    y = check_array("y", y, ndim=1, shape=(len(x),))
    if np.unique(x).size < 2:
        raise ValueError(f"x needs at least two distinct values to fit a line (got {x.tolist()})")
    slope, intercept = np.polyfit(x, y, 1)
    return float(intercept), float(slope)


def time_fits(fit, sweeps=(1, 2, 4), repeats: int = 1, statistic: str = "median") -> dict:
    """Time ``fit(n)`` (any callable that runs a fit of ``n`` sweeps) for each ``n`` in
    ``sweeps``, ``repeats`` times each, and fit ``seconds = per_fit + n * per_sweep``.

    ``statistic``: how the repeats of one ``n`` are combined, ``"median"`` or ``"min"`` (the
    least disturbed run: on a busy machine, other programs only ever add time).
    Returns ``{"per_fit": s, "per_sweep": s, "sweeps": [...], "seconds": [...]}``.
    """
    fit = check_callable("fit", fit)
    statistic = check_choice("statistic", statistic, ("median", "min"))
    lengths = check_array("sweeps", sweeps, ndim=1, dtype=None, hint="numbers of sweeps to time, e.g. sweeps=(1, 2, 4)")
    sweeps = [check_count("sweeps", n) for n in lengths.tolist()]
    if len(set(sweeps)) < 2:
        raise ValueError(f"sweeps needs at least two different lengths to separate per-fit from per-sweep time (got {sweeps})")
    repeats = check_count("repeats", repeats)
    medians = []
    for n in sweeps:
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            fit(n)
            times.append(time.perf_counter() - start)
        medians.append(float(np.median(times) if statistic == "median" else np.min(times)))
    per_fit, per_sweep = fit_line(sweeps, medians)
    return {"per_fit": per_fit, "per_sweep": per_sweep, "sweeps": sweeps, "seconds": medians}


def line_crossing(line_a, line_b) -> float | None:
    """Where ``a0 + a1 x`` meets ``b0 + b1 x`` for x > 0 (``line_*`` = (intercept, slope));
    None when they do not meet at a positive x (parallel, or they part ways)."""
    (a0, a1), (b0, b1) = (check_pair(name, line, increasing=False, hint="a line (intercept, slope) from fit_line")
                          for name, line in (("line_a", line_a), ("line_b", line_b)))
    if a1 == b1:
        return None
    x = (b0 - a0) / (a1 - b1)
    return x if x > 0 else None
