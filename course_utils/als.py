r"""Alternating least squares for ratings, with biases and L2 regularization (notebook 05).

Model: r_hat_ij = u_i . v_j + b_i + c_j + mu, mu the global mean of the training ratings;
U (n_users, k), V (n_items, k), b (n_users,), c (n_items,). Loss over the observed set Omega:

    J = sum_{(i,j) in Omega} (r_ij - r_hat_ij)^2 + lam (||U||_F^2 + ||V||_F^2) + lam_b (||b||^2 + ||c||^2)

lam penalizes the factors and lam_b (``lam_bias``; by default equal to lam) the biases.
Setting each block's derivative to zero gives the closed-form updates, applied in the
order b, U, c, V (each an exact minimization, so J never increases)::

    b_i = sum_{j in Omega_i} (r_ij - u_i . v_j - c_j - mu) / (|Omega_i| + lam_b)
    u_i = (sum_{j in Omega_i} v_j v_j^T + lam I)^{-1} sum_{j in Omega_i} (r_ij - b_i - c_j - mu) v_j
    c_j = sum_{i in Omega_j} (r_ij - u_i . v_j - b_i - mu) / (|Omega_j| + lam_b)
    v_j = (sum_{i in Omega_j} u_i u_i^T + lam I)^{-1} sum_{i in Omega_j} (r_ij - b_i - c_j - mu) u_i

With weighted-lambda regularization (``weighted=True``, ALS-WR) the factor penalty is
lam (sum_i |Omega_i| ||u_i||^2 + sum_j |Omega_j| ||v_j||^2), so lam I above becomes
lam |Omega_i| I (resp. lam |Omega_j| I); the bias penalty stays lam_b.

The Bayesian reading: if each rating is r_hat_ij plus Gaussian noise of variance sigma^2,
minimizing J is maximizing the posterior under Gaussian priors N(0, sigma^2 / lam) on every
factor entry (sigma^2 / (lam |Omega_i|) when weighted) and N(0, sigma^2 / lam_b) on every bias
(the prior variance is 1/lam only when sigma = 1). lam > 0 also keeps the K x K matrices invertible for users or items with fewer
than K ratings.

Three implementations of one sweep, which agree to round-off from the same start:
``als_sweep_loops`` (the formulas as loops over dictionaries, one solve per row),
``ALS`` with ``backend="numpy"`` (all rows' normal equations from batched matrix products,
then batched solves; ``course_utils.normal_equations``) and ``backend="torch"`` (the same on
a torch device, CPU or GPU). ``ALS`` also offers weighted-lambda regularization (ALS-WR),
conjugate-gradient solves for large K, and float32; its defaults were chosen by validation.
"""

from __future__ import annotations

import contextlib
import time
import warnings
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from . import normal_equations
from .normal_equations import AUTO_DTYPE, DTYPES, SOLVERS, choose_dtype, make_ops, prepare_blocks, row_blocks, update_side
from .ratings import Ratings
from .validation import (check_array, check_bool, check_callable, check_choice, check_count, check_device, check_fraction,
                         check_ids, check_instance, check_nonnegative, check_number, check_pair, check_positive, check_ratings,
                         check_same_length, check_seed)


@dataclass
class FactorModel:
    """Parameters of the biased factor model; shapes (n_users, k), (n_items, k), (n_users,), (n_items,)."""

    user_factors: np.ndarray
    item_factors: np.ndarray
    user_bias: np.ndarray
    item_bias: np.ndarray
    mu: float

    def __post_init__(self):
        hint = "a FactorModel holds user_factors (n_users, k), item_factors (n_items, k), user_bias (n_users,), item_bias (n_items,)"
        U = check_array("user_factors", self.user_factors, ndim=2, dtype=None, allow_empty=True, hint=hint)
        V = check_array("item_factors", self.item_factors, ndim=2, dtype=None, allow_empty=True, hint=hint)
        check_array("user_bias", self.user_bias, shape=(len(U),), dtype=None, allow_empty=True, hint=hint)
        check_array("item_bias", self.item_bias, shape=(len(V),), dtype=None, allow_empty=True, hint=hint)
        if U.shape[1] != V.shape[1]:
            raise ValueError(f"user_factors and item_factors must have the same number of columns k (got {U.shape} and {V.shape})")
        self.mu = check_number("mu", self.mu, hint="the mean rating")

    def predict(self, users, items, clip: tuple | None = None) -> np.ndarray:
        if clip is not None:
            clip = check_pair("clip", clip, hint="the rating scale (low, high) to clip to, or None")
        users, items = np.asarray(users), np.asarray(items)
        if users.shape != items.shape:
            raise ValueError(f"users and items must have the same shape; got {users.shape} and {items.shape}")
        if users.size and (users.max() >= len(self.user_bias) or items.max() >= len(self.item_bias) or min(users.min(), items.min()) < 0):
            raise ValueError(f"user or item index out of range: the model has {len(self.user_bias)} users and {len(self.item_bias)} items")
        pred = self.mu + self.user_bias[users] + self.item_bias[items] + np.einsum("nk,nk->n", self.user_factors[users], self.item_factors[items])
        return np.clip(pred, *clip) if clip is not None else pred

    def copy(self) -> "FactorModel":
        return FactorModel(self.user_factors.copy(), self.item_factors.copy(), self.user_bias.copy(), self.item_bias.copy(), self.mu)


