"""Ranking metrics, cross-validation, cold start, item similarity and the new embedding
analyses (notebooks 05 and 07), each checked against a library or a hand computation."""

import numpy as np
import pytest
from scipy.stats import ortho_group
from sklearn.metrics import ndcg_score

from course_utils.coldstart import cold_masks, cold_start_table
from course_utils.crossval import cross_validate, kfold_splits, summarize
from course_utils.embedding_analysis import align_factors, genre_neighbour_test, genre_probe, procrustes_align
from course_utils.item_similarity import item_cosine
from course_utils.ranking import popular_share, popularity_scores, ranking_metrics, relevant_items, top_k_items
from course_utils.ratings import Ratings, split_ratings, synthetic_ratings


@pytest.fixture(scope="module")
def small():
    s = synthetic_ratings(n_users=120, n_items=150, n_ratings=4000, min_per_user=10, seed=2)
    train, test = split_ratings(s.data, 0.2, seed=0)
    return s, train, test


# ----------------------------------------------------------------------------- ranking
def test_top_k_never_recommends_a_training_item_and_orders_by_score():
    train = Ratings([0, 0, 1], [0, 1, 2], [5, 4, 3], 2, 5)
    scores = np.array([[9.0, 8.0, 1.0, 3.0, 2.0], [0.0, 5.0, 9.0, 5.0, 1.0]])
    assert top_k_items(scores, train, k=3).tolist() == [[3, 4, 2], [1, 3, 4]]      # tie 1 vs 3: lower index first
    with pytest.raises(ValueError, match="shape"):
        top_k_items(scores[:, :4], train)
    with pytest.raises(ValueError, match="k must be"):
        top_k_items(scores, train, k=0)


def test_precision_recall_ndcg_by_hand():
    train = Ratings([0, 1], [0, 0], [3, 3], 2, 6)
    test = Ratings([0, 0, 0, 1], [1, 2, 5, 3], [5, 4, 2, 4.5], 2, 6)           # user 0 likes {1, 2}; user 1 likes {3}
    scores = np.array([[0, 6, 1, 5, 4, 3], [0, 6, 5, 4, 3, 2]], dtype=float)   # user 0 ranks 1, 3, 4; user 1 ranks 1, 2, 3
    out = ranking_metrics(scores, train, test, k=3)
    d = 1 / np.log2([2, 3, 4])
    assert out["precision"] == pytest.approx((1 / 3 + 1 / 3) / 2)
    assert out["recall"] == pytest.approx((1 / 2 + 1) / 2)
    assert out["ndcg"] == pytest.approx((d[0] / (d[0] + d[1]) + d[2] / d[0]) / 2)
    assert relevant_items(test) == {0: {1, 2}, 1: {3}}
    with pytest.raises(ValueError, match="no test rating reaches"):
        ranking_metrics(scores, train, test, threshold=6)


def test_ndcg_matches_scikit_learn(small):
    _, train, test = small
    rng = np.random.default_rng(0)
    scores = rng.normal(size=(train.n_users, train.n_items))
    out = ranking_metrics(scores, train, test, k=10)
    relevant = relevant_items(test)
    users = out["users"]
    masked = scores[users].copy()
    seen = np.zeros((train.n_users, train.n_items), bool)
    seen[train.users, train.items] = True
    masked[seen[users]] = -1e9
    truth = np.zeros_like(masked)
    for n, u in enumerate(users):
        truth[n, sorted(relevant[u])] = 1
    assert out["ndcg"] == pytest.approx(ndcg_score(truth, masked, k=10), rel=1e-12)


def test_popularity_recommender_and_popular_share(small):
    _, train, test = small
    pop = popularity_scores(train)
    assert np.all(pop[0] == np.bincount(train.items, minlength=train.n_items))
    out = ranking_metrics(pop, train, test, k=10)
    assert 0 <= out["precision"] <= 1 and out["n_users"] > 0
    counts = np.bincount(train.items, minlength=train.n_items)
    top = np.argsort(-counts, kind="stable")[:2]                                 # 1 % of 150 items, rounded: 2
    rec = np.array([[top[0], 5], [top[1], top[0]]])
    assert popular_share(rec, train, 0.01) == pytest.approx(3 / 4)
    with pytest.raises(ValueError, match="top_fraction"):
        popular_share(rec, train, 0.0)


