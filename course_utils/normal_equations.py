r"""Each row's ALS normal equations, formed and solved fast: the engine behind ``als.ALS``.

One ALS half-sweep (users, say; items are the same with the roles swapped) solves, for every
user i with ratings Omega_i, a K x K system with the other side (V, c) held fixed::

    X_i = [v_j]_{j in Omega_i}                  the factors of the items i rated    (n_i, k)
    w_i = [r_ij - mu - c_j]_{j in Omega_i}      what the user's terms must explain  (n_i,)
    b_i = (sum(w_i) - u_i . X_i^T 1) / (n_i + lam_bias)         bias first (old u_i)
    (X_i^T X_i + lam_i I) u_i = X_i^T (w_i - b_i)               then the factors

with lam_i = lam, or lam * n_i for weighted-lambda regularization (ALS-WR, Spark's rule).

How the work is laid out (``row_blocks``): rows are sorted by their number of ratings and
cut into blocks of rows with similar counts (padding bounded by 25 % of a block's ratings, or
by what one more block would cost); each block's X_i are gathered into one padded array of
shape (rows, L, k), padding rows being zeros (they add nothing to any sum). Then a block costs
a few batched matrix products, with no Python loop over rows and no nnz x K^2 intermediate:

- ``solver="direct"``: X^T X for the whole block in one batched product (nnz K^2 work); the
  systems of several blocks are then solved together by a batched Cholesky factorization
  (K^3/3 per row): torch's, or in NumPy ``cholesky_solve_columns`` (one column at a time
  across all the systems; NumPy's own stacked solver calls LAPACK once per system, which
  costs more than the arithmetic for small K) up to K = 24 and LAPACK's LU above.
  Cost per sweep: O(nnz K^2 + (M + N) K^3).
- ``solver="cg"``: a few conjugate-gradient steps (Takacs, Pilaszy & Tikk 2011; the method
  ``implicit`` uses), started from the previous sweep's u_i. A CG step needs only the
  products X_i p and X_i^T q, never the Gram matrix: O(nnz K) per step, O(nnz K steps) per
  sweep. Each step lowers the row's quadratic, so the ALS objective still never goes up. The
  solve is inexact, but CG leaves u_i unchanged only when u_i already solves its system, so
  where CG sweeps settle, direct sweeps would stay.

Both backends (``NumpyOps``, ``TorchOps``) run the same code (``update_side``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .validation import check_array, check_choice, check_count, check_number, check_text

# The public API: what a reader may call. The kernels (NumpyOps, TorchOps) and the per-block
# steps (prepare_blocks, update_side) are the engine's internals, called by als.ALS.
__all__ = ["SOLVERS", "DTYPES", "AUTO_DTYPE", "choose_dtype", "row_blocks"]

SOLVERS = ("direct", "cg")
DTYPES = ("float64", "float32")
# dtype="auto": float64 for direct solves (exact: they agree with the loops to 1e-8), float32 for
# CG, whose few steps leave an error far above float32's round-off and which is memory-bound,
# so half the bytes is nearly half the time.
AUTO_DTYPE = {"direct": "float64", "cg": "float32"}
BLOCK_ELEMENTS = 1 << 20      # numbers per gathered block (rows x L x k): 8 MB in float64. Blocks of 1 << 17 (1 MiB, a core's
                              # L2 cache) were faster on 1M ratings at K = 10 (0.86 s vs 1.2 s per fit), but made notebook 05's
                              # cost-model fit unstable on a loaded machine (per-block costs dominated; CG alpha fell to 0.32)
TORCH_BLOCK_ELEMENTS = 1 << 20   # torch: each call costs several microseconds (and a kernel launch on a GPU), so large blocks
ROW_LENGTH_GROWTH = 1.25      # padding of at most 25 % of a block's ratings ...
BLOCK_OVERHEAD_ELEMENTS = 1 << 15   # ... or, if more, what a block's fixed cost (~20 NumPy calls) is worth in numbers
COLUMN_CHOLESKY_MAX_K = 24    # NumPy direct solves: column-by-column batched Cholesky up to this K, LAPACK LU above
SOLVE_ELEMENTS = 1 << 22      # direct solver: systems are collected across blocks and solved together, up to this many numbers


@dataclass
class RowBlocks:
    """One side's ratings laid out for batched solves.

    ``blocks``: a list of ``(rows, positions)``; ``rows`` (b,) are row indices, ``positions``
    (b, L) index the side's CSR-ordered ratings, padded with ``nnz`` (a sentinel that the
    caller maps to a zero row). Rows without ratings are in no block.
    ``counts`` (n_rows,): ratings per row. ``padding``: padded slots / ratings.
    """

    blocks: list
    counts: np.ndarray
    nnz: int
    padding: float


def row_blocks(indptr, k: int, block_elements: int | None = None, growth: float = ROW_LENGTH_GROWTH,
               overhead_elements: int | None = None) -> RowBlocks:
    """Group the rows of a CSR layout (``indptr``, shape (n_rows + 1,)) into padded blocks.

    Rows are sorted by count, and each block takes the next rows for as long as (a) its
    padding, in numbers (padded slots times k), stays below the larger of ``overhead_elements``
    (what one more block would cost in fixed overhead, default ``BLOCK_OVERHEAD_ELEMENTS``) and
    ``growth - 1`` times its ratings' numbers, and (b) it holds at most ``block_elements``
    numbers (default ``BLOCK_ELEMENTS``) unless it is a single row.
    """
    indptr = check_array("indptr", indptr, ndim=1, dtype=None, hint="a CSR matrix's indptr, shape (n_rows + 1,)")
    if not np.issubdtype(indptr.dtype, np.integer) or indptr[0] != 0 or np.any(np.diff(indptr) < 0):
        raise ValueError(f"indptr must be whole numbers starting at 0 and never decreasing, like a CSR matrix's indptr "
                         f"(got {indptr[:5]}...)")
    indptr = indptr.astype(np.int64, copy=False)
    growth = check_number("growth", growth, low=1.0, hint="1.25 allows padding of 25 % of a block's ratings")
    if overhead_elements is not None:
        overhead_elements = check_count("overhead_elements", overhead_elements, minimum=0)
    k = check_count("k", k)
    block_elements = check_count("block_elements", BLOCK_ELEMENTS if block_elements is None else block_elements)
    overhead = BLOCK_OVERHEAD_ELEMENTS if overhead_elements is None else overhead_elements
    counts = np.diff(indptr)
    order = np.argsort(counts, kind="stable")
    order = order[counts[order] > 0]
    sorted_counts = counts[order]
    cumulative = np.concatenate([[0], np.cumsum(sorted_counts)])
    nnz = int(indptr[-1])
    blocks, start, padded = [], 0, 0
    while start < len(order):
        ends = np.arange(start + 1, len(order) + 1)
        longest = sorted_counts[ends - 1]
        size = (ends - start) * longest                                   # padded slots if the block ended there
        real = cumulative[ends] - cumulative[start]
        fits = ((size - real) * k <= np.maximum(overhead, (growth - 1) * real * k)) & (size * k <= block_elements)
        fits[0] = True
        too_far = np.flatnonzero(~fits)
        end = int(ends[too_far[0] - 1]) if too_far.size else len(order)
        rows = order[start:end]
        offsets = np.arange(int(sorted_counts[end - 1]))
        positions = indptr[rows][:, None] + offsets[None, :]
        positions = np.where(offsets[None, :] < counts[rows][:, None], positions, nnz)
        blocks.append((rows, positions))
        padded += positions.size
        start = end
    return RowBlocks(blocks, counts, nnz, padded / nnz - 1 if nnz else 0.0)


# ----------------------------------------------------------------------------- backends
class NumpyOps:
    """Batched kernels on NumPy arrays (BLAS matrix products; Cholesky by columns for small K, LAPACK LU above)."""

    name = "numpy"

    def __init__(self, dtype: str = "float64"):
        self.dtype = np.dtype(dtype)

    def array(self, a, dtype=None):
        return np.ascontiguousarray(a, dtype=self.dtype if dtype is None else dtype)

    def index(self, a):
        return np.ascontiguousarray(a, dtype=np.intp)

    def to_numpy(self, a):
        return np.asarray(a, dtype=np.float64)

    def gather(self, table, idx):                      # table[idx], idx of any shape
        return np.take(table, idx, axis=0)

    def gather1d(self, vector, idx):                   # vector[idx] for a 1-D vector
        return np.take(vector, idx)

    def difference_and_ones(self, a, b):                # (b, L) each -> (b, 2, L): rows a - b and ones
        out = np.empty((a.shape[0], 2, a.shape[1]), dtype=self.dtype)
        np.subtract(a, b, out=out[:, 0])
        out[:, 1] = 1.0
        return out

    def gram(self, X):                                  # (b, L, k) -> (b, k, k)
        return np.matmul(X.transpose(0, 2, 1), X)

    def wx(self, W, X):                                 # W X: (b, m, L), (b, L, k) -> (b, m, k)
        return np.matmul(W, X)

    def xv(self, X, p):                                 # X p: (b, L, k), (b, k) -> (b, L)
        return np.matmul(X, p[:, :, None])[:, :, 0]


    def add_diagonal(self, A, values):                  # A[:, i, i] += values[:, None] (in place)
        A.reshape(A.shape[0], -1)[:, :: A.shape[1] + 1] += values[:, None]
        return A

    def solve_spd_many(self, systems):                 # [(A (b, k, k), rhs (b, k)), ...] -> x (sum b, k)
        if systems[0][1].shape[1] <= COLUMN_CHOLESKY_MAX_K:
            return cholesky_solve_many(systems)
        return _lu_solve(np.concatenate([A for A, _ in systems]), np.concatenate([r for _, r in systems]))

    def rowdot(self, a, b):
        return np.einsum("bk,bk->b", a, b)

    def concat(self, arrays):
        return np.concatenate(arrays)


class TorchOps:
    """The same kernels in torch on ``device`` (batched matmul, batched Cholesky)."""

    name = "torch"

    def __init__(self, dtype: str = "float64", device=None):
        import torch

        self.torch = torch
        self.device = torch.device(device or "cpu")
        self.dtype = getattr(torch, dtype)

    def array(self, a, dtype=None):
        return self.torch.as_tensor(np.ascontiguousarray(a), dtype=self.dtype if dtype is None else dtype, device=self.device)

    def index(self, a):
        return self.torch.as_tensor(np.ascontiguousarray(a, dtype=np.int64), device=self.device)

    def to_numpy(self, a):
        return a.detach().to("cpu", self.torch.float64).numpy()

    def gather(self, table, idx):
        return table.index_select(0, idx.reshape(-1)).reshape(*idx.shape, table.shape[1])

    def gather1d(self, vector, idx):
        return vector.index_select(0, idx.reshape(-1)).reshape(idx.shape)

    def difference_and_ones(self, a, b):
        return self.torch.stack((a - b, self.torch.ones_like(a)), dim=1)

    def gram(self, X):
        return self.torch.bmm(X.transpose(1, 2), X)

    def wx(self, W, X):
        return self.torch.bmm(W, X)

    def xv(self, X, p):
        return self.torch.bmm(X, p.unsqueeze(2))[:, :, 0]


    def add_diagonal(self, A, values):
        A.diagonal(dim1=1, dim2=2).add_(values[:, None])
        return A

    def solve_spd_many(self, systems):
        torch = self.torch
        A, rhs = systems[0] if len(systems) == 1 else (torch.cat([A for A, _ in systems]), torch.cat([r for _, r in systems]))
        factor, info = torch.linalg.cholesky_ex(A)
        if bool((info > 0).any()):                        # not positive definite in this precision: LU instead
            return torch.linalg.solve(A, rhs)
        return torch.cholesky_solve(rhs.unsqueeze(2), factor)[:, :, 0]

    def rowdot(self, a, b):
        return (a * b).sum(dim=1)

    def concat(self, arrays):
        return self.torch.cat(arrays)


def cholesky_solve_columns(A, rhs):
    """Solve the symmetric positive-definite systems A[n] x[n] = rhs[n] for every n at once.

    ``A`` (n, k, k), ``rhs`` (n, k); returns x (n, k). A Cholesky factorization A = L L^T,
    then L y = rhs and L^T x = y, written one column at a time with the n systems along the
    last, contiguous axis: about 4k NumPy calls in all, each on arrays of n numbers or more.
    NumPy's ``np.linalg.solve`` on a stack instead calls LAPACK once per system; for small k
    that per-call overhead dominates and this is 2-6x faster (K <= ``COLUMN_CHOLESKY_MAX_K``).
    A system that is not positive definite in this precision falls back to LU for all.
    """
    return cholesky_solve_many([(A, rhs)])


def cholesky_solve_many(systems):
    """``cholesky_solve_columns`` for several stacks at once: ``systems`` is a list of
    ``(A (b, k, k), rhs (b, k))``; returns x (sum of b, k). Each stack is copied once, straight
    into the batch-last layout (the inputs are left as they were)."""
    k, n = systems[0][1].shape[1], sum(len(rhs) for _, rhs in systems)
    dtype = np.result_type(*(A for A, _ in systems))
    A_t, rhs_t = np.empty((k, k, n), dtype=dtype), np.empty((k, n), dtype=dtype)
    start = 0
    for A, rhs in systems:
        A_t[:, :, start:start + len(rhs)] = A.transpose(1, 2, 0)
        rhs_t[:, start:start + len(rhs)] = rhs.T
        start += len(rhs)
    x_t = _cholesky_solve_batch_last(A_t, rhs_t)
    if x_t is None:                                          # not positive definite in this precision: LU for all
        return _lu_solve(np.concatenate([A for A, _ in systems]), np.concatenate([r for _, r in systems]))
    return np.ascontiguousarray(x_t.T)


def _lu_solve(A, rhs):
    """NumPy's stacked LU solver (LAPACK once per system): A (n, k, k), rhs (n, k) -> x (n, k)."""
    return np.linalg.solve(A, rhs[:, :, None])[:, :, 0]


