r"""Looking inside learned embeddings (notebook 07): PCA, alignment, neighbours.

PCA by the SVD: centre the columns (subtract the mean row, so every column has mean 0),
X_c = X - mean, and factor X_c = P S W^T. The rows of W^T are the principal directions,
ordered by variance S^2 / (n - 1); the scores X_c W = P S place every row in the new
coordinates. Signs are arbitrary (w and -w describe the same direction): ``pca`` flips
each so its largest loading is positive, which fixes them for one input, but another
library or a refit of the factors may return the other sign.

Identifiability: the predictions U V^T alone fix factors only up to an invertible K x K map
A (U -> U A, V -> V A^{-T}); with a penalty lam (||U||^2 + ||V||^2), lam > 0, the minimizers
are fixed up to a rotation Q (U -> U Q, V -> V Q), because any other A keeps the predictions
but raises the penalty. ``procrustes_align`` aligns two fits by that rotation;
``align_factors`` by a general linear map, for comparison.
"""

from __future__ import annotations

import numpy as np

from .validation import check_array, check_count


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
    """The least-squares linear map M (any K x K matrix) with source @ M ~ target, and how
    well it fits: source (n, K), target (n, K).

    The predictions U V^T are unchanged by U -> U A, V -> V A^{-T} for any invertible A, but a
    penalised fit (lam > 0) is fixed up to a rotation only (see ``procrustes_align``). A general
    map has K^2 free numbers, so it always fits at least as well as the best rotation; what it
    adds beyond the rotation measures how far two fits differ in shape, not only orientation.
    Returns ``map`` (K, K), ``aligned`` (source @ M) and ``r2`` (share of target's variance explained).
    """
    S, T = _matrix(source, "source"), _matrix(target, "target")
    if S.shape[0] != T.shape[0]:
        raise ValueError(f"source and target need the same rows; got {S.shape[0]} and {T.shape[0]}")
    M, *_ = np.linalg.lstsq(S, T, rcond=None)
    aligned = S @ M
    r2 = 1 - ((T - aligned) ** 2).sum() / ((T - T.mean(axis=0)) ** 2).sum()
    return {"map": M, "aligned": aligned, "r2": float(r2)}


def genre_decoding_accuracy(factors, labels, n_folds: int = 5, seed: int = 0) -> float:
    """How well a linear map from factor rows (n, K) predicts a class label (n,), out of fold:
    least squares on one-hot targets with an intercept, argmax, fitted on ``n_folds`` - 1 folds
    and scored on the held-out fold (``KFold``, shuffled with ``seed``), like ``genre_probe``.
    1.0 means every label is linearly recoverable from factors the map never saw."""
    from sklearn.model_selection import KFold

    F = _matrix(factors, "factors")
    labels = np.asarray(labels)
    if labels.shape != (len(F),):
        raise ValueError(f"labels must have one entry per row ({len(F)}); got shape {labels.shape}")
    n_folds = check_count("n_folds", n_folds, minimum=2, maximum=len(F))
    classes, y = np.unique(labels, return_inverse=True)
    X, targets = np.c_[F, np.ones(len(F))], np.eye(len(classes))[y]
    predicted = np.empty(len(F), dtype=np.int64)
    for fit_rows, held_rows in KFold(n_splits=n_folds, shuffle=True, random_state=seed).split(X):
        W, *_ = np.linalg.lstsq(X[fit_rows], targets[fit_rows], rcond=None)
        predicted[held_rows] = (X[held_rows] @ W).argmax(axis=1)
    return float((predicted == y).mean())


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


def _genre_matrix(sets: list) -> tuple[list, np.ndarray]:
    """Genre names and the (n_items, n_genres) 0/1 incidence matrix of a list of genre sets."""
    names = sorted({g for s in sets for g in s})
    return names, np.array([[name in s for name in names] for s in sets], dtype=np.float64).reshape(len(sets), len(names))


