"""Exercise checkers for notebook 05 (matrix factorization)."""

from __future__ import annotations

import numpy as np

from .feedback import call_learner, correct, not_yet, read_number


def check_parameter_count(n_users, n_items, k, answer) -> bool:
    """Exercise 1: the number of parameters of U, V and both bias vectors."""
    ok, answer = read_number(answer, int)
    if not ok:
        return not_yet(answer)
    factors = (n_users + n_items) * k
    if answer == factors + n_users + n_items:
        return correct(f"(M + N) K + M + N = {answer:,}; the full matrix has M N = {n_users * n_items:,} cells")
    if answer == factors:
        return not_yet("that is U and V; the model also has one bias per user and one per item")
    if answer == n_users * n_items:
        return not_yet("that is the full ratings matrix; the factors need (M + N) K numbers")
    return not_yet("count the entries of U (M x K), V (N x K), b (M) and c (N)")


def check_item_bias_update(update, trial=None) -> bool:
    """Exercise 2: ``update(items, residual, n_items, lam_bias)`` returns c with
    c_j = sum over j's ratings of residual / (count_j + lam_bias), 0 for unrated items."""
    rng = np.random.default_rng(0)
    items = rng.integers(0, 6, size=40)
    items[items == 5] = 4                                # item 5 is never rated
    residual = rng.normal(size=40)
    ok, c = call_learner(update, items, residual, 6, 3.0)
    if not ok:
        return not_yet(c)
    c = np.asarray(c, dtype=np.float64)
    expected = np.bincount(items, residual, 6) / (np.bincount(items, minlength=6) + 3.0)
    if c.shape != (6,):
        return not_yet(f"return one bias per item, shape (6,); got {c.shape}")
    if np.allclose(c, expected):
        return correct("c_j = sum(residual) / (count + lam): the regularizer pulls rarely rated items toward 0")
    if np.allclose(c, np.bincount(items, residual, 6) / np.maximum(np.bincount(items, minlength=6), 1)):
        return not_yet("you divided by the count alone; the regularized update divides by count + lam_bias")
    return not_yet("compare with np.bincount(items, residual, n_items) / (np.bincount(items, minlength=n_items) + lam_bias)")
