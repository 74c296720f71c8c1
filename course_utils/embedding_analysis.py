r"""Looking inside learned embeddings (notebook 07): PCA, alignment, neighbours.

PCA by the SVD: centre the rows, X_c = X - mean, and factor X_c = U S W^T. The rows of
W^T are the principal directions, ordered by variance S^2 / (n - 1); the scores X_c W
place every row in the new coordinates. Signs are arbitrary (W and -W describe the same
direction): we flip each so its largest loading is positive.
"""

from __future__ import annotations

import numpy as np

from .validation import check_array


def _matrix(x, name: str) -> np.ndarray:
    """A finite 2-D float array (n_rows, n_columns), via ``validation.check_array``."""
    return check_array(name, x, ndim=2, hint="pass one row per item, e.g. model.item_factors")


def pca(X, n_components: int | None = None) -> dict:
    """Principal components of the rows of ``X`` (n, d) by the SVD of the centred matrix.

    Returns ``components`` (c, d), ``explained_variance`` (c,), ``explained_variance_ratio`` (c,),
    ``scores`` (n, c) and ``mean`` (d,), with c = n_components (default min(n, d)).
    """
    X = _matrix(X, "X")
    n, d = X.shape
    if n < 2:
        raise ValueError("PCA needs at least 2 rows")
    c = min(n, d) if n_components is None else int(n_components)
    if not 1 <= c <= min(n, d):
        raise ValueError(f"n_components must be between 1 and {min(n, d)}; got {n_components}")
    mean = X.mean(axis=0)
    U, S, Wt = np.linalg.svd(X - mean, full_matrices=False)
    signs = np.sign(Wt[np.arange(len(Wt)), np.abs(Wt).argmax(axis=1)])
    Wt, U = Wt * signs[:, None], U * signs
    variance = S**2 / (n - 1)
    return {"components": Wt[:c], "explained_variance": variance[:c], "explained_variance_ratio": (variance / variance.sum())[:c],
            "scores": (U * S)[:, :c], "mean": mean}


def component_ends(scores, component: int, n: int = 5, candidates=None) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the ``n`` rows with the lowest and the highest score on ``component``,
    among ``candidates`` (a boolean mask or index array; default all rows)."""
    scores = np.asarray(scores, dtype=np.float64)
    if scores.ndim != 2 or not 0 <= component < scores.shape[1]:
        raise ValueError(f"scores must be (n, c) and component in [0, c); got shape {scores.shape}, component {component}")
    idx = np.arange(len(scores)) if candidates is None else np.asarray(candidates)
    idx = np.nonzero(idx)[0] if idx.dtype == bool else idx
    if not np.all(np.isfinite(scores[idx, component])):
        raise ValueError("the candidate rows' scores must be finite (pass candidates= to skip rows without scores)")
    order = idx[np.argsort(scores[idx, component])]
    return order[:n], order[::-1][:n]


def nearest_items(factors, item: int, k: int = 10, candidates=None) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` items most similar to ``item`` by cosine similarity of their factor rows
    (the item itself excluded), optionally only among ``candidates`` (boolean mask).

    Items whose factors are all zero (no training ratings: cold start) have no direction,
    so they are never returned as neighbours, and asking for their neighbours is an error.
    """
    F = _matrix(factors, "factors")
    if not 0 <= item < len(F):
        raise ValueError(f"item must be in [0, {len(F)}); got {item}")
    norms = np.linalg.norm(F, axis=1)
    if norms[item] == 0:
        raise ValueError(f"item {item} has an all-zero factor vector (no training ratings?), so it has no neighbours")
    sims = np.full(len(F), -np.inf)
    has_direction = norms > 0
    sims[has_direction] = F[has_direction] @ F[item] / (norms[has_direction] * norms[item])
    sims[item] = -np.inf
    if candidates is not None:
        sims[~np.asarray(candidates, bool)] = -np.inf
    top = np.argsort(-sims, kind="stable")[:k]
    top = top[np.isfinite(sims[top])]
    return top, sims[top]


def align_factors(source, target) -> dict:
    """The least-squares linear map M with source @ M ~ target, and how well it fits.

    Factor models are identifiable only up to an invertible K x K transform (U V^T equals
    (U A)(V A^{-T})^T), so two fits can disagree number by number yet span the same space.
    Returns ``map`` (K, K), ``aligned`` (source @ M) and ``r2`` (share of target's variance explained).
    """
    S, T = _matrix(source, "source"), _matrix(target, "target")
    if S.shape[0] != T.shape[0]:
        raise ValueError(f"source and target need the same rows; got {S.shape[0]} and {T.shape[0]}")
    M, *_ = np.linalg.lstsq(S, T, rcond=None)
    aligned = S @ M
    r2 = 1 - ((T - aligned) ** 2).sum() / ((T - T.mean(axis=0)) ** 2).sum()
    return {"map": M, "aligned": aligned, "r2": float(r2)}


def genre_decoding_accuracy(factors, labels) -> float:
    """How well a linear map from factor rows predicts a class label (least squares on one-hot
    targets with an intercept, argmax): 1.0 means every label is linearly recoverable."""
    F = _matrix(factors, "factors")
    labels = np.asarray(labels)
    if labels.shape != (len(F),):
        raise ValueError(f"labels must have one entry per row ({len(F)}); got shape {labels.shape}")
    classes, y = np.unique(labels, return_inverse=True)
    X = np.c_[F, np.ones(len(F))]
    W, *_ = np.linalg.lstsq(X, np.eye(len(classes))[y], rcond=None)
    return float(((X @ W).argmax(axis=1) == y).mean())


