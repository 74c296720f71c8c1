r"""Cold start: what a recommender can say about users and items it has never seen (notebook 07).

A test rating is *cold* on the user side when its user has no training rating, and on the
item side when its item has none. A factor model learned nothing about a cold row: ALS
leaves its factors and bias at 0, so it predicts mu + (the other side's bias); a model
trained by gradient descent keeps whatever its initialisation and regularisation left.
``cold_masks`` finds the cold test ratings; ``cold_start_table`` says how many there are and
how each model does on them compared with the warm ones.
"""

from __future__ import annotations

import numpy as np

from .ratings import Ratings
from .validation import check_array, check_instance, check_ratings


def cold_masks(train: Ratings, test: Ratings) -> dict:
    """Boolean masks over the test ratings: ``cold_user``, ``cold_item`` and ``warm`` (neither)."""
    check_ratings("train", train)
    check_ratings("test", test)
    if (train.n_users, train.n_items) != (test.n_users, test.n_items):
        raise ValueError(f"train and test must index the same users and items; got {train.n_users} x {train.n_items} "
                         f"and {test.n_users} x {test.n_items} (split one Ratings with split_ratings)")
    seen_user = np.bincount(train.users, minlength=train.n_users) > 0
    seen_item = np.bincount(train.items, minlength=train.n_items) > 0
    cold_user, cold_item = ~seen_user[test.users], ~seen_item[test.items]
    return {"cold_user": cold_user, "cold_item": cold_item, "warm": ~cold_user & ~cold_item}


def cold_start_table(train: Ratings, test: Ratings, predictions: dict) -> dict:
    """Counts of cold test users, items and ratings, and for every model (``{name: predictions
    for test's pairs}``) its RMSE and mean prediction on cold-item and on warm test ratings."""
    masks = cold_masks(train, test)
    check_instance("predictions", predictions, dict, what="a dict {model name: predictions for test's pairs}",
                   hint="e.g. {'ALS': model.predict(test.users, test.items)}")
    table = {"test_ratings": len(test),
             "cold_users": int(np.unique(test.users[masks["cold_user"]]).size),
             "cold_items": int(np.unique(test.items[masks["cold_item"]]).size),
             "cold_user_ratings": int(masks["cold_user"].sum()),
             "cold_item_ratings": int(masks["cold_item"].sum()),
             "models": {}}
    for name, pred in predictions.items():
        pred = check_array(f"predictions[{name!r}]", pred, ndim=1, allow_empty=True)
        if pred.shape != test.ratings.shape:
            raise ValueError(f"{name}: predictions must have one entry per test rating {test.ratings.shape}; got {pred.shape}")
        row = {}
        for part in ("cold_item", "warm"):
            m = masks[part]
            row[part] = {"rmse": float(np.sqrt(np.mean((pred[m] - test.ratings[m]) ** 2))) if m.any() else float("nan"),
                         "mean_prediction": float(pred[m].mean()) if m.any() else float("nan"),
                         "spread": float(pred[m].std()) if m.any() else float("nan")}
        table["models"][name] = row
    return table
