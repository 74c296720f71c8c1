"""Property-based tests (Hypothesis) for the ratings data structures and the ALS and
gradient-descent entry points, called through their public API.

Every test runs with ``derandomize=True`` and no example database, so a run is the same on
every machine (the course's rule: deterministic), and nothing is written beside the tests.
"""

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from course_utils.als import ALS, init_model, objective, rmse
from course_utils.mf_torch import DotProductBias, fit_gd, predict
from course_utils.ratings import Ratings, split_ratings, synthetic_ratings

COURSE = settings(derandomize=True, database=None, deadline=None, max_examples=40,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FEW = settings(COURSE, max_examples=12)


@st.composite
def ratings_data(draw, min_size: int = 1, max_users: int = 8, max_items: int = 8, half_stars: bool = False):
    """A valid Ratings: distinct (user, item) pairs, every index below n_users / n_items."""
    n_users = draw(st.integers(1, max_users))
    n_items = draw(st.integers(max(1, -(-min_size // n_users)), max(max_items, -(-min_size // n_users))))
    cells = draw(st.lists(st.integers(0, n_users * n_items - 1), min_size=min_size, max_size=n_users * n_items,
                          unique=True))
    step = 0.5 if half_stars else 1.0
    values = draw(st.lists(st.integers(int(1 / step), int(5 / step)), min_size=len(cells), max_size=len(cells)))
    cells = np.array(cells)
    return Ratings(cells // n_items, cells % n_items, np.array(values) * step, n_users, n_items, (step, 5.0))


def _rows(data: Ratings) -> list:
    return sorted(zip(data.users.tolist(), data.items.tolist(), data.ratings.tolist()))


# ------------------------------------------------------------------ Ratings
@COURSE
@given(ratings_data())
def test_ratings_invariants(data):
    assert len(data) == data.users.size == data.items.size == data.ratings.size >= 1
    assert data.users.dtype == np.int64 and data.items.dtype == np.int64 and data.ratings.dtype == np.float64
    assert 0 <= data.users.min() and data.users.max() < data.n_users and data.items.max() < data.n_items
    assert 0 < data.density() <= 1


@COURSE
@given(ratings_data(), st.randoms(use_true_random=False))
def test_subset_keeps_sizes_and_rows(data, rnd):
    index = [i for i in range(len(data)) if rnd.random() < 0.6] or [0]
    sub = data.subset(index)
    assert (sub.n_users, sub.n_items, sub.scale) == (data.n_users, data.n_items, data.scale)
    assert _rows(sub) == sorted(zip(data.users[index].tolist(), data.items[index].tolist(), data.ratings[index].tolist()))
    mask = np.zeros(len(data), bool)
    mask[index] = True
    assert _rows(data.subset(mask)) == _rows(sub)


@COURSE
@given(st.lists(st.tuples(st.integers(-10**12, 10**12), st.integers(0, 50), st.integers(1, 5)), min_size=1, max_size=60))
def test_from_ids_round_trips_the_raw_ids(rows):
    raw_users, raw_items, values = (np.array(col) for col in zip(*rows))
    d = Ratings.from_ids(raw_users, raw_items, values.astype(float))
    assert np.array_equal(d.user_ids[d.users], raw_users) and np.array_equal(d.item_ids[d.items], raw_items)
    assert np.all(np.diff(d.user_ids) > 0) and np.all(np.diff(d.item_ids) > 0)      # sorted, distinct
    assert (d.n_users, d.n_items) == (np.unique(raw_users).size, np.unique(raw_items).size)


@COURSE
@given(st.integers(1, 6), st.integers(1, 6), st.lists(st.integers(-3, 9), min_size=1, max_size=12), st.data())
def test_ratings_refuses_out_of_range_indices_instead_of_wrapping(n_users, n_items, users, data):
    items = data.draw(st.lists(st.integers(0, n_items - 1), min_size=len(users), max_size=len(users)))
    ok = all(0 <= u < n_users for u in users)
    try:
        d = Ratings(users, items, [3.0] * len(users), n_users, n_items)
    except ValueError as exc:
        assert not ok and "user index" in str(exc)
    else:
        assert ok and d.users.tolist() == users


# ------------------------------------------------------------------ splits
@COURSE
@given(ratings_data(min_size=2), st.floats(0.05, 0.95), st.integers(0, 2**32 - 1))
def test_split_partitions_the_rows_and_repeats_with_its_seed(data, fraction, seed):
    n_test = int(fraction * len(data))
    assume(1 <= n_test < len(data))
    train, test = split_ratings(data, fraction, seed)
    assert len(test) == n_test and len(train) + len(test) == len(data)
    assert sorted(_rows(train) + _rows(test)) == _rows(data)
    again_train, again_test = split_ratings(data, fraction, seed)
    assert _rows(again_test) == _rows(test) and np.array_equal(again_test.users, test.users)


@COURSE
@given(ratings_data(), st.one_of(st.floats(allow_nan=True), st.integers(-5, 5), st.text(max_size=3)))
def test_split_refuses_impossible_fractions_with_a_named_error(data, fraction):
    is_number = isinstance(fraction, (int, float)) and not isinstance(fraction, bool)
    n_test = int(fraction * len(data)) if is_number and np.isfinite(fraction) else None
    if is_number and 0 < fraction < 1 and n_test is not None and 1 <= n_test < len(data):
        return
    with pytest.raises((ValueError, TypeError), match="test_fraction|too few"):
        split_ratings(data, fraction)


# ------------------------------------------------------------------ the synthetic generator
@st.composite
def generator_sizes(draw):
    n_users = draw(st.integers(2, 12))
    n_items = draw(st.integers(4, 30))
    cap = int(0.6 * n_items)
    min_per_user = draw(st.integers(0, min(3, cap)))
    low, high = max(n_users * min_per_user, 1), int(0.5 * n_users * n_items)
    assume(low <= high)
    return n_users, n_items, draw(st.integers(low, high)), min_per_user


@COURSE
@given(generator_sizes(), st.integers(0, 2**16))
def test_synthetic_ratings_keeps_its_promises(sizes, seed):
    n_users, n_items, n_ratings, min_per_user = sizes
    s = synthetic_ratings(n_users, n_items, n_ratings, min_per_user=min_per_user, seed=seed)
    d = s.data
    assert len(d) == n_ratings and (d.n_users, d.n_items) == (n_users, n_items)
    assert np.unique(d.users * n_items + d.items).size == n_ratings                    # one rating per pair
    assert np.bincount(d.users, minlength=n_users).min() >= min_per_user
    assert set(np.unique(d.ratings)) <= {1.0, 2.0, 3.0, 4.0, 5.0}
    assert np.array_equal(synthetic_ratings(n_users, n_items, n_ratings, min_per_user=min_per_user, seed=seed).data.ratings,
                          d.ratings)


@COURSE
@given(st.one_of(st.floats(allow_nan=True, allow_infinity=True).filter(lambda x: x != int(x) if np.isfinite(x) else True),
                 st.integers(-100, 0), st.integers(10**6, 10**9)))
def test_synthetic_ratings_refuses_impossible_counts_quickly(n_ratings):
    """Non-whole, non-positive or too many ratings: a clear error, never a loop (the old hang)."""
    with pytest.raises(ValueError, match="n_ratings"):
        synthetic_ratings(n_users=5, n_items=10, n_ratings=n_ratings, min_per_user=1)


# ------------------------------------------------------------------ ALS (public API of course_utils.als)
@FEW
@given(ratings_data(min_size=3, max_users=7, max_items=7), st.integers(1, 3), st.floats(0.05, 20.0), st.integers(0, 100))
def test_als_never_increases_its_objective_and_stays_finite(train, k, lam, seed):
    values = []
    model, _ = ALS(train, k, lam).fit(4, seed=seed, track=lambda name, m: values.append(objective(m, train, lam)))
    assert all(b <= a * (1 + 1e-9) + 1e-9 for a, b in zip(values, values[1:]))
    for name in ("user_factors", "item_factors", "user_bias", "item_bias"):
        assert np.all(np.isfinite(getattr(model, name)))
    assert model.user_factors.shape == (train.n_users, k) and model.item_factors.shape == (train.n_items, k)
    assert np.isfinite(rmse(model, train))


@FEW
@given(ratings_data(min_size=3, max_users=6, max_items=6), st.integers(1, 3), st.floats(0.1, 10.0))
def test_als_numpy_and_torch_backends_agree(train, k, lam):
    start = init_model(train, k, seed=0)
    a, _ = ALS(train, k, lam).fit(2, model=start)
    b, _ = ALS(train, k, lam, backend="torch").fit(2, model=start)
    np.testing.assert_allclose(a.user_factors, b.user_factors, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(a.item_bias, b.item_bias, rtol=1e-7, atol=1e-9)


@FEW
@given(ratings_data(min_size=3), st.sampled_from([0.0, -1.0, float("nan"), float("inf")]))
def test_als_refuses_a_lambda_that_is_not_positive_at_construction(train, lam):
    with pytest.raises(ValueError, match="lam"):
        ALS(train, 2, lam)


# ------------------------------------------------------------------ gradient descent (public API of course_utils.mf_torch)
@FEW
@given(ratings_data(min_size=2, max_users=6, max_items=6, half_stars=True), st.integers(1, 3), st.integers(1, 8),
       st.integers(0, 1000))
def test_fit_gd_is_deterministic_and_predicts_inside_the_range(train, epochs, batch_size, seed):
    def run():
        torch.manual_seed(seed)
        model = DotProductBias(train.n_users, train.n_items, k=2, y_range=(0.0, 5.5))
        history = fit_gd(model, train, epochs=epochs, batch_size=batch_size, lr=0.05, seed=seed, progress=False)
        return model, history

    (m1, h1), (m2, h2) = run(), run()
    assert len(h1["train_mse"]) == epochs and np.all(np.isfinite(h1["train_mse"]))
    assert h1["train_mse"] == h2["train_mse"]
    pred = predict(m1, train)
    assert pred.shape == (len(train),) and np.all((pred >= train.scale[0]) & (pred <= train.scale[1]))


@FEW
@given(ratings_data(min_size=2, max_users=4, max_items=4), st.sampled_from(["lam", "lam_bias", "weight_decay", "lr"]))
def test_fit_gd_refuses_nan_hyperparameters(train, name):
    model = DotProductBias(train.n_users, train.n_items, k=2)
    with pytest.raises(ValueError, match=name):
        fit_gd(model, train, epochs=1, progress=False, **{name: float("nan")})
