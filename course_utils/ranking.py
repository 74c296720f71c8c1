r"""Judging a recommender by its top-k lists, as a product would use it (notebook 07).

RMSE asks "how close is each predicted rating?". A product shows a list, so practitioners
ask "are the items we put on top ones the user liked?". For each test user u, with R_u the
set of items u rated at least ``threshold`` in the test set (the *relevant* items) and L_u
the k items with the highest scores among those u did not rate in training::

    precision@k = |L_u ∩ R_u| / k
    recall@k    = |L_u ∩ R_u| / |R_u|
    NDCG@k      = DCG / ideal DCG,  DCG = sum_{r=1..k} [item at rank r in R_u] / log2(r + 1),
                  ideal DCG = sum_{r=1..min(k, |R_u|)} 1 / log2(r + 1)

each averaged over the test users with at least one relevant item. Scores come as a dense
(n_users, n_items) matrix; any model that can score every pair can be ranked.

``candidates`` (a boolean mask over items) restricts what may be recommended, e.g. to films
with at least 10 training ratings: a model that knows almost nothing about a film can still
score it highly (notebook 07 shows one that does), and a product rarely shows such films.
"""

from __future__ import annotations

import numpy as np

from .ratings import Ratings
from .validation import check_array, check_count, check_number


def _score_matrix(scores, train: Ratings) -> np.ndarray:
    scores = check_array("scores", scores, ndim=2)
    if scores.shape != (train.n_users, train.n_items):
        raise ValueError(f"scores must have shape (n_users, n_items) = ({train.n_users}, {train.n_items}); got {scores.shape}")
    return scores


def _candidate_mask(candidates, n_items: int, k: int) -> np.ndarray | None:
    if candidates is None:
        return None
    mask = np.asarray(candidates)
    if mask.dtype != np.bool_ or mask.shape != (n_items,):
        raise ValueError(f"candidates must be a boolean mask with one entry per item ({n_items},); got dtype "
                         f"{mask.dtype}, shape {mask.shape} (e.g. counts >= 10)")
    if mask.sum() < k:
        raise ValueError(f"candidates allows {int(mask.sum())} items, fewer than k = {k}; widen it or lower k")
    return mask


def top_k_items(scores, train: Ratings, k: int = 10, users=None, candidates=None) -> np.ndarray:
    """The ``k`` highest-scoring items for each user in ``users`` (default: all), never an item
    the user already rated in ``train`` and, if ``candidates`` (boolean, (n_items,)) is given,
    only items it allows. ``scores`` (n_users, n_items); returns (n_users_asked, k) item
    indices, best first (ties broken by item index, so the lists are deterministic)."""
    scores = _score_matrix(scores, train)
    k = check_count("k", k, maximum=train.n_items)
    allowed = _candidate_mask(candidates, train.n_items, k)
    users = np.arange(train.n_users) if users is None else np.asarray(users)
    masked = scores[users].copy()
    seen = np.zeros((train.n_users, train.n_items), bool)
    seen[train.users, train.items] = True
    masked[seen[users]] = -np.inf
    if allowed is not None:
        masked[:, ~allowed] = -np.inf
    kth = -np.partition(-masked, k - 1, axis=1)[:, k - 1]                    # each row's k-th largest score
    top = np.empty((len(users), k), dtype=np.int64)
    for row, (scores_row, cut) in enumerate(zip(masked, kth)):
        idx = np.flatnonzero(scores_row >= cut)                                 # the k best, and any ties with the k-th
        top[row] = idx[np.lexsort((idx, -scores_row[idx]))[:k]]                 # best first; ties: lower index first
    return top


def relevant_items(test: Ratings, threshold: float = 4.0) -> dict:
    """user -> the set of items that user rated at least ``threshold`` in ``test``."""
    threshold = check_number("threshold", threshold)
    liked = test.ratings >= threshold
    out: dict = {}
    for u, i in zip(test.users[liked].tolist(), test.items[liked].tolist()):
        out.setdefault(u, set()).add(i)
    return out


