r"""A multilayer perceptron in NumPy with a hand-derived backward pass (notebook 03).

Forward, for layers l = 1..L (ReLU between layers, none after the last)::

    Z_l = A_{l-1} W_l + b_l        A_0 = X (n, d_0);  W_l (d_{l-1}, d_l);  b_l (d_l,)
    A_l = relu(Z_l) = max(Z_l, 0)  for l < L;  logits = Z_L (n, classes)

Loss: mean softmax cross-entropy, L = -1/n sum_i log softmax(Z_L)_{i, y_i}.

Backward, the chain rule applied layer by layer::

    dZ_L = (softmax(Z_L) - onehot(y)) / n
    dW_l = A_{l-1}^T dZ_l,   db_l = sum_rows dZ_l,   dA_{l-1} = dZ_l W_l^T
    dZ_{l-1} = dA_{l-1} * [Z_{l-1} > 0]            (ReLU passes gradient where it passed values)
"""

from __future__ import annotations

import numpy as np


def _check_data(X: np.ndarray, y: np.ndarray | None, d_in: int, n_classes: int) -> None:
    if not isinstance(X, np.ndarray) or X.ndim != 2:
        raise ValueError(f"X must be a 2-D array (n_samples, n_features); got {getattr(X, 'shape', type(X).__name__)}")
    if X.shape[1] != d_in:
        raise ValueError(f"X has {X.shape[1]} features but the first layer expects {d_in}")
    if y is not None:
        y = np.asarray(y)
        if y.shape != (X.shape[0],) or not np.issubdtype(y.dtype, np.integer):
            raise ValueError(f"y must be integer labels of shape ({X.shape[0]},); got {y.dtype} {y.shape}")
        if y.size and (y.min() < 0 or y.max() >= n_classes):
            raise ValueError(f"labels must be in [0, {n_classes - 1}]; got min {y.min()}, max {y.max()}")


def init_mlp(sizes: list[int], rng: np.random.Generator, bias_scale: float = 0.1) -> dict[str, np.ndarray]:
    """Kaiming-normal weights (std sqrt(2 / fan_in)) and small random biases.

    ``sizes`` = [d_0, d_1, ..., d_L]. Biases are random, not zero, so a wrong bias
    gradient cannot hide behind zeros. Returns {"W1": (d_0, d_1), "b1": (d_1,), ...}.
    """
    if len(sizes) < 2 or any(int(s) < 1 for s in sizes):
        raise ValueError(f"sizes must list at least two positive layer widths, like [64, 32, 10]; got {sizes}")
    params = {}
    for l, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        params[f"W{l}"] = rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))
        params[f"b{l}"] = rng.normal(0.0, bias_scale, size=fan_out)
    return params


def n_layers(params: dict) -> int:
    return len([k for k in params if k.startswith("W")])


def softmax_cross_entropy(logits: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean cross-entropy of ``logits`` (n, classes) against labels ``y`` (n,), and dL/dlogits."""
    shifted = logits - logits.max(axis=1, keepdims=True)          # same softmax, no overflow
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    n = logits.shape[0]
    loss = -log_probs[np.arange(n), y].mean()
    dlogits = np.exp(log_probs)
    dlogits[np.arange(n), y] -= 1.0
    return float(loss), dlogits / n


def forward(params: dict, X: np.ndarray) -> tuple[np.ndarray, list]:
    """Logits ``(n, classes)`` and the cache the backward pass needs: [(A_prev, Z), ...]."""
    L = n_layers(params)
    _check_data(X, None, params["W1"].shape[0], params[f"W{L}"].shape[1])
    A, cache = X, []
    for l in range(1, L + 1):
        Z = A @ params[f"W{l}"] + params[f"b{l}"]
        cache.append((A, Z))
        A = np.maximum(Z, 0.0) if l < L else Z
    return A, cache


def loss_and_gradients(params: dict, X: np.ndarray, y: np.ndarray) -> tuple[float, dict]:
    """Mean cross-entropy and its gradient for every parameter (same keys and shapes)."""
    L = n_layers(params)
    _check_data(X, y, params["W1"].shape[0], params[f"W{L}"].shape[1])
    logits, cache = forward(params, X)
    loss, dZ = softmax_cross_entropy(logits, np.asarray(y))
    grads = {}
    for l in range(L, 0, -1):
        A_prev, _ = cache[l - 1]
        grads[f"W{l}"] = A_prev.T @ dZ
        grads[f"b{l}"] = dZ.sum(axis=0)
        if l > 1:
            dA = dZ @ params[f"W{l}"].T
            dZ = dA * (cache[l - 2][1] > 0)
    return loss, grads


def sgd_step(params: dict, grads: dict, lr: float) -> dict:
    """Plain SGD, p <- p - lr * dp, returning new arrays (the inputs are not modified)."""
    if not lr > 0:
        raise ValueError(f"lr must be > 0; got {lr}")
    return {k: params[k] - lr * grads[k] for k in params}


def predict(params: dict, X: np.ndarray) -> np.ndarray:
    """Class with the highest logit, ``(n,)``."""
    return forward(params, X)[0].argmax(axis=1)