def rmse(model, data: Ratings, clip: bool = True) -> float:
    """Root mean squared error of ``model.predict`` on ``data``, predictions clipped to its scale."""
    if not callable(getattr(model, "predict", None)):
        raise TypeError(f"model must be a fitted model with predict(users, items), e.g. a FactorModel (got {type(model).__name__})")
    check_ratings("data", data)
    clip = check_bool("clip", clip)
    pred = model.predict(data.users, data.items, clip=data.scale if clip else None)
    return float(np.sqrt(np.mean((pred - data.ratings) ** 2)))


def objective(model: FactorModel, data: Ratings, lam: float, lam_bias: float | None = None, weighted: bool = False) -> float:
    """The ALS loss J: squared error on the observed ratings, plus lam times the factors' squared
    norms and lam_bias (default: lam) times the biases' squared norms.

    ``weighted=True``: the factor penalty of each user and item is scaled by its number of
    ratings in ``data``, lam * (sum_i n_i ||u_i||^2 + sum_j n_j ||v_j||^2) (ALS-WR, Spark).
    """
    check_instance("model", model, FactorModel)
    check_ratings("data", data)
    lam = check_nonnegative("lam", lam)
    lam_bias = lam if lam_bias is None else check_nonnegative("lam_bias", lam_bias)
    weighted = check_bool("weighted", weighted)
    err = data.ratings - model.predict(data.users, data.items)
    if weighted:
        n_u = np.bincount(data.users, minlength=len(model.user_bias))
        n_i = np.bincount(data.items, minlength=len(model.item_bias))
        factors = float(n_u @ np.sum(model.user_factors**2, axis=1) + n_i @ np.sum(model.item_factors**2, axis=1))
    else:
        factors = float(np.sum(model.user_factors**2) + np.sum(model.item_factors**2))
    biases = float(model.user_bias @ model.user_bias + model.item_bias @ model.item_bias)
    return float(err @ err + lam * factors + lam_bias * biases)


def init_model(data: Ratings, k: int, seed: int = 0) -> FactorModel:
    """The tutorial's start: factors N(0, 1) / k, biases 0, mu = mean training rating."""
    check_ratings("data", data)
    seed = check_seed("seed", seed)
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"k (the number of factors) must be a whole number >= 1; got {k!r}")
    rng = np.random.default_rng(seed)
    return FactorModel(rng.normal(size=(data.n_users, k)) / k, rng.normal(size=(data.n_items, k)) / k,
                       np.zeros(data.n_users), np.zeros(data.n_items), float(data.ratings.mean()))


def _check_lam(lam) -> float:
    if not (isinstance(lam, (int, float, np.floating)) and lam >= 0 and np.isfinite(lam)):
        raise ValueError(f"lam must be a finite number >= 0; got {lam!r}")
    return float(lam)


# ----------------------------------------------------------------------------- (a) loops
def ratings_by_key(data: Ratings) -> tuple[dict, dict]:
    """The tutorial's dictionaries: user -> [(item, r), ...] and item -> [(user, r), ...]."""
    check_ratings("data", data)
    by_user, by_item = {}, {}
    for i, j, r in zip(data.users.tolist(), data.items.tolist(), data.ratings.tolist()):
        by_user.setdefault(i, []).append((j, r))
        by_item.setdefault(j, []).append((i, r))
    return by_user, by_item


