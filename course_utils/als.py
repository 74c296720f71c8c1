r"""Alternating least squares for ratings, with biases and L2 regularization (notebook 05).

Model: r_hat_ij = u_i . v_j + b_i + c_j + mu, mu the global mean of the training ratings.
Loss over the observed set Omega:

    J = sum_{(i,j) in Omega} (r_ij - r_hat_ij)^2 + lam (||U||_F^2 + ||V||_F^2 + ||b||^2 + ||c||^2)

Setting each block's derivative to zero gives the closed-form updates, applied in the
order b, U, c, V (each an exact minimization, so J never increases)::

    b_i = sum_{j in Omega_i} (r_ij - u_i . v_j - c_j - mu) / (|Omega_i| + lam)
    u_i = (sum_{j in Omega_i} v_j v_j^T + lam I)^{-1} sum_{j in Omega_i} (r_ij - b_i - c_j - mu) v_j
    c_j = sum_{i in Omega_j} (r_ij - u_i . v_j - b_i - mu) / (|Omega_j| + lam)
    v_j = (sum_{i in Omega_j} u_i u_i^T + lam I)^{-1} sum_{i in Omega_j} (r_ij - b_i - c_j - mu) u_i

lam > 0 is a Gaussian prior N(0, 1/lam) on every parameter, and it keeps the K x K
matrices invertible for users or items with fewer than K ratings.

Three implementations of one sweep, which agree to round-off from the same start:
``als_sweep_loops`` (the formulas as loops over dictionaries, one solve per row),
``ALS`` with ``backend="numpy"`` (all normal equations at once: a sparse indicator
matrix times per-item outer products, then one batched solve) and ``backend="torch"``
(the same on a torch device, CPU or GPU).
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .ratings import Ratings
from .validation import check_array, check_ids, check_nonnegative, check_same_length


@dataclass
class FactorModel:
    """Parameters of the biased factor model; shapes (n_users, k), (n_items, k), (n_users,), (n_items,)."""

    user_factors: np.ndarray
    item_factors: np.ndarray
    user_bias: np.ndarray
    item_bias: np.ndarray
    mu: float

    def predict(self, users, items, clip: tuple | None = None) -> np.ndarray:
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
    pred = model.predict(data.users, data.items, clip=data.scale if clip else None)
    return float(np.sqrt(np.mean((pred - data.ratings) ** 2)))


def objective(model: FactorModel, data: Ratings, lam: float, lam_bias: float | None = None) -> float:
    """The ALS loss J: squared error on the observed ratings, plus lam times the factors' squared
    norms and lam_bias (default: lam) times the biases' squared norms."""
    lam_bias = lam if lam_bias is None else lam_bias
    err = data.ratings - model.predict(data.users, data.items)
    factors = float(np.sum(model.user_factors**2) + np.sum(model.item_factors**2))
    biases = float(model.user_bias @ model.user_bias + model.item_bias @ model.item_bias)
    return float(err @ err + lam * factors + lam_bias * biases)


def init_model(data: Ratings, k: int, seed: int = 0) -> FactorModel:
    """The tutorial's start: factors N(0, 1) / k, biases 0, mu = mean training rating."""
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
    by_user, by_item = {}, {}
    for i, j, r in zip(data.users.tolist(), data.items.tolist(), data.ratings.tolist()):
        by_user.setdefault(i, []).append((j, r))
        by_item.setdefault(j, []).append((i, r))
    return by_user, by_item


