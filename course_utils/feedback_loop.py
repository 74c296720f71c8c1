r"""The popularity feedback loop, simulated (notebook 07).

What a recommender shows gets watched and rated; what gets rated is what the next model
learns from. Each round of ``simulate_feedback_loop``:

1. ``scores = recommend(current)``: a model refitted to the current ratings scores every
   (user, item) pair, (n_users, n_items);
2. every user gets the top ``k`` films they have not rated (``ranking.top_k_items``);
3. every user rates the first ``watched`` of them, with ``rate(users, items)`` standing in
   for their taste; those ratings join ``current``.

Recorded before each round's new ratings: the share of list slots going to the most-rated
``top_fraction`` of films (by current counts), the share of all ratings those films hold,
and how many distinct films appear in any list. A loop concentrates the catalogue when the
recommender gives the top films more of its slots than their share of ratings: the rating
share then moves toward the slot share.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from .ratings import Ratings
from .ranking import top_k_items
from .validation import check_callable, check_count, check_number


def top_share_of_ratings(data: Ratings, top_fraction: float = 0.01) -> float:
    """Share of all ratings held by the most-rated ``top_fraction`` of items."""
    counts = np.bincount(data.items, minlength=data.n_items)
    n_top = max(1, int(round(top_fraction * data.n_items)))
    return float(np.sort(counts)[::-1][:n_top].sum() / counts.sum())


def simulate_feedback_loop(train: Ratings, recommend: Callable, rate: Callable, n_rounds: int = 4, k: int = 10,
                           watched: int = 3, top_fraction: float = 0.01) -> dict:
    """Run ``n_rounds`` recommend-rate-refit rounds from ``train`` (see the module docstring).

    ``recommend(ratings) -> (n_users, n_items) scores``; ``rate(users, items) -> ratings`` on
    the data's scale. Returns per-round lists (length ``n_rounds``): ``slot_share``,
    ``rating_share``, ``distinct_items``, and the final ``ratings``.
    """
    check_callable("recommend", recommend, hint="recommend(ratings) returns an (n_users, n_items) score matrix")
    check_callable("rate", rate, hint="rate(users, items) returns one rating per pair")
    n_rounds = check_count("n_rounds", n_rounds, maximum=100)
    k = check_count("k", k, maximum=train.n_items)
    watched = check_count("watched", watched, maximum=k)
    top_fraction = check_number("top_fraction", top_fraction, low=0.0, high=1.0, low_open=True)
    current = train
    n_top = max(1, int(round(top_fraction * train.n_items)))
    out = {"slot_share": [], "rating_share": [], "distinct_items": []}
    for _ in range(n_rounds):
        lists = top_k_items(recommend(current), current, k)
        counts = np.bincount(current.items, minlength=current.n_items)
        top = np.zeros(current.n_items, bool)
        top[np.argsort(-counts, kind="stable")[:n_top]] = True
        out["slot_share"].append(float(top[lists].mean()))
        out["rating_share"].append(top_share_of_ratings(current, top_fraction))
        out["distinct_items"].append(int(np.unique(lists).size))
        users = np.repeat(np.arange(current.n_users), watched)
        items = lists[:, :watched].ravel()
        new = np.clip(np.asarray(rate(users, items), dtype=np.float64), *current.scale)
        current = Ratings(np.r_[current.users, users], np.r_[current.items, items], np.r_[current.ratings, new],
                          current.n_users, current.n_items, current.scale)
    out["ratings"] = current
    return out


def noisy_taste(predict: Callable, scale: tuple, noise_std: float, step: float, seed: int = 0) -> Callable:
    """A stand-in for users' taste: ``predict(users, items)`` plus Gaussian noise of
    ``noise_std``, rounded to the scale's ``step`` (1 or 0.5 stars) and clipped to ``scale``."""
    check_callable("predict", predict)
    noise_std = check_number("noise_std", noise_std, low=0.0)
    step = check_number("step", step, low=0.0, low_open=True)
    rng = np.random.default_rng(seed)

    def rate(users, items):
        raw = np.asarray(predict(users, items), dtype=np.float64) + rng.normal(0.0, noise_std, size=len(users))
        return np.clip(np.round(raw / step) * step, *scale)

    return rate