def genre_neighbour_test(factors, genres, counts, candidates, k: int = 10, n_bins: int = 5, n_boot: int = 1000,
                         seed: int = 0) -> dict:
    """Do neighbours in factor space share a genre more often than chance, at equal popularity
    and equal number of genres?

    ``factors`` (n_items, K); ``genres`` one list per item; ``counts`` (n_items,) the items'
    numbers of ratings; ``candidates`` (n_items,) boolean mask of the items to use. For every
    candidate a, its ``k`` nearest candidates n by cosine of their factor rows. "Share a genre"
    means the genre lists intersect. The comparison for the pair (a, n) is a random candidate
    *matched* to n: from the same popularity bin (``n_bins`` quantile bins of ``counts``) and
    with the same number of genres (0, 1, 2 or 3+), never a itself. Instead of drawing one such
    item, the chance that it shares a genre with a is computed exactly (the share over all
    matched candidates), so the comparison carries no draw noise and a bootstrap over anchor
    items (``n_boot`` resamples) captures all the randomness left.

    Returns ``neighbour_share``, ``random_share`` (the matched expectation), ``difference``
    (their mean per-item difference), ``ci`` (its 95 % bootstrap interval) and ``n_items``.
    """
    F = _matrix(factors, "factors")
    candidates = np.asarray(candidates, bool)
    if candidates.shape != (len(F),) or candidates.sum() <= k:
        raise ValueError(f"candidates must be a boolean mask over the {len(F)} items with more than k = {k} items set")
    k = check_count("k", k)
    n_bins = check_count("n_bins", n_bins)
    n_boot = check_count("n_boot", n_boot)
    sets = _genre_sets(genres, len(F))
    counts = check_array("counts", counts, shape=(len(F),))
    idx = np.nonzero(candidates)[0]
    norms = np.linalg.norm(F[idx], axis=1, keepdims=True)
    if np.any(norms == 0):
        raise ValueError("a candidate item has an all-zero factor vector (no ratings?); leave it out of candidates")
    unit = F[idx] / norms
    sims = unit @ unit.T
    np.fill_diagonal(sims, -np.inf)
    neighbours = np.argsort(-sims, axis=1, kind="stable")[:, :k]                     # positions in idx, (n, k)
    _, G = _genre_matrix([sets[i] for i in idx])
    share = (G @ G.T) > 0                                                            # (n, n): lists intersect
    edges = np.quantile(counts[idx], np.linspace(0, 1, n_bins + 1)[1:-1])
    n_genres = np.minimum(G.sum(axis=1).astype(np.int64), 3)
    cell = np.searchsorted(edges, counts[idx], side="right") * 4 + n_genres          # popularity bin x genre count
    cells, cell = np.unique(cell, return_inverse=True)
    member = np.eye(len(cells))[cell]                                                # (n, n_cells)
    same = share.astype(np.float64) @ member - member * np.diag(share)[:, None]      # matches sharing a genre, a excluded
    size = member.sum(axis=0)[None, :] - member                                      # matched candidates, a excluded
    with np.errstate(invalid="ignore", divide="ignore"):
        chance = same / size                                                         # (n anchors, n_cells)
    near = np.take_along_axis(share, neighbours, 1).mean(axis=1)
    rand = np.nanmean(np.take_along_axis(chance, cell[neighbours], 1), axis=1)
    per_item = near - rand
    ok = np.isfinite(per_item)
    per_item, near, rand = per_item[ok], near[ok], rand[ok]
    boot = np.random.default_rng(seed).choice(len(per_item), size=(n_boot, len(per_item)))
    low, high = np.quantile(per_item[boot].mean(axis=1), [0.025, 0.975])
    return {"neighbour_share": float(near.mean()), "random_share": float(rand.mean()), "difference": float(per_item.mean()),
            "ci": (float(low), float(high)), "n_items": int(ok.sum())}


