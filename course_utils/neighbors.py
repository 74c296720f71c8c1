r"""The first recommender: users who agreed before will agree again (notebook 05).

Similarity of users a and b is the cosine of their rating vectors over the items *both*
rated (the tutorial's "Guy A and Guy B"):

    sim(a, b) = sum_{j rated by both} r_aj r_bj / sqrt(sum_{both} r_aj^2 * sum_{both} r_bj^2)

With R the (users, items) matrix of ratings (0 where missing) and M its 0/1 mask, all
pairs at once: numerator R R^T, denominators (R*R) M^T and M (R*R)^T, elementwise.
A prediction for (u, j) averages how much the ``n_neighbors`` most similar users who rated
j deviated from their own mean, weighted by similarity, on top of u's mean.
"""

from __future__ import annotations

import numpy as np

from .ratings import Ratings
from .validation import check_array, check_count, check_ids, check_instance

MAX_DENSE_CELLS = 200_000_000     # users x items: 1.6 GB of float64 per dense matrix; beyond that, refuse


def _check_train(train) -> Ratings:
    check_instance("train", train, Ratings, what="a Ratings object (e.g. from split_ratings)")
    if train.n_users * train.n_items > MAX_DENSE_CELLS:
        raise ValueError(f"train is too large for this dense teaching version: {train.n_users:,} users x "
                         f"{train.n_items:,} items = {train.n_users * train.n_items:,} cells (limit {MAX_DENSE_CELLS:,}); "
                         "use a subset of users (Ratings.subset) or a sparse library such as Surprise")
    return train


def user_cosine_matrix(train: Ratings, min_common: int = 2) -> np.ndarray:
    """(n_users, n_users) cosine similarities over commonly rated items; 0 where fewer than
    ``min_common`` items are shared (one common item always gives cosine 1, which says nothing)."""
    _check_train(train)
    min_common = check_count("min_common", min_common, hint="the fewest shared items that count, e.g. 2")
    R = np.zeros((train.n_users, train.n_items))
    R[train.users, train.items] = train.ratings
    M = (R != 0).astype(np.float64)
    R2 = R * R
    with np.errstate(invalid="ignore", divide="ignore"):
        sim = (R @ R.T) / np.sqrt((R2 @ M.T) * (M @ R2.T))
    sim[(M @ M.T) < min_common] = 0.0
    np.fill_diagonal(sim, 0.0)
    return np.nan_to_num(sim)


def user_knn_predict(train: Ratings, users, items, n_neighbors: int = 30, sim: np.ndarray | None = None) -> np.ndarray:
    """Predict ratings for (users[k], items[k]) pairs from similar users; clipped to the scale.

    Falls back to the user's mean when no similar user rated the item (and to the global
    mean for a user with no ratings).
    """
    _check_train(train)
    users = check_ids("users", users, train.n_users, what="user")
    items = check_ids("items", items, train.n_items, what="item")
    if users.shape != items.shape:
        raise ValueError(f"users and items must be 1-D of one length; got {users.shape} and {items.shape}")
    n_neighbors = check_count("n_neighbors", n_neighbors, hint="how many similar users to average, e.g. 30")
    if sim is None:
        sim = user_cosine_matrix(train)
    else:
        sim = check_array("sim", sim, shape=(train.n_users, train.n_users),
                          hint="the (n_users, n_users) matrix from user_cosine_matrix(train)")
    counts = np.bincount(train.users, minlength=train.n_users)
    sums = np.bincount(train.users, train.ratings, minlength=train.n_users)
    user_mean = np.where(counts > 0, sums / np.maximum(counts, 1), train.ratings.mean())
    deviation = train.ratings - user_mean[train.users]
    order = np.argsort(train.items, kind="stable")
    starts = np.searchsorted(train.items[order], np.arange(train.n_items + 1))
    pred = user_mean[users].copy()
    for item in np.unique(items):
        raters = order[starts[item] : starts[item + 1]]          # rating rows of this item
        if raters.size == 0:
            continue
        ask = np.nonzero(items == item)[0]
        S = sim[np.ix_(users[ask], train.users[raters])]         # (asking users, raters)
        if raters.size > n_neighbors:
            top = np.argpartition(-S, n_neighbors - 1, axis=1)[:, :n_neighbors]
            S_top, dev_top = np.take_along_axis(S, top, 1), deviation[raters][top]
        else:
            S_top, dev_top = S, np.broadcast_to(deviation[raters], S.shape)
        weight = np.abs(S_top).sum(axis=1)
        has = weight > 0
        pred[ask[has]] += (S_top[has] * dev_top[has]).sum(axis=1) / weight[has]
    return np.clip(pred, *train.scale)
