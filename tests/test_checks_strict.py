"""The check helpers cannot pass by accident: NaN/inf on either side, empty comparisons,
shape mismatches and non-boolean claims all fail, and failures name the worst element.
Each still prints exactly one PASS line when it passes (the notebooks rely on that)."""

import math

import numpy as np
import pytest
import torch

from course_utils.checks import check_between, check_close, check_true, compare_gradients


@pytest.mark.parametrize("actual, expected", [
    (1.0, math.inf), ([1.0, 2.0], [1.0, math.nan]), (math.inf, math.inf), ([math.nan], [math.nan]), (math.inf, 1.0),
])
def test_check_close_fails_on_nan_or_inf_on_either_side(actual, expected, capsys):
    with pytest.raises(AssertionError, match="NaN or inf"):
        check_close("x", actual, expected, rtol=1e-3)
    assert capsys.readouterr().out.startswith("FAIL")


def test_check_close_names_the_non_finite_element():
    with pytest.raises(AssertionError, match=r"expected contains NaN or inf \(element \(1, 0\) is inf\)"):
        check_close("m", np.zeros((2, 2)), [[0, 0], [math.inf, 0]])


def test_check_close_empty_and_shape_mismatch_fail(capsys):
    with pytest.raises(AssertionError, match="nothing to compare"):
        check_close("e", [], [])
    with pytest.raises(AssertionError, match="shape mismatch"):
        check_close("s", np.zeros(3), np.zeros(4))
    assert capsys.readouterr().out.count("FAIL") == 2


def test_check_close_prints_one_pass_line(capsys):
    check_close("ok", torch.tensor([1.0, 2.0]), [1.0, 2.0 + 1e-9], rtol=1e-6)
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.startswith("PASS  ok")


@pytest.mark.parametrize("kwargs, match", [({"rtol": -1}, "rtol must be >= 0"), ({"atol": math.nan}, "atol must be"),
                                           ({"rtol": "1e-3"}, "rtol must be a real number")])
def test_check_close_bad_tolerances_name_the_argument(kwargs, match):
    with pytest.raises((TypeError, ValueError), match=match):
        check_close("x", 1.0, 1.0, **kwargs)


def test_check_close_refuses_non_numbers():
    with pytest.raises(TypeError, match="actual must be numbers"):
        check_close("x", "1.0", 1.0)
    with pytest.raises(TypeError, match="expected must be numbers"):
        check_close("x", 1.0, None)
    with pytest.raises(TypeError, match="name must be a string"):
        check_close(3, 1.0, 1.0)


def test_check_between_refuses_bad_ranges_and_arrays():
    with pytest.raises(ValueError, match="low must be <= high"):
        check_between("x", 1.0, 2.0, 0.0)
    with pytest.raises(ValueError, match="high must be a finite number"):
        check_between("x", 1.0, 0.0, math.nan)
    assert check_between("one-sided", 5.0, 1e-2, math.inf) == 5.0
    with pytest.raises(TypeError, match="value must be one number"):
        check_between("x", [1.0, 2.0], 0.0, 3.0)
    with pytest.raises(AssertionError, match="outside"):
        check_between("x", math.inf, 0.0, 3.0)
    assert check_between("x", np.array([1.5]), 1.0, 2.0) == 1.5


@pytest.mark.parametrize("condition", ["False", [False], 1, None, np.array([True, False])])
def test_check_true_refuses_things_that_are_not_yes_or_no(condition):
    with pytest.raises(TypeError, match="condition must be"):
        check_true("claim", condition)


def test_check_true_accepts_numpy_and_torch_booleans(capsys):
    check_true("np", np.bool_(True))
    check_true("torch", torch.tensor(True))
    check_true("array", np.array([True]))
    assert capsys.readouterr().out.count("PASS") == 3
    with pytest.raises(AssertionError, match="does not hold"):
        check_true("no", np.float64(1.0) > 2)


def test_compare_gradients_cannot_pass_on_nothing():
    with pytest.raises(AssertionError, match="pairs is empty"):
        compare_gradients({})
    with pytest.raises(AssertionError, match="nothing to compare"):
        compare_gradients({"w": (np.zeros(0), np.zeros(0))})
    with pytest.raises(TypeError, match="pairs must be a dict"):
        compare_gradients([("w", (1, 1))])
    with pytest.raises(TypeError, match=r"pairs\['w'\] must be a pair"):
        compare_gradients({"w": np.zeros(3)})


def test_compare_gradients_fails_on_nan_inf_and_names_the_worst_element():
    a = np.arange(4.0)
    with pytest.raises(AssertionError, match=r"w: reference contains NaN or inf \(element \(2,\) is nan\)"):
        compare_gradients({"w": (a, np.array([0, 1, np.nan, 3.0]))})
    with pytest.raises(AssertionError, match="manual contains NaN or inf"):
        compare_gradients({"w": (np.full(4, np.inf), np.full(4, np.inf))})
    b = a.copy()
    b[3] += 0.5
    with pytest.raises(AssertionError, match=r"worst element \(3,\): manual 3.0 vs reference 3.5"):
        compare_gradients({"w": (a, b)})