def als_sweep_loops(m: FactorModel, by_user: dict, by_item: dict, lam: float, after_block=None) -> None:
    """One sweep written as the tutorial's loops, in place. ``after_block(name)`` is called
    after each of the four blocks (b, U, c, V), e.g. to record the loss."""
    check_instance("m", m, FactorModel, hint="e.g. init_model(train, k)")
    check_instance("by_user", by_user, dict, what="a dict user -> [(item, rating), ...]", hint="from ratings_by_key")
    check_instance("by_item", by_item, dict, what="a dict item -> [(user, rating), ...]", hint="from ratings_by_key")
    lam = check_positive("lam", lam, hint=_LAM_HINT)
    if after_block is not None:
        check_callable("after_block", after_block, hint="after_block(name), or None")
    U, V, B, C, mu = m.user_factors, m.item_factors, m.user_bias, m.item_bias, m.mu
    K = U.shape[1]
    for i, rated in by_user.items():
        B[i] = sum(r - U[i] @ V[j] - C[j] - mu for j, r in rated) / (len(rated) + lam)
    after_block and after_block("b")
    for i, rated in by_user.items():
        matrix, vector = lam * np.eye(K), np.zeros(K)
        for j, r in rated:
            matrix += np.outer(V[j], V[j])
            vector += (r - B[i] - C[j] - mu) * V[j]
        U[i] = np.linalg.solve(matrix, vector)
    after_block and after_block("U")
    for j, rated in by_item.items():
        C[j] = sum(r - U[i] @ V[j] - B[i] - mu for i, r in rated) / (len(rated) + lam)
    after_block and after_block("c")
    for j, rated in by_item.items():
        matrix, vector = lam * np.eye(K), np.zeros(K)
        for i, r in rated:
            matrix += np.outer(U[i], U[i])
            vector += (r - B[i] - C[j] - mu) * U[i]
        V[j] = np.linalg.solve(matrix, vector)
    after_block and after_block("V")


# ----------------------------------------------------------------------------- (b), (c) vectorized
# Chosen by validation (tools/bench_mf.py --defaults): on ml-latest-small, and on synthetic
# MovieLens-100k- and 1M-shaped data, at K = 10, 50 and 100. Weighted lambda = 0.1 is also Spark's
# and LensKit's default; unlike a plain lambda it does not let K = 50 overfit the 1M-rating set.
DEFAULTS = {"k": 50, "lam": 0.1, "weighted": True, "lam_bias": 3.0, "n_sweeps": 10, "cg_steps": 3}
AUTO_CG_FROM_K = 20            # solver="auto": direct below this K (exact, as fast), CG from it on (much faster)


