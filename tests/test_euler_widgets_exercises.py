import numpy as np
import pytest
import torch

from course_utils.exercises import euler_resnets as ex
from course_utils.odenets import MLPDynamics
from course_utils.widgets import EulerStabilityExplorer, ResNetDepthExplorer, euler_decay, resnet_vs_ode


def test_euler_decay_is_the_geometric_sequence():
    times, states = euler_decay(2.0, 0.25, t_end=2.0)
    np.testing.assert_allclose(states, 0.5 ** np.arange(9))
    with pytest.raises(ValueError, match="must be positive"):
        euler_decay(-1.0, 0.1)


def test_stability_explorer_reports_the_regime_as_the_slider_moves():
    explorer = EulerStabilityExplorer(lam=2.0, dt=0.3)
    assert explorer.last["verdict"] == "decays smoothly"
    png = explorer.live.image.value
    explorer.dt.value = 0.8
    assert "flips sign" in explorer.last["verdict"] and explorer.live.image.value != png
    explorer.dt.value = 1.2
    assert explorer.last["verdict"] == "explodes" and "explodes" in explorer.readout.value
    assert np.abs(explorer.euler.get_ydata()).max() <= 1e3  # clipped for drawing, no overflow warnings


def test_depth_explorer_error_shrinks_with_depth():
    torch.manual_seed(0)
    f = MLPDynamics(2, 8).double()
    h0 = torch.randn(4, 2, dtype=torch.float64)
    explorer = ResNetDepthExplorer(f, h0, n_blocks=2)
    coarse = explorer.last["endpoint_error"]
    explorer.depth.value = 32
    assert explorer.last["endpoint_error"] < coarse / 8
    assert len(explorer.paths[0].get_xdata()) == 33
    assert resnet_vs_ode(f, h0, 32)["endpoint_error"] == pytest.approx(explorer.last["endpoint_error"])
    with pytest.raises(ValueError, match="n_blocks must be one of"):
        ResNetDepthExplorer(f, h0, n_blocks=3)


def test_midpoint_checker(capsys):
    good = lambda f, t, h, dt: h + dt * f(t + dt / 2, h + dt / 2 * f(t, h))
    euler = lambda f, t, h, dt: h + dt * f(t, h)
    assert ex.check_midpoint_step(good)
    assert not ex.check_midpoint_step(euler)
    assert "like Euler" in capsys.readouterr().out
    assert not ex.check_midpoint_step(lambda f, t, h, dt: None)


def test_largest_stable_step_checker(capsys):
    assert ex.check_largest_stable_step(5.0, 0.4)
    assert not ex.check_largest_stable_step(5.0, 0.2)
    assert "still decays" in capsys.readouterr().out
    assert not ex.check_largest_stable_step(5.0, 0.5)
    assert not ex.check_largest_stable_step(5.0, ...)
