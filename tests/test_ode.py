import numpy as np
import pytest
import torch
import torchdiffeq

from course_utils import loglog_slope
from course_utils.ode import ORDERS, odeint_fixed, time_grid

F64 = torch.float64
A = torch.tensor([[-0.1, 1.0], [-1.0, -0.1]], dtype=F64)


def linear(t, h):
    return h @ A.T


@pytest.mark.parametrize("method", sorted(ORDERS))
def test_convergence_order_matches_theory(method):
    h0 = torch.tensor([[1.0, 0.0]], dtype=F64)
    exact = h0 @ torch.linalg.matrix_exp(2.0 * A).T
    dts = np.array([0.1, 0.05, 0.025, 0.0125])
    errors = [(odeint_fixed(linear, h0, [0.0, 2.0], method=method, substeps=round(2 / dt))[-1] - exact).norm().item() for dt in dts]
    assert loglog_slope(dts, errors) == pytest.approx(ORDERS[method], abs=0.3)


def test_euler_matches_torchdiffeq_and_output_shape():
    h0 = torch.randn(5, 2, dtype=F64, generator=torch.Generator().manual_seed(0))
    t = torch.linspace(0, 1, 7, dtype=F64)
    ours = odeint_fixed(linear, h0, t, method="euler")
    assert ours.shape == (7, 5, 2)
    torch.testing.assert_close(ours, torchdiffeq.odeint(linear, h0, t, method="euler"), rtol=1e-12, atol=1e-14)


def test_backward_in_time_is_refused_with_the_offending_index():
    with pytest.raises(ValueError, match=r"strictly increasing; t\[1\] = 1 >= t\[2\] = 0.5"):
        odeint_fixed(linear, torch.ones(1, 2, dtype=F64), [0.0, 1.0, 0.5])
    with pytest.raises(ValueError, match="strictly increasing"):
        time_grid([0.0, 0.0])
    with pytest.raises(ValueError, match="at least 2 times"):
        time_grid([1.0])


def test_shape_mismatch_and_bad_state_are_clear_errors():
    with pytest.raises(ValueError, match=r"returned \(2,\) for a state of shape \(1, 2\)"):
        odeint_fixed(lambda t, h: h[0], torch.ones(1, 2), [0.0, 1.0])
    with pytest.raises(ValueError, match="h0 must be finite"):
        odeint_fixed(linear, torch.tensor([[np.nan, 0.0]], dtype=F64), [0.0, 1.0])
    with pytest.raises(ValueError, match="floating-point torch tensor"):
        odeint_fixed(linear, np.ones((1, 2)), [0.0, 1.0])
    with pytest.raises(ValueError, match="method must be one of"):
        odeint_fixed(linear, torch.ones(1, 2, dtype=F64), [0.0, 1.0], method="rk45")
    with pytest.raises(ValueError, match="substeps"):
        odeint_fixed(linear, torch.ones(1, 2, dtype=F64), [0.0, 1.0], substeps=0)


def test_blow_up_names_the_step_and_suggests_a_fix():
    stiff = lambda t, h: -1e3 * h
    with pytest.raises(ValueError, match="unstable. Use more substeps"):
        odeint_fixed(stiff, torch.ones(1, dtype=F64), torch.linspace(0, 100, 2), method="euler", substeps=200)
    out = odeint_fixed(stiff, torch.ones(1, dtype=F64), [0.0, 1.0], method="euler", substeps=10, check_finite=False)
    assert out[-1].item() == pytest.approx((1 - 1e3 * 0.1) ** 10)  # with the check off, the growth is visible
