import numpy as np
import pytest

from course_utils.momentum_map import measured_rates, optimum, stability_edge, theory_rates
from course_utils.optimizers import optimize
from course_utils.surfaces import quadratic


def test_the_map_iterates_the_course_momentum_optimizer():
    """measured_rates' iteration is PyTorch-convention SGD momentum: same path, same rate."""
    kappa, lr, beta = 20.0, 1.5, 0.5
    path = optimize("momentum", quadratic(kappa).grad, [1.0, 1.0], 400, lr=lr, momentum=beta)["path"]
    state = np.linalg.norm(np.c_[path[1:], path[:-1]], axis=1)
    expected = np.exp(np.log(state[-1] / state[199]) / 200)
    assert measured_rates([lr], [beta], [1 / kappa, 1.0], n_steps=400)[0, 0] == pytest.approx(expected, rel=1e-9)


def test_measured_rates_follow_theory_and_the_edge():
    lrs, moms = np.linspace(0.1, 4.0, 25), np.linspace(0.0, 0.95, 12)
    measured, theory = measured_rates(lrs, moms, [0.02, 1.0]), theory_rates(lrs, moms, [0.02, 1.0])
    assert np.abs(measured - theory).max() < 0.01 and np.median(np.abs(measured - theory)) < 1e-9
    beyond = lrs[None, :] > stability_edge(moms, 1.0)[:, None] * 1.01
    assert np.all(measured[beyond] > 1) and np.all(theory[beyond] > 1)


def test_optimum_is_polyak_and_fastest():
    eta, beta, rate = optimum(1.0, 0.01)
    assert eta == pytest.approx(4 / 1.1**2) and beta == pytest.approx((9 / 11) ** 2) and rate == pytest.approx(9 / 11)
    near = theory_rates(eta * np.array([0.95, 1.0, 1.05]), beta + np.array([-0.03, 0.0, 0.03]), [0.01, 1.0])
    assert near.min() == pytest.approx(near[1, 1]) and near[1, 1] == pytest.approx(rate)


def test_bad_grids_are_refused():
    with pytest.raises(ValueError, match="momenta in"):
        theory_rates([0.1], [1.0], [1.0])
    with pytest.raises(ValueError, match="n_steps"):
        measured_rates([0.1], [0.5], [1.0], n_steps=2)
