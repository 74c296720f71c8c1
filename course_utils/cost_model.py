r"""What one ALS sweep costs: the operation count, and the measured time fitted by a power law.

With nnz training ratings, M users, N items and K factors, one sweep (both half-sweeps) does

- ``solver="direct"``: each rating adds v v^T to its user's K x K Gram matrix and u u^T to its
  item's (2 nnz K^2 multiply-adds), then every row's system is factorized and solved
  ((M + N)(K^3/3 + 2 K^2)). Per sweep: O(nnz K^2 + (M + N) K^3).
- ``solver="cg"``: no Gram matrix. The right-hand side and each of the ``steps`` conjugate-
  gradient steps pass over every rating's K factors twice (X p, then q^T X), both sides:
  about 4 nnz K (steps + 2) multiply-adds. Per sweep: O(nnz K steps).

``sweep_operations`` counts them; ``measure_sweep_times`` times real sweeps over a grid of
data sizes and K; ``fit_power_law`` fits seconds = c nnz^alpha K^beta by least squares on the
logarithms and returns the exponents with their standard errors. The operation count says
what the exponents approach when the counted work dominates (direct: alpha -> 1, beta between
2 and 3; CG: alpha -> 1, beta -> 1); fixed costs per block and per row pull measured exponents
below that on small problems.
"""

from __future__ import annotations

import numpy as np

from .ratings import Ratings
from .validation import check_array, check_choice, check_count, check_same_length


def _check_ratings(name: str, value) -> Ratings:
    if not isinstance(value, Ratings):
        raise TypeError(f"{name} must be a Ratings object (got {type(value).__name__}): use synthetic_ratings(...).data "
                        "or load_movielens()")
    return value


def _check_positive_array(name: str, value, hint: str) -> np.ndarray:
    arr = check_array(name, value, ndim=(0, 1), hint=hint)
    if np.any(arr <= 0):
        raise ValueError(f"{name} must be > 0 (got {value!r}): {hint}")
    return arr



def sweep_operations(nnz, n_rows, k, solver: str = "direct", cg_steps: int = 3):
    """Multiply-adds of one ALS sweep (arrays broadcast): ``n_rows`` = M + N."""
    check_choice("solver", solver, ("direct", "cg"))
    cg_steps = check_count("cg_steps", cg_steps)
    nnz, n_rows, k = (_check_positive_array(name, value, hint) for name, value, hint in (
        ("nnz", nnz, "the number of ratings, e.g. 100_000"), ("n_rows", n_rows, "users plus items, e.g. 2_600"),
        ("k", k, "the number of factors, e.g. 10")))
    if np.any(k != np.round(k)):
        raise ValueError(f"k must hold whole numbers of factors (got {k.tolist()}): e.g. k=10")
    if solver == "direct":
        return 2 * nnz * k**2 + n_rows * (k**3 / 3 + 2 * k**2)
    return 4 * nnz * k * (cg_steps + 2)


def subsample(data: Ratings, n_ratings: int, seed: int = 0) -> Ratings:
    """``n_ratings`` of ``data``'s ratings drawn without replacement (same users and items)."""
    _check_ratings("data", data)
    n_ratings = check_count("n_ratings", n_ratings, maximum=len(data), hint="keep at most all of data's ratings")
    seed = check_count("seed", seed, minimum=0)
    keep = np.sort(np.random.default_rng(seed).choice(len(data), size=n_ratings, replace=False))
    return data.subset(keep)


