r"""Item-item similarity straight from the ratings, raw or adjusted (notebook 07).

Put the training ratings in a (users, items) matrix R, 0 where missing. The *raw* cosine of
items j and l is the cosine of their columns, R_j . R_l / (|R_j| |R_l|). Every rating is
positive, so two items look similar whenever the same people rated them at all, and a
generous user pushes all of their items together. The *adjusted* cosine (Sarwar et al.,
2001) first subtracts each user's mean rating from that user's ratings,
R'_uj = R_uj - mean_u, so a rating says "liked more (or less) than this user usually does"::

    adj(j, l) = sum_u R'_uj R'_ul / (|R'_j| |R'_l|)      (missing ratings count as 0)
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from .ratings import Ratings
from .validation import check_bool, check_ids, check_ratings


def item_cosine(train: Ratings, items, adjusted: bool = True) -> np.ndarray:
    """(len(items), len(items)) cosine similarities of the given items' rating columns, raw or
    centred by each user's mean (``adjusted``). The diagonal is set to 0; an item with no
    ratings (or, adjusted, only ratings equal to each rater's mean) has similarity 0 to all."""
    check_ratings("train", train)
    adjusted = check_bool("adjusted", adjusted, hint="True centres each user's ratings on their mean")
    items = check_ids("items", items, train.n_items, what="item")
    values = train.ratings
    if adjusted:
        counts = np.bincount(train.users, minlength=train.n_users)
        user_mean = np.bincount(train.users, train.ratings, train.n_users) / np.maximum(counts, 1)
        values = train.ratings - user_mean[train.users]
    R = sp.csc_matrix((values, (train.users, train.items)), shape=(train.n_users, train.n_items))[:, items]
    gram = (R.T @ R).toarray()
    norms = np.sqrt(np.diag(gram))
    with np.errstate(invalid="ignore", divide="ignore"):
        sims = gram / np.outer(norms, norms)
    sims = np.nan_to_num(sims, nan=0.0, posinf=0.0, neginf=0.0)
    np.fill_diagonal(sims, 0.0)
    return sims