def _cholesky_solve_batch_last(L, y):
    """``cholesky_solve_columns`` on the batch-last layout, in place: ``L`` (k, k, n) holds the
    matrices (its lower triangle is overwritten by the factors), ``y`` (k, n) the right-hand
    sides (overwritten by the solutions, which are returned). None if a pivot is not positive."""
    k = L.shape[0]
    for j in range(k):
        if j:
            L[j:, j] -= np.einsum("ipn,pn->in", L[j:, :j], L[j, :j])
        if not np.all(L[j, j] > 0):
            return None
        L[j:, j] /= np.sqrt(L[j, j])
    for j in range(k):                                       # L y = rhs
        if j:
            y[j] -= np.einsum("pn,pn->n", L[j, :j], y[:j])
        y[j] /= L[j, j]
    for j in reversed(range(k)):                             # L^T x = y
        if j + 1 < k:
            y[j] -= np.einsum("pn,pn->n", L[j + 1:, j], y[j + 1:])
        y[j] /= L[j, j]
    return y


def make_ops(backend: str, dtype: str = "float64", device=None):
    """The kernels for ``backend`` ("numpy" or "torch") in ``dtype`` ("float64" or "float32")."""
    check_choice("backend", backend, ("numpy", "torch"))
    check_choice("dtype", dtype, DTYPES, hint="float32 halves memory and time; float64 agrees with the loops to 1e-8")
    return NumpyOps(dtype) if backend == "numpy" else TorchOps(dtype, device)


