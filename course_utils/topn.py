r"""Top-N recommendations for many users at once, in batches (notebook 08).

For user i the score of item j is the model's prediction

    s_ij = mu + b_i + c_j + u_i . v_j

and the recommendations are the n items with the highest scores. Scoring every user
against every item is one matrix product per batch of users, ``U[batch] @ V.T`` of shape
``(batch, n_items)``, so memory stays at ``batch_size * n_items`` numbers however many users
there are. Choosing each row's n best (a partial sort, never an item the user already rated,
ties to the smaller item id) is ``course_utils.ranking.top_k_items``, called on each batch:
one implementation of the ranking rule for the whole course (notebook 07 ranks with it too).
"""

from __future__ import annotations

import numpy as np

from .validation import check_count, check_ids


def top_n_items(model, n: int = 10, users=None, exclude=None, batch_size: int = 1024) -> tuple[np.ndarray, np.ndarray]:
    """The ``n`` highest-scoring items for each of ``users`` (default: every user).

    ``model``: a ``FactorModel`` (``user_factors`` (n_users, k), ``item_factors`` (n_items, k),
    biases, ``mu``). ``exclude``: a ``Ratings`` set whose (user, item) pairs may not be
    recommended (usually the training ratings: people rarely want what they already rated).
    Returns ``(items, scores)``, both of shape ``(len(users), n)``, best first; a user with
    fewer than ``n`` items left after ``exclude`` gets excluded items at the end, score -inf.
    """
    if not all(hasattr(model, name) for name in ("user_factors", "item_factors", "user_bias", "item_bias", "mu")):
        raise TypeError(f"model must be a FactorModel (factors, biases and mu; got {type(model).__name__}); "
                        "for a Spark ALSModel use course_utils.spark.factor_model_from_spark")
    n_users, n_items = model.user_factors.shape[0], model.item_factors.shape[0]
    n = check_count("n", n, maximum=n_items, hint=f"the model has {n_items} items")
    batch_size = check_count("batch_size", batch_size)
    users = np.arange(n_users) if users is None else check_ids("users", users, n_users, what="user")
    seen = None
    if exclude is not None:
        if not (hasattr(exclude, "users") and hasattr(exclude, "items")):
            raise TypeError(f"exclude must be a Ratings set (with .users and .items) or None (got {type(exclude).__name__})")
        if exclude.n_users != n_users or exclude.n_items != n_items:
            raise ValueError(f"exclude has {exclude.n_users} users and {exclude.n_items} items, the model "
                             f"{n_users} and {n_items}; pass ratings indexed like the model's training data")
        import scipy.sparse as sp

        seen = sp.csr_matrix((np.ones(len(exclude), dtype=bool), (exclude.users, exclude.items)), shape=(n_users, n_items))
    from .ranking import top_k_items
    from .ratings import Ratings

    items_out = np.empty((len(users), n), dtype=np.int64)
    scores_out = np.empty((len(users), n))
    item_part = model.item_bias + model.mu                                     # (n_items,)
    for start in range(0, len(users), batch_size):
        batch = users[start : start + batch_size]
        scores = model.user_factors[batch] @ model.item_factors.T + item_part  # (batch, n_items)
        scores += model.user_bias[batch][:, None]
        rows, cols = seen[batch].nonzero() if seen is not None else (np.zeros(0, np.int64), np.zeros(0, np.int64))
        # top_k_items ranks the rows of a score matrix indexed like its ratings set: this batch's rows
        # and this batch's rated pairs, plus one extra row (never ranked) that holds a pair, because
        # a Ratings set cannot be empty.
        padded = np.vstack([scores, np.zeros((1, n_items))])
        rated = Ratings(np.r_[rows, len(batch)], np.r_[cols, 0], np.ones(len(rows) + 1), len(batch) + 1, n_items)
        best = top_k_items(padded, rated, n, users=np.arange(len(batch)))
        scores[rows, cols] = -np.inf                                           # excluded items score -inf
        items_out[start : start + len(batch)] = best
        scores_out[start : start + len(batch)] = np.take_along_axis(scores, best, axis=1)
    return items_out, scores_out