def ranking_metrics(scores, train: Ratings, test: Ratings, k: int = 10, threshold: float = 4.0, candidates=None) -> dict:
    """precision@k, recall@k and NDCG@k (binary relevance: test rating >= ``threshold``),
    averaged over the test users with at least one relevant item; also ``n_users`` and the
    lists themselves (``recommended``, (n_users_evaluated, k)) with their ``users``.
    ``candidates``: as in ``top_k_items``; relevant items outside it still count in recall's
    denominator (the list could not reach them, and recall says so)."""
    relevant = relevant_items(test, threshold)
    if not relevant:
        raise ValueError(f"no test rating reaches threshold={threshold}; lower it (the scale is {test.scale})")
    users = np.array(sorted(relevant))
    recommended = top_k_items(scores, train, k, users, candidates)
    discounts = 1.0 / np.log2(np.arange(2, k + 2))                             # 1/log2(r + 1), r = 1..k
    precision, recall, ndcg = [], [], []
    for u, row in zip(users.tolist(), recommended):
        hits = np.array([item in relevant[u] for item in row.tolist()], dtype=np.float64)
        n_rel = len(relevant[u])
        precision.append(hits.sum() / k)
        recall.append(hits.sum() / n_rel)
        ndcg.append((hits * discounts).sum() / discounts[: min(k, n_rel)].sum())
    return {"precision": float(np.mean(precision)), "recall": float(np.mean(recall)), "ndcg": float(np.mean(ndcg)),
            "n_users": len(users), "users": users, "recommended": recommended}


def popular_share(recommended, train: Ratings, top_fraction: float = 0.01) -> float:
    """Share of all recommendation slots that go to the most popular ``top_fraction`` of items
    (popularity = number of training ratings). A feedback loop in the making: what is shown
    gets rated, and what gets rated is shown."""
    recommended = np.asarray(recommended)
    top_fraction = check_number("top_fraction", top_fraction, low=0.0, high=1.0, low_open=True)
    counts = np.bincount(train.items, minlength=train.n_items)
    n_top = max(1, int(round(top_fraction * train.n_items)))
    top = np.zeros(train.n_items, bool)
    top[np.argsort(-counts, kind="stable")[:n_top]] = True
    return float(top[recommended].mean())


def popularity_scores(train: Ratings) -> np.ndarray:
    """The popularity recommender: every user gets the same scores, each item's number of
    training ratings (n_users, n_items). It cannot predict a rating, so it has no RMSE."""
    counts = np.bincount(train.items, minlength=train.n_items).astype(np.float64)
    return np.broadcast_to(counts, (train.n_users, train.n_items)).copy()


def score_matrix(model, n_users: int, n_items: int, batch_size: int = 262_144) -> np.ndarray:
    """Every (user, item) score of a model, (n_users, n_items): a ``FactorModel`` (NumPy, by
    ``U V^T`` plus biases) or a torch module called as ``model(users, items)`` in batches."""
    n_users = check_count("n_users", n_users)
    n_items = check_count("n_items", n_items)
    batch_size = check_count("batch_size", batch_size)
    if hasattr(model, "user_factors") and isinstance(getattr(model, "user_factors"), np.ndarray):
        return (model.mu + model.user_bias[:, None] + model.item_bias[None, :] + model.user_factors @ model.item_factors.T)
    import torch

    device = next(model.parameters()).device
    users = torch.arange(n_users, device=device).repeat_interleave(n_items)
    items = torch.arange(n_items, device=device).repeat(n_users)
    was_training = model.training
    model.eval()
    with torch.no_grad():
        out = torch.cat([model(users[i : i + batch_size], items[i : i + batch_size]) for i in range(0, len(users), batch_size)])
    model.train(was_training)
    return out.double().cpu().numpy().reshape(n_users, n_items)


def list_report(scores_by_model: dict, train: Ratings, test: Ratings, k: int = 10, threshold: float = 4.0, candidates=None,
                top_fraction: float = 0.01, rare_max: int = 2) -> dict:
    """Every model's lists judged at once: ``{name: ranking_metrics(...) plus "popular_share"
    (share of slots going to the most-rated ``top_fraction`` of items) and "rare_share" (share of
    slots going to items with at most ``rare_max`` training ratings)}``. ``scores_by_model`` maps
    a name to its (n_users, n_items) scores; ``candidates`` restricts every model's lists alike."""
    if not scores_by_model:
        raise ValueError("scores_by_model is empty: pass {name: (n_users, n_items) scores}")
    rare_max = check_count("rare_max", rare_max, minimum=0)
    counts = np.bincount(train.items, minlength=train.n_items)
    report = {}
    for name, scores in scores_by_model.items():
        result = ranking_metrics(scores, train, test, k=k, threshold=threshold, candidates=candidates)
        result["popular_share"] = popular_share(result["recommended"], train, top_fraction)
        result["rare_share"] = float((counts[result["recommended"]] <= rare_max).mean())
        report[name] = result
    return report
