r"""k-fold cross-validation of rating predictors (notebook 05): is a difference real?

One train/test split gives one number per model, and the next split gives another. With
k folds, every rating is a test rating exactly once: split the rating rows into k parts
(``sklearn.model_selection.KFold``, shuffled with a seed), fit on k - 1 parts, score the
held-out part, and report per model the mean and the spread (sample standard deviation)
of the k test RMSEs. Differences between models smaller than that spread say little; the
per-fold *differences* (paired: same folds for every model) say more.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
from sklearn.model_selection import KFold

from .ratings import Ratings
from .validation import check_array, check_callable, check_count, check_instance, check_ratings, check_seed


def kfold_splits(data: Ratings, n_folds: int = 5, seed: int = 0) -> list[tuple[Ratings, Ratings]]:
    """``n_folds`` (train, test) pairs whose test parts partition ``data``'s ratings."""
    check_ratings("data", data)
    seed = check_seed("seed", seed)
    n_folds = check_count("n_folds", n_folds, minimum=2, maximum=len(data),
                          hint="5 or 10 folds are usual; 2 is the least that leaves something to train on")
    folds = KFold(n_splits=n_folds, shuffle=True, random_state=seed).split(np.arange(len(data)))
    return [(data.subset(train_idx), data.subset(test_idx)) for train_idx, test_idx in folds]


def cross_validate(data: Ratings, predictors: dict, n_folds: int = 5, seed: int = 0) -> dict:
    """Test RMSE of every predictor on every fold.

    ``predictors`` maps a name to ``fit_predict(train, test) -> predictions for test's pairs``
    (clipped to the scale by this function). Returns ``{name: array of n_folds RMSEs}``; the
    folds are the same for every predictor, so the arrays can be compared fold by fold.
    """
    check_ratings("data", data)
    check_instance("predictors", predictors, dict, what="a dict {name: fit_predict(train, test)}")
    if not predictors:
        raise ValueError("predictors is empty: pass {name: fit_predict(train, test)}")
    for name, fn in predictors.items():
        check_callable(f"predictors[{name!r}]", fn, hint="fit_predict(train, test) returns one prediction per test rating")
    scores = {name: [] for name in predictors}
    for train, test in kfold_splits(data, n_folds, seed):
        for name, fit_predict in predictors.items():
            pred = np.asarray(fit_predict(train, test), dtype=np.float64)
            if pred.shape != test.ratings.shape:
                raise ValueError(f"{name}: fit_predict returned shape {pred.shape}, expected one prediction per test "
                                 f"rating {test.ratings.shape}")
            scores[name].append(float(np.sqrt(np.mean((np.clip(pred, *test.scale) - test.ratings) ** 2))))
    return {name: np.array(values) for name, values in scores.items()}


def summarize(scores: dict) -> dict:
    """``{name: (mean, standard deviation over folds)}``, the deviation with ddof = 1."""
    check_instance("scores", scores, dict, what="a dict {name: per-fold scores}", hint="what cross_validate returns")
    if not scores:
        raise ValueError("scores must hold at least one model's per-fold scores (got an empty dict); pass cross_validate's result")
    checked = {name: check_array(f"scores[{name!r}]", v, ndim=1, hint="one score per fold") for name, v in scores.items()}
    for name, v in checked.items():
        if len(v) < 2:
            raise ValueError(f"scores[{name!r}] must hold at least two folds to have a standard deviation (got {len(v)})")
    return {name: (float(np.mean(v)), float(np.std(v, ddof=1))) for name, v in checked.items()}
