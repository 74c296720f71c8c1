import numpy as np
import pytest
import torch

from course_utils import derivative, gradient, hessian, jacobian, relative_error


@pytest.mark.parametrize("method,tol", [("forward", 1e-7), ("backward", 1e-7), ("central", 1e-9)])
@pytest.mark.parametrize("f,df,x", [(np.sin, np.cos, 1.0), (np.exp, np.exp, -0.7), (lambda x: x**3, lambda x: 3 * x**2, 2.5)])
def test_derivative_matches_calculus_with_default_step(f, df, x, method, tol):
    assert derivative(f, x, method=method) == pytest.approx(df(x), rel=tol, abs=tol)


def test_truncation_error_shrinks_with_the_right_order():
    # halving h halves the forward error and quarters the central error
    e = lambda h, m: abs(derivative(np.sin, 1.0, h=h, method=m) - np.cos(1.0))
    assert e(1e-2, "forward") / e(5e-3, "forward") == pytest.approx(2.0, rel=0.02)
    assert e(1e-2, "central") / e(5e-3, "central") == pytest.approx(4.0, rel=0.02)


def test_derivative_is_elementwise_and_keeps_float32():
    x = np.linspace(-1, 1, 7, dtype=np.float32)
    d = derivative(np.sin, x)
    assert d.shape == x.shape and d.dtype == np.float32
    np.testing.assert_allclose(d, np.cos(x), rtol=1e-3)


@pytest.mark.parametrize("h", [0.0, -1e-3, np.nan, np.inf])
def test_bad_step_is_a_clear_error(h):
    with pytest.raises(ValueError, match="step h must be positive and finite"):
        derivative(np.sin, 1.0, h=h)


@pytest.mark.parametrize("x", [np.nan, np.inf, [1.0, np.nan]])
def test_non_finite_x_is_a_clear_error(x):
    with pytest.raises(ValueError, match="x must be finite"):
        derivative(np.sin, x)


def test_bad_method_and_bad_x_type():
    with pytest.raises(ValueError, match="method must be one of"):
        derivative(np.sin, 1.0, method="centre")
    with pytest.raises(ValueError, match="x must be a number"):
        derivative(np.sin, "1.0")


def test_function_returning_wrong_shape_is_named():
    with pytest.raises(ValueError, match=r"f returned shape \(2,\) at x \+ h"):
        derivative(lambda x: np.array([x, x]), 1.0)


def _random_problem(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 6))
    A = rng.normal(size=(n, n))
    b = rng.normal(size=n)
    x = rng.normal(size=n)
    f = lambda v: float(0.5 * v @ A @ v + b @ v + np.sum(np.sin(v)))
    grad = lambda v: 0.5 * (A + A.T) @ v + b + np.cos(v)
    hess = lambda v: 0.5 * (A + A.T) - np.diag(np.sin(v))
    return f, grad, hess, x


@pytest.mark.parametrize("seed", range(5))
def test_gradient_and_hessian_match_analytic_on_random_problems(seed):
    f, grad, hess, x = _random_problem(seed)
    assert relative_error(gradient(f, x), grad(x)) < 1e-9
    H = hessian(f, x)
    assert relative_error(H, hess(x)) < 1e-6
    np.testing.assert_array_equal(H, H.T)


@pytest.mark.parametrize("seed", range(3))
def test_jacobian_matches_torch_autograd(seed):
    rng = np.random.default_rng(seed)
    W = rng.normal(size=(3, 4))
    x = rng.normal(size=4)
    f_np = lambda v: np.tanh(W @ v) * v[:3]
    f_torch = lambda v: torch.tanh(torch.as_tensor(W) @ v) * v[:3]
    J_auto = torch.autograd.functional.jacobian(f_torch, torch.as_tensor(x)).numpy()
    J_fd = jacobian(f_np, x)
    assert J_fd.shape == (3, 4)
    assert relative_error(J_fd, J_auto) < 1e-9


def test_jacobian_of_polar_coordinates_has_determinant_r():
    polar = lambda v: np.array([v[0] * np.cos(v[1]), v[0] * np.sin(v[1])])
    J = jacobian(polar, [2.0, 0.3])
    assert np.linalg.det(J) == pytest.approx(2.0, rel=1e-9)


def test_vector_functions_are_refused_where_a_scalar_is_needed():
    with pytest.raises(ValueError, match="use jacobian"):
        gradient(lambda v: v * 2, [1.0, 2.0])
    with pytest.raises(ValueError, match="hessian\\(\\) needs f to return a scalar"):
        hessian(lambda v: v * 2, [1.0, 2.0])


def test_jacobian_refuses_matrix_valued_f_and_matrix_x():
    with pytest.raises(ValueError, match="1-D array of shape \\(m,\\)"):
        jacobian(lambda v: np.outer(v, v), [1.0, 2.0])
    with pytest.raises(ValueError, match="1-D array of shape \\(n,\\)"):
        jacobian(lambda v: v, np.ones((2, 2)))


def test_jacobian_catches_shape_changing_f():
    with pytest.raises(ValueError, match="same shape for every input"):
        jacobian(lambda v: v[: 1 + int(v[0] > 1.0)], [1.0, 0.0], h=0.5)


def test_relative_error():
    assert relative_error([0.0, 0.0], [0.0, 0.0]) == 0.0
    assert relative_error([1.0, 0.0], [1.0, 1e-8]) == pytest.approx(1e-8, rel=1e-6)
    with pytest.raises(ValueError, match="same shape"):
        relative_error([1.0], [1.0, 2.0])
