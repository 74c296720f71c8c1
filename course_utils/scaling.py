r"""How a fit's time grows with the data (notebook 08 and ``tools/bench_spark.py``).

- ``synthetic_at_scale(n_ratings)``: notebook 05's synthetic generator at a larger size, with
  users and items growing as real catalogues do (about 106 ratings per user, as in
  MovieLens-100k; items like the square root of the ratings: 1,682 at 100k, 16,820 at 10M).
- ``time_fits(fit, sweeps)``: time ``fit(n)`` for several numbers of sweeps ``n`` and split
  the time into a fixed cost per fit and a cost per sweep by a least-squares line

      seconds(n) = per_fit + n * per_sweep

  (for Spark the fixed part is moving the ratings into blocks and scheduling; for the course's
  ALS it is building the sparse matrices).
  Each length is timed by ``course_utils.timing.time_call`` (untimed warm-up calls, then
  repeats; the median or the fastest repeat).
- ``fit_line`` / ``line_crossing``: a straight line through (size, seconds) points and where
  two such lines meet.
- ``pairwise_lines`` / ``extrapolation_range``: the line through every pair of measured points,
  and the range of their predictions at a size far beyond the data: an honest spread for an
  extrapolation, where one least-squares line would give a single, falsely precise number.
- ``degrees_at_scale``: rating counts per row for a data set too large to generate, drawn from
  measured counts and rescaled to a new mean.
"""

from __future__ import annotations

import math
import time

import numpy as np

from .timing import time_call
from .validation import check_array, check_callable, check_choice, check_count, check_pair, check_positive, check_seed

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


def time_fits(fit, sweeps=(1, 2, 4), repeats: int = 1, statistic: str = "median", warmup: int = 0,
              clock=time.perf_counter) -> dict:
    """Time ``fit(n)`` (any callable that runs a fit of ``n`` sweeps) for each ``n`` in
    ``sweeps`` with ``time_call`` (``warmup`` untimed calls, then ``repeats`` timed ones) and fit
    ``seconds = per_fit + n * per_sweep``.

    ``statistic``: how the repeats of one ``n`` are combined, ``"median"`` or ``"min"`` (the
    least disturbed run: on a busy machine, other programs only ever add time). ``clock``:
    the timer in seconds (tests pass a fake one).
    Returns ``{"per_fit": s, "per_sweep": s, "sweeps": [...], "seconds": [...]}``.
    """
    fit = check_callable("fit", fit)
    statistic = check_choice("statistic", statistic, ("median", "min"))
    if isinstance(sweeps, (str, bytes)) or not hasattr(sweeps, "__iter__"):
        raise TypeError(f"sweeps must be a list of fit lengths such as (1, 3) (got {sweeps!r:.40})")
    sweeps = [check_count("sweeps", n) for n in sweeps]
    if len(set(sweeps)) < 2:
        raise ValueError(f"sweeps needs at least two different lengths to separate per-fit from per-sweep time (got {sweeps})")
    repeats = check_count("repeats", repeats)
    warmup = check_count("warmup", warmup, minimum=0)
    check_callable("clock", clock, hint="a function returning seconds, like time.perf_counter")
    seconds = []
    for n in sweeps:
        timing = time_call(lambda: fit(n), repeats=repeats, warmup=warmup, clock=clock)
        seconds.append((timing.median_ms if statistic == "median" else timing.min_ms) / 1e3)
    per_fit, per_sweep = fit_line(sweeps, seconds)
    return {"per_fit": per_fit, "per_sweep": per_sweep, "sweeps": sweeps, "seconds": seconds}


def pairwise_lines(x, y) -> np.ndarray:
    """The straight line through every pair of points with distinct ``x``: shape ``(n_pairs, 2)``,
    rows ``(intercept, slope)``. ``x``, ``y``: shape ``(n,)``, n >= 2."""
    x = check_array("x", x, ndim=1)
    y = check_array("y", y, ndim=1, shape=(len(x),))
    lines = [((y[a] * x[b] - y[b] * x[a]) / (x[b] - x[a]), (y[b] - y[a]) / (x[b] - x[a]))
             for a in range(len(x)) for b in range(a + 1, len(x)) if x[a] != x[b]]
    if not lines:
        raise ValueError(f"x needs at least two distinct values to draw a line (got {x.tolist()})")
    return np.array(lines)


def extrapolation_range(x, y, at) -> tuple[float, float]:
    """``(lowest, highest)`` prediction at ``at`` of the lines through every pair of measured
    points (``pairwise_lines``): how far the extrapolation could swing, given the data's noise
    and curvature. ``at``: a number or an array (then each end is an array)."""
    lines = pairwise_lines(x, y)
    at = check_array("at", at, ndim=(0, 1))
    predictions = lines[:, :1] + lines[:, 1:] * np.atleast_1d(at)[None, :]     # (n_pairs, len(at))
    low, high = predictions.min(axis=0), predictions.max(axis=0)
    return (float(low[0]), float(high[0])) if at.ndim == 0 else (low, high)


def degrees_at_scale(degrees, n_rows: int, n_ratings: float, seed: int = 0) -> np.ndarray:
    """Rating counts for ``n_rows`` rows that hold ``n_ratings`` ratings in all, shaped like the
    measured ``degrees``: ``n_rows`` counts drawn from ``degrees`` (with replacement, seeded),
    each multiplied by the same factor so that they add up to ``n_ratings``. The assumption:
    the spread of counts around their mean keeps its shape as the data grows. Returns floats,
    shape ``(n_rows,)``."""
    degrees = check_array("degrees", degrees, ndim=1)
    if degrees.min() < 0 or degrees.sum() <= 0:
        raise ValueError("degrees must be rating counts >= 0 with at least one rating")
    n_rows = check_count("n_rows", n_rows)
    n_ratings = check_count("n_ratings", n_ratings, hint="the total number of ratings, e.g. 10**9")
    drawn = np.random.default_rng(check_seed("seed", seed)).choice(degrees[degrees > 0], size=n_rows)
    return drawn * (n_ratings / drawn.sum())


def line_crossing(line_a, line_b) -> float | None:
    """Where ``a0 + a1 x`` meets ``b0 + b1 x`` for x > 0 (``line_*`` = (intercept, slope));
    None when they do not meet at a positive x (parallel, or they part ways)."""
    line_a = check_array("line_a", line_a, ndim=1, shape=(2,))
    line_b = check_array("line_b", line_b, ndim=1, shape=(2,))
    (a0, a1), (b0, b1) = (tuple(float(v) for v in line) for line in (line_a, line_b))
    if a1 == b1:
        return None
    x = (b0 - a0) / (a1 - b1)
    return x if x > 0 else None
