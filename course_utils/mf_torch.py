"""Matrix factorization by gradient descent in PyTorch (notebook 05).

``DotProductBias``: r_hat = lo + (hi - lo) * sigmoid(u_i . v_j + b_i + c_j), with (lo, hi)
a little wider than the rating scale, because a sigmoid only reaches its ends at +-inf
(fastai's trick). ``NeuralCF``: concatenated embeddings (and optional item side features)
through hidden layers with dropout, same output squashing. ``fit_gd`` trains either on
minibatches drawn on the device, with no Python loop over samples.
"""

from __future__ import annotations

import time

import numpy as np
import torch
from torch import nn

from .ratings import Ratings
from .validation import check_bool, check_callable, check_choice, check_count, check_nonnegative, check_positive


def _check_ratings(name: str, data) -> None:
    if not isinstance(data, Ratings):
        raise TypeError(f"{name} must be a Ratings object (got {type(data).__name__}): build one with "
                        "Ratings(users, items, ratings, n_users, n_items) or load_movielens()")


def default_y_range(scale: tuple) -> tuple:
    """The sigmoid's output range: the rating scale widened by 0.5 at each end, so the
    lowest and highest ratings are reachable with finite inputs."""
    lo, hi = scale
    return (lo - 0.5, hi + 0.5)


class DotProductBias(nn.Module):
    """User and item embeddings (n, k) and biases (n, 1); output squashed into ``y_range``."""

    def __init__(self, n_users: int, n_items: int, k: int = 32, y_range: tuple = (0.5, 5.5), init_std: float = 0.01):
        super().__init__()
        if min(n_users, n_items, k) < 1:
            raise ValueError(f"n_users, n_items and k must be >= 1; got {n_users}, {n_items}, {k}")
        if not y_range[0] < y_range[1]:
            raise ValueError(f"y_range must be (low, high) with low < high; got {y_range}")
        self.user_factors, self.item_factors = nn.Embedding(n_users, k), nn.Embedding(n_items, k)
        self.user_bias, self.item_bias = nn.Embedding(n_users, 1), nn.Embedding(n_items, 1)
        for emb in (self.user_factors, self.item_factors):
            nn.init.normal_(emb.weight, 0.0, init_std)
        for emb in (self.user_bias, self.item_bias):
            nn.init.zeros_(emb.weight)
        self.y_range = tuple(float(v) for v in y_range)

    def forward(self, users: torch.Tensor, items: torch.Tensor) -> torch.Tensor:
        dot = (self.user_factors(users) * self.item_factors(items)).sum(dim=1)
        raw = dot + self.user_bias(users)[:, 0] + self.item_bias(items)[:, 0]
        lo, hi = self.y_range
        return lo + (hi - lo) * torch.sigmoid(raw)


class NeuralCF(nn.Module):
    """Concatenate a user and an item embedding (and, optionally, the item's side features,
    e.g. a genre multi-hot row), pass them through ReLU hidden layers with dropout, squash."""

    def __init__(self, n_users: int, n_items: int, k: int = 32, hidden=(64,), dropout: float = 0.2,
                 y_range: tuple = (0.5, 5.5), item_features: torch.Tensor | None = None, init_std: float = 0.1):
        super().__init__()
        if min(n_users, n_items, k) < 1 or not 0 <= dropout < 1:
            raise ValueError(f"need n_users, n_items, k >= 1 and 0 <= dropout < 1; got {n_users}, {n_items}, {k}, {dropout}")
        self.user_emb, self.item_emb = nn.Embedding(n_users, k), nn.Embedding(n_items, k)
        nn.init.normal_(self.user_emb.weight, 0.0, init_std)   # larger than the dot model's: the MLP must
        nn.init.normal_(self.item_emb.weight, 0.0, init_std)   # first discover interactions to use them
        n_side = 0 if item_features is None else item_features.shape[1]
        if item_features is not None and item_features.shape[0] != n_items:
            raise ValueError(f"item_features must have one row per item ({n_items}); got {item_features.shape[0]}")
        self.register_buffer("item_features", None if item_features is None else item_features.float())
        layers, width = [], 2 * k + n_side
        for h in hidden:
            layers += [nn.Linear(width, h), nn.ReLU(), nn.Dropout(dropout)]
            width = h
        self.mlp = nn.Sequential(*layers, nn.Linear(width, 1))
        self.y_range = tuple(float(v) for v in y_range)

    def forward(self, users, items):
        parts = [self.user_emb(users), self.item_emb(items)]
        if self.item_features is not None:
            parts.append(self.item_features[items])
        lo, hi = self.y_range
        return lo + (hi - lo) * torch.sigmoid(self.mlp(torch.cat(parts, dim=1))[:, 0])


def _tensors(data: Ratings, device) -> tuple:
    return (torch.as_tensor(data.users, device=device), torch.as_tensor(data.items, device=device),
            torch.as_tensor(data.ratings, dtype=torch.float32, device=device))


@torch.no_grad()
def predict(model: nn.Module, data: Ratings, device=None, batch_size: int = 65536) -> np.ndarray:
    """Predictions for every (user, item) pair of ``data``, clipped to its rating scale, as NumPy."""
    _check_ratings("data", data)
    batch_size = check_count("batch_size", batch_size)
    device = device or next(model.parameters()).device
    users, items, _ = _tensors(data, device)
    model.eval()
    out = torch.cat([model(users[i : i + batch_size], items[i : i + batch_size]) for i in range(0, len(data), batch_size)])
    return np.clip(out.float().cpu().numpy(), *data.scale)


def rmse_torch(model: nn.Module, data: Ratings, device=None) -> float:
    """Test RMSE with predictions clipped to the scale (the same protocol as ``als.rmse``)."""
    return float(np.sqrt(np.mean((predict(model, data, device) - data.ratings) ** 2)))