def procrustes_align(source, target, scale: bool = False) -> dict:
    """The rotation Q (orthogonal, K x K) with source @ Q closest to target in least squares:
    orthogonal Procrustes (``scipy.linalg.orthogonal_procrustes``: Q = W Z^T from the SVD
    source^T target = W S Z^T). With ``scale=True`` also one overall factor s (Q s), the
    least-squares s = trace(S) / ||source||_F^2. Returns ``map`` (Q or s Q), ``aligned``, ``r2``.

    With lam > 0 a factor model is identified up to exactly this: U -> U Q, V -> V Q keeps
    every prediction *and* the penalty lam (||U||^2 + ||V||^2), while any other invertible map
    keeps the predictions but changes the penalty.
    """
    from scipy.linalg import orthogonal_procrustes

    S, T = _matrix(source, "source"), _matrix(target, "target")
    if S.shape != T.shape:
        raise ValueError(f"source and target must have the same shape (n, K); got {S.shape} and {T.shape}")
    Q, singular_sum = orthogonal_procrustes(S, T)
    M = Q * (singular_sum / (S**2).sum()) if scale else Q
    aligned = S @ M
    r2 = 1 - ((T - aligned) ** 2).sum() / ((T - T.mean(axis=0)) ** 2).sum()
    return {"map": M, "aligned": aligned, "r2": float(r2)}


def _genre_sets(genres, n: int) -> list:
    if len(genres) != n:
        raise ValueError(f"genres must hold one list of genres per item ({n}); got {len(genres)}")
    return [frozenset(g) for g in genres]


def genre_neighbour_test(factors, genres, counts, candidates, k: int = 10, n_bins: int = 10, n_boot: int = 1000,
                         seed: int = 0) -> dict:
    """Do neighbours in factor space share a genre more often than chance *at equal popularity*?

    For every candidate item, its ``k`` nearest candidates by cosine of their factor rows; for
    every such neighbour, a random candidate from the same popularity bin (``n_bins`` quantile
    bins of ``counts``, the items' numbers of ratings), so popularity alone cannot explain a
    difference. Two items "share a genre" when their genre lists intersect. Returns the share
    for neighbours and for the matched random items, their difference and a 95 % bootstrap
    interval of the difference (items resampled, ``n_boot`` times).
    """
    F = _matrix(factors, "factors")
    candidates = np.asarray(candidates, bool)
    if candidates.shape != (len(F),) or candidates.sum() <= k:
        raise ValueError(f"candidates must be a boolean mask over the {len(F)} items with more than k = {k} items set")
    sets = _genre_sets(genres, len(F))
    counts = np.asarray(counts)
    idx = np.nonzero(candidates)[0]
    unit = F[idx] / np.linalg.norm(F[idx], axis=1, keepdims=True)
    sims = unit @ unit.T
    np.fill_diagonal(sims, -np.inf)
    neighbours = idx[np.argsort(-sims, axis=1, kind="stable")[:, :k]]                  # (n, k)
    edges = np.quantile(counts[idx], np.linspace(0, 1, n_bins + 1)[1:-1])
    bins = np.searchsorted(edges, counts, side="right")
    rng = np.random.default_rng(seed)
    by_bin = {b: idx[bins[idx] == b] for b in np.unique(bins[idx])}
    matched = np.array([[rng.choice(by_bin[bins[j]]) for j in row] for row in neighbours])
    share = lambda anchor, others: np.array([[bool(sets[a] & sets[o]) for o in row] for a, row in zip(anchor, others)]).mean(axis=1)
    near, rand = share(idx, neighbours), share(idx, matched)
    per_item = near - rand
    boot = rng.choice(len(idx), size=(n_boot, len(idx)))
    low, high = np.quantile(per_item[boot].mean(axis=1), [0.025, 0.975])
    return {"neighbour_share": float(near.mean()), "random_share": float(rand.mean()), "difference": float(per_item.mean()),
            "ci": (float(low), float(high)), "n_items": len(idx)}


def genre_probe(factors, genres, min_items: int = 30, n_folds: int = 5, seed: int = 0) -> dict:
    """A linear probe: can each genre be read off the factors by a linear map?

    For every genre held by at least ``min_items`` items (and missing from as many): ridge
    regression from the standardised factor rows to "has this genre" (0/1), all genres at
    once, predicted out of fold (``n_folds``-fold ``cross_val_predict``), scored by ROC AUC
    (0.5 = chance, 1 = perfect ranking of items with the genre above those without). The same
    from the rows shuffled across items (the same numbers, the link to the items broken) is
    the chance baseline. Returns ``{"genres", "auc", "auc_shuffled"}`` (arrays per genre).
    """
    from sklearn.linear_model import Ridge
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import KFold, cross_val_predict
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    F = _matrix(factors, "factors")
    sets = _genre_sets(genres, len(F))
    names = sorted({g for s in sets for g in s})
    Y = np.array([[name in s for name in names] for s in sets], dtype=np.float64).reshape(len(F), len(names))
    keep = np.minimum(Y.sum(axis=0), len(F) - Y.sum(axis=0)) >= min_items
    if not keep.any():
        raise ValueError(f"no genre is held by at least min_items={min_items} items (and missing from as many)")
    Y = Y[:, keep]
    folds = KFold(n_splits=n_folds, shuffle=True, random_state=seed)
    shuffled = F[np.random.default_rng(seed).permutation(len(F))]
    probe = make_pipeline(StandardScaler(), Ridge(alpha=1.0))
    auc = lambda X: np.array([roc_auc_score(Y[:, g], column) for g, column in enumerate(cross_val_predict(probe, X, Y, cv=folds).T)])
    return {"genres": [n for n, k in zip(names, keep) if k], "auc": auc(F), "auc_shuffled": auc(shuffled)}
