import numpy as np
import pytest

from course_utils import gradient, relative_error
from course_utils.gradcheck import (GRADIENT_CHECK_BUG, GRADIENT_CHECK_PASS, expected_central_error,
                                    gradient_check_verdict)


def test_expected_error_is_truncation_plus_round_off():
    eps = np.finfo(np.float64).eps
    h = 1e-5
    assert expected_central_error(h, f_scale=2.0, third_derivative_scale=3.0) == pytest.approx(h**2 / 6 * 3 + eps * 2 / h)
    assert expected_central_error(1e-2, dtype=np.float32) == pytest.approx(1e-4 / 6 + np.finfo(np.float32).eps / 1e-2)
    # smallest near h = eps**(1/3), about 1e-10 or below there for unit-scale functions
    hs = np.logspace(-9, -2, 71)
    best = hs[np.argmin([expected_central_error(h) for h in hs])]
    assert 0.3 < best / eps ** (1 / 3) < 3 and expected_central_error(best) < 1e-10


def test_a_real_gradient_check_lands_near_the_prediction_and_a_bug_far_above():
    rng = np.random.default_rng(0)
    A = rng.normal(size=(6, 6))
    f = lambda x: float(np.sin(x) @ A @ np.cos(x))
    grad = lambda x: np.cos(x) * (A @ np.cos(x)) - np.sin(x) * (A.T @ np.sin(x))
    x = rng.normal(size=6)
    rel = relative_error(grad(x), gradient(f, x))
    assert rel < 100 * expected_central_error(np.finfo(float).eps ** (1 / 3), f_scale=abs(f(x)) + 1, third_derivative_scale=np.abs(A).sum())
    assert gradient_check_verdict(rel) == "right"
    buggy = grad(x) + np.eye(6)[2] * 0.5 * np.abs(grad(x)).max()
    assert gradient_check_verdict(relative_error(buggy, gradient(f, x))) == "bug"


@pytest.mark.parametrize("rel, verdict", [(0.0, "right"), (GRADIENT_CHECK_PASS / 2, "right"), (1e-5, "investigate"),
                                          (GRADIENT_CHECK_BUG * 2, "bug"), (np.inf, "bug")])
def test_verdicts(rel, verdict):
    if np.isinf(rel):
        with pytest.raises(ValueError, match="relative_error must be a finite number"):
            gradient_check_verdict(rel)
    else:
        assert gradient_check_verdict(rel) == verdict


@pytest.mark.parametrize("kwargs, message", [({"h": 0}, "h must be > 0"), ({"h": -1e-5}, "h must be > 0"),
                                             ({"h": "small"}, "h must be a real number"),
                                             ({"h": 1e-5, "f_scale": -1}, "f_scale must be >= 0"),
                                             ({"h": 1e-5, "dtype": np.int64}, "dtype must be one of")])
def test_bad_input_is_refused_with_a_clear_message(kwargs, message):
    with pytest.raises((ValueError, TypeError), match=message):
        expected_central_error(**kwargs)
    with pytest.raises(ValueError, match="relative_error must be >= 0"):
        gradient_check_verdict(-1e-3)
