"""Exercise checkers for notebook 08 (ALS on Apache Spark)."""

from __future__ import annotations

import numpy as np

from ..als_blocks import half_sweep_traffic
from ..validation import check_count, check_nonnegative, check_positive
from .feedback import call_learner, correct, not_yet, read_number


def check_blocked_traffic(users, items, n_blocks, k, answer) -> bool:
    """Exercise 1: how many numbers reach the user blocks in one half-sweep (item factors
    fixed) when users go to block ``user % n_blocks`` and each item's factors travel once
    to every block that has one of its raters."""
    ok, answer = read_number(answer, int)
    if not ok:
        return not_yet(answer)
    try:
        traffic = half_sweep_traffic(users, items, n_blocks, k)
    except (TypeError, ValueError) as problem:
        return not_yet(f"the exercise's inputs cannot be counted: {problem}; pass the example's users, items, n_blocks and k")
    if answer == traffic["blocked"]:
        return correct(f"{answer} numbers: {traffic['blocked'] // k} (item, block) pairs times k = {k}. Shipping one copy "
                       f"per rating would move {traffic['per_rating']}, broadcasting every item to every block {traffic['broadcast']}")
    if answer == traffic["blocked"] // k:
        return not_yet("that counts the factor vectors; each one is k numbers")
    if answer == traffic["per_rating"]:
        return not_yet("that is one copy per rating; a block needs an item's factors once, however many of its users rated it")
    if answer == traffic["broadcast"]:
        return not_yet("that sends every item to every block; a block only needs the items its users rated")
    return not_yet("list, for each block, the distinct items its users rated; add up the list lengths and multiply by k")


def check_spark_lambda(n_ratings, reg_param, answer) -> bool:
    """Exercise 2: the number Spark adds to the diagonal of the K x K matrix of a row with
    ``n_ratings`` ratings when ``regParam = reg_param``: reg_param * n_ratings."""
    ok, answer = read_number(answer, float)
    if not ok:
        return not_yet(answer)
    try:
        n_ratings = check_count("n_ratings", n_ratings, minimum=1)
        reg_param = check_nonnegative("reg_param", reg_param)
    except (TypeError, ValueError) as problem:
        return not_yet(f"the exercise's inputs are not valid: {problem}")
    expected = reg_param * n_ratings
    if np.isclose(answer, expected, rtol=1e-9, atol=1e-12):
        return correct(f"regParam x n = {reg_param:g} x {n_ratings} = {expected:g}: the course's ALS(..., weighted=True) with lam = {reg_param:g}")
    if np.isclose(answer, reg_param):
        return not_yet("that is the unweighted penalty; Spark multiplies regParam by the row's number of ratings (ALS-WR)")
    if np.isclose(answer, reg_param / n_ratings):
        return not_yet("Spark multiplies by the number of ratings, it does not divide")
    return not_yet("look at the solve in Spark's ALS: lambda = numExplicits * regParam")


def check_bias_as_factor(augment) -> bool:
    """Exercise 3: ``augment(U, V, item_bias)`` returns ``(U2, V2)`` with one more column each,
    such that ``U2 @ V2.T == U @ V.T + item_bias`` for every user: a dot-product engine
    (Spark's ``recommendForAllUsers``) then ranks with the item biases included."""
    rng = np.random.default_rng(8)
    U, V, c = rng.normal(size=(5, 3)), rng.normal(size=(7, 3)), rng.normal(size=7)
    ok, value = call_learner(augment, U.copy(), V.copy(), c.copy())
    if not ok:
        return not_yet(value)
    try:
        U2, V2 = (np.asarray(a, dtype=np.float64) for a in value)
    except (TypeError, ValueError):
        return not_yet("return two arrays, (U2, V2)")
    if U2.shape != (5, 4) or V2.shape != (7, 4):
        return not_yet(f"U2 should have shape (5, 4) and V2 (7, 4) for these inputs; got {U2.shape} and {V2.shape}")
    if np.allclose(U2 @ V2.T, U @ V.T + c):
        return correct("a column of ones for the users and the biases as the items' extra factor: u2 . v2 = u . v + c_j")
    if np.allclose(U2 @ V2.T, U @ V.T + 1):
        return not_yet("the extra item column should hold the item biases, not ones")
    return not_yet("give every user an extra factor equal to 1 and every item an extra factor equal to its bias")
