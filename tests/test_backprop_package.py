import numpy as np
import pytest
import torch

from course_utils import gradient, relative_error
from course_utils import mlp_numpy
from course_utils.checks import compare_gradients
from course_utils.exercises import backprop as ex
from course_utils.initialization import activation_rms, weight_std


def _torch_grads(params, X, y):
    tp = {k: torch.tensor(v, requires_grad=True) for k, v in params.items()}
    A, L = torch.tensor(X), mlp_numpy.n_layers(params)
    for l in range(1, L + 1):
        A = A @ tp[f"W{l}"] + tp[f"b{l}"]
        if l < L:
            A = torch.relu(A)
    loss = torch.nn.functional.cross_entropy(A, torch.tensor(y))
    loss.backward()
    return loss.item(), {k: t.grad.numpy() for k, t in tp.items()}


@pytest.mark.parametrize("seed", range(5))
def test_hand_gradients_match_autograd_for_random_shapes(seed):
    rng = np.random.default_rng(seed)
    sizes = [int(s) for s in rng.integers(2, 9, size=int(rng.integers(2, 5)))]
    params = mlp_numpy.init_mlp(sizes, rng)
    X = rng.normal(size=(int(rng.integers(1, 12)), sizes[0]))
    y = rng.integers(0, sizes[-1], size=X.shape[0])
    loss, grads = mlp_numpy.loss_and_gradients(params, X, y)
    torch_loss, torch_grads = _torch_grads(params, X, y)
    assert loss == pytest.approx(torch_loss, rel=1e-12)
    for k in params:
        np.testing.assert_allclose(grads[k], torch_grads[k], rtol=1e-10, atol=1e-13)


def test_hand_gradients_match_finite_differences():
    rng = np.random.default_rng(0)
    params = mlp_numpy.init_mlp([5, 4, 3], rng)
    X, y = rng.normal(size=(6, 5)), rng.integers(0, 3, size=6)
    _, grads = mlp_numpy.loss_and_gradients(params, X, y)
    for k in params:
        def loss_of(v, k=k):
            p = dict(params, **{k: v.reshape(params[k].shape)})
            return mlp_numpy.loss_and_gradients(p, X, y)[0]
        assert relative_error(grads[k].ravel(), gradient(loss_of, params[k].ravel())) < 1e-7


def test_softmax_cross_entropy_is_stable_for_huge_logits():
    loss, d = mlp_numpy.softmax_cross_entropy(np.array([[1000.0, 0.0], [0.0, 1000.0]]), np.array([0, 0]))
    assert np.isfinite(loss) and loss == pytest.approx(500.0)
    np.testing.assert_allclose(d.sum(axis=1), 0.0, atol=1e-15)


def test_bad_data_is_refused_at_the_boundary():
    params = mlp_numpy.init_mlp([4, 3, 2], np.random.default_rng(0))
    with pytest.raises(ValueError, match="has 5 features but the first layer expects 4"):
        mlp_numpy.forward(params, np.ones((2, 5)))
    with pytest.raises(ValueError, match=r"labels must be in \[0, 1\]"):
        mlp_numpy.loss_and_gradients(params, np.ones((2, 4)), np.array([0, 2]))
    with pytest.raises(ValueError, match="integer labels"):
        mlp_numpy.loss_and_gradients(params, np.ones((2, 4)), np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match="at least two positive"):
        mlp_numpy.init_mlp([4], np.random.default_rng(0))
    with pytest.raises(ValueError, match="lr must be > 0"):
        mlp_numpy.sgd_step(params, params, lr=0)


def test_compare_gradients_table_passes_and_fails(capsys):
    a = np.arange(3.0)
    rows = compare_gradients({"w": (a, a.copy()), "b": (a, a + 1e-14)}, rtol=1e-10, atol=1e-12)
    assert rows[0]["exact"] and not rows[1]["exact"] and rows[1]["close"]
    with pytest.raises(AssertionError, match="w \\(max\\|diff\\| 1.00e-03\\)"):
        compare_gradients({"w": (a, a + 1e-3)})
    assert "False" in capsys.readouterr().out


def test_initialization_scales():
    assert weight_std("kaiming", 8) == pytest.approx(0.5)
    kaiming = activation_rms("kaiming", rng=np.random.default_rng(0))
    assert kaiming.min() > 0.5 and kaiming.max() < 2
    assert activation_rms("normal", rng=np.random.default_rng(0))[-1] > 1e15
    assert activation_rms("small", rng=np.random.default_rng(0))[-1] < 1e-15
    with pytest.raises(ValueError, match="scheme must be one of"):
        weight_std("xavier", 8)


def test_backprop_exercise_checkers(capsys):
    assert ex.check_relu_backward(lambda dA, Z: dA * (Z > 0))
    assert not ex.check_relu_backward(lambda dA, Z: dA * (Z < 0))
    assert "inverted" in capsys.readouterr().out
    assert ex.check_linear_backward(lambda dY, X, W: (dY @ W.T, X.T @ dY))
    assert not ex.check_linear_backward(lambda dY, X, W: (X.T @ dY, dY @ W.T))
    assert "swapped" in capsys.readouterr().out
    assert not ex.check_linear_backward(lambda dY, X, W: dY @ W.T)
    assert "pair" in capsys.readouterr().out
