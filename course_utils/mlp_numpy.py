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

import re

import numpy as np

from .validation import check_array, check_instance, check_positive


def _check_params(params, name: str = "params") -> int:
    """A parameter dict {"W1": (d_0, d_1), "b1": (d_1,), ...} with matching shapes; returns L."""
    if not isinstance(params, dict):
        raise TypeError(f"{name} must be a dict of arrays like init_mlp returns, {{'W1': ..., 'b1': ..., ...}} "
                        f"(got {type(params).__name__})")
    layers = sorted(int(k[1:]) for k in params if isinstance(k, str) and re.fullmatch(r"W[1-9][0-9]*", k))
    if not layers or layers != list(range(1, len(layers) + 1)):
        raise ValueError(f"{name} must hold weights W1, W2, ... numbered from 1 without gaps (got keys {sorted(map(str, params))}); "
                         "make it with init_mlp(sizes, rng)")
    width = None
    for l in layers:
        W, b = params.get(f"W{l}"), params.get(f"b{l}")
        if not isinstance(W, np.ndarray) or W.ndim != 2 or not np.issubdtype(W.dtype, np.number):
            raise ValueError(f"{name}['W{l}'] must be a 2-D NumPy array of numbers (got {getattr(W, 'shape', type(W).__name__)})")
        if not isinstance(b, np.ndarray) or b.shape != (W.shape[1],):
            raise ValueError(f"{name}['b{l}'] must be a NumPy array of shape ({W.shape[1]},) to match W{l} {W.shape} "
                             f"(got {getattr(b, 'shape', type(b).__name__)})")
        if width is not None and W.shape[0] != width:
            raise ValueError(f"{name}['W{l}'] has {W.shape[0]} rows but layer {l - 1} has {width} outputs")
        width = W.shape[1]
    return len(layers)


def _check_X(X, d_in: int) -> np.ndarray:
    X = check_array("X", X, ndim=2, dtype=None, hint="a 2-D array (n_samples, n_features)")
    if X.shape[1] != d_in:
        raise ValueError(f"X has {X.shape[1]} features but the first layer expects {d_in}")
    return X


def _check_labels(y, n: int, n_classes: int) -> np.ndarray:
    y = check_array("y", y, ndim=1, dtype=None, allow_empty=True, hint="integer class labels, one per row")
    if y.shape != (n,) or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"y must be integer labels of shape ({n},); got {y.dtype} {y.shape}")
    if y.size and (y.min() < 0 or y.max() >= n_classes):
        raise ValueError(f"labels must be in [0, {n_classes - 1}]; got min {y.min()}, max {y.max()}")
    return y


def init_mlp(sizes: list[int], rng: np.random.Generator, bias_scale: float = 0.1) -> dict[str, np.ndarray]:
    """Kaiming-normal weights (std sqrt(2 / fan_in)) and small random biases.

    ``sizes`` = [d_0, d_1, ..., d_L]. Biases are random, not zero, so a wrong bias
    gradient cannot hide behind zeros. Returns {"W1": (d_0, d_1), "b1": (d_1,), ...}.
    """
    widths = check_array("sizes", sizes, ndim=1, dtype=None, allow_empty=True, hint="layer widths, like [64, 32, 10]")
    if (len(widths) < 2 or not np.issubdtype(widths.dtype, np.number) or widths.dtype == np.bool_
            or np.any(widths != np.round(widths)) or np.any(widths < 1)):
        raise ValueError(f"sizes must list at least two positive layer widths, like [64, 32, 10]; got {sizes}")
    sizes = [int(s) for s in widths]
    check_instance("rng", rng, np.random.Generator, what="a NumPy Generator", hint="use np.random.default_rng(0)")
    bias_scale = check_positive("bias_scale", bias_scale, hint="the spread of the random biases, e.g. 0.1")
    params = {}
    for l, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        params[f"W{l}"] = rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))
        params[f"b{l}"] = rng.normal(0.0, bias_scale, size=fan_out)
    return params


def n_layers(params: dict) -> int:
    """The number of layers L (weights W1 ... WL) in ``params``."""
    return _check_params(params)


def softmax_cross_entropy(logits: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean cross-entropy of ``logits`` (n, classes) against labels ``y`` (n,), and dL/dlogits."""
    logits = check_array("logits", logits, ndim=2, dtype=None, hint="scores of shape (n_samples, n_classes)")
    y = _check_labels(y, logits.shape[0], logits.shape[1])
    shifted = logits - logits.max(axis=1, keepdims=True)          # same softmax, no overflow
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    n = logits.shape[0]
    loss = -log_probs[np.arange(n), y].mean()
    dlogits = np.exp(log_probs)
    dlogits[np.arange(n), y] -= 1.0
    return float(loss), dlogits / n


def forward(params: dict, X: np.ndarray) -> tuple[np.ndarray, list]:
    """Logits ``(n, classes)`` and the cache the backward pass needs: [(A_prev, Z), ...]."""
    L = _check_params(params)
    X = _check_X(X, params["W1"].shape[0])
    A, cache = X, []
    for l in range(1, L + 1):
        Z = A @ params[f"W{l}"] + params[f"b{l}"]
        cache.append((A, Z))
        A = np.maximum(Z, 0.0) if l < L else Z
    return A, cache


def loss_and_gradients(params: dict, X: np.ndarray, y: np.ndarray) -> tuple[float, dict]:
    """Mean cross-entropy and its gradient for every parameter (same keys and shapes)."""
    L = _check_params(params)
    X = _check_X(X, params["W1"].shape[0])
    y = _check_labels(y, X.shape[0], params[f"W{L}"].shape[1])
    logits, cache = forward(params, X)
    loss, dZ = softmax_cross_entropy(logits, y)
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
    _check_params(params)
    _check_params(grads, "grads")
    for k, value in params.items():
        if k not in grads or np.shape(grads[k]) != np.shape(value):
            raise ValueError(f"grads must hold a gradient shaped like params[{k!r}] {np.shape(value)} "
                             f"(got {np.shape(grads[k]) if k in grads else 'no entry'})")
    lr = check_positive("lr", lr, hint="a step size such as 0.1")
    return {k: params[k] - lr * grads[k] for k in params}


def predict(params: dict, X: np.ndarray) -> np.ndarray:
    """Class with the highest logit, ``(n,)``."""
    return forward(params, X)[0].argmax(axis=1)
