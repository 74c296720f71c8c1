"""The helpers notebooks 05-07 moved out of their cells: results tables, readable labels,
early stopping, the feedback-loop simulation, candidate-restricted ranking and the genre
analyses of notebook 07, each checked against a hand computation or a library."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from sklearn.linear_model import Ridge
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import KFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from course_utils.annotate import label_log_axis, place_labels
from course_utils.early_stopping import select_epochs
from course_utils.embedding_analysis import genre_enrichment, genre_neighbour_test, genre_probe
from course_utils.feedback_loop import noisy_taste, simulate_feedback_loop, top_share_of_ratings
from course_utils.mf_torch import DotProductBias, fit_gd
from course_utils.ranking import popularity_scores, ranking_metrics, top_k_items
from course_utils.ratings import Ratings, split_ratings, synthetic_ratings
from course_utils.results import ResultsTable


@pytest.fixture(scope="module")
def small():
    s = synthetic_ratings(n_users=120, n_items=150, n_ratings=4000, min_per_user=10, seed=2)
    train, test = split_ratings(s.data, 0.2, seed=0)
    return s, train, test


# ----------------------------------------------------------------------------- results table
def test_results_table_aligns_blanks_and_finds_rows():
    table = ResultsTable([("method", "method", "<12"), ("seconds", "seconds", ">8.2f"), ("rmse", "RMSE", ">7.4f")])
    table.add(method="biases", rmse=0.88421)
    table.add(method="ALS", seconds=1.234, rmse=0.8712)
    lines = table.text().splitlines()
    assert lines[0].split() == ["method", "seconds", "RMSE"]
    assert lines[1] == "biases       " + " " * 8 + "  0.8842"                    # no seconds: a blank, not "nan"
    assert lines[2].split() == ["ALS", "1.23", "0.8712"]
    assert len({len(line) for line in lines}) == 1                                  # every line equally wide
    assert table["ALS"]["rmse"] == 0.8712
    assert table.text(["ALS"]).splitlines()[1].startswith("ALS")
    with pytest.raises(KeyError, match="no row named"):
        table["kNN"]
    with pytest.raises(ValueError, match="column"):
        table.add(method="x", colour="red")
    with pytest.raises(ValueError, match="first column"):
        table.add(rmse=1.0)


# ----------------------------------------------------------------------------- labels
def _boxes(fig, artists):
    from matplotlib.text import Text

    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    return [Text.get_window_extent(a, renderer) for a in artists]          # the text, without its leader line


def test_place_labels_keeps_crowded_labels_apart_and_inside():
    fig, ax = plt.subplots(figsize=(6, 4))
    rng = np.random.default_rng(0)
    x, y = rng.normal(0, 0.05, size=8), rng.normal(0, 0.05, size=8)          # eight points in one clump
    ax.scatter(x, y)
    ax.set(xlim=(-1, 1), ylim=(-1, 1))
    labels = place_labels(ax, x, y, [f"Lord of the Rings {n}" for n in range(8)], fontsize=9)
    boxes = _boxes(fig, labels)
    frame = ax.get_window_extent(fig.canvas.get_renderer())
    for n, a in enumerate(boxes):
        assert frame.x0 <= a.x0 and a.x1 <= frame.x1 and frame.y0 <= a.y0 and a.y1 <= frame.y1
        for b in boxes[n + 1:]:
            assert not (a.x0 < b.x1 and a.x1 > b.x0 and a.y0 < b.y1 and a.y1 > b.y0), "two labels overlap"
    plt.close(fig)
    with pytest.raises(ValueError, match="one label per point"):
        place_labels(ax, x, y, ["a"])


def test_label_log_axis_labels_a_range_shorter_than_a_decade():
    fig, ax = plt.subplots()
    ax.scatter([4.0, 9.4], [1, 2])
    ax.set_xscale("log")
    ticks = label_log_axis(ax.xaxis, [4.0, 9.4])
    ax.set_xlim(3, 15)
    fig.canvas.draw()
    shown = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert ticks == [5.0, 10.0] and shown == ["5", "10"]
    plt.close(fig)
    with pytest.raises(ValueError, match="> 0"):
        label_log_axis(ax.xaxis, [0.0, 1.0])


# ----------------------------------------------------------------------------- early stopping
def test_select_epochs_returns_the_argmin_and_a_rerun_reproduces_it(small):
    _, train, _ = small
    fit_part, valid_part = split_ratings(train, 0.2, seed=1)

    def make():
        torch.manual_seed(0)
        return DotProductBias(train.n_users, train.n_items, k=3)

    best, curve = select_epochs(make, fit_part, valid_part, max_epochs=6, batch_size=256, lr=3e-2)
    assert len(curve) == 6 and best == int(np.argmin(curve)) + 1
    rerun = fit_gd(make(), fit_part, epochs=best, batch_size=256, lr=3e-2, valid=valid_part, seed=0)
    assert rerun["valid_rmse"][-1] == pytest.approx(min(curve), abs=1e-12)
    with pytest.raises(TypeError, match="make_model"):
        select_epochs(3, fit_part, valid_part)


# ----------------------------------------------------------------------------- feedback loop
def test_feedback_loop_popularity_concentrates_ratings(small):
    s, train, _ = small
    rate = noisy_taste(s.planted_scores, s.data.scale, 0.7, 1.0, seed=0)
    out = simulate_feedback_loop(train, popularity_scores, rate, n_rounds=3, k=5, watched=2, top_fraction=0.05)
    assert np.all(np.diff(out["rating_share"]) > 0)                                 # the top items gain every round
    assert len(out["ratings"]) == len(train) + 3 * 2 * train.n_users
    assert out["rating_share"][0] == pytest.approx(top_share_of_ratings(train, 0.05))
    new = out["ratings"].ratings[len(train):]
    assert set(np.unique(new)) <= {1.0, 2.0, 3.0, 4.0, 5.0}
    pairs = np.c_[out["ratings"].users, out["ratings"].items]
    assert len(np.unique(pairs, axis=0)) == len(pairs)                              # nobody rates a film twice
    with pytest.raises(ValueError, match="watched"):
        simulate_feedback_loop(train, popularity_scores, rate, k=3, watched=4)


# ----------------------------------------------------------------------------- ranking with candidates
def test_candidates_restrict_the_lists():
    train = Ratings([0, 0, 1], [0, 1, 2], [5, 4, 3], 2, 5)
    scores = np.array([[9.0, 8.0, 1.0, 3.0, 2.0], [0.0, 5.0, 9.0, 5.0, 1.0]])
    allowed = np.array([True, True, True, False, True])
    assert top_k_items(scores, train, k=2, candidates=allowed).tolist() == [[4, 2], [1, 4]]
    with pytest.raises(ValueError, match="boolean mask"):
        top_k_items(scores, train, k=2, candidates=[0, 1])
    with pytest.raises(ValueError, match="fewer than k"):
        top_k_items(scores, train, k=3, candidates=np.array([True, False, False, False, True]))
    test = Ratings([0, 1], [3, 1], [5.0, 5.0], 2, 5)                                 # user 0's liked film is not allowed
    out = ranking_metrics(scores, train, test, k=1, candidates=allowed)
    assert out["recommended"].tolist() == [[4], [1]] and out["recall"] == pytest.approx(0.5)


# ----------------------------------------------------------------------------- genres
def test_genre_neighbour_chance_equals_brute_force_and_never_uses_the_anchor():
    rng = np.random.default_rng(3)
    n = 40
    F = rng.normal(size=(n, 3))
    names = ["a", "b", "c", "d"]
    genres = [list(rng.choice(names, size=rng.integers(1, 4), replace=False)) for _ in range(n)]
    counts = rng.integers(1, 100, size=n)
    mask = np.ones(n, bool)
    out = genre_neighbour_test(F, genres, counts, mask, k=3, n_bins=2, n_boot=50)
    unit = F / np.linalg.norm(F, axis=1, keepdims=True)
    sims = unit @ unit.T
    np.fill_diagonal(sims, -np.inf)
    edges = np.quantile(counts, [0.5])
    cell = np.searchsorted(edges, counts, side="right") * 4 + np.minimum([len(g) for g in genres], 3)
    near, rand = [], []
    for a in range(n):
        nbs = np.argsort(-sims[a], kind="stable")[:3]
        near.append(np.mean([bool(set(genres[a]) & set(genres[b])) for b in nbs]))
        chances = []
        for b in nbs:
            pool = [o for o in range(n) if cell[o] == cell[b] and o != a]
            chances.append(np.mean([bool(set(genres[a]) & set(genres[o])) for o in pool]))
        rand.append(np.mean(chances))
    assert out["neighbour_share"] == pytest.approx(np.mean(near))
    assert out["random_share"] == pytest.approx(np.mean(rand))
    assert out["ci"][0] <= out["difference"] <= out["ci"][1]


def test_genre_probe_equals_scikit_learn_pipeline(small):
    s, _, _ = small
    rng = np.random.default_rng(0)
    F = s.item_factors + rng.normal(0, 0.5, size=s.item_factors.shape)
    out = genre_probe(F, s.data.item_genres, min_items=10, n_shuffles=3, seed=0)
    Y = np.array([[g in gs for g in out["genres"]] for gs in s.data.item_genres], dtype=float)
    pred = cross_val_predict(make_pipeline(StandardScaler(), Ridge(alpha=1.0)), F, Y, cv=KFold(5, shuffle=True, random_state=0))
    np.testing.assert_allclose(out["auc"], [roc_auc_score(Y[:, g], pred[:, g]) for g in range(Y.shape[1])], rtol=1e-10)
    assert out["auc_shuffled"].shape == (3, len(out["genres"]))
    assert np.abs(out["auc_shuffled"].mean() - 0.5) < 0.1


def test_genre_enrichment_needs_support_and_reports_a_p_value():
    genres = [["Western"]] + [["Drama"]] * 9 + [["Comedy"]] * 10 + [["Drama"]] * 20
    pool = np.arange(40)
    ends = np.arange(10)                                                     # the Western (1 film) and 9 dramas
    best = genre_enrichment(ends, pool, genres, min_count=5)
    assert best["genre"] == "Drama" and best["count"] == 9                   # one Western cannot win, however rare
    assert best["lift"] == pytest.approx((9 / 10) / (29 / 40))
    from scipy.stats import hypergeom

    assert best["p_value"] == pytest.approx(hypergeom.sf(8, 40, 29, 10))
    assert genre_enrichment(ends, pool, genres, min_count=1)["genre"] == "Western"
    assert genre_enrichment(ends, pool, genres, min_count=10) is None


def test_compare_batch_sizes_scores_every_checkpoint(small):
    from course_utils.mf_torch import rmse_torch
    from course_utils.minibatch import compare_batch_sizes

    _, train, test = small

    def make():
        torch.manual_seed(0)
        return DotProductBias(train.n_users, train.n_items, k=3)

    out = compare_batch_sizes(make, train, test, batch_sizes=(1, 64), seconds=0.1, n_checkpoints=2)
    assert set(out) == {1, 64}
    for r in out.values():
        assert len(r["curve"]) == 2 and r["steps"] > 0
    assert out[1]["examples_per_second"] == pytest.approx(out[1]["steps_per_second"])           # one rating per step
    assert out[64]["examples_per_second"] > out[1]["examples_per_second"]
    assert out[1]["curve"][0][1] != rmse_torch(make(), test)                       # the checkpoint was loaded and scored


def test_list_report_adds_popular_and_rare_shares():
    from course_utils.ranking import list_report

    train = Ratings([0, 0, 1, 1, 2, 2, 2], [0, 1, 0, 2, 0, 1, 3], [5, 4, 3, 4, 5, 2, 1], 3, 5)
    test = Ratings([0, 1, 2], [4, 4, 4], [5.0, 5.0, 5.0], 3, 5)
    favour_rare = np.tile([0.0, 0.0, 0.0, 0.0, 1.0], (3, 1))                        # item 4 has no training rating
    report = list_report({"rare": favour_rare, "pop": popularity_scores(train)}, train, test, k=1, top_fraction=0.2, rare_max=1)
    assert report["rare"]["rare_share"] == 1.0 and report["rare"]["precision"] == 1.0
    # popularity: user 0 gets item 2 (1 rating), user 1 item 1 (2 ratings), user 2 item 2
    assert report["pop"]["recommended"].ravel().tolist() == [2, 1, 2]
    assert report["pop"]["rare_share"] == pytest.approx(2 / 3) and report["pop"]["popular_share"] == 0.0
    with pytest.raises(ValueError, match="empty"):
        list_report({}, train, test)


def test_genre_means_orders_genres_along_a_component():
    from course_utils.embedding_analysis import genre_means

    scores = np.array([[-2.0, 0], [-1.0, 0], [1.0, 0], [3.0, 0], [0.0, 0], [np.nan, 0]])
    genres = [["Action"], ["Action", "Drama"], ["Drama"], ["Horror"], ["Drama"], ["Horror"]]
    mask = np.array([True] * 5 + [False])
    means = genre_means(scores, genres, mask, 0, min_items=1)
    assert list(means) == ["Action", "Drama", "Horror"]
    assert means["Action"] == pytest.approx(-1.5) and means["Drama"] == pytest.approx(0.0) and means["Horror"] == 3.0
    assert list(genre_means(scores, genres, mask, 0, min_items=2)) == ["Action", "Drama"]
    with pytest.raises(ValueError, match="finite"):
        genre_means(scores, genres, np.ones(6, bool), 0, min_items=1)


def test_short_title_keeps_series_apart():
    from course_utils.factor_plots import short_title

    one = short_title("Lord of the Rings: The Fellowship of the Ring, The (2001)")
    two = short_title("Lord of the Rings: The Two Towers, The (2002)")
    assert one != two and one.endswith("(2001)") and len(one) <= 24 and "…" in one
    assert short_title("Heat (1995)") == "Heat (1995)"
    assert len(short_title("A title without any year at all, quite long")) <= 24


def test_genre_scatter_colours_centres_and_labels():
    from course_utils.factor_plots import OTHER, PALETTE, genre_scatter

    scores = np.array([[-1.0, 0.0], [-2.0, 1.0], [1.0, 0.0], [3.0, -1.0], [0.0, 0.0]])
    genres = [["Action"], ["Action", "Drama"], ["Drama"], ["Drama", "Action"], ["Comedy"]]
    fig, ax = plt.subplots()
    out = genre_scatter(ax, scores, genres, np.ones(5, bool), ["Drama", "Action"], [0, 3], [f"film {i}" for i in range(5)])
    assert out["colors"].tolist() == [PALETTE[1], PALETTE[0], PALETTE[0], PALETTE[0], OTHER]   # first shown genre listed wins
    assert out["centres"]["Action"] == pytest.approx((0.0, 0.0)) and out["centres"]["Drama"] == pytest.approx((2 / 3, 0.0))
    assert [a.get_text() for a in out["labels"]] == ["film 0", "film 3"]
    plt.close(fig)
    with pytest.raises(ValueError, match="at most 6"):
        genre_scatter(ax, scores, genres, np.ones(5, bool), list("abcdefg"), [], [""] * 5)