class ALS:
    """Vectorized ALS on one training set: the loops' updates for all rows at once.

    ``backend="numpy"`` (NumPy arrays, BLAS products, LAPACK solves) or ``backend="torch"``
    (torch tensors on ``device``: CPU, CUDA, or MPS in float32). Rows without ratings get zero
    factors and zero bias (cold start: the prediction falls back to mu plus the other bias).

    For one side (users, say), with S the users x items 0/1 matrix of observed pairs, the
    loops' sums are, for every user at once::

        sum_j v_j v_j^T        = (S [v_j v_j^T]_j)_i          the Gram matrices       (n_users, k, k)
        sum_j (r_ij - b_i - c_j - mu) v_j = (S_w V)_i - b_i (S V)_i                   (n_users, k)

    They are computed without forming the (n_items, k^2) list of outer products: each user's
    rated items' factors are gathered into a block X_i (n_i, k), and X_i^T X_i, X_i^T w_i and
    X_i^T 1 come from batched matrix products over blocks of users with similar counts
    (``course_utils.normal_equations``). Then the k x k systems are solved in a few batched calls.

    Options:

    - ``lam``: the penalty on the factors, > 0; ``lam_bias`` (default: ``lam``): on the biases.
      Given ``lam``, the penalty is plain (the same for every row) unless ``weighted=True``.
    - ``weighted=True``: each row's factor penalty is ``lam * n_i`` (its number of ratings),
      the "weighted-lambda" rule of ALS-WR (Zhou et al. 2008) and Spark. Typical lam: 0.05-0.2.
    - No ``lam`` at all: the validated defaults ``DEFAULTS`` (k = 50, weighted lam = 0.1,
      lam_bias = 3, 10 sweeps), chosen on ml-latest-small and MovieLens-shaped synthetic data
      (``tools/bench_mf.py --defaults`` prints the grid).
    - ``solver="direct"`` (exact: batched Cholesky; in NumPy LU from k = 25), ``"cg"`` (``cg_steps``
      conjugate-gradient steps warm-started from the previous sweep: no Gram matrix, O(nnz k)
      per step) or ``"auto"`` (direct for k < 20, where it is as fast; CG from k = 20 on).
    - ``dtype="float64"``, ``"float32"`` (half the memory and up to half the time; test RMSE
      within 1e-4 of float64, see ``make bench`` and the tests) or ``"auto"``: float64 for the
      direct solver (it then agrees with the loops to 1e-8), float32 for CG (its few steps leave
      an error far above float32's round-off). Apple's MPS has no float64 (torch refuses it
      there), so on an MPS device ``"auto"`` means float32 for both solvers, and an explicit
      ``"float64"`` runs in float32 with a warning; either way ``fit``'s info says so in its
      "note" (``normal_equations.choose_dtype``).
    """

    def __init__(self, train: Ratings, k: int = DEFAULTS["k"], lam: float | None = None, backend: str = "numpy", device=None,
                 lam_bias: float | None = None, weighted: bool | None = None, solver: str = "auto",
                 cg_steps: int = DEFAULTS["cg_steps"], dtype: str = "auto"):
        if not isinstance(train, Ratings):
            raise TypeError(f"train must be a Ratings object (got {type(train).__name__}): build one with "
                            "Ratings(users, items, ratings, n_users, n_items) or load_movielens()")
        device = check_device("device", device)
        self.k = check_count("k (the number of factors)", k, hint="try k=10")
        if lam is None:                                   # the validated defaults (see DEFAULTS)
            lam = DEFAULTS["lam"]
            weighted = DEFAULTS["weighted"] if weighted is None else weighted
            lam_bias = DEFAULTS["lam_bias"] if lam_bias is None else lam_bias
        self.lam = check_positive("lam", lam, hint=_LAM_HINT)
        self.lam_bias = self.lam if lam_bias is None else check_nonnegative("lam_bias", lam_bias, hint="try lam_bias=3")
        self.weighted = False if weighted is None else check_bool("weighted", weighted)
        self.backend = check_choice("backend", backend, ("numpy", "torch"))
        check_choice("solver", solver, ("auto",) + SOLVERS, hint="'direct' is exact, 'cg' is cheaper for large k")
        self.solver = solver if solver != "auto" else ("direct" if self.k < AUTO_CG_FROM_K else "cg")
        self.cg_steps = check_count("cg_steps", cg_steps, maximum=1000)
        check_choice("dtype", dtype, ("auto",) + DTYPES, hint="float32 halves memory and time; float64 agrees with the loops to 1e-8")
        asked_auto = dtype == "auto"
        dtype = AUTO_DTYPE[self.solver] if asked_auto else dtype
        self.train = train
        self.dtype, self.dtype_note = dtype, ""
        if backend == "torch":
            import torch

            self.device = torch.device(device or "cpu")
            self.dtype, self.dtype_note = choose_dtype(self.device.type, dtype)
            if self.dtype_note and not asked_auto:         # float64 asked for on MPS: say it is float32
                warnings.warn(self.dtype_note, stacklevel=2)
        else:
            self.device = None
        n_u, n_i = train.n_users, train.n_items
        # R holds the row number of each rating, so per-rating values can be laid out in CSR order.
        R = sp.csr_matrix((np.arange(len(train)) + 1.0, (train.users, train.items)), shape=(n_u, n_i))
        if R.nnz != len(train):
            raise ValueError("the training data holds the same (user, item) pair twice; keep one rating per pair")
        Rt = R.T.tocsr()
        self.sides = []
        for M, n_other in ((R, n_i), (Rt, n_u)):
            layout = row_blocks(M.indptr, self.k, block_elements=normal_equations.TORCH_BLOCK_ELEMENTS if backend == "torch" else None)
            self.sides.append({"layout": layout, "columns": M.indices.astype(np.int64), "order": M.data.astype(np.int64) - 1,
                               "n_other": n_other, "empty": np.flatnonzero(layout.counts == 0)})

    def fit(self, n_sweeps: int = DEFAULTS["n_sweeps"], model: FactorModel | None = None, seed: int = 0, track=None) -> tuple[FactorModel, dict]:
        """Run ``n_sweeps`` sweeps from ``model`` (default: ``init_model(train, k, seed)``).

        ``track(name, model)`` is called after each half-sweep ("b+U", then "c+V") if given, with
        a NumPy ``FactorModel`` (a copy). Returns the fitted model (float64 NumPy arrays) and
        ``{"seconds": wall-clock time of the sweeps, "sweep_seconds": [one per sweep],
        "sweep_cpu_seconds": [CPU time of this process per sweep], "dtype", "solver", "note"}``.
        Setting up the blocks and the arrays is not timed (nor is ``track``).
        """
        n_sweeps = check_count("n_sweeps", n_sweeps, minimum=0)
        seed = check_seed("seed", seed)
        if model is not None:
            check_instance("model", model, FactorModel, hint="a start such as init_model(train, k), or None")
        if track is not None:
            check_callable("track", track)
        m = (model or init_model(self.train, self.k, seed)).copy()
        if m.user_factors.shape != (self.train.n_users, self.k) or m.item_factors.shape != (self.train.n_items, self.k):
            raise ValueError(f"the starting model has factors of shape {m.user_factors.shape} and {m.item_factors.shape}; "
                             f"this ALS needs ({self.train.n_users}, {self.k}) and ({self.train.n_items}, {self.k})")
        ops = make_ops(self.backend, self.dtype, self.device)
        with _blas_threads(self.backend):
            return self._fit(ops, m, n_sweeps, track)

    def _fit(self, ops, m: FactorModel, n_sweeps: int, track):
        base = self.train.ratings - m.mu
        users, items = self.sides
        blocks = [prepare_blocks(ops, s["layout"], s["columns"], base[s["order"]], s["n_other"], self.lam, self.lam_bias,
                                 self.weighted) for s in (users, items)]
        # factors and biases with one extra zero row: the padding in every block points there
        U_ext, V_ext = (ops.array(np.vstack([f, np.zeros((1, self.k))])) for f in (m.user_factors, m.item_factors))
        B_ext, C_ext = (ops.array(np.append(b, 0.0)) for b in (m.user_bias, m.item_bias))
        U, V, B, C = U_ext[:-1], V_ext[:-1], B_ext[:-1], C_ext[:-1]
        for side, own, own_bias in ((users, U, B), (items, V, C)):
            own[side["empty"]] = 0.0                   # rows without ratings: zero factors, zero bias
            own_bias[side["empty"]] = 0.0
        to_numpy = lambda: FactorModel(ops.to_numpy(U), ops.to_numpy(V), ops.to_numpy(B), ops.to_numpy(C), m.mu)
        solve = dict(solver=self.solver, cg_steps=self.cg_steps)
        sync = _synchronizer(ops)
        sweep_seconds, sweep_cpu_seconds = [], []
        for _ in range(n_sweeps):
            sync()
            start, cpu_start = time.perf_counter(), time.process_time()
            update_side(ops, blocks[0], U, B, V_ext, C_ext, **solve)
            if track:
                sync()
                paused, cpu_paused = time.perf_counter(), time.process_time()
                track("b+U", to_numpy())
                start += time.perf_counter() - paused
                cpu_start += time.process_time() - cpu_paused
            update_side(ops, blocks[1], V, C, U_ext, B_ext, **solve)
            sync()
            sweep_seconds.append(time.perf_counter() - start)
            sweep_cpu_seconds.append(time.process_time() - cpu_start)
            track and track("c+V", to_numpy())
        info = {"seconds": float(sum(sweep_seconds)), "sweep_seconds": sweep_seconds, "sweep_cpu_seconds": sweep_cpu_seconds,
                "dtype": self.dtype, "solver": self.solver, "note": self.dtype_note}
        return to_numpy(), info