def choose_dtype(device_type: str, dtype: str = "float64") -> tuple[str, str]:
    """The dtype torch ALS will use on a device of type ``device_type`` ("cpu", "cuda", "mps"),
    and a note saying why when it differs from the one asked for.

    Apple's MPS backend has no float64, so float64 becomes float32 there (with the note);
    CPU and CUDA keep what was asked.
    """
    check_text("device_type", device_type, hint='a torch device type such as "cpu", "cuda" or "mps"')
    check_choice("dtype", dtype, DTYPES)
    if device_type == "mps" and dtype == "float64":
        return "float32", ("MPS has no float64: torch ALS runs in float32 on this device, so it agrees with "
                           "the float64 NumPy version to about 1e-5 relative, not 1e-8")
    return dtype, ""


# ----------------------------------------------------------------------------- one half-sweep
def prepare_blocks(ops, layout: RowBlocks, columns, values, n_other: int, lam: float, lam_bias: float,
                   weighted: bool = False):
    """Per block, everything that stays fixed during a fit, in the backend's arrays.

    ``columns`` (nnz,): the other side's index of each rating in CSR order; ``values`` (nnz,):
    r - mu in the same order. Padding points at column ``n_other`` (a zero row the caller
    appends to the other side's factors) with value 0. Each block also gets its rows'
    ``counts + lam_bias`` (the bias update's denominator) and penalty (lam, or lam * count).
    """
    col_ext = np.append(columns, n_other)
    val_ext = np.append(values, 0.0)
    prepared = []
    for rows, positions in layout.blocks:
        counts = layout.counts[rows].astype(np.float64)
        reg = lam * counts if weighted else np.full(len(rows), float(lam))
        prepared.append({"rows": ops.index(rows), "cols": ops.index(col_ext[positions]), "base": ops.array(val_ext[positions]),
                         "denominator": ops.array(counts + lam_bias), "reg": ops.array(reg)})
    return prepared


