"""Representative boundary errors of the modules behind notebooks 01-07: each names the
argument, shows what was given, says what is allowed and, where there is one, the fix.
(tests/test_bad_inputs.py probes every argument; these pin the wording a learner reads.)"""

import math

import numpy as np
import pytest

from course_utils import color_for, derivative, environment_report, loglog_slope, pick_device
from course_utils.broadcasting import BroadcastReport, explain_broadcast
from course_utils.neighbors import user_cosine_matrix, user_knn_predict
from course_utils.optimizers import check_hyperparameters, optimize, sgd_step
from course_utils.ratings import Ratings, cold_start_report, split_ratings, synthetic_ratings
from course_utils.similarity import cosine_similarity
from course_utils.surfaces import Surface, factorization, quadratic
from course_utils.validation import UnknownNameError


@pytest.fixture(scope="module")
def data():
    return synthetic_ratings(n_users=10, n_items=12, n_ratings=50, min_per_user=3, seed=1).data


def test_ratings_messages(data):
    with pytest.raises(ValueError, match=r"n_users must be a whole number \(got 2.5\): the number of users"):
        Ratings([0], [0], [3.0], 2.5, 1)
    with pytest.raises(ValueError, match=r"scale must be \(low, high\) with low < high \(got \(5, 1\)\)"):
        Ratings([0], [0], [3.0], 1, 1, scale=(5, 1))
    with pytest.raises(ValueError, match=r"index must be row ids in \[0, 49\].*found 50"):
        data.subset([50])
    with pytest.raises(TypeError, match="data must be a Ratings object"):
        split_ratings([1, 2, 3])
    with pytest.raises(ValueError, match="train and test must index the same users and items"):
        cold_start_report(data, Ratings([0], [0], [3.0], 1, 1))
    with pytest.raises(ValueError, match=r"min_per_user must be <= 0.6 \* n_items = 7 \(got 8\)"):
        synthetic_ratings(n_users=3, n_items=12, n_ratings=30, min_per_user=8)


def test_synthetic_ratings_with_a_fractional_count_is_refused_at_once(data):
    with pytest.raises(ValueError, match=r"n_ratings must be a whole number \(got 100.5\)"):
        synthetic_ratings(n_users=20, n_items=30, n_ratings=100.5, min_per_user=2)


def test_neighbours_messages(data):
    with pytest.raises(ValueError, match=r"users must be user ids in \[0, 9\].*found -1"):
        user_knn_predict(data, [-1], [0])
    with pytest.raises(ValueError, match=r"n_neighbors must be a whole number >= 1 \(got 0\)"):
        user_knn_predict(data, [0], [0], n_neighbors=0)
    with pytest.raises(ValueError, match=r"sim must be of shape \(10, 10\)"):
        user_knn_predict(data, [0], [0], sim=np.eye(3))
    with pytest.raises(ValueError, match=r"min_common must be a whole number \(got 2.5\)"):
        user_cosine_matrix(data, min_common=2.5)


def test_optimizer_messages():
    with pytest.raises(ValueError, match=r"grad must have params' shape \(2,\) \(got \(3,\)\); no broadcasting"):
        sgd_step(np.ones(2), np.ones(3), {}, lr=0.1)
    with pytest.raises(ValueError, match=r"state\['momentum_buffer'\] has shape \(3,\), params \(2,\)"):
        sgd_step(np.ones(2), np.ones(2), {"momentum_buffer": np.ones(3)}, lr=0.1, momentum=0.9)
    with pytest.raises(UnknownNameError, match=r"name must be one of \['adam', .*unknown optimizer"):
        optimize("adamm", lambda x: x, [1.0], 3, lr=0.1)
    with pytest.raises(ValueError, match=r"grad_fn must return an array of numbers shaped like x0 \(2,\)"):
        optimize("gd", lambda x: 1.0 * x[0], [1.0, 2.0], 3, lr=0.1)
    assert check_hyperparameters(lr=True, betas=None, nesterov="yes") == [
        "learning rate must be a positive number; got lr=True", "nesterov must be True or False; got 'yes'",
        "betas must be a pair (beta1, beta2), each in [0, 1); got None"]


def test_surface_and_broadcast_messages():
    with pytest.raises(ValueError, match=r"kappa must be >= 1 \(got 0.5\): the condition number"):
        quadratic(0.5)
    with pytest.raises(ValueError, match=r"lam must be < rating \(got rating=1, lam=2\)"):
        factorization(1.0, 2.0)
    with pytest.raises(TypeError, match="grad must be a function"):
        Surface("s", np.add, 3, (0, 1), (0, 1), (0, 0), 0.0, "")
    with pytest.raises(ValueError, match=r"p must be of shape \(2\)"):
        quadratic(10).value(np.ones(3))
    with pytest.raises(ValueError, match="shape_a must hold non-negative whole numbers"):
        explain_broadcast((-1, 2), (2,))
    with pytest.raises(TypeError, match="steps must be a list of strings"):
        BroadcastReport((1,), (1,), (1,), steps="abc")


def test_core_helper_messages():
    with pytest.raises(TypeError, match="f must be a function"):
        derivative(3, 1.0)
    with pytest.raises(TypeError, match=r"step h must be a positive number .* not str"):
        derivative(np.sin, 1.0, h="0.1")
    with pytest.raises(ValueError, match="x must hold at least one point"):
        derivative(np.sin, [])
    with pytest.raises(TypeError, match="steps must be an array of numbers"):
        loglog_slope("abc", [1, 2])
    with pytest.raises(TypeError, match="b must be an array of numbers"):
        cosine_similarity([1.0, 0.0], "abc")
    with pytest.raises(UnknownNameError, match="method 'purple' has no course colour; known methods") as info:
        color_for("purple")
    assert isinstance(info.value, KeyError) and isinstance(info.value, ValueError)
    with pytest.raises(TypeError, match="verbose must be True or False"):
        environment_report(verbose="yes")
    with pytest.raises(TypeError, match="prefer must be None or one of"):
        pick_device(prefer=3)


def test_validation_does_not_change_good_results():
    h = np.logspace(-3, -1, 6)
    assert loglog_slope(list(h), list(h**2)) == pytest.approx(2.0)
    assert cosine_similarity([1, 0], [1, 1]) == pytest.approx(1 / math.sqrt(2))
    path = optimize("adam", lambda x: 2 * x, [1.0, -1.0], 5, lr=0.1)["path"]
    x, state = np.array([1.0, -1.0]), {}
    from course_utils.optimizers import adam_step
    for _ in range(5):
        x, state = adam_step(x, 2 * x, state, lr=0.1)
    np.testing.assert_array_equal(path[-1], x)