_LAM_HINT = ("λ = 0 makes each normal-equation matrix singular for users or items with fewer ratings than "
             "factors; try lam=5 (or lam=0.1 with weighted=True)")


def _synchronizer(ops):
    if ops.name == "torch" and ops.device.type == "cuda":
        return ops.torch.cuda.synchronize
    return lambda: None


_THREADPOOLS = []


def _blas_threads(backend: str):
    """NumPy's BLAS limited to the course's thread count for the fit (torch's count, set by
    ``course_utils.threads``): a multi-threaded BLAS on a busy machine can be 10x slower."""
    if backend != "numpy":
        return contextlib.nullcontext()
    import torch
    from threadpoolctl import ThreadpoolController

    if not _THREADPOOLS:                                  # finding the libraries takes ~0.4 ms: once
        _THREADPOOLS.append(ThreadpoolController())
    return _THREADPOOLS[0].limit(limits=torch.get_num_threads(), user_api="blas")


def fit_biases(train: Ratings, lam_bias: float = 3.0, n_sweeps: int = 10) -> FactorModel:
    """The bias-only baseline r_hat = mu + b_i + c_j (no factors), by the same alternating
    updates as ALS. It is what a factor model falls back to, and what it must beat."""
    check_ratings("train", train)
    lam_bias = check_nonnegative("lam_bias", lam_bias, hint="try lam_bias=3")
    n_sweeps = check_count("n_sweeps", n_sweeps, minimum=0)
    mu = float(train.ratings.mean())
    b, c = np.zeros(train.n_users), np.zeros(train.n_items)
    n_u = np.bincount(train.users, minlength=train.n_users)
    n_i = np.bincount(train.items, minlength=train.n_items)
    for _ in range(n_sweeps):
        b = np.bincount(train.users, train.ratings - mu - c[train.items], train.n_users) / (n_u + lam_bias)
        c = np.bincount(train.items, train.ratings - mu - b[train.users], train.n_items) / (n_i + lam_bias)
    return FactorModel(np.zeros((train.n_users, 1)), np.zeros((train.n_items, 1)), b, c, mu)