def update_side(ops, blocks, own, own_bias, other_ext, other_bias_ext, solver: str = "direct", cg_steps: int = 3) -> None:
    """One half-sweep in place: bias, then factors, for every row that has ratings.

    ``blocks``: from ``prepare_blocks``. ``own`` (n_rows, k) and ``own_bias`` (n_rows,) are
    overwritten; ``other_ext`` (n_other + 1, k) and ``other_bias_ext`` (n_other + 1,) end in a
    zero row/entry for the padding.
    """
    pending = []                                       # direct solver: (rows, Gram + penalty, rhs), solved together
    pending_elements = 0
    for block in blocks:
        rows = block["rows"]
        X = ops.gather(other_ext, block["cols"])                               # (b, L, k), zero rows on padding
        weights = ops.difference_and_ones(block["base"], ops.gather1d(other_bias_ext, block["cols"]))
        w = weights[:, 0]                                                      # (b, L), 0 on padding
        sums = ops.wx(weights, X)                                              # (b, 2, k): w^T X and 1^T X
        Xw, SV = sums[:, 0], sums[:, 1]
        x_old = own[rows]
        bias = (w.sum(1) - ops.rowdot(x_old, SV)) / block["denominator"]
        rhs = Xw - bias[:, None] * SV                                          # X^T (w - b)
        own_bias[rows] = bias
        if solver == "direct":
            pending.append((rows, ops.add_diagonal(ops.gram(X), block["reg"]), rhs))
            pending_elements += len(rhs) * X.shape[2] ** 2
            if pending_elements >= SOLVE_ELEMENTS:
                _solve_pending(ops, pending, own)
                pending, pending_elements = [], 0
        else:
            own[rows] = _cg(ops, X, rhs, x_old, block["reg"], cg_steps)
    if pending:
        _solve_pending(ops, pending, own)


def _solve_pending(ops, pending, own):
    """One batched solve for the systems of several blocks (fewer, larger calls), written into ``own``."""
    rows = pending[0][0] if len(pending) == 1 else ops.concat([p[0] for p in pending])
    own[rows] = ops.solve_spd_many([(A, rhs) for _, A, rhs in pending])


def _cg(ops, X, rhs, x, reg, steps: int):
    """``steps`` conjugate-gradient steps on (X^T X + reg I) x = rhs for every row at once."""
    tiny = 1e-30
    r = rhs - ops.wx(ops.xv(X, x)[:, None, :], X)[:, 0] - reg[:, None] * x
    p = r
    rs = ops.rowdot(r, r)
    for _ in range(steps):
        Ap = ops.wx(ops.xv(X, p)[:, None, :], X)[:, 0] + reg[:, None] * p
        pAp = ops.rowdot(p, Ap)
        alpha = rs / (pAp + tiny)
        x = x + alpha[:, None] * p
        r = r - alpha[:, None] * Ap
        rs_new = ops.rowdot(r, r)
        p = r + (rs_new / (rs + tiny))[:, None] * p
        rs = rs_new
    return x
