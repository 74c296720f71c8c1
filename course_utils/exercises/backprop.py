"""Exercise checkers for notebook 03 (backprop by hand)."""

from __future__ import annotations

import numpy as np
import torch

from .feedback import call_learner, correct, not_yet


def _as_numpy(value, name: str):
    try:
        if isinstance(value, torch.Tensor):
            value = value.detach().cpu().numpy()
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None, f"{name} must be an array of numbers; got {type(value).__name__}"
    return arr, None


def check_relu_backward(relu_backward) -> bool:
    """Exercise 1: dZ = dA * [Z > 0]."""
    rng = np.random.default_rng(0)
    Z, dA = rng.normal(size=(5, 4)), rng.normal(size=(5, 4))
    ok, dZ = call_learner(relu_backward, dA, Z)
    if not ok:
        return not_yet(dZ)
    dZ, problem = _as_numpy(dZ, "dZ")
    if problem:
        return not_yet(problem)
    z = torch.tensor(Z, requires_grad=True)
    torch.relu(z).backward(torch.tensor(dA))
    expected = z.grad.numpy()
    if dZ.shape != expected.shape:
        return not_yet(f"dZ must have Z's shape {expected.shape}; got {dZ.shape}")
    if np.allclose(dZ, expected, rtol=1e-12, atol=0):
        return correct("the gradient flows only where Z > 0")
    if np.allclose(dZ, dA * (Z < 0)):
        return not_yet("the mask is inverted: the ReLU passes gradient where Z > 0")
    if np.allclose(dZ, np.maximum(dA, 0)):
        return not_yet("you applied the ReLU to dA; the mask must come from Z, the forward input")
    if np.allclose(dZ, dA * (Z >= 0)) or np.allclose(dZ, dA):
        return not_yet("the gradient must be 0 wherever Z < 0: multiply dA by the mask (Z > 0)")
    return not_yet("compare with dA * (Z > 0), elementwise")


def check_linear_backward(linear_backward) -> bool:
    """Exercise 2: for Y = X W, dX = dY W^T and dW = X^T dY."""
    rng = np.random.default_rng(1)
    X, W, dY = rng.normal(size=(6, 3)), rng.normal(size=(3, 4)), rng.normal(size=(6, 4))
    ok, result = call_learner(linear_backward, dY, X, W)
    if not ok:
        return not_yet(result)
    if not (isinstance(result, (tuple, list)) and len(result) == 2):
        return not_yet("return a pair (dX, dW), e.g. `return dX, dW`")
    (dX, p1), (dW, p2) = _as_numpy(result[0], "dX"), _as_numpy(result[1], "dW")
    if p1 or p2:
        return not_yet(p1 or p2)
    x, w = torch.tensor(X, requires_grad=True), torch.tensor(W, requires_grad=True)
    (x @ w).backward(torch.tensor(dY))
    if dX.shape == W.shape and dW.shape == X.shape:
        return not_yet("dX and dW are swapped: dX must have X's shape, dW must have W's")
    if dX.shape != X.shape:
        return not_yet(f"dX must have X's shape {X.shape}; got {dX.shape}. Which product of dY and W gives that?")
    if dW.shape != W.shape:
        return not_yet(f"dW must have W's shape {W.shape}; got {dW.shape}. Which product of X and dY gives that?")
    good_x = np.allclose(dX, x.grad.numpy(), rtol=1e-12)
    good_w = np.allclose(dW, w.grad.numpy(), rtol=1e-12)
    if good_x and good_w:
        return correct("dX = dY W^T and dW = X^T dY, matching autograd")
    return not_yet(f"dX {'matches' if good_x else 'does not match'} autograd; dW {'matches' if good_w else 'does not match'}")