def l2_penalty(model: nn.Module, lam: float, lam_bias: float) -> torch.Tensor:
    """lam (||U||^2 + ||V||^2) + lam_bias (||b||^2 + ||c||^2) over whole tables: ALS's penalty.
    Embeddings named ``*bias*`` get ``lam_bias``; every other embedding gets ``lam``."""
    total = torch.zeros((), device=next(model.parameters()).device)
    for name, module in model.named_modules():
        if isinstance(module, nn.Embedding):
            total = total + (lam_bias if "bias" in name else lam) * (module.weight**2).sum()
    return total


TORCH_OPTIMIZERS = {
    "sgd": lambda params, lr, wd: torch.optim.SGD(params, lr=lr, weight_decay=wd),
    "momentum": lambda params, lr, wd: torch.optim.SGD(params, lr=lr, momentum=0.9, weight_decay=wd),
    "nesterov": lambda params, lr, wd: torch.optim.SGD(params, lr=lr, momentum=0.9, nesterov=True, weight_decay=wd),
    "rmsprop": lambda params, lr, wd: torch.optim.RMSprop(params, lr=lr, weight_decay=wd),
    "adam": lambda params, lr, wd: torch.optim.Adam(params, lr=lr, weight_decay=wd),
    "adamw": lambda params, lr, wd: torch.optim.AdamW(params, lr=lr, weight_decay=wd),
}


def fit_gd(model: nn.Module, train: Ratings, epochs: int = 10, batch_size: int = 1024, lr: float = 1e-2,
           weight_decay: float = 0.0, lam: float = 0.0, lam_bias: float = 0.0, device=None, seed: int = 0,
           valid: Ratings | None = None, progress: bool | None = None, optimizer: str = "adamw",
           track_train: bool = False, on_epoch=None) -> dict:
    """Minibatch gradient descent with Adam(W) on squared error, optionally regularized.

    Two ways to keep parameters small: ``weight_decay`` (AdamW's decoupled decay, applied to
    every parameter each step) and ``lam``/``lam_bias``, which add ALS's penalty divided by the
    number of training ratings, so the loss is the ALS objective J / N (see ``l2_penalty``).

    ``optimizer`` picks the torch.optim rule (``TORCH_OPTIMIZERS``: sgd, momentum, nesterov,
    rmsprop, adam, adamw); ``weight_decay`` is L2 for all but adamw, where it is decoupled.
    Minibatches are index slices of one random permutation per epoch, drawn with a seeded
    generator on ``device``: no Python loop over samples, so a GPU gets whole batches.
    ``progress``: a tqdm bar over epochs (default: on when there are 20 or more epochs).
    ``on_epoch``: called as ``on_epoch(epoch, history)`` after each epoch (1-based); a true
    return value stops training early (a playground's per-epoch redraw and Stop button).
    Returns ``{"train_mse": [...], "valid_rmse": [...], "train_rmse": [...] (if track_train), "seconds": s}``.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch nn.Module such as DotProductBias (got {type(model).__name__})")
    _check_ratings("train", train)
    if valid is not None:
        _check_ratings("valid", valid)
    check_choice("optimizer", optimizer, sorted(TORCH_OPTIMIZERS))
    epochs = check_count("epochs", epochs)
    batch_size = check_count("batch_size", batch_size, hint="try batch_size=1024")
    lr = check_positive("lr", lr, hint="try lr=1e-2")
    weight_decay, lam, lam_bias = (check_nonnegative(name, value, hint=f"use {name}=0 for no penalty, or a value such as {typical}")
                                   for name, value, typical in (("weight_decay", weight_decay, 1e-4), ("lam", lam, 5),
                                                                ("lam_bias", lam_bias, 3)))
    if progress is not None:
        check_bool("progress", progress)
    check_bool("track_train", track_train)
    if on_epoch is not None:
        check_callable("on_epoch", on_epoch, hint="pass a function on_epoch(epoch, history), or None")
    device = torch.device(device or "cpu")
    model.to(device)
    users, items, ratings = _tensors(train, device)
    generator = torch.Generator(device=device).manual_seed(seed)
    opt = TORCH_OPTIMIZERS[optimizer](model.parameters(), lr, weight_decay)
    history = {"train_mse": [], "valid_rmse": [], "train_rmse": []}
    show = progress if progress is not None else epochs >= 20
    epoch_iter = range(epochs)
    if show:
        from tqdm.auto import tqdm

        epoch_iter = tqdm(epoch_iter, desc="epochs", leave=False)
    sync = torch.cuda.synchronize if device.type == "cuda" else (lambda: None)
    sync()
    start = time.perf_counter()
    n = len(train)
    for _ in epoch_iter:
        model.train()
        order = torch.randperm(n, device=device, generator=generator)
        # shuffle once per epoch, then every minibatch is a contiguous slice (no gather per step)
        users_e, items_e, ratings_e = users[order], items[order], ratings[order]
        total = torch.zeros((), device=device)
        for i in range(0, n, batch_size):
            idx = slice(i, i + batch_size)
            loss = ((model(users_e[idx], items_e[idx]) - ratings_e[idx]) ** 2).mean()
            if lam or lam_bias:
                loss = loss + l2_penalty(model, lam, lam_bias) / n
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            total += loss.detach() * ratings_e[idx].numel()
        history["train_mse"].append(float(total) / n)
        if track_train:
            history["train_rmse"].append(rmse_torch(model, train, device))
        if valid is not None:
            history["valid_rmse"].append(rmse_torch(model, valid, device))
        if on_epoch is not None and on_epoch(len(history["train_mse"]), history):
            break
    sync()
    history["seconds"] = time.perf_counter() - start
    return history