def _auc_columns(labels, scores) -> np.ndarray:
    """ROC AUC of every column of ``scores`` (n, g) for the 0/1 ``labels`` (n, g), by ranks:
    AUC = (rank sum of the positives - n_pos (n_pos + 1) / 2) / (n_pos n_neg), ties averaged
    (the Mann-Whitney form; equal to ``sklearn.metrics.roc_auc_score``)."""
    from scipy.stats import rankdata

    ranks = rankdata(scores, axis=0)
    n_pos = labels.sum(axis=0)
    n_neg = len(labels) - n_pos
    return ((ranks * labels).sum(axis=0) - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def _ridge_out_of_fold(X, Y, folds, alpha: float = 1.0) -> np.ndarray:
    """Out-of-fold predictions of ridge regression (penalty ``alpha``, intercept not penalised)
    on columns standardised with the fitting folds' mean and standard deviation: the same as
    ``cross_val_predict(make_pipeline(StandardScaler(), Ridge(alpha)), X, Y, cv=folds)``."""
    out = np.empty_like(Y)
    for fit_rows, held_rows in folds:
        mean, std = X[fit_rows].mean(axis=0), X[fit_rows].std(axis=0)
        std[std == 0] = 1.0
        Z = (X[fit_rows] - mean) / std
        y_mean = Y[fit_rows].mean(axis=0)
        W = np.linalg.solve(Z.T @ Z + alpha * np.eye(X.shape[1]), Z.T @ (Y[fit_rows] - y_mean))
        out[held_rows] = (X[held_rows] - mean) / std @ W + y_mean
    return out


def genre_probe(factors, genres, min_items: int = 30, n_folds: int = 5, n_shuffles: int = 20, seed: int = 0) -> dict:
    """A linear probe: can each genre be read off the factors by a linear map?

    For every genre held by at least ``min_items`` items (and missing from as many): ridge
    regression (penalty 1) from the standardised factor rows (n, K) to "has this genre" (0/1),
    all genres at once, predicted out of fold (``n_folds`` folds, shuffled with ``seed``),
    scored by ROC AUC (0.5 = chance, 1 = every item with the genre ranked above every item
    without). The chance level is measured, not assumed: the same probe on the rows shuffled
    across items (the same numbers, the link to the items broken), ``n_shuffles`` times with
    different permutations. Returns ``{"genres", "auc" (n_genres,), "auc_shuffled"
    (n_shuffles, n_genres)}``.
    """
    from sklearn.model_selection import KFold

    F = _matrix(factors, "factors")
    n_shuffles = check_count("n_shuffles", n_shuffles)
    n_folds = check_count("n_folds", n_folds, minimum=2, maximum=len(F))
    sets = _genre_sets(genres, len(F))
    names, Y = _genre_matrix(sets)
    keep = np.minimum(Y.sum(axis=0), len(F) - Y.sum(axis=0)) >= min_items
    if not keep.any():
        raise ValueError(f"no genre is held by at least min_items={min_items} items (and missing from as many)")
    Y = Y[:, keep]
    folds = list(KFold(n_splits=n_folds, shuffle=True, random_state=seed).split(F))
    auc = lambda X: _auc_columns(Y, _ridge_out_of_fold(X, Y, folds))
    rng = np.random.default_rng(seed)
    shuffled = np.array([auc(F[rng.permutation(len(F))]) for _ in range(n_shuffles)])
    return {"genres": [n for n, k in zip(names, keep) if k], "auc": auc(F), "auc_shuffled": shuffled}


def genre_enrichment(items, pool, genres, min_count: int = 5) -> dict | None:
    """The genre most over-represented among ``items`` (e.g. the 30 films at one end of a
    principal component) relative to ``pool`` (all the films considered), among genres held by
    at least ``min_count`` of ``items``, so one film cannot make a genre look enriched.

    lift = (share of ``items`` with the genre) / (share of ``pool`` with it); ``p_value`` is the
    hypergeometric chance of at least that many by drawing len(items) films from the pool at
    random (``scipy.stats.hypergeom``). Returns ``{"genre", "count", "share", "base_share",
    "lift", "p_value"}``, or ``None`` when no genre reaches ``min_count``.
    """
    from scipy.stats import hypergeom

    items, pool = np.asarray(items), np.asarray(pool)
    min_count = check_count("min_count", min_count)
    best = None
    for g in sorted({g for i in items.tolist() for g in genres[i]}):
        in_items = sum(g in genres[i] for i in items.tolist())
        in_pool = sum(g in genres[i] for i in pool.tolist())
        if in_items < min_count:
            continue
        lift = (in_items / len(items)) / (in_pool / len(pool))
        if best is None or lift > best["lift"]:
            best = {"genre": g, "count": in_items, "share": in_items / len(items), "base_share": in_pool / len(pool),
                    "lift": lift, "p_value": float(hypergeom.sf(in_items - 1, len(pool), in_pool, len(items)))}
    return best


def genre_means(scores, genres, candidates, component: int, min_items: int = 30) -> dict:
    """Mean score along ``component`` of the candidate items listing each genre, for genres
    listed by at least ``min_items`` candidates: ``{genre: mean score}``, sorted from the lowest
    mean to the highest. ``scores`` (n_items, c); ``genres`` one list per item; ``candidates``
    a boolean mask. The two ends of this ordering are the genres a component separates most."""
    scores = np.asarray(scores, dtype=np.float64)
    candidates = np.asarray(candidates, bool)
    if scores.ndim != 2 or not 0 <= component < scores.shape[1] or candidates.shape != (len(scores),):
        raise ValueError(f"need scores (n, c), 0 <= component < c and a boolean mask of length n; got shape {scores.shape}, "
                         f"component {component}, mask shape {candidates.shape}")
    sets = _genre_sets(genres, len(scores))
    idx = np.flatnonzero(candidates)
    if not np.all(np.isfinite(scores[idx, component])):
        raise ValueError("the candidates' scores must be finite (pass candidates= to skip rows without scores)")
    means = {}
    for g in sorted({g for i in idx for g in sets[i]}):
        members = [i for i in idx if g in sets[i]]
        if len(members) >= min_items:
            means[g] = float(scores[members, component].mean())
    return dict(sorted(means.items(), key=lambda kv: kv[1]))
