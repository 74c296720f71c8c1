"""course_utils.validation: each check accepts what it should (unchanged, without copies)
and refuses the rest with a message that names the argument, the value and what is allowed."""

import math
from pathlib import Path

import numpy as np
import pytest
import torch

from course_utils.validation import (UnknownNameError, all_finite, check_array, check_bool, check_callable,
                                     check_choice, check_count, check_fraction, check_ids, check_instance,
                                     check_name, check_nonnegative, check_number, check_pair, check_path,
                                     check_positive, check_same_length, check_seed, check_text)


def test_check_number_accepts_scalars_and_refuses_the_rest():
    assert check_number("lr", 0.1) == 0.1 and check_number("lr", np.float32(2)) == 2.0
    assert check_number("lr", torch.tensor(3.0)) == 3.0 and check_number("lr", np.array(4)) == 4.0
    with pytest.raises(TypeError, match=r"lr must be a real number \(got True\)"):
        check_number("lr", True)
    with pytest.raises(TypeError, match="lr must be a real number"):
        check_number("lr", "0.1")
    with pytest.raises(ValueError, match=r"lr must be a finite number \(got nan\)"):
        check_number("lr", math.nan)
    with pytest.raises(ValueError, match=r"lr must be in \(0, 1\] \(got 0\): try 0.1"):
        check_number("lr", 0, low=0, high=1, low_open=True, hint="try 0.1")
    assert check_number("x", math.inf, finite=False) == math.inf


def test_positive_nonnegative_fraction():
    assert check_positive("h", 1e-5) == 1e-5 and check_nonnegative("lam", 0) == 0.0
    with pytest.raises(ValueError, match=r"h must be > 0 \(got 0\)"):
        check_positive("h", 0)
    with pytest.raises(ValueError, match=r"lam must be >= 0 \(got -1\)"):
        check_nonnegative("lam", -1)
    assert check_fraction("p", 0.2) == 0.2
    for bad in (0, 1, 1.5, -0.1):
        with pytest.raises(ValueError, match=r"p must be in \(0, 1\)"):
            check_fraction("p", bad)
    assert check_fraction("p", 0, low_open=False) == 0.0


def test_check_count_and_seed():
    assert check_count("k", 5) == 5 and check_count("n", 1e5) == 100_000 and check_count("n", np.int32(3)) == 3
    with pytest.raises(ValueError, match=r"k must be a whole number \(got 2.5\)"):
        check_count("k", 2.5)
    with pytest.raises(ValueError, match=r"k must be a whole number >= 1 \(got 0\)"):
        check_count("k", 0)
    with pytest.raises(ValueError, match=r"in \[1, 3\]"):
        check_count("k", 4, maximum=3)
    with pytest.raises(TypeError, match="k must be a whole number"):
        check_count("k", True)
    with pytest.raises(ValueError, match="k must be a whole number"):
        check_count("k", math.inf)
    assert check_seed("seed", 0) == 0
    with pytest.raises(ValueError, match="seed must be a whole number >= 0"):
        check_seed("seed", -1)


def test_choice_bool_callable_text_path_instance():
    assert check_choice("method", "central", ("forward", "central")) == "central"
    with pytest.raises(ValueError, match=r"method must be one of \['forward', 'central'\] \(got 'x'\)"):
        check_choice("method", "x", ("forward", "central"))
    with pytest.raises(ValueError, match="method must be one of"):
        check_choice("method", ["unhashable"], {"a": 1})
    assert check_bool("verbose", np.bool_(True)) is True
    with pytest.raises(TypeError, match="verbose must be True or False"):
        check_bool("verbose", 1)
    assert check_callable("f", np.sin) is np.sin
    with pytest.raises(TypeError, match="f must be a function"):
        check_callable("f", 3)
    assert check_text("name", "x") == "x"
    with pytest.raises(TypeError, match="name must be a string"):
        check_text("name", 3)
    with pytest.raises(ValueError, match="name must be a non-empty string"):
        check_text("name", "  ")
    assert check_path("dest", "~/x") == Path("~/x").expanduser()
    for bad, kind in ((3, TypeError), (b"x", TypeError), ("", ValueError), ("a\x00b", ValueError)):
        with pytest.raises(kind, match="dest must be"):
            check_path("dest", bad)
    assert check_instance("data", 3, int) == 3
    with pytest.raises(TypeError, match="data must be a Ratings"):
        check_instance("data", [1], (Path, int), what="a Ratings")


