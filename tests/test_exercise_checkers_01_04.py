"""Table-driven tests of the exercise checkers of notebooks 01-04.

Each row: an answer a learner might give (right, wrong in a typical way, unfinished, or
broken), the verdict the checker must return, and a fragment its feedback must contain.
No checker may raise, whatever the answer.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from course_utils.exercises import backprop, euler_resnets, finite_differences, matmul_embeddings


def _todo(*args):
    raise NotImplementedError


def _crash(*args):
    return 1 / 0


BACKWARD_DIFFERENCE = [
    ("correct", lambda f, x, h: (f(x) - f(x - h)) / h, True, "matches"),
    ("forward instead", lambda f, x, h: (f(x + h) - f(x)) / h, False, "forward difference"),
    ("central instead", lambda f, x, h: (f(x + h) - f(x - h)) / (2 * h), False, "central difference"),
    ("sign flipped", lambda f, x, h: (f(x - h) - f(x)) / h, False, "sign is flipped"),
    ("wrong step (2h)", lambda f, x, h: (f(x) - f(x - h)) / (2 * h), False, "expected"),
    ("not written", _todo, False, "not attempted yet"),
    ("no return", lambda f, x, h: None, False, "forget `return`"),
    ("crashes", _crash, False, "ZeroDivisionError"),
    ("returns text", lambda f, x, h: "0.54", False, "expected"),
    ("returns a list", lambda f, x, h: [1.0, 2.0], False, "return one number"),
    ("the placeholder itself", ..., False, "pass your function itself"),
]

FIVE_POINT = [
    ("correct", lambda f, x, h: (-f(x + 2 * h) + 8 * f(x + h) - 8 * f(x - h) + f(x - 2 * h)) / (12 * h), True, "h^4"),
    ("central (order 2)", lambda f, x, h: (f(x + h) - f(x - h)) / (2 * h), False, "like central differences"),
    ("wrong weights", lambda f, x, h: (-f(x + 2 * h) + 8 * f(x + h) - 8 * f(x - h) + f(x - 2 * h)) / (6 * h), False, "far off"),
    ("off-by-one step (h and 3h)", lambda f, x, h: (-f(x + 3 * h) + 8 * f(x + h) - 8 * f(x - h) + f(x - 3 * h)) / (12 * h), False, "expected 4"),
    ("NaN", lambda f, x, h: float("nan"), False, "NaN or inf"),
    ("returns text", lambda f, x, h: "slope", False, "return one number"),
    ("not written", _todo, False, "not attempted yet"),
]

BEST_STEP = [
    (0.1, True, "eps16^(1/3)"),
    (0.2, True, "eps16^(1/3)"),
    (5e-3, False, "float32 answer"),
    (6e-6, False, "float64 answer"),
    (0.03, False, "one-sided difference"),
    (1e-12, False, "too small"),
    (0.9, False, "too large"),
    (-1e-3, False, "positive"),
    (float("nan"), False, "finite"),
    ("small", False, "give a number"),
    (..., False, "not attempted yet"),
    (None, False, "not attempted yet"),
]

FLOAT32_GRADIENT_CHECK = [
    (1.3e-5, True, "investigate"),
    (4e-5, True, "investigate"),
    (5e-11, False, "float64 result"),
    (0.38, False, "size of a bug"),
    (5e-3, False, "larger than float32 round-off"),
    (-1e-5, False, ">= 0"),
    ("1e-5x", False, "give a number"),
    (..., False, "not attempted yet"),
]

WRONG_COORDINATE = [
    (2, True, "product rule"),
    (np.int64(2), True, "product rule"),
    (3, False, "1-based"),
    (0, False, "agrees with finite differences"),
    (5, False, "numbered 0 to 3"),
    (-1, False, "numbered 0 to 3"),
    ("2", False, "whole-number index"),
    (2.5, False, "whole-number index"),
    (True, False, "whole-number index"),
    (..., False, "not attempted yet"),
]


def _midpoint(f, t, h, dt):
    return h + dt * f(t + dt / 2, h + dt / 2 * f(t, h))


MIDPOINT = [
    ("correct", _midpoint, True, "order 2"),
    ("Euler instead", lambda f, t, h, dt: h + dt * f(t, h), False, "like Euler"),
    ("half step of size dt (wrong step)", lambda f, t, h, dt: h + dt * f(t + dt, h + dt * f(t, h)), False, "evaluate f at the midpoint h + dt/2"),
    ("sign flipped", lambda f, t, h, dt: h - dt * f(t + dt / 2, h - dt / 2 * f(t, h)), False, "far off"),
    ("returns NumPy", lambda f, t, h, dt: _midpoint(f, t, h, dt).numpy(), False, "torch tensor"),
    ("wrong shape", lambda f, t, h, dt: _midpoint(f, t, h, dt)[None], False, "shaped like h"),
    ("blows up", lambda f, t, h, dt: 10 * h, False, "far off"),
    ("no return", lambda f, t, h, dt: None, False, "forget `return`"),
    ("not written", _todo, False, "not attempted yet"),
    ("crashes", _crash, False, "ZeroDivisionError"),
]

STABLE_STEP = [
    (0.4, True, "2/λ"),
    (0.2, False, "still decays"),
    (0.5, False, "too large"),
    (0.1, False, "still stable"),
    (0.0, False, "positive"),
    ("0.4x", False, "give a number"),
    (..., False, "not attempted yet"),
]

IMPLICIT_STABLE_STEP = [
    (float("inf"), True, "no limit"),
    (np.inf, True, "no limit"),
    (0.4, False, "explicit Euler's limit"),
    (0.2, False, "is below 1"),
    (1e6, False, "is below 1"),
    (-1.0, False, "positive"),
    (float("-inf"), False, 'float("inf")'),
    ("never", False, "give a number"),
    (..., False, "not attempted yet"),
]

RELU_BACKWARD = [
    ("correct", lambda dA, Z: dA * (Z > 0), True, "only where Z > 0"),
    ("torch tensors", lambda dA, Z: torch.tensor(dA * (Z > 0)), True, "only where Z > 0"),
    ("mask inverted", lambda dA, Z: dA * (Z < 0), False, "inverted"),
    ("ReLU of dA", lambda dA, Z: np.maximum(dA, 0), False, "mask must come from Z"),
    ("no mask", lambda dA, Z: dA, False, "multiply dA by the mask"),
    ("transposed", lambda dA, Z: (dA * (Z > 0)).T, False, "Z's shape"),
    ("returns text", lambda dA, Z: "dZ", False, "array of numbers"),
    ("no return", lambda dA, Z: None, False, "forget `return`"),
    ("not written", _todo, False, "not attempted yet"),
]

LINEAR_BACKWARD = [
    ("correct", lambda dY, X, W: (dY @ W.T, X.T @ dY), True, "matching autograd"),
    ("a list pair", lambda dY, X, W: [dY @ W.T, X.T @ dY], True, "matching autograd"),
    ("swapped", lambda dY, X, W: (X.T @ dY, dY @ W.T), False, "swapped"),
    ("dW transposed", lambda dY, X, W: (dY @ W.T, dY.T @ X), False, "dW must have W's shape"),
    ("dX without transpose", lambda dY, X, W: (dY @ W.T @ np.eye(3) * 2, X.T @ dY), False, "dX does not match"),
    ("one array", lambda dY, X, W: dY @ W.T, False, "return a pair"),
    ("text inside", lambda dY, X, W: ("dX", X.T @ dY), False, "array of numbers"),
    ("not written", _todo, False, "not attempted yet"),
]

def _tanh_mse(X, T, p, *, factor=2.0, divide_by_entries=False, derivative_from_z=False, db_mean=False, swap=False):
    Z1 = X @ p["W1"] + p["b1"]
    A1 = np.tanh(Z1)
    dY = factor * (A1 @ p["W2"] + p["b2"] - T) / (X.shape[0] * (T.shape[1] if divide_by_entries else 1))
    dZ1 = (dY @ p["W2"].T) * (1 - (Z1 if derivative_from_z else A1) ** 2)
    reduce = (lambda G: G.mean(axis=0)) if db_mean else (lambda G: G.sum(axis=0))
    grads = {"W1": X.T @ dZ1, "b1": reduce(dZ1), "W2": A1.T @ dY, "b2": reduce(dY)}
    if swap:
        grads["W1"], grads["W2"] = grads["W2"], grads["W1"]
    return grads


TANH_MSE = [
    ("correct", _tanh_mse, True, "matches autograd"),
    ("torch tensors", lambda X, T, p: {k: torch.tensor(v) for k, v in _tanh_mse(X, T, p).items()}, True, "matches autograd"),
    ("forgot the 2 of the square", lambda X, T, p: _tanh_mse(X, T, p, factor=1.0), False, "half the right size"),
    ("averaged over every entry", lambda X, T, p: _tanh_mse(X, T, p, divide_by_entries=True), False, "not / (n m)"),
    ("tanh' from Z instead of A", lambda X, T, p: _tanh_mse(X, T, p, derivative_from_z=True), False, "use A1 = tanh(Z1)"),
    ("bias gradients averaged", lambda X, T, p: _tanh_mse(X, T, p, db_mean=True), False, "close = False"),
    ("wrong sign", lambda X, T, p: {k: -v for k, v in _tanh_mse(X, T, p).items()}, False, "close = False"),
    ("W1 and W2 swapped", lambda X, T, p: _tanh_mse(X, T, p, swap=True), False, "shape"),
    ("transposed dW1", lambda X, T, p: {**_tanh_mse(X, T, p), "W1": _tanh_mse(X, T, p)["W1"].T}, False, "W1's shape"),
    ("a key missing", lambda X, T, p: {k: v for k, v in _tanh_mse(X, T, p).items() if k != "b2"}, False, "keys"),
    ("a list instead of a dict", lambda X, T, p: list(_tanh_mse(X, T, p).values()), False, "keys"),
    ("text inside", lambda X, T, p: {**_tanh_mse(X, T, p), "b1": "db1"}, False, "array of numbers"),
    ("not written", _todo, False, "not attempted yet"),
    ("crashes", lambda X, T, p: p["W3"], False, "KeyError"),
]

BROADCAST = [
    ([(5, 3), (2, 3, 4), None, (8, 7, 6, 5)], True, "all four"),
    ([[5, 3], [2, 3, 4], None, [8, 7, 6, 5]], True, "all four"),
    ([(5, 3), (2, 3, 4), (4, 3), (8, 7, 6, 5)], False, "1 of 4 wrong"),
    ([(3, 5), (2, 3, 4), None, (8, 7, 6, 5)], False, "1 of 4 wrong"),
    ([(5.5, 3), (2, 3, 4), None, (8, 7, 6, 5)], False, "whole numbers"),
    ([(5, 3), "abc", None, (8, 7, 6, 5)], False, "whole numbers"),
    ([(5, 3), 5, None, (8, 7, 6, 5)], False, "whole numbers"),
    ([(5, 3)], False, "list of 4 answers"),
    ({"a": 1}, False, "list of 4 answers"),
    ([..., ..., ..., ...], False, "not attempted yet"),
]


ONE_HOT_MEMORY = [
    (4.096e12, True, "4 TB"),
    (1024 * 10**9 * 4, True, "4 TB"),
    (4.0e12, True, "4 TB"),
    (1.024e12, False, "number of entries"),
    (8.192e12, False, "float64"),
    (4e9, False, "one user's one-hot row"),
    (4.096, False, "in bytes"),
    (3.725, False, "in bytes"),
    (-4.096e12, False, "positive"),
    (1e6, False, "n x V entries"),
    ("4 TB", False, "give a number"),
    (..., False, "not attempted yet"),
]


def _embedding_backward(indices, upstream, vocab_size):
    dW = np.zeros((vocab_size, upstream.shape[1]))
    np.add.at(dW, indices, upstream)
    return dW


def _assigned(indices, upstream, vocab_size):
    dW = np.zeros((vocab_size, upstream.shape[1]))
    dW[indices] = upstream
    return dW


EMBEDDING_BACKWARD = [
    ("correct", _embedding_backward, True, "summed over repeats"),
    ("torch tensor", lambda i, u, v: torch.tensor(_embedding_backward(i, u, v)), True, "summed over repeats"),
    ("assignment drops repeats", _assigned, False, "np.add.at"),
    ("every row summed", lambda i, u, v: np.tile(u.sum(axis=0), (v, 1)), False, "only the rows that were looked up"),
    ("off-by-one rows", lambda i, u, v: _embedding_backward((i + 1) % v, u, v), False, "compare with"),
    ("only the used rows", lambda i, u, v: _embedding_backward(i, u, v)[np.unique(i)], False, "table's shape"),
    ("returns text", lambda i, u, v: "dW", False, "array of numbers"),
    ("not written", _todo, False, "not attempted yet"),
]


def _run(checker, answer, capsys):
    verdict = checker(answer)
    return verdict, capsys.readouterr().out


@pytest.mark.parametrize("name, answer, verdict, fragment", BACKWARD_DIFFERENCE, ids=[r[0] for r in BACKWARD_DIFFERENCE])
def test_backward_difference_checker(name, answer, verdict, fragment, capsys):
    got, out = _run(finite_differences.check_backward_difference, answer, capsys)
    assert got is verdict and fragment in out, out


@pytest.mark.parametrize("name, answer, verdict, fragment", FIVE_POINT, ids=[r[0] for r in FIVE_POINT])
def test_five_point_checker(name, answer, verdict, fragment, capsys):
    got, out = _run(finite_differences.check_five_point_stencil, answer, capsys)
    assert got is verdict and fragment in out, out


@pytest.mark.parametrize("answer, verdict, fragment", BEST_STEP, ids=[repr(r[0]) for r in BEST_STEP])
def test_best_step_checker(answer, verdict, fragment, capsys):
    got, out = _run(finite_differences.check_best_step_float16, answer, capsys)
    assert got is verdict and fragment in out, out


@pytest.mark.parametrize("answer, verdict, fragment", FLOAT32_GRADIENT_CHECK, ids=[repr(r[0]) for r in FLOAT32_GRADIENT_CHECK])
def test_float32_gradient_check_checker(answer, verdict, fragment, capsys):
    got, out = _run(finite_differences.check_float32_gradient_check, answer, capsys)
    assert got is verdict and fragment in out, out


@pytest.mark.parametrize("answer, verdict, fragment", WRONG_COORDINATE, ids=[repr(r[0]) for r in WRONG_COORDINATE])
def test_wrong_coordinate_checker(answer, verdict, fragment, capsys):
    got, out = _run(finite_differences.check_wrong_coordinate, answer, capsys)
    assert got is verdict and fragment in out, out


@pytest.mark.parametrize("name, answer, verdict, fragment", MIDPOINT, ids=[r[0] for r in MIDPOINT])
def test_midpoint_checker(name, answer, verdict, fragment, capsys):
    got, out = _run(euler_resnets.check_midpoint_step, answer, capsys)
    assert got is verdict and fragment in out, out


@pytest.mark.parametrize("answer, verdict, fragment", STABLE_STEP, ids=[repr(r[0]) for r in STABLE_STEP])
def test_largest_stable_step_checker(answer, verdict, fragment, capsys):
    got, out = _run(lambda dt: euler_resnets.check_largest_stable_step(5.0, dt), answer, capsys)
    assert got is verdict and fragment in out, out


@pytest.mark.parametrize("answer, verdict, fragment", IMPLICIT_STABLE_STEP, ids=[repr(r[0]) for r in IMPLICIT_STABLE_STEP])
def test_implicit_euler_stable_step_checker(answer, verdict, fragment, capsys):
    got, out = _run(lambda dt: euler_resnets.check_implicit_euler_stable_step(5.0, dt), answer, capsys)
    assert got is verdict and fragment in out, out


@pytest.mark.parametrize("name, answer, verdict, fragment", RELU_BACKWARD, ids=[r[0] for r in RELU_BACKWARD])
def test_relu_backward_checker(name, answer, verdict, fragment, capsys):
    got, out = _run(backprop.check_relu_backward, answer, capsys)
    assert got is verdict and fragment in out, out


@pytest.mark.parametrize("name, answer, verdict, fragment", LINEAR_BACKWARD, ids=[r[0] for r in LINEAR_BACKWARD])
def test_linear_backward_checker(name, answer, verdict, fragment, capsys):
    got, out = _run(backprop.check_linear_backward, answer, capsys)
    assert got is verdict and fragment in out, out


@pytest.mark.parametrize("name, answer, verdict, fragment", TANH_MSE, ids=[r[0] for r in TANH_MSE])
def test_tanh_mse_backward_checker(name, answer, verdict, fragment, capsys):
    got, out = _run(backprop.check_tanh_mse_backward, answer, capsys)
    assert got is verdict and fragment in out, out


def test_tanh_mse_checker_compares_with_the_original_parameters_even_if_the_learner_changes_them(capsys):
    def mutating(X, T, p):
        grads = _tanh_mse(X, T, p)
        for value in p.values():
            value *= 0.0                                  # an in-place update after computing the gradients
        return grads

    assert backprop.check_tanh_mse_backward(mutating)


@pytest.mark.parametrize("answer, verdict, fragment", BROADCAST, ids=[str(i) for i in range(len(BROADCAST))])
def test_broadcast_checker(answer, verdict, fragment, capsys):
    got, out = _run(matmul_embeddings.check_broadcast_answers, answer, capsys)
    assert got is verdict and fragment in out, out


@pytest.mark.parametrize("name, answer, verdict, fragment", EMBEDDING_BACKWARD, ids=[r[0] for r in EMBEDDING_BACKWARD])
def test_embedding_backward_checker(name, answer, verdict, fragment, capsys):
    got, out = _run(matmul_embeddings.check_embedding_backward, answer, capsys)
    assert got is verdict and fragment in out, out


@pytest.mark.parametrize("answer, verdict, fragment", ONE_HOT_MEMORY, ids=[repr(r[0]) for r in ONE_HOT_MEMORY])
def test_one_hot_memory_checker(answer, verdict, fragment, capsys):
    got, out = _run(matmul_embeddings.check_one_hot_memory, answer, capsys)
    assert got is verdict and fragment in out, out


def test_stable_step_checker_does_not_raise_for_a_bad_lambda(capsys):
    assert euler_resnets.check_largest_stable_step("five", 0.4) is False
    assert "lam" in capsys.readouterr().out
