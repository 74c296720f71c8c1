import numpy as np
import pytest
import torch

from course_utils.als import (ALS, FactorModel, als_sweep_loops, fit_biases, fold_in_user, init_model, objective,
                              ratings_by_key, rmse)
from course_utils.exercises import factorization as ex
from course_utils.mf_torch import DotProductBias, NeuralCF, default_y_range, fit_gd, predict, rmse_torch
from course_utils.neighbors import user_cosine_matrix, user_knn_predict
from course_utils.ratings import Ratings, split_ratings, synthetic_ratings


@pytest.fixture(scope="module")
def small():
    s = synthetic_ratings(n_users=120, n_items=150, n_ratings=4000, min_per_user=10, seed=2)
    train, test = split_ratings(s.data, 0.2, seed=0)
    return s, train, test


@pytest.mark.parametrize("lam,lam_bias,k", [(5.0, None, 4), (0.5, 2.0, 7)])
def test_three_als_implementations_agree(small, lam, lam_bias, k):
    _, train, _ = small
    start = init_model(train, k, seed=3)
    loops = start.copy()
    by_user, by_item = ratings_by_key(train)
    if lam_bias is None:                       # the loops implement the tutorial's single lambda
        for _ in range(2):
            als_sweep_loops(loops, by_user, by_item, lam)
    vec, _ = ALS(train, k, lam, lam_bias=lam_bias).fit(2, model=start)
    tor, _ = ALS(train, k, lam, lam_bias=lam_bias, backend="torch").fit(2, model=start)
    for name in ("user_factors", "item_factors", "user_bias", "item_bias"):
        if lam_bias is None:
            np.testing.assert_allclose(getattr(loops, name), getattr(vec, name), rtol=1e-8, atol=1e-10)
        np.testing.assert_allclose(getattr(tor, name), getattr(vec, name), rtol=1e-8, atol=1e-10)


def test_als_objective_never_increases_and_beats_biases(small):
    _, train, test = small
    values = []
    model, _ = ALS(train, 5, 5.0).fit(8, track=lambda name, m: values.append(objective(m, train, 5.0)))
    assert all(b <= a * (1 + 1e-12) for a, b in zip(values, values[1:]))
    assert rmse(model, test) < rmse(fit_biases(train), test) < rmse(FactorModel(np.zeros((train.n_users, 1)), np.zeros((train.n_items, 1)),
                                                                               np.zeros(train.n_users), np.zeros(train.n_items), train.ratings.mean()), test)


def test_objective_with_a_separate_bias_penalty_never_increases(small):
    _, train, _ = small
    values = []
    ALS(train, 5, 8.0, lam_bias=0.5).fit(6, track=lambda name, m: values.append(objective(m, train, 8.0, 0.5)))
    assert all(b <= a * (1 + 1e-12) for a, b in zip(values, values[1:]))
    m = init_model(train, 2)
    m.user_bias[:] = 1.0
    assert objective(m, train, 1.0, 3.0) - objective(m, train, 1.0, 1.0) == pytest.approx(2.0 * train.n_users)


def test_weighted_regularization_also_descends(small):
    _, train, _ = small
    model, _ = ALS(train, 5, 0.1, weighted=True).fit(5)
    assert np.all(np.isfinite(model.user_factors))


def test_rows_without_ratings_get_zero_parameters():
    train = Ratings([0, 0, 1], [0, 1, 1], [4, 2, 5], 3, 3)       # user 2 and item 2 never rated
    model, _ = ALS(train, 2, 1.0).fit(3)
    assert np.all(model.user_factors[2] == 0) and model.user_bias[2] == 0
    assert np.all(model.item_factors[2] == 0) and model.item_bias[2] == 0
    tmodel, _ = ALS(train, 2, 1.0, backend="torch").fit(3)
    np.testing.assert_allclose(tmodel.item_factors, model.item_factors, atol=1e-12)


def test_als_bad_input():
    train = Ratings([0, 1], [0, 1], [4, 2], 2, 2)
    with pytest.raises(ValueError, match="lam must be"):
        ALS(train, 2, -1.0)
    with pytest.raises(ValueError, match="k \\(the number of factors\\)"):
        ALS(train, 0, 1.0)
    with pytest.raises(ValueError, match="backend"):
        ALS(train, 2, 1.0, backend="jax")
    with pytest.raises(ValueError, match="same \\(user, item\\) pair twice"):
        ALS(Ratings([0, 0], [1, 1], [4, 2], 2, 2), 2, 1.0)
    with pytest.raises(ValueError, match="n_sweeps"):
        ALS(train, 2, 1.0).fit(-1)
    model = init_model(train, 2)
    with pytest.raises(ValueError, match="out of range"):
        model.predict([0], [5])