def als_sweep_loops(m: FactorModel, by_user: dict, by_item: dict, lam: float, after_block=None) -> None:
    """One sweep written as the tutorial's loops, in place. ``after_block(name)`` is called
    after each of the four blocks (b, U, c, V), e.g. to record the loss."""
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
class ALS:
    """Vectorized ALS on one training set.

    ``backend="numpy"``: scipy.sparse + numpy. ``backend="torch"``: torch tensors on ``device``
    (float64), sparse CSR products and ``torch.linalg.solve``. Rows without ratings keep zero
    factors and zero bias (cold start: the prediction falls back to mu plus the other bias).

    One side (say users, with S the users x items 0/1 matrix of observed pairs) costs three
    sparse products and one batched solve, with no loop over users::

        SV   = S @ V                      sum of v_j over each user's items          (n_users, k)
        b    = (rowsum(w) - u . SV) / (n_i + lam),  w_ij = r_ij - mu - c_j
        rhs  = S_w @ V - b * SV           sum of (r_ij - b_i - c_j - mu) v_j         (n_users, k)
        A    = S @ [v_j v_j^T] + lam I    all normal matrices at once                (n_users, k, k)
        U    = solve(A, rhs)

    (only the k(k+1)/2 distinct entries of each symmetric v_j v_j^T go through the product).
    The NumPy backend also splits S_w = S_base - S diag(c), with S_base holding the constant
    r_ij - mu, so a single product S @ [V | c V | c | v v^T] does all per-rating work per side.
    """

    def __init__(self, train: Ratings, k: int = 10, lam: float = 5.0, backend: str = "numpy", device=None,
                 lam_bias: float | None = None, weighted: bool = False):
        if backend not in ("numpy", "torch"):
            raise ValueError(f"backend must be 'numpy' or 'torch'; got {backend!r}")
        self.train, self.k, self.lam, self.backend = train, int(k), _check_lam(lam), backend
        self.lam_bias = self.lam if lam_bias is None else _check_lam(lam_bias)
        self.weighted = bool(weighted)
        init_model(train, k)  # validates k
        n_u, n_i = train.n_users, train.n_items
        # R holds the row number of each rating, so per-rating values can be laid out in CSR order.
        R = sp.csr_matrix((np.arange(len(train)) + 1.0, (train.users, train.items)), shape=(n_u, n_i))
        if R.nnz != len(train):
            raise ValueError("the training data holds the same (user, item) pair twice; keep one rating per pair")
        Rt = R.T.tocsr()
        self.upper = np.triu_indices(self.k)
        position = np.zeros((self.k, self.k), dtype=np.int64)        # where each (i, j) sits in the upper list
        position[self.upper] = np.arange(len(self.upper[0]))
        self.upper_index = np.maximum(position, position.T).ravel()
        self.sides = []
        for M, n_rows in ((R, n_u), (Rt, n_i)):
            order = M.data.astype(np.int64) - 1
            self.sides.append({"indptr": M.indptr, "indices": M.indices, "order": order, "shape": (n_rows, M.shape[1]),
                               "counts": np.diff(M.indptr).astype(np.float64),
                               "S": sp.csr_matrix((np.ones(M.nnz), M.indices, M.indptr), shape=M.shape)})
        if backend == "torch":
            import torch

            self.torch, self.device = torch, torch.device(device or "cpu")
            for side in self.sides:
                t = lambda a: torch.as_tensor(a, device=self.device)
                side["t_indptr"], side["t_indices"], side["t_order"] = t(side["indptr"]), t(side["indices"]), t(side["order"])
                side["t_counts"] = t(side["counts"])
                with torch.sparse.check_sparse_tensor_invariants(False), warnings.catch_warnings():
                    warnings.filterwarnings("ignore", message="Sparse CSR tensor support is in beta")
                    side["t_S"] = torch.sparse_csr_tensor(side["t_indptr"], side["t_indices"],
                                                          torch.ones(len(side["order"]), dtype=torch.float64, device=self.device),
                                                          size=side["shape"])
            self.t_upper = tuple(torch.as_tensor(u, device=self.device) for u in self.upper)

    def _solve_side_numpy(self, side, S_base, row_sum_base, own, other, own_bias, other_bias):
        """One side in NumPy. With w_ij = (r_ij - mu) - c_j, every per-rating sum splits into a
        constant part (S_base holds r_ij - mu) and a part through the 0/1 matrix S, so one sparse
        product S @ [V | c V | c | upper(v v^T)] does all the per-rating work."""
        k, (iu, ju) = self.k, self.upper
        counts = side["counts"]
        packed = side["S"] @ np.hstack([other, other_bias[:, None] * other, other_bias[:, None], other[:, iu] * other[:, ju]])
        SV, ScV, Sc, A_upper = packed[:, :k], packed[:, k : 2 * k], packed[:, 2 * k], packed[:, 2 * k + 1 :]
        own_bias[:] = (row_sum_base - Sc - np.einsum("nk,nk->n", own, SV)) / (counts + self.lam_bias)
        rhs = S_base @ other - ScV - own_bias[:, None] * SV
        A = A_upper[:, self.upper_index].reshape(-1, k, k)
        A[:, range(k), range(k)] += (self.lam * np.maximum(counts, 1))[:, None] if self.weighted else self.lam
        has = counts > 0
        if has.all():
            own[:] = np.linalg.solve(A, rhs[:, :, None])[:, :, 0]
        else:
            own[:] = 0.0
            own[has] = np.linalg.solve(A[has], rhs[has][:, :, None])[:, :, 0]
        own_bias[~has] = 0.0

    def _solve_side_torch(self, side, base_sorted, own, other, own_bias, other_bias):
        torch, k = self.torch, self.k
        iu, ju = self.t_upper
        counts = side["t_counts"]
        SV = side["t_S"] @ other
        w = base_sorted - other_bias[side["t_indices"]]
        with torch.sparse.check_sparse_tensor_invariants(False):
            S_w = torch.sparse_csr_tensor(side["t_indptr"], side["t_indices"], w, size=side["shape"])
        row_sum_w = S_w @ torch.ones(other.shape[0], 1, dtype=w.dtype, device=w.device)
        own_bias.copy_((row_sum_w[:, 0] - (own * SV).sum(dim=1)) / (counts + self.lam_bias))
        rhs = S_w @ other - own_bias[:, None] * SV
        A_upper = side["t_S"] @ (other[:, iu] * other[:, ju])
        A = torch.empty(own.shape[0], k, k, dtype=own.dtype, device=own.device)
        A[:, iu, ju] = A_upper
        A[:, ju, iu] = A_upper
        A.diagonal(dim1=1, dim2=2).add_((self.lam * counts.clamp(min=1))[:, None] if self.weighted else self.lam)
        has = counts > 0
        own.zero_()
        own[has] = torch.linalg.solve(A[has], rhs[has])
        own_bias[~has] = 0.0

    def fit(self, n_sweeps: int = 15, model: FactorModel | None = None, seed: int = 0, track=None) -> tuple[FactorModel, dict]:
        """Run ``n_sweeps`` sweeps from ``model`` (default: ``init_model(train, k, seed)``).

        ``track(name, model)`` is called after each half-sweep ("b+U", then "c+V") if given, with
        a NumPy ``FactorModel`` (copied from the device for the torch backend). Returns the
        fitted model and ``{"seconds": wall-clock time of the sweeps}``.
        """
        if isinstance(n_sweeps, bool) or not isinstance(n_sweeps, int) or n_sweeps < 0:
            raise ValueError(f"n_sweeps must be a whole number >= 0; got {n_sweeps!r}")
        m = (model or init_model(self.train, self.k, seed)).copy()
        if m.user_factors.shape[1] != self.k:
            raise ValueError(f"the starting model has {m.user_factors.shape[1]} factors, this ALS has k = {self.k}")
        base = self.train.ratings - m.mu
        if self.backend == "numpy":
            return self._fit_numpy(m, base, n_sweeps, track)
        return self._fit_torch(m, base, n_sweeps, track)

    def _fit_numpy(self, m, base, n_sweeps, track):
        users, items = self.sides
        start = time.perf_counter()
        constants = []                                              # S_base (r - mu in CSR order) and its row sums
        for side in (users, items):
            S_base = sp.csr_matrix((base[side["order"]], side["indices"], side["indptr"]), shape=side["shape"])
            constants.append((S_base, np.asarray(S_base.sum(axis=1)).ravel()))
        for _ in range(n_sweeps):
            self._solve_side_numpy(users, *constants[0], m.user_factors, m.item_factors, m.user_bias, m.item_bias)
            track and track("b+U", m)
            self._solve_side_numpy(items, *constants[1], m.item_factors, m.user_factors, m.item_bias, m.user_bias)
            track and track("c+V", m)
        return m, {"seconds": time.perf_counter() - start}

    def _fit_torch(self, m, base, n_sweeps, track):
        torch = self.torch
        t = lambda a: torch.as_tensor(np.ascontiguousarray(a), dtype=torch.float64, device=self.device).clone()
        users, items = self.sides
        U, V, B, C = t(m.user_factors), t(m.item_factors), t(m.user_bias), t(m.item_bias)
        base_u, base_i = t(base[users["order"]]), t(base[items["order"]])
        to_numpy = lambda: FactorModel(U.cpu().numpy(), V.cpu().numpy(), B.cpu().numpy(), C.cpu().numpy(), m.mu)
        sync = torch.cuda.synchronize if self.device.type == "cuda" else (lambda: None)
        sync()
        start = time.perf_counter()
        for _ in range(n_sweeps):
            self._solve_side_torch(users, base_u, U, V, B, C)
            track and track("b+U", to_numpy())
            self._solve_side_torch(items, base_i, V, U, C, B)
            track and track("c+V", to_numpy())
        sync()
        return to_numpy(), {"seconds": time.perf_counter() - start}


def fit_biases(train: Ratings, lam_bias: float = 3.0, n_sweeps: int = 10) -> FactorModel:
    """The bias-only baseline r_hat = mu + b_i + c_j (no factors), by the same alternating
    updates as ALS. It is what a factor model falls back to, and what it must beat."""
    lam_bias = _check_lam(lam_bias)
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
                  valid_fraction: float = 0.1, seed: int = 1) -> tuple[float, dict]:
    """Pick lam by validation RMSE on a split of the *training* ratings (never the test set).
    Returns the best lam and {lam: validation RMSE}."""
    from .ratings import split_ratings

    fit_part, valid_part = split_ratings(train, valid_fraction, seed)
    scores = {float(lam): rmse(ALS(fit_part, k, lam, lam_bias=lam_bias).fit(n_sweeps)[0], valid_part) for lam in lams}
    return min(scores, key=scores.get), scores