def test_check_pair_and_check_name():
    assert check_pair("scale", (1, 5)) == (1.0, 5.0)
    with pytest.raises(ValueError, match=r"scale must be \(low, high\) with low < high"):
        check_pair("scale", (5, 1))
    with pytest.raises(ValueError, match=r"scale\[1\] must be a finite number"):
        check_pair("scale", (1, math.nan))
    with pytest.raises(ValueError, match="scale must be a pair"):
        check_pair("scale", (1, 2, 3))
    with pytest.raises(TypeError, match="scale must be a pair"):
        check_pair("scale", 3)
    assert check_name("name", "a", {"a": 1, "b": 2}) == "a"
    with pytest.raises(UnknownNameError, match=r"name must be one of \['a', 'b'\]") as info:
        check_name("name", "../../x", {"a": 1, "b": 2})
    assert isinstance(info.value, KeyError) and isinstance(info.value, ValueError)
    assert str(info.value).startswith("name must")          # no KeyError quotes
    with pytest.raises(TypeError, match="name must be a name"):
        check_name("name", 3, ["a"])


def test_check_array_converts_without_copying_when_it_fits():
    x = np.arange(6.0).reshape(2, 3)
    assert check_array("x", x) is x
    assert check_array("x", torch.ones(3)).dtype == np.float64
    assert check_array("x", [1, 2], dtype=None).dtype.kind == "i"
    with pytest.raises(ValueError, match=r"x must be 1-D"):
        check_array("x", x, ndim=1)
    with pytest.raises(ValueError, match=r"x must be of shape \(any, 2\)"):
        check_array("x", x, shape=(None, 2))
    with pytest.raises(ValueError, match="x must be non-empty"):
        check_array("x", [])
    with pytest.raises(ValueError, match=r"x must be finite .*element \(1, 0\) is nan"):
        check_array("x", [[1.0, 2.0], [np.nan, 3.0]])
    with pytest.raises(ValueError, match="ragged"):
        check_array("x", [[1, 2], [3]])
    for bad in ("abc", None, {"a": 1}, [object()]):
        with pytest.raises(TypeError, match="x must be an array of numbers"):
            check_array("x", bad)
    with pytest.raises(TypeError, match="not complex"):
        check_array("x", [1j])


def test_all_finite_is_cheap_and_right():
    assert all_finite(np.ones(10)) and all_finite(np.arange(3)) and all_finite(np.array([]))
    assert not all_finite(np.array([1.0, np.inf])) and not all_finite(np.array([np.nan]))
    assert all_finite(np.array([1e308, 1e308]))                 # the sum overflows; the elements do not


def test_check_ids_refuses_negative_out_of_range_and_fractional():
    assert check_ids("users", [0, 2], 3).tolist() == [0, 2]
    assert check_ids("users", np.array([1.0, 2.0]), 3).dtype == np.int64
    with pytest.raises(ValueError, match=r"users must be user ids in \[0, 2\].*found -1"):
        check_ids("users", [0, -1], 3, what="user")
    with pytest.raises(ValueError, match="found 943; this model knows 100 users"):
        check_ids("users", [943], 100, what="user")
    with pytest.raises(ValueError, match="whole-number"):
        check_ids("users", [0.5], 3)
    with pytest.raises(TypeError, match="not True/False"):
        check_ids("users", [True], 3)
    with pytest.raises(ValueError, match="1-D"):
        check_ids("users", [[0]], 3)


def test_check_same_length():
    assert check_same_length(a=[1, 2], b=np.zeros(2)) == 2
    with pytest.raises(ValueError, match=r"a, b must have the same length \(a has 2, b has 3\)"):
        check_same_length(a=[1, 2], b=[1, 2, 3])
    with pytest.raises(TypeError, match="b must be a sequence"):
        check_same_length(a=[1], b=3)


def test_all_finite_wants_an_array():
    with pytest.raises(TypeError, match="arr must be a NumPy array"):
        all_finite([1.0])
