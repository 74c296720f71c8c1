"""Exercise checkers for notebook 03 (backprop by hand)."""

from __future__ import annotations

import numpy as np
import torch

from ..checks import compare_gradients
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


TANH_MSE_KEYS = ("W1", "b1", "W2", "b2")


def tanh_mse_problem(seed: int = 2):
    """Exercise 3's data: ``X (6, 4)``, targets ``T (6, 3)`` and parameters W1 (4, 5), b1 (5,),
    W2 (5, 3), b2 (3,) of the regression net Y = tanh(X W1 + b1) W2 + b2."""
    rng = np.random.default_rng(seed)
    X, T = rng.normal(size=(6, 4)), rng.normal(size=(6, 3))
    params = {"W1": rng.normal(size=(4, 5)) / 2, "b1": rng.normal(size=5), "W2": rng.normal(size=(5, 3)) / 2,
              "b2": rng.normal(size=3)}
    return X, T, params


def _tanh_mse_reference(X, T, params, *, factor=2.0, average_over="samples", tanh_grad_from="A1"):
    """The right gradients (defaults) and typical wrong ones, by hand in NumPy, to name mistakes."""
    Z1 = X @ params["W1"] + params["b1"]
    A1 = np.tanh(Z1)
    Y = A1 @ params["W2"] + params["b2"]
    n = X.shape[0] * (T.shape[1] if average_over == "entries" else 1)
    dY = factor * (Y - T) / n
    dZ1 = (dY @ params["W2"].T) * (1 - (A1 if tanh_grad_from == "A1" else Z1) ** 2)
    return {"W1": X.T @ dZ1, "b1": dZ1.sum(axis=0), "W2": A1.T @ dY, "b2": dY.sum(axis=0)}


def check_tanh_mse_backward(tanh_mse_backward) -> bool:
    """Exercise 3: ``tanh_mse_backward(X, T, params)`` returns ``{"W1", "b1", "W2", "b2"}``, the
    gradients of L = 1/n sum_i ||Y_i - T_i||^2 for Y = tanh(X W1 + b1) W2 + b2; compared with
    autograd in a ``compare_gradients`` table."""
    X, T, params = tanh_mse_problem()
    ok, grads = call_learner(tanh_mse_backward, X, T, {k: v.copy() for k, v in params.items()})
    if not ok:
        return not_yet(grads)
    if not isinstance(grads, dict) or set(grads) != set(TANH_MSE_KEYS):
        got = sorted(grads) if isinstance(grads, dict) else type(grads).__name__
        return not_yet(f'return a dict with the keys "W1", "b1", "W2", "b2"; got {got}')
    mine = {}
    for key in TANH_MSE_KEYS:
        mine[key], problem = _as_numpy(grads[key], f"the gradient {key}")
        if problem:
            return not_yet(problem)
        if mine[key].shape != params[key].shape:
            return not_yet(f"d{key} must have {key}'s shape {params[key].shape}; got {mine[key].shape}. "
                           "A gradient always has the shape of the thing it belongs to")
    leaves = {k: torch.tensor(v, requires_grad=True) for k, v in params.items()}
    Y = torch.tanh(torch.tensor(X) @ leaves["W1"] + leaves["b1"]) @ leaves["W2"] + leaves["b2"]
    ((Y - torch.tensor(T)) ** 2).sum(dim=1).mean().backward()
    reference = {k: leaves[k].grad.numpy() for k in TANH_MSE_KEYS}
    try:
        compare_gradients({k: (mine[k], reference[k]) for k in TANH_MSE_KEYS}, rtol=1e-10, atol=1e-12,
                          reference="torch.autograd")
    except AssertionError:
        close = lambda variant: all(np.allclose(mine[k], variant[k], rtol=1e-9, atol=1e-12) for k in TANH_MSE_KEYS)
        if close(_tanh_mse_reference(X, T, params, factor=1.0)):
            return not_yet("every gradient is half the right size: the derivative of (Y - T)^2 is 2 (Y - T)")
        if close(_tanh_mse_reference(X, T, params, average_over="entries")):
            return not_yet("L averages over the n samples (rows) and sums over the outputs: dY = 2 (Y - T) / n, not / (n m)")
        if close(_tanh_mse_reference(X, T, params, tanh_grad_from="Z1")):
            return not_yet("tanh'(z) = 1 - tanh(z)^2: use A1 = tanh(Z1) in the derivative, not Z1")
        right = [k for k in TANH_MSE_KEYS if np.allclose(mine[k], reference[k], rtol=1e-9, atol=1e-12)]
        if set(right) == {"W2", "b2"}:
            return not_yet("dW2 and db2 are right; the error is on the way back through W2 and the tanh: "
                           "dA1 = dY W2^T, dZ1 = dA1 * (1 - A1^2)")
        return not_yet("the rows with close = False are wrong" + (f"; {', '.join(right)} are right" if right else "")
                       + ". Start at dY = 2 (Y - T) / n and apply the three rules layer by layer")
    return correct("every gradient matches autograd: dY = 2 (Y - T) / n, then the affine rule, then tanh' = 1 - A1^2")
