r"""Where the speed of gradient descent comes from: examples per second against batch size
(notebook 05).

One optimizer step costs a fixed overhead (Python, launching the operations, the optimizer's
update of every touched row) plus work proportional to the batch. With batch size 1 the
overhead is paid for every rating; with 1,024 it is shared by 1,024 ratings. A GPU makes the
per-rating work almost free, so on a GPU the batch decides nearly everything. ``train_for_seconds``
trains a model for a fixed budget of this process's CPU time and reports what it got done (CPU
time, not wall-clock time: another program on a busy machine does not eat into the budget).
"""

from __future__ import annotations

import time

import numpy as np
import torch

from .ratings import Ratings
from .validation import check_array, check_callable, check_count, check_module, check_positive, check_ratings, check_seed


def train_for_seconds(model: torch.nn.Module, train: Ratings, batch_size: int, seconds: float, lr: float = 1e-2,
                      seed: int = 0, n_checkpoints: int = 5) -> dict:
    """Adam on mean squared error, minibatches of ``batch_size`` ratings drawn from one seeded
    permutation per pass, until ``seconds`` of this process's CPU time have gone into training
    steps (evaluation excluded; CPU time, so that time spent waiting for a busy machine's cores
    does not count).

    Returns ``examples`` (ratings processed), ``steps``, ``examples_per_second`` and
    ``checkpoints``: a list of (training seconds, model state copy) at ``n_checkpoints`` evenly
    spaced times, so the caller can score them afterwards without spending the budget.
    """
    check_module("model", model)
    check_ratings("train", train)
    batch_size = check_count("batch_size", batch_size, maximum=len(train))
    lr = check_positive("lr", lr, hint="Adam's learning rate, e.g. 1e-2")
    seed = check_seed("seed", seed)
    seconds = check_positive("seconds", seconds, hint="a second or two per batch size is enough to see the trend")
    n_checkpoints = check_count("n_checkpoints", n_checkpoints)
    users, items = torch.as_tensor(train.users), torch.as_tensor(train.items)
    ratings = torch.as_tensor(train.ratings, dtype=torch.float32)
    generator = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    model.train()
    warm = torch.arange(min(batch_size, len(train)))                    # one untimed step: lazy set-up is not throughput
    ((model(users[warm], items[warm]) - ratings[warm]) ** 2).mean().backward()
    opt.zero_grad(set_to_none=True)
    marks = list(np.linspace(seconds / n_checkpoints, seconds, n_checkpoints))
    checkpoints, examples, steps, elapsed = [], 0, 0, 0.0
    while marks:
        order = torch.randperm(len(train), generator=generator)
        for start in range(0, len(train), batch_size):
            tick = time.process_time()
            idx = order[start : start + batch_size]
            loss = ((model(users[idx], items[idx]) - ratings[idx]) ** 2).mean()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            elapsed += time.process_time() - tick
            examples, steps = examples + idx.numel(), steps + 1
            if elapsed >= marks[0]:
                checkpoints.append((elapsed, {k: v.detach().clone() for k, v in model.state_dict().items()}))
                marks.pop(0)
                if not marks:
                    break
    return {"examples": examples, "steps": steps, "examples_per_second": examples / elapsed, "checkpoints": checkpoints,
            "seconds": elapsed}


def compare_batch_sizes(make_model, train: Ratings, valid: Ratings, batch_sizes=(1, 32, 256, 1024), seconds: float = 1.0,
                        lr: float = 1e-2, n_checkpoints: int = 4) -> dict:
    """Train a fresh ``make_model()`` for ``seconds`` with each batch size (``train_for_seconds``)
    and score its checkpoints on ``valid`` afterwards (RMSE, predictions clipped to the scale).

    Returns ``{batch_size: {"steps", "steps_per_second", "examples_per_second", "curve"}}`` with
    ``curve`` a list of (training seconds, validation RMSE). Steps per second that hardly change
    with the batch size are the sign of a fixed cost per step.
    """
    from .mf_torch import rmse_torch

    check_callable("make_model", make_model, hint="a function that returns a fresh torch model, e.g. lambda: DotProductBias(...)")
    check_ratings("train", train)
    check_ratings("valid", valid)
    sizes = check_array("batch_sizes", batch_sizes, ndim=1, dtype=None, hint="e.g. (1, 32, 256)")
    batch_sizes = [check_count("batch_sizes", b, maximum=len(train), hint="each batch holds at most every training rating")
                   for b in sizes.tolist()]
    lr = check_positive("lr", lr, hint="Adam's learning rate, e.g. 1e-2")
    seconds = check_positive("seconds", seconds)
    n_checkpoints = check_count("n_checkpoints", n_checkpoints)
    out = {}
    for batch_size in batch_sizes:
        model = make_model()
        run = train_for_seconds(model, train, batch_size, seconds=seconds, lr=lr, n_checkpoints=n_checkpoints)
        curve = []
        for elapsed, state in run["checkpoints"]:
            model.load_state_dict(state)
            curve.append((elapsed, rmse_torch(model, valid)))
        out[batch_size] = {"steps": run["steps"], "steps_per_second": run["steps"] / run["seconds"],
                           "examples_per_second": run["examples_per_second"], "curve": curve}
    return out