# ----------------------------------------------------------------------------- cross-validation
def test_folds_partition_the_ratings(small):
    s, _, _ = small
    folds = kfold_splits(s.data, 5, seed=0)
    tested = np.concatenate([np.c_[t.users, t.items] for _, t in folds])
    assert len(folds) == 5 and len(tested) == len(s.data)
    assert len({tuple(r) for r in tested.tolist()}) == len(s.data)              # every rating tested exactly once
    for tr, te in folds:
        assert len(tr) + len(te) == len(s.data)
    with pytest.raises(ValueError, match="n_folds"):
        kfold_splits(s.data, 1)


def test_cross_validate_scores_each_fold(small):
    s, _, _ = small
    mean_model = lambda train, test: np.full(len(test), train.ratings.mean())
    scores = cross_validate(s.data, {"mean": mean_model, "truth": lambda tr, te: s.planted_scores(te.users, te.items)}, 4)
    manual = [np.sqrt(np.mean((tr.ratings.mean() - te.ratings) ** 2)) for tr, te in kfold_splits(s.data, 4)]
    np.testing.assert_allclose(scores["mean"], manual)
    summary = summarize(scores)
    assert summary["truth"][0] < summary["mean"][0] and summary["mean"][1] == pytest.approx(np.std(manual, ddof=1))
    with pytest.raises(ValueError, match="one prediction per test"):
        cross_validate(s.data, {"bad": lambda tr, te: np.zeros(3)}, 2)
    with pytest.raises(TypeError, match="predictors"):
        cross_validate(s.data, {"bad": 3}, 2)


# ----------------------------------------------------------------------------- cold start
def test_cold_start_table_counts_and_scores():
    train = Ratings([0, 0, 1], [0, 1, 1], [4, 2, 5], 3, 3)
    test = Ratings([2, 0, 1], [0, 2, 0], [3, 4, 1], 3, 3)                         # user 2 cold; item 2 cold
    masks = cold_masks(train, test)
    assert masks["cold_user"].tolist() == [True, False, False] and masks["cold_item"].tolist() == [False, True, False]
    table = cold_start_table(train, test, {"three": np.array([3.0, 3.0, 3.0])})
    assert (table["cold_users"], table["cold_items"], table["cold_item_ratings"]) == (1, 1, 1)
    assert table["models"]["three"]["cold_item"]["rmse"] == pytest.approx(1.0)
    assert table["models"]["three"]["warm"]["rmse"] == pytest.approx(2.0)
    with pytest.raises(ValueError, match="one entry per test rating"):
        cold_start_table(train, test, {"bad": np.zeros(2)})


# ----------------------------------------------------------------------------- item similarity
def test_adjusted_cosine_centres_by_user_mean():
    train = Ratings([0, 0, 1, 1, 2, 2], [0, 1, 0, 1, 0, 2], [5, 4, 2, 1, 4, 2], 3, 3)
    raw, adj = item_cosine(train, [0, 1, 2], adjusted=False), item_cosine(train, [0, 1, 2], adjusted=True)
    R = np.zeros((3, 3))
    R[train.users, train.items] = train.ratings
    assert raw[0, 1] == pytest.approx(R[:, 0] @ R[:, 1] / np.linalg.norm(R[:, 0]) / np.linalg.norm(R[:, 1]))
    C = np.where(R > 0, R - np.array([4.5, 1.5, 3.0])[:, None], 0)
    assert adj[0, 1] == pytest.approx(C[:, 0] @ C[:, 1] / np.linalg.norm(C[:, 0]) / np.linalg.norm(C[:, 1]))
    # both raters liked item 0 more than item 1: raw cosine calls them similar, adjusted calls them opposite
    assert raw[0, 1] > 0.7 and adj[0, 1] < -0.5 and np.all(np.diag(adj) == 0)
    with pytest.raises(ValueError, match="item ids"):
        item_cosine(train, [5])


