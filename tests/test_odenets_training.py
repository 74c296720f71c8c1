import pytest
import torch

from course_utils.ode import odeint_fixed
from course_utils.odenets import (DigitsODENet, DigitsResNet, MLPDynamics, SharedResidualStack, SpiralDynamics,
                                  count_parameters)
from course_utils.training import accuracy, train_classifier


def test_shared_residual_stack_is_euler():
    torch.manual_seed(0)
    f = MLPDynamics(3, 8).double()
    h0 = torch.randn(5, 3, dtype=torch.float64)
    for L in (1, 3, 10):
        with torch.no_grad():
            torch.testing.assert_close(SharedResidualStack(f, L)(h0), odeint_fixed(f, h0, [0.0, 1.0], method="euler", substeps=L)[-1])
    with pytest.raises(ValueError, match="n_blocks"):
        SharedResidualStack(f, 0)


def test_spiral_dynamics_formula():
    y = torch.tensor([[1.0, 2.0]])
    expected = torch.tensor([[1.0 * -0.1 + 8.0 * -2.0, 1.0 * 2.0 + 8.0 * -0.1]])
    torch.testing.assert_close(SpiralDynamics()(None, y), expected)


def test_digits_models_shapes_and_parameter_counts():
    x = torch.randn(7, 64)
    res, ode = DigitsResNet(32, 4), DigitsODENet(32, 2)
    assert res(x).shape == ode(x).shape == (7, 10)
    assert count_parameters(ode) < count_parameters(res) / 2


def test_training_is_deterministic_and_learns_a_separable_problem():
    g = torch.Generator().manual_seed(0)
    X = torch.randn(200, 64, generator=g)
    y = (X[:, 0] > 0).long()
    runs = []
    for _ in range(2):
        torch.manual_seed(0)
        model = DigitsResNet(16, 1)
        runs.append(train_classifier(model, X, y, epochs=20, seed=3)["loss"])
    assert runs[0] == runs[1]
    assert accuracy(model, X, y) > 0.9


def test_training_refuses_bad_data():
    model = DigitsResNet(8, 1)
    with pytest.raises(ValueError, match="2-D float tensor"):
        train_classifier(model, torch.ones(10), torch.zeros(10, dtype=torch.long))
    with pytest.raises(ValueError, match="integer class labels"):
        train_classifier(model, torch.ones(10, 64), torch.zeros(10))
    with pytest.raises(ValueError, match="same, non-zero number"):
        train_classifier(model, torch.ones(10, 64), torch.zeros(9, dtype=torch.long))
    with pytest.raises(ValueError, match="lr > 0"):
        train_classifier(model, torch.ones(10, 64), torch.zeros(10, dtype=torch.long), lr=-1)


def test_digits_odenet_method_and_its_one_euler_step_resnet():
    torch.manual_seed(0)
    x = torch.randn(5, 64)
    net = DigitsODENet(16, n_steps=1, method="euler")
    with torch.no_grad():
        h0 = torch.relu(net.stem(x))
        one_block = net.head(h0 + net.dynamics(torch.tensor(0.0), h0))   # h + f(0, h): one residual block
        torch.testing.assert_close(net(x), one_block)


@pytest.mark.parametrize("n_steps, method", [(4, "rk4"), (3, "midpoint"), (2, "euler")])
def test_digits_odenet_evaluates_f_steps_times_stages(n_steps, method):
    net = DigitsODENet(8, n_steps=n_steps, method=method)
    calls = []
    net.dynamics.register_forward_hook(lambda *args: calls.append(1))
    net(torch.randn(3, 64))
    assert len(calls) == n_steps * DigitsODENet.STAGES[method]


@pytest.mark.parametrize("kwargs, error, fragment", [
    ({"method": "dopri5"}, ValueError, "method must be one of"),
    ({"n_steps": 0}, ValueError, "n_steps must be a whole number >= 1"),
    ({"n_steps": 2.5}, ValueError, "n_steps must be a whole number"),
    ({"width": "64"}, TypeError, "width must be a whole number"),
])
def test_digits_odenet_refuses_bad_arguments(kwargs, error, fragment):
    with pytest.raises(error, match=fragment):
        DigitsODENet(**kwargs)
    if "width" in kwargs:
        with pytest.raises(error, match=fragment):
            DigitsResNet(**kwargs)
