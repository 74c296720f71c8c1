"""A minimal, seeded minibatch training loop for classifiers (cross-entropy, Adam)."""

from __future__ import annotations

import time

import torch
from torch import nn

from .validation import check_count, check_instance, check_positive, check_seed


def _check_xy(X: torch.Tensor, y: torch.Tensor) -> None:
    if not isinstance(X, torch.Tensor) or X.ndim != 2 or not X.is_floating_point():
        raise ValueError(f"X must be a 2-D float tensor (n_samples, n_features); got {getattr(X, 'shape', type(X))}")
    if not isinstance(y, torch.Tensor) or y.ndim != 1 or y.dtype != torch.long:
        raise ValueError("y must be a 1-D tensor of integer class labels (dtype torch.long); use torch.as_tensor(y, dtype=torch.long)")
    if X.shape[0] != y.shape[0] or X.shape[0] == 0:
        raise ValueError(f"X and y must hold the same, non-zero number of samples; got {X.shape[0]} and {y.shape[0]}")
    if not torch.isfinite(X).all():
        raise ValueError("X must be finite (it contains NaN or inf); clean or impute the features first")


def _check_model(model) -> None:
    check_instance("model", model, nn.Module, what="a torch.nn.Module", hint="e.g. DigitsResNet()")


def train_classifier(model: nn.Module, X: torch.Tensor, y: torch.Tensor, epochs: int = 10, batch_size: int = 64,
                     lr: float = 1e-2, seed: int = 0) -> dict:
    """Train with Adam on shuffled minibatches (order set by ``seed``).

    ``X``: ``(n, d)`` float; ``y``: ``(n,)`` long. Returns ``{"loss": [mean loss per epoch], "seconds": s}``.
    """
    _check_model(model)
    _check_xy(X, y)
    epochs = check_count("epochs", epochs, hint="passes over the data, e.g. epochs=10")
    batch_size = check_count("batch_size", batch_size, hint="samples per step, e.g. batch_size=64")
    lr = check_positive("lr", lr, hint="Adam's step size; need lr > 0, e.g. lr=1e-2")
    seed = check_seed("seed", seed)
    generator = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    losses, start = [], time.perf_counter()
    model.train()
    for _ in range(epochs):
        order, total = torch.randperm(X.shape[0], generator=generator), 0.0
        for i in range(0, X.shape[0], batch_size):
            batch = order[i : i + batch_size]
            loss = nn.functional.cross_entropy(model(X[batch]), y[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * batch.numel()
        losses.append(total / X.shape[0])
    return {"loss": losses, "seconds": time.perf_counter() - start}


@torch.no_grad()
def accuracy(model: nn.Module, X: torch.Tensor, y: torch.Tensor) -> float:
    """Fraction of samples whose highest-scoring class is the label."""
    _check_model(model)
    _check_xy(X, y)
    model.eval()
    return (model(X).argmax(dim=1) == y).double().mean().item()