def measure_sweep_times(data: Ratings, sizes, ks, solver: str = "direct", n_sweeps: int = 3, repeats: int = 3,
                        seed: int = 0, clock: str = "cpu", **als_options) -> dict:
    """Seconds per ALS sweep for every (size, k) pair: the median over ``repeats`` fits (taken in
    turn over the grid, so slow drifts in machine load spread evenly) of the median sweep.

    ``clock="cpu"``: CPU time of this process (``time.process_time``), which other programs on
    a busy machine inflate far less than wall-clock time; ``"wall"``: ``time.perf_counter``.
    (One thread, the course's policy, makes the two equal on a quiet machine.)

    ``sizes``: numbers of ratings (subsamples of ``data``); ``ks``: factor counts. Returns
    ``{"nnz": (n,), "k": (n,), "seconds": (n,), "spread": (n,)}`` with one entry per pair;
    ``spread`` is (max - min) / median over the repeats.
    """
    from .als import ALS

    _check_ratings("data", data)
    check_choice("solver", solver, ("direct", "cg"))
    check_choice("clock", clock, ("cpu", "wall"))
    seed = check_count("seed", seed, minimum=0)
    sizes, ks = (check_array(name, value, ndim=1, hint=f"a list such as {example}") for name, value, example in
                 (("sizes", sizes, [20_000, 40_000]), ("ks", ks, [16, 32])))
    key = "sweep_cpu_seconds" if clock == "cpu" else "sweep_seconds"
    n_sweeps, repeats = check_count("n_sweeps", n_sweeps), check_count("repeats", repeats)
    sizes = [check_count("sizes (each size)", s, maximum=len(data), hint="at most all of data's ratings") for s in sizes]
    ks = [check_count("ks (each k)", k, hint="whole numbers of factors such as 16") for k in ks]
    subsets = {size: subsample(data, size, seed) for size in sizes}
    models = {(size, k): ALS(subsets[size], k, solver=solver, **als_options) for size in sizes for k in ks}
    times = {pair: [] for pair in models}
    for model in models.values():                      # warm-up: first-touch allocations, caches
        model.fit(1)
    for _ in range(repeats):
        for pair, model in models.items():
            times[pair].append(float(np.median(model.fit(n_sweeps)[1][key])))
    pairs = list(models)
    seconds = np.array([np.median(times[p]) for p in pairs])
    spread = np.array([(max(times[p]) - min(times[p])) / np.median(times[p]) for p in pairs])
    return {"nnz": np.array([p[0] for p in pairs], dtype=float), "k": np.array([p[1] for p in pairs], dtype=float),
            "seconds": seconds, "spread": spread}


def fit_power_law(nnz, k, seconds) -> dict:
    """Least-squares fit of log(seconds) = log(c) + alpha log(nnz) + beta log(k).

    Returns ``{"alpha", "beta", "c", "alpha_se", "beta_se", "max_rel_error"}``: the exponents,
    their standard errors (from the residuals, as in ordinary least squares) and the largest
    relative gap between a measured time and the fitted law.
    """
    nnz = check_array("nnz", nnz, ndim=1)
    k = check_array("k", k, ndim=1)
    seconds = check_array("seconds", seconds, ndim=1)
    check_same_length(nnz=nnz, k=k, seconds=seconds)
    if len(np.unique(nnz)) < 2 or len(np.unique(k)) < 2 or len(seconds) < 4:
        raise ValueError(f"need at least two sizes, two k values and four points to fit two exponents "
                         f"(got {len(np.unique(nnz))} sizes, {len(np.unique(k))} k values, {len(seconds)} points)")
    if np.any(seconds <= 0) or np.any(nnz <= 0) or np.any(k <= 0):
        raise ValueError("nnz, k and seconds must all be > 0 (a time of 0 s cannot be put on a log scale)")
    design = np.column_stack([np.ones(len(seconds)), np.log(nnz), np.log(k)])
    coef, *_ = np.linalg.lstsq(design, np.log(seconds), rcond=None)
    residual = np.log(seconds) - design @ coef
    dof = max(len(seconds) - 3, 1)
    cov = residual @ residual / dof * np.linalg.inv(design.T @ design)
    return {"alpha": float(coef[1]), "beta": float(coef[2]), "c": float(np.exp(coef[0])),
            "alpha_se": float(np.sqrt(cov[1, 1])), "beta_se": float(np.sqrt(cov[2, 2])),
            "max_rel_error": float(np.max(np.abs(np.expm1(residual))))}
