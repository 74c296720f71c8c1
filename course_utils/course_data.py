"""The ratings the recommender notebooks (05-08) run on, chosen one way everywhere.

``course_ratings()``: real MovieLens when a copy is found (``course_utils.movielens.load_movielens``:
the ``path`` given, else ``$MOVIELENS_DIR``, else the git-ignored ``data/`` folder), otherwise the
synthetic set shaped like MovieLens-100k (``course_utils.ratings.synthetic_ratings(seed=seed)``:
943 users, 1,682 items, 100,000 whole-star ratings from 5 planted genres). Returns
``(data, truth)``: ``truth`` is the ``SyntheticRatings`` that generated the data (the planted
model), or None for real data. ``data.source`` says which one a run used.
"""

from __future__ import annotations

from .validation import check_seed


def course_ratings(path=None, seed: int = 0):
    """``(data, truth)``: MovieLens from ``path`` (or where ``find_movielens`` looks) if present,
    else ``synthetic_ratings(seed=seed)`` and its planted truth. A ``path`` that is given but
    holds no MovieLens files is an error (a typo should not fall back to synthetic data)."""
    from .movielens import MovieLensNotFound, load_movielens
    from .ratings import synthetic_ratings

    seed = check_seed("seed", seed)
    if path is not None:
        return load_movielens(path), None
    try:
        return load_movielens(), None
    except MovieLensNotFound:
        truth = synthetic_ratings(seed=seed)
        return truth.data, truth