def test_fold_in_is_one_solve_equal_to_alternating_updates(small):
    _, train, _ = small
    model, _ = ALS(train, 4, 3.0).fit(10)
    mask = train.users == 0
    items, ratings = train.items[mask], train.ratings[mask]
    u, b = fold_in_user(model, items, ratings, lam=3.0, lam_bias=1.5)
    V, base = model.item_factors[items], ratings - model.mu - model.item_bias[items]
    # stationarity of the per-user objective: both partial derivatives vanish
    np.testing.assert_allclose(V.T @ (base - b - V @ u) - 3.0 * u, 0, atol=1e-9)
    assert abs((base - b - V @ u).sum() - 1.5 * b) < 1e-9
    # ALS's two user updates (bias, then factors), alternated to convergence, reach the same point
    u_it, b_it, A = np.zeros(4), 0.0, V.T @ V + 3.0 * np.eye(4)
    for _ in range(500):
        b_it = (base - V @ u_it).sum() / (len(items) + 1.5)
        u_it = np.linalg.solve(A, V.T @ (base - b_it))
    np.testing.assert_allclose(u, u_it, atol=1e-10)
    assert b == pytest.approx(b_it, abs=1e-10)


def test_fold_in_bad_input(small):
    _, train, _ = small
    model, _ = ALS(train, 4, 3.0).fit(2)
    with pytest.raises(ValueError, match="item ids in"):
        fold_in_user(model, [10_000], [4.0], lam=1.0)
    with pytest.raises(ValueError, match="non-empty"):
        fold_in_user(model, [], [], lam=1.0)
    with pytest.raises(ValueError, match="same length"):
        fold_in_user(model, [1, 2], [4.0], lam=1.0)
    with pytest.raises(ValueError, match="lam must be"):
        fold_in_user(model, [1], [4.0], lam=-1.0)
    with pytest.raises(ValueError, match="cannot pin down"):
        fold_in_user(model, [1], [4.0], lam=0.0, lam_bias=0.0)


def test_user_cosine_over_common_items_and_knn():
    train = Ratings([0, 0, 0, 1, 1, 1, 2], [0, 1, 2, 0, 1, 3, 3], [5, 5, 2, 5, 5, 4, 1], 3, 4)
    sim = user_cosine_matrix(train)
    assert sim[0, 1] == pytest.approx(1.0) and sim[0, 2] == 0.0      # users 0 and 2 share no item
    pred = user_knn_predict(train, np.array([0]), np.array([3]), sim=sim)
    assert pred[0] == pytest.approx(4.0 + (4 - 14 / 3))                 # user 0's mean plus user 1's deviation
    with pytest.raises(ValueError, match="n_neighbors"):
        user_knn_predict(train, np.array([0]), np.array([3]), n_neighbors=0)


def test_dot_product_model_range_and_training(small):
    _, train, test = small
    assert default_y_range((1, 5)) == (0.5, 5.5)
    model = DotProductBias(train.n_users, train.n_items, 8)
    with torch.no_grad():
        model.user_bias.weight.fill_(100.0)
    out = model(torch.tensor([0, 1]), torch.tensor([0, 1]))
    assert torch.all(out <= 5.5) and torch.all(out >= 0.5)
    runs = []
    for _ in range(2):
        torch.manual_seed(0)
        m = DotProductBias(train.n_users, train.n_items, 8)
        runs.append(fit_gd(m, train, epochs=3, batch_size=256, lam=5.0, lam_bias=3.0, valid=test)["valid_rmse"])
    assert runs[0] == runs[1]                                             # seeded: same numbers every run
    assert rmse_torch(m, test) == pytest.approx(runs[0][-1])
    assert predict(m, test).min() >= 1.0


def test_gd_and_models_refuse_bad_settings(small):
    _, train, _ = small
    with pytest.raises(ValueError, match="lr must be > 0"):
        fit_gd(DotProductBias(train.n_users, train.n_items, 2), train, lr=0.0)
    with pytest.raises(ValueError, match="y_range"):
        DotProductBias(3, 3, 2, y_range=(5, 1))
    with pytest.raises(ValueError, match="one row per item"):
        NeuralCF(3, 4, 2, item_features=torch.zeros(3, 2))
    with pytest.raises(ValueError, match="dropout"):
        NeuralCF(3, 4, 2, dropout=1.5)


def test_neural_cf_shapes(small):
    _, train, _ = small
    feats = torch.eye(train.n_items)[:, :5]
    model = NeuralCF(train.n_users, train.n_items, 4, hidden=(8, 8), item_features=feats)
    assert model(torch.tensor([0, 1, 2]), torch.tensor([3, 4, 5])).shape == (3,)


def test_factorization_exercise_checkers(capsys):
    assert ex.check_parameter_count(6040, 3706, 20, 204_666)
    assert not ex.check_parameter_count(6040, 3706, 20, 194_920)
    assert "bias" in capsys.readouterr().out
    assert not ex.check_parameter_count(6040, 3706, 20, ...)
    good = lambda items, residual, n, lam: np.bincount(items, residual, n) / (np.bincount(items, minlength=n) + lam)
    plain = lambda items, residual, n, lam: np.bincount(items, residual, n) / np.maximum(np.bincount(items, minlength=n), 1)
    assert ex.check_item_bias_update(good)
    assert not ex.check_item_bias_update(plain)
    assert "count + lam_bias" in capsys.readouterr().out
