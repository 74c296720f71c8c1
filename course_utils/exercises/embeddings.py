"""Exercise checkers for notebook 07 (what the factors learned)."""

from __future__ import annotations

import numpy as np

from .feedback import correct, not_yet


def _arrays(*xs):
    try:
        return [np.asarray(x, dtype=np.float64) for x in xs]
    except (TypeError, ValueError):
        return None


def check_identifiability(U, V, new_U, new_V) -> bool:
    """Exercise 1(a): (new_U, new_V) must give the same U V^T through an invertible transform."""
    if new_U is Ellipsis or new_V is Ellipsis:
        return not_yet("this exercise is not attempted yet: build my_U and my_V from U_demo, V_demo and a matrix A")
    arrays = _arrays(U, V, new_U, new_V)
    if arrays is None:
        return not_yet("my_U and my_V must be arrays of numbers")
    U, V, new_U, new_V = arrays
    if new_U.shape != U.shape or new_V.shape != V.shape:
        return not_yet(f"keep the shapes: U {U.shape}, V {V.shape}; got {new_U.shape}, {new_V.shape}")
    if not np.allclose(new_U @ new_V.T, U @ V.T, atol=1e-9):
        return not_yet("U V^T changed: if U becomes U A, V must become V inv(A)^T, so the A's cancel")
    if np.allclose(new_U, U) and np.allclose(new_V, V):
        return not_yet("you returned the original factors; use an A that is not the identity")
    return correct("different numbers, identical predictions: the products U V^T alone fix the factors only up to an "
                   "invertible map. The penalty narrows that down (part b)")


def _penalty(U, V) -> float:
    return float((U**2).sum() + (V**2).sum())


def check_penalty_kept(U, V, A) -> bool:
    """Exercise 1(b): an A (not the identity) for which U -> U A, V -> V A^{-T} keeps the penalty
    ||U||^2 + ||V||^2 as well as the predictions. For a balanced pair (U^T U = V^T V, as at a
    minimum of the regularised objective) these are exactly the orthogonal A."""
    if A is Ellipsis:
        return not_yet("this exercise is not attempted yet: put a 2 x 2 matrix in place of the ...")
    arrays = _arrays(U, V, A)
    if arrays is None:
        return not_yet("A must be a 2 x 2 array of numbers")
    U, V, A = arrays
    k = U.shape[1]
    if A.shape != (k, k):
        return not_yet(f"A must be {k} x {k}; got shape {A.shape}")
    if abs(np.linalg.det(A)) < 1e-12:
        return not_yet("A is not invertible (determinant 0), so V A^{-T} does not exist")
    if np.allclose(A, np.eye(k)):
        return not_yet("the identity keeps everything, trivially; find another A")
    new_U, new_V = U @ A, V @ np.linalg.inv(A).T
    before, after = _penalty(U, V), _penalty(new_U, new_V)
    orthogonal = np.allclose(A.T @ A, np.eye(k), atol=1e-9)
    if not np.isclose(after, before, rtol=1e-9):
        return not_yet(f"U V^T is unchanged, but the penalty moved from {before:.4f} to {after:.4f} "
                       f"({'up' if after > before else 'down'}): this A stretches some direction; try a rotation")
    if orthogonal:
        kind = "a reflection" if np.linalg.det(A) < 0 else "a rotation"
        return correct(f"{kind}: A^T A = I, so inv(A)^T = A and both norms are kept (penalty {after:.4f}). "
                       "For a balanced pair these are the only such A: the regularised model is fixed up to a rotation")
    return correct(f"the penalty is kept ({after:.4f}) although A is not orthogonal: that can happen only when "
                   "U^T U != V^T V (an unbalanced pair, not a minimum of the regularised objective)")


def check_top_component_genre(scores, item_genres, mask, component: int, answer, min_items: int = 10) -> bool:
    """Exercise 2: the genre whose films sit furthest from the centre along ``component``
    (largest |mean score| over the films that list it, among genres with at least
    ``min_items`` films in ``mask``). ``item_genres``: one list of genre names per item (a
    film may list several). A component's sign is arbitrary (w and -w are the same direction;
    a refit or another SVD routine may flip it), so the question and this checker look at
    either end."""
    if answer is Ellipsis or answer is None:
        return not_yet("this exercise is not attempted yet: put a genre name in")
    scores, mask = np.asarray(scores, dtype=np.float64), np.asarray(mask, bool)
    names = sorted({g for i in np.flatnonzero(mask) for g in item_genres[i]})
    means = {}
    for g in names:
        members = np.array([mask[i] and g in item_genres[i] for i in range(len(item_genres))])
        if members.sum() >= min_items:
            means[g] = float(np.nanmean(scores[members, component]))
    best = max(means, key=lambda g: abs(means[g]))
    lookup = {g.lower(): g for g in means}
    given = lookup.get(str(answer).strip().lower())
    if given is None:
        return not_yet(f"the genres with at least {min_items} films here are {list(means)}")
    if given == best:
        others = [g for g in means if np.sign(means[g]) != np.sign(means[best])]
        other_end = f"; furthest at the other end: {max(others, key=lambda g: abs(means[g]))}" if others else ""
        return correct(f"{best} (mean score {means[best]:+.2f}, the furthest from 0 whatever the sign{other_end})")
    if np.sign(means[given]) != np.sign(means[best]):
        return not_yet(f"{given} sits at the other end ({means[given]:+.2f}), but not as far out as another genre: "
                       "compare the absolute values of the means")
    return not_yet(f"{given} has mean score {means[given]:+.2f}; another genre sits further from 0 along this component")
