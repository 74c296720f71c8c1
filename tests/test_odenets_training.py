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
