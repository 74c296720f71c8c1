"""Exercise checkers for notebook 07 (what the factors learned)."""

from __future__ import annotations

import numpy as np

from .feedback import correct, not_yet


def check_identifiability(U, V, new_U, new_V) -> bool:
    """Exercise 1: (new_U, new_V) must give the same U V^T through an invertible transform."""
    if new_U is Ellipsis or new_V is Ellipsis:
        return not_yet("this exercise is not attempted yet: build my_U and my_V from U_demo, V_demo and a matrix A")
    try:
        U, V, new_U, new_V = (np.asarray(x, dtype=np.float64) for x in (U, V, new_U, new_V))
    except (TypeError, ValueError):
        return not_yet("my_U and my_V must be arrays of numbers")
    if new_U.shape != U.shape or new_V.shape != V.shape:
        return not_yet(f"keep the shapes: U {U.shape}, V {V.shape}; got {new_U.shape}, {new_V.shape}")
    if not np.allclose(new_U @ new_V.T, U @ V.T, atol=1e-9):
        return not_yet("U V^T changed: if U becomes U A, V must become V inv(A)^T, so the A's cancel")
    if np.allclose(new_U, U) and np.allclose(new_V, V):
        return not_yet("you returned the original factors; use an A that is not the identity")
    return correct("different numbers, identical predictions: factors are defined only up to an invertible map")


def check_top_component_genre(scores, truth, mask, component: int, answer) -> bool:
    """Exercise 2: the planted genre furthest from the centre along ``component`` (largest
    |mean score|). A component's sign is arbitrary (w and -w are the same direction; a refit
    or another SVD routine may flip it), so the question and this checker look at either end."""
    if answer is Ellipsis or answer is None:
        return not_yet("this exercise is not attempted yet: put a genre name in")
    means = {g: float(np.nanmean(scores[mask & (truth.item_genre == k), component])) for k, g in enumerate(truth.genres)}
    best = max(means, key=lambda g: abs(means[g]))
    given = str(answer).strip().lower()
    if given not in means:
        return not_yet(f"the planted genres are {list(means)}")
    if given == best:
        others = [g for g in means if np.sign(means[g]) != np.sign(means[best])]
        other_end = f"; at the other end: {min(others, key=lambda g: -abs(means[g]))}" if others else ""
        return correct(f"{best} (mean score {means[best]:+.2f}, the furthest from 0 whatever the sign{other_end})")
    if np.sign(means[given]) != np.sign(means[best]):
        return not_yet(f"{given} sits at the other end ({means[given]:+.2f}), but not as far out as another genre: "
                       "compare the absolute values of the means")
    return not_yet(f"{given} has mean score {means[given]:+.2f}; another genre sits further from 0 along this component")