def fold_in_user(model: FactorModel, items, ratings, lam: float, lam_bias: float | None = None) -> tuple[np.ndarray, float]:
    r"""A new user's factors and bias from their ratings alone, the item side held fixed.

    With V_s (n, k) the rated items' factors and y = r - mu - c (n,) what is left to explain,
    the user's share of J is a ridge regression in (u, b)::

        min_{u, b}  ||y - V_s u - b 1||^2 + lam ||u||^2 + lam_bias b^2

    Augment the design with a column of ones, X = [V_s | 1] (n, k + 1), and the penalty with
    P = diag(lam, ..., lam, lam_bias); then (u, b) = (X^T X + P)^{-1} X^T y: one (k + 1) x (k + 1)
    solve, no retraining and no iterations. Online recommendation: a user who just signed up
    gets predictions at once. Returns ``(u (k,), b)``.
    """
    check_instance("model", model, FactorModel, hint="a trained model, e.g. ALS(train, k, lam).fit()[0]")
    lam = check_nonnegative("lam", lam)
    lam_bias = lam if lam_bias is None else check_nonnegative("lam_bias", lam_bias)
    items = check_ids("items", items, len(model.item_bias), what="item",
                      hint="fold in only items the trained model knows")
    ratings = check_array("ratings", ratings, ndim=1)
    check_same_length(items=items, ratings=ratings)
    X = np.c_[model.item_factors[items], np.ones(len(items))]          # (n, k + 1)
    y = ratings - model.mu - model.item_bias[items]                     # (n,)
    penalty = np.r_[np.full(X.shape[1] - 1, lam), lam_bias]
    if min(lam, lam_bias) == 0 and np.linalg.matrix_rank(X) < X.shape[1]:
        raise ValueError(f"with lam={lam:g} and lam_bias={lam_bias:g} the {len(items)} ratings cannot pin down "
                         f"{X.shape[1]} unknowns; use lam > 0 and lam_bias > 0 (the prior) or more ratings")
    solution = np.linalg.solve(X.T @ X + np.diag(penalty), X.T @ y)
    return solution[:-1], float(solution[-1])


def select_lambda(train: Ratings, k: int, lams=(3.0, 5.0, 10.0, 15.0, 20.0), lam_bias: float = 3.0, n_sweeps: int = 15,
                  valid_fraction: float = 0.1, seed: int = 1, **als_options) -> tuple[float, dict]:
    """Pick lam by validation RMSE on a split of the *training* ratings (never the test set).
    Returns the best lam and {lam: validation RMSE}. ``als_options`` go to ``ALS`` (e.g.
    ``weighted=True`` with lams like (0.05, 0.1, 0.15), or ``dtype="float32"``)."""
    from .ratings import split_ratings

    check_ratings("train", train)
    lams = [check_positive("lams", lam, hint=_LAM_HINT) for lam in check_array("lams", lams, ndim=1, allow_empty=True).tolist()]
    lam_bias = check_nonnegative("lam_bias", lam_bias, hint="try lam_bias=3")
    valid_fraction = check_fraction("valid_fraction", valid_fraction, hint="the share of training ratings held out, e.g. 0.1")
    if not lams:
        raise ValueError("lams must hold at least one value to try, e.g. lams=(5.0, 10.0, 20.0)")
    fit_part, valid_part = split_ratings(train, valid_fraction, seed)
    scores = {float(lam): rmse(ALS(fit_part, k, lam, lam_bias=lam_bias, **als_options).fit(n_sweeps)[0], valid_part) for lam in lams}
    return min(scores, key=scores.get), scores
