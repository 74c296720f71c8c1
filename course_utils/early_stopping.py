r"""Early stopping by a validation split (notebooks 05 and 07).

Train once for ``max_epochs`` on the fitting part of the training ratings, score the
validation part after every epoch, and keep the epoch count with the lowest validation
RMSE. Training is seeded, so the model after e epochs of that run is exactly the model of an
e-epoch run: retraining for the chosen count reproduces the monitored score. Notebook 05
writes this out; notebook 07 calls it to reuse the same choice on its own split.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from .mf_torch import fit_gd
from .ratings import Ratings
from .validation import check_callable, check_count


def select_epochs(make_model: Callable, fit_part: Ratings, valid_part: Ratings, max_epochs: int = 10, seed: int = 0,
                  **fit_kwargs) -> tuple[int, list]:
    """The number of epochs (1..``max_epochs``) with the lowest validation RMSE, and the curve.

    ``make_model()`` returns a fresh torch model (it should seed itself, e.g. with
    ``torch.manual_seed``); ``fit_kwargs`` go to ``fit_gd`` (batch size, lr, lam, ...).
    Returns ``(best_epochs, valid_rmse per epoch)``.
    """
    check_callable("make_model", make_model, hint="a function that returns a new, seeded model")
    max_epochs = check_count("max_epochs", max_epochs, maximum=1000)
    history = fit_gd(make_model(), fit_part, epochs=max_epochs, valid=valid_part, seed=seed, progress=False, **fit_kwargs)
    curve = [float(v) for v in history["valid_rmse"]]
    return int(np.argmin(curve)) + 1, curve
