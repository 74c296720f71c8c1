"""Batched top-N (notebook 08) against a full sort, one user at a time."""

import numpy as np
import pytest

from course_utils.als import FactorModel
from course_utils.ratings import Ratings
from course_utils.topn import top_n_items


def random_model(n_users=37, n_items=29, k=4, seed=0):
    rng = np.random.default_rng(seed)
    return FactorModel(rng.normal(size=(n_users, k)), rng.normal(size=(n_items, k)), rng.normal(size=n_users),
                       rng.normal(size=n_items), 3.5)


def brute_force(model, n, exclude=None):
    scores = model.mu + model.user_bias[:, None] + model.item_bias[None, :] + model.user_factors @ model.item_factors.T
    if exclude is not None:
        scores[exclude.users, exclude.items] = -np.inf
    order = np.array([np.lexsort((np.arange(scores.shape[1]), -row))[:n] for row in scores])
    return order, np.take_along_axis(scores, order, axis=1)


@pytest.mark.parametrize("batch_size", [1, 5, 1024])
@pytest.mark.parametrize("n", [1, 7, 29])
def test_matches_a_full_sort_for_every_batch_size(n, batch_size):
    model = random_model()
    items, scores = top_n_items(model, n, batch_size=batch_size)
    expected_items, expected_scores = brute_force(model, n)
    assert np.array_equal(items, expected_items)
    assert np.allclose(scores, expected_scores)


def test_scores_are_the_model_predictions():
    model = random_model(seed=1)
    items, scores = top_n_items(model, 5)
    users = np.repeat(np.arange(model.user_factors.shape[0]), 5)
    assert np.allclose(scores.ravel(), model.predict(users, items.ravel()))


def test_ties_go_to_the_smaller_item_id():
    model = FactorModel(np.ones((3, 1)), np.ones((6, 1)), np.zeros(3), np.zeros(6), 0.0)   # every score equal
    items, _ = top_n_items(model, 3)
    assert items.tolist() == [[0, 1, 2]] * 3


def test_excluded_items_are_never_recommended_and_a_subset_of_users_works():
    model = random_model(seed=2)
    rng = np.random.default_rng(0)
    pairs = np.unique(rng.integers(0, [37, 29], size=(300, 2)), axis=0)
    seen = Ratings(pairs[:, 0], pairs[:, 1], np.full(len(pairs), 3.0), 37, 29)
    items, _ = top_n_items(model, 4, exclude=seen)
    expected, _ = brute_force(model, 4, exclude=seen)
    assert np.array_equal(items, expected)
    rated = set(zip(seen.users.tolist(), seen.items.tolist()))
    assert not any((u, i) in rated for u in range(37) for i in items[u])
    some = np.array([3, 0, 30])
    assert np.array_equal(top_n_items(model, 4, users=some, exclude=seen)[0], expected[some])


@pytest.mark.parametrize("kwargs, message", [
    ({"n": 0}, "n must be"),
    ({"n": 30}, "29 items"),
    ({"users": [0, 37]}, "user ids"),
    ({"batch_size": 0}, "batch_size"),
    ({"exclude": [(0, 1)]}, "Ratings"),
])
def test_bad_input_is_refused_with_a_clear_message(kwargs, message):
    with pytest.raises((ValueError, TypeError), match=message):
        top_n_items(random_model(), **{"n": 3, **kwargs})


def test_a_model_that_is_not_a_factor_model_is_refused():
    with pytest.raises(TypeError, match="factor_model_from_spark"):
        top_n_items(object(), 3)


def test_exclude_must_be_indexed_like_the_model():
    other = Ratings(np.array([0]), np.array([0]), np.array([3.0]), 5, 5)
    with pytest.raises(ValueError, match="indexed like"):
        top_n_items(random_model(), 3, exclude=other)


def test_batched_top_n_agrees_with_the_dense_ranking_lists_of_notebook_07():
    """course_utils.ranking.top_k_items ranks a dense score matrix (excluding rated items);
    the batched scorer must give the same lists without ever holding that matrix."""
    from course_utils.ranking import score_matrix, top_k_items

    model = random_model(seed=3)
    rng = np.random.default_rng(1)
    pairs = np.unique(rng.integers(0, [37, 29], size=(250, 2)), axis=0)
    train = Ratings(pairs[:, 0], pairs[:, 1], np.full(len(pairs), 4.0), 37, 29)
    dense = top_k_items(score_matrix(model, 37, 29), train, k=6)
    batched, _ = top_n_items(model, 6, exclude=train, batch_size=8)
    assert np.array_equal(dense, batched)
