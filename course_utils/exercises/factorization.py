"""Exercise checkers for notebook 05 (matrix factorization)."""

from __future__ import annotations

import numpy as np

from ..validation import check_count
from .feedback import call_learner, read_setting, correct, not_yet, read_number


def _read_count(answer):
    """A count must be a whole number: 204666.7 parameters is not an answer, 204666.0 is."""
    ok, value = read_number(answer, float)
    if not ok:
        return False, value
    if value != int(value):
        return False, f"a count of parameters is a whole number; got {answer!r}"
    return True, int(value)


def check_parameter_count(n_users, n_items, k, answer) -> bool:
    """Exercise 1: the number of parameters of U, V and both bias vectors (mu is one more)."""
    ok, answer = _read_count(answer)
    if not ok:
        return not_yet(answer)
    for name, value in (("n_users", n_users), ("n_items", n_items), ("k", k)):
        ok, message = read_setting(check_count, name, value)
        if not ok:
            return not_yet(message)
    factors = (n_users + n_items) * k
    expected = factors + n_users + n_items
    if answer == expected:
        return correct(f"(M + N) K + M + N = {answer:,}; the full matrix has M N = {n_users * n_items:,} cells")
    if answer == expected + 1:
        return correct(f"{answer:,} counts the global mean mu too, which is fine; the exercise counts "
                       f"U, V, b and c: (M + N) K + M + N = {expected:,}")
    if answer == factors:
        return not_yet("that is U and V; the model also has one bias per user and one per item")
    if answer in (factors + n_users, factors + n_items):
        return not_yet("one bias vector is missing: one bias per user (b) and one per item (c)")
    if answer == n_users * n_items:
        return not_yet("that is the full ratings matrix; the factors need (M + N) K numbers")
    if answer == n_users * n_items * k or answer == n_users * n_items + n_users + n_items:
        return not_yet("the factor model never stores M x N anything: U is M x K and V is N x K")
    if answer == (n_users + n_items) * (k + 1) - n_users - n_items or answer == n_users * k + n_items:
        return not_yet("count each table once: U (M x K), V (N x K), b (M) and c (N)")
    side = "too many" if answer > expected else "too few"
    return not_yet(f"{side}: count the entries of U (M x K), V (N x K), b (M) and c (N)")


def check_item_bias_update(update, trial=None) -> bool:
    """Exercise 2: ``update(items, residual, n_items, lam_bias)`` returns c with
    c_j = sum over j's ratings of residual / (count_j + lam_bias), 0 for unrated items."""
    if trial is not None:
        return not_yet(f"trial is no longer used (got {trial!r:.40}); call check_item_bias_update(update)")
    rng = np.random.default_rng(0)
    items = rng.integers(0, 6, size=40)
    items[items == 5] = 4                                # item 5 is never rated
    residual = rng.normal(size=40)
    ok, c = call_learner(update, items, residual, 6, 3.0)
    if not ok:
        return not_yet(c)
    try:
        c = np.asarray(c, dtype=np.float64)
    except (TypeError, ValueError):
        return not_yet(f"return an array of numbers, one bias per item; got {type(c).__name__}")
    expected = np.bincount(items, residual, 6) / (np.bincount(items, minlength=6) + 3.0)
    if c.shape != (6,):
        hint = " (np.bincount stops at the largest item it sees: pass minlength=n_items)" if c.shape == (5,) else ""
        return not_yet(f"return one bias per item, shape (6,); got {c.shape}{hint}")
    if not np.all(np.isfinite(c)):
        return not_yet("some biases are NaN or inf: an item without ratings divides 0 by 0 unless lam_bias is in the denominator")
    if np.allclose(c, expected):
        return correct("c_j = sum(residual) / (count + lam): the regularizer pulls rarely rated items toward 0")
    sums, counts = np.bincount(items, residual, 6), np.bincount(items, minlength=6)
    if np.allclose(c, sums / np.maximum(counts, 1)):
        return not_yet("you divided by the count alone; the regularized update divides by count + lam_bias")
    if np.allclose(c, sums / (counts + 1.0)):
        return not_yet("the denominator is count + 1; use lam_bias, not 1")
    if np.allclose(c, sums):
        return not_yet("that is the sum of residuals; divide it by count + lam_bias")
    if np.allclose(c, -expected):
        return not_yet("the sign is flipped: c_j adds the residuals, it does not subtract them")
    if np.allclose(c, sums / (counts.sum() + 3.0)):
        return not_yet("you divided by the total number of ratings; each item divides by its own count + lam_bias")
    return not_yet("compare with np.bincount(items, residual, n_items) / (np.bincount(items, minlength=n_items) + lam_bias)")