# ----------------------------------------------------------------------------- embeddings
def test_procrustes_recovers_a_rotation_and_the_general_map_fits_at_least_as_well():
    rng = np.random.default_rng(0)
    U = rng.normal(size=(60, 4))
    Q = ortho_group.rvs(4, random_state=1)
    out = procrustes_align(U, U @ Q)
    assert out["r2"] == pytest.approx(1.0) and np.allclose(out["map"], Q)
    scaled = procrustes_align(U, 2.0 * U @ Q, scale=True)
    assert scaled["r2"] == pytest.approx(1.0) and np.allclose(scaled["map"], 2.0 * Q)
    A = rng.normal(size=(4, 4))
    assert procrustes_align(U, U @ A)["r2"] < align_factors(U, U @ A)["r2"] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="same shape"):
        procrustes_align(U, U[:, :3])


def test_genre_neighbour_test_sees_planted_genres_and_not_noise(small):
    s, _, _ = small
    counts = np.bincount(s.data.items, minlength=s.data.n_items)
    mask = np.ones(s.data.n_items, bool)
    planted = genre_neighbour_test(s.item_factors, s.data.item_genres, counts, mask, k=5, n_boot=200)
    noise = genre_neighbour_test(np.random.default_rng(0).normal(size=s.item_factors.shape), s.data.item_genres, counts, mask,
                                 k=5, n_boot=200)
    assert planted["ci"][0] > 0.3 and planted["neighbour_share"] > 0.9
    assert noise["ci"][0] < 0 < noise["ci"][1] or abs(noise["difference"]) < 0.1
    with pytest.raises(ValueError, match="one list of genres per item"):
        genre_neighbour_test(s.item_factors, s.data.item_genres[:3], counts, mask)


def test_genre_probe_beats_shuffled_factors(small):
    s, _, _ = small
    out = genre_probe(s.item_factors, s.data.item_genres, min_items=10, n_shuffles=20)
    assert out["auc"].min() > 0.95 and out["auc_shuffled"].shape == (20, len(out["genres"]))
    assert np.all(out["auc"] > out["auc_shuffled"].max(axis=0))                   # beats every shuffle, every genre
    assert abs(out["auc_shuffled"].mean() - 0.5) < 0.05                             # the shuffles sit at chance on average
    noise = genre_probe(np.random.default_rng(0).normal(size=s.item_factors.shape), s.data.item_genres, min_items=10)
    assert abs(noise["auc"].mean() - 0.5) < 0.1
    with pytest.raises(ValueError, match="min_items"):
        genre_probe(s.item_factors, s.data.item_genres, min_items=1000)


def test_score_matrix_for_numpy_and_torch_models(small):
    import torch

    from course_utils.als import ALS
    from course_utils.mf_torch import DotProductBias, predict
    from course_utils.ranking import score_matrix

    _, train, test = small
    als, _ = ALS(train, 3, lam=5.0, lam_bias=3.0).fit(3)
    S = score_matrix(als, train.n_users, train.n_items)
    np.testing.assert_allclose(S[test.users, test.items], als.predict(test.users, test.items), atol=1e-12)
    torch.manual_seed(0)
    net = DotProductBias(train.n_users, train.n_items, 3)
    S = score_matrix(net, train.n_users, train.n_items, batch_size=1000)
    np.testing.assert_allclose(np.clip(S[test.users, test.items], *test.scale), predict(net, test), atol=1e-6)
    with pytest.raises(ValueError, match="n_users"):
        score_matrix(als, 0, 3)


def test_train_for_seconds_counts_its_work(small):
    import torch

    from course_utils.mf_torch import DotProductBias
    from course_utils.minibatch import train_for_seconds

    _, train, _ = small
    torch.manual_seed(0)
    model = DotProductBias(train.n_users, train.n_items, 4)
    run = train_for_seconds(model, train, batch_size=64, seconds=0.2, n_checkpoints=3)
    assert len(run["checkpoints"]) == 3 and run["seconds"] >= 0.2
    assert run["examples"] <= run["steps"] * 64 and run["examples"] > 0
    assert run["examples_per_second"] == pytest.approx(run["examples"] / run["seconds"])
    times = [t for t, _ in run["checkpoints"]]
    assert times == sorted(times)
    with pytest.raises(ValueError, match="batch_size"):
        train_for_seconds(model, train, batch_size=0, seconds=0.1)
    with pytest.raises(ValueError, match="seconds"):
        train_for_seconds(model, train, batch_size=8, seconds=0)
