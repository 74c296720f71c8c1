"""Timing helpers behind notebook 08's cost section, and its exercise checkers (table-driven)."""

import numpy as np
import pytest

from course_utils.exercises import spark_als as ex
from course_utils.scaling import (degrees_at_scale, extrapolation_range, fit_line, line_crossing, pairwise_lines, scaled_shape,
                                  synthetic_at_scale, time_fits)

TINY_USERS = np.array([0, 0, 0, 1, 1, 2, 3, 3, 4, 4, 4, 5])     # notebook 08's section-1 example
TINY_ITEMS = np.array([0, 2, 4, 0, 1, 3, 2, 4, 0, 1, 4, 2])


def test_time_fits_separates_fixed_and_per_sweep_cost():
    """A fake clock: each fit of n sweeps takes 0.5 s fixed + 0.2 s per sweep, and the first
    repeat of every length is disturbed by 1 s (another program); "min" sees through it."""
    clock = {"now": 0.0, "calls": 0}

    def fit(n):
        clock["now"] += 0.5 + 0.2 * n + (1.0 if clock["calls"] % 2 == 0 else 0.0)
        clock["calls"] += 1

    result = time_fits(fit, sweeps=(1, 2, 5), repeats=2, statistic="min", clock=lambda: clock["now"])
    assert result["per_fit"] == pytest.approx(0.5) and result["per_sweep"] == pytest.approx(0.2)
    assert result["seconds"] == pytest.approx([0.7, 0.9, 1.5])
    assert time_fits(fit, sweeps=(1, 3), repeats=2, clock=lambda: clock["now"])["seconds"] == pytest.approx([1.2, 1.6])


def test_time_fits_runs_untimed_warm_up_fits_first():
    lengths = []
    time_fits(lengths.append, sweeps=(1, 3), repeats=2, warmup=1)
    assert lengths == [1, 1, 1, 3, 3, 3]


def test_pairwise_lines_and_the_range_of_an_extrapolation():
    assert np.allclose(pairwise_lines([1, 2, 4], [1, 2, 5]), [[0, 1], [-1 / 3, 4 / 3], [-1, 1.5]])
    assert extrapolation_range([1, 2, 4], [1, 2, 5], 10) == pytest.approx((10, 14))
    low, high = extrapolation_range([1, 2, 3], [2, 4, 6], [10, 100])       # collinear points: no spread
    assert low == pytest.approx([20, 200]) and high == pytest.approx([20, 200])


def test_degrees_at_scale_keep_the_shape_and_reach_the_total():
    measured = np.array([1, 2, 3, 0, 10])
    scaled = degrees_at_scale(measured, 1000, 50_000, seed=0)
    assert scaled.shape == (1000,) and scaled.sum() == pytest.approx(50_000)
    ratios = np.unique(np.round(scaled / scaled.min(), 9))
    assert set(ratios.tolist()) <= {1.0, 2.0, 3.0, 10.0}                   # the measured counts, one factor apart


def test_fit_line_and_crossing():
    assert fit_line([1, 2, 3], [3, 5, 7]) == pytest.approx((1.0, 2.0))
    assert line_crossing((1.0, 2.0), (5.0, 1.0)) == pytest.approx(4.0)
    assert line_crossing((1.0, 2.0), (3.0, 2.0)) is None          # parallel
    assert line_crossing((5.0, 2.0), (1.0, 1.0)) is None          # they met at a negative size


def test_scaled_shape_grows_like_a_catalogue_and_the_generator_uses_it():
    assert scaled_shape(100_000) == (943, 1682)
    assert scaled_shape(10_000_000) == (94340, 16820)
    data = synthetic_at_scale(20_000, seed=0).data
    assert len(data) == 20_000 and (data.n_users, data.n_items) == scaled_shape(20_000)


@pytest.mark.parametrize("call, message", [
    (lambda: time_fits(lambda n: None, sweeps=(2, 2)), "two different lengths"),
    (lambda: time_fits(lambda n: None, statistic="mean"), "statistic"),
    (lambda: time_fits("fit"), "fit must be"),
    (lambda: fit_line([1, 1], [2, 3]), "two distinct"),
    (lambda: scaled_shape(500), "n_ratings"),
    (lambda: time_fits(lambda n: None, warmup=-1), "warmup"),
    (lambda: time_fits(lambda n: None, sweeps=3), "sweeps"),
    (lambda: pairwise_lines([1, 1], [2, 3]), "two distinct"),
    (lambda: degrees_at_scale([0, 0], 10, 100), "degrees"),
    (lambda: degrees_at_scale([1, 2], 10, -5), "n_ratings"),
])
def test_bad_input_is_refused(call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call()


# ----------------------------------------------------------------------------- exercise checkers
@pytest.mark.parametrize("answer, verdict, phrase", [
    (32, True, "Correct"),
    (8, False, "factor vectors"),
    (48, False, "one copy per rating"),
    (60, False, "every item to every block"),
    (33, False, "distinct items"),
    (..., False, "not attempted"),
    ("thirty", False, "whole number"),
])
def test_check_blocked_traffic(answer, verdict, phrase, capsys):
    assert ex.check_blocked_traffic(TINY_USERS, TINY_ITEMS, 3, 4, answer) is verdict
    assert phrase in capsys.readouterr().out


@pytest.mark.parametrize("answer, verdict, phrase", [
    (2.0, True, "Correct"),
    (2, True, "Correct"),
    (0.05, False, "unweighted"),
    (0.05 / 40, False, "does not divide"),
    (3.0, False, "numExplicits"),
    (None, False, "not attempted"),
])
def test_check_spark_lambda(answer, verdict, phrase, capsys):
    assert ex.check_spark_lambda(40, 0.05, answer) is verdict
    assert phrase in capsys.readouterr().out


def _right(U, V, c):
    return np.hstack([U, np.ones((len(U), 1))]), np.hstack([V, c[:, None]])


def _ones_for_items(U, V, c):
    return np.hstack([U, np.ones((len(U), 1))]), np.hstack([V, np.ones((len(V), 1))])


def _no_extra_column(U, V, c):
    return U, V


def _not_written(U, V, c):
    raise NotImplementedError


def _one_array(U, V, c):
    return U


@pytest.mark.parametrize("augment, verdict, phrase", [
    (_right, True, "Correct"),
    (_ones_for_items, False, "not ones"),
    (_no_extra_column, False, "shape"),
    (_not_written, False, "not attempted"),
    (_one_array, False, "two arrays"),
])
def test_check_bias_as_factor(augment, verdict, phrase, capsys):
    assert ex.check_bias_as_factor(augment) is verdict
    assert phrase in capsys.readouterr().out
