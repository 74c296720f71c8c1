import numpy as np
import pytest
from sklearn.decomposition import PCA

from course_utils.als import select_lambda
from course_utils.embedding_analysis import align_factors, component_ends, genre_decoding_accuracy, nearest_items, pca
from course_utils.exercises import embeddings as ex
from course_utils.ratings import split_ratings, synthetic_ratings
from course_utils.similarity import cosine_similarity
from course_utils.widgets import EmbeddingExplorer


@pytest.mark.parametrize("seed", range(4))
def test_pca_matches_scikit_learn(seed):
    rng = np.random.default_rng(seed)
    n, d = int(rng.integers(5, 40)), int(rng.integers(2, 8))
    X = rng.normal(size=(n, d)) * rng.uniform(0.1, 5, size=d)
    ours, ref = pca(X), PCA().fit(X)
    c = min(n, d)
    np.testing.assert_allclose(ours["explained_variance"], ref.explained_variance_[:c], rtol=1e-10)
    np.testing.assert_allclose(np.abs(ours["components"]), np.abs(ref.components_[:c]), atol=1e-9)
    np.testing.assert_allclose(np.abs(ours["scores"]), np.abs(ref.transform(X)[:, :c]), atol=1e-9)
    assert np.all(np.abs(ours["components"]).argmax(axis=1) == np.abs(ours["components"]).argmax(axis=1))
    with pytest.raises(ValueError, match="n_components"):
        pca(X, n_components=c + 1)


def test_component_ends_and_bad_input():
    scores = np.array([[3.0], [1.0], [np.nan], [2.0]])
    low, high = component_ends(scores, 0, n=1, candidates=np.array([True, True, False, True]))
    assert low.tolist() == [1] and high.tolist() == [0]
    with pytest.raises(ValueError, match="must be finite"):
        component_ends(scores, 0)
    with pytest.raises(ValueError, match="component"):
        component_ends(scores, 3)


def test_nearest_items_uses_cosine_and_skips_zero_vectors():
    F = np.array([[1.0, 0.0], [2.0, 0.1], [0.0, 0.0], [-1.0, 0.0], [0.5, 0.5]])
    idx, sims = nearest_items(F, 0, k=10)
    assert idx.tolist() == [1, 4, 3]                      # the zero row is never a neighbour
    np.testing.assert_allclose(sims, cosine_similarity(F[0], F[idx]).ravel())
    idx, _ = nearest_items(F, 0, k=2, candidates=np.array([True, False, True, True, True]))
    assert idx.tolist() == [4, 3]
    with pytest.raises(ValueError, match="all-zero factor vector"):
        nearest_items(F, 2)


def test_alignment_recovers_an_invertible_transform():
    rng = np.random.default_rng(0)
    U = rng.normal(size=(50, 3))
    A = rng.normal(size=(3, 3)) + 3 * np.eye(3)
    out = align_factors(U, U @ A)
    assert out["r2"] == pytest.approx(1.0) and np.allclose(out["map"], A)
    with pytest.raises(ValueError, match="same rows"):
        align_factors(U, U[:10])


def test_genre_decoding_accuracy():
    rng = np.random.default_rng(1)
    labels = rng.integers(0, 3, size=90)
    factors = np.eye(3)[labels] + 0.05 * rng.normal(size=(90, 3))
    assert genre_decoding_accuracy(factors, labels) == 1.0
    assert genre_decoding_accuracy(rng.normal(size=(90, 3)), labels) < 0.7
    with pytest.raises(ValueError, match="one entry per row"):
        genre_decoding_accuracy(factors, labels[:5])


def test_select_lambda_uses_validation_not_test():
    data = synthetic_ratings(n_users=80, n_items=100, n_ratings=2400, min_per_user=10, seed=4).data
    train, _ = split_ratings(data)
    best, scores = select_lambda(train, 3, lams=(0.01, 5.0, 500.0), n_sweeps=5)
    assert best == 5.0 and set(scores) == {0.01, 5.0, 500.0}


def test_embedding_explorer_follows_its_controls():
    rng = np.random.default_rng(2)
    F = rng.normal(size=(30, 4))
    scores = pca(F)["scores"]
    titles = [f"item {i}" for i in range(30)]
    explorer = EmbeddingExplorer(F, scores, titles, choices=[0, 5, 9], n_neighbors=4)
    assert explorer.last["item"] == 0 and len(explorer.last["neighbours"]) == 4
    renders = explorer.live.renders
    explorer.item.value = 9
    assert explorer.last["item"] == 9 and "Because you liked item 9" in explorer.readout.value
    assert explorer.live._background is not None and explorer.live.renders == renders + 1   # blitted, not redrawn
    assert "item 9" in explorer.caption.get_text()
    assert explorer.selected.get_xdata()[0] == pytest.approx(scores[9, 0])
    explorer.pc_x.value = 2
    assert explorer.selected.get_xdata()[0] == pytest.approx(scores[9, 2])
    explorer.k.value = 7
    assert len(explorer.neighbours.get_xdata()) == 7
    with pytest.raises(ValueError, match="same items"):
        EmbeddingExplorer(F, scores, titles[:3], choices=[0])


def test_embedding_exercise_checkers(capsys):
    U, V = np.array([[1.0, 0.5], [0.2, -1.0]]), np.array([[0.4, 1.0], [-0.6, 0.2]])
    A = np.array([[2.0, 1.0], [0.0, 1.0]])
    assert ex.check_identifiability(U, V, U @ A, V @ np.linalg.inv(A).T)
    assert not ex.check_identifiability(U, V, U @ A, V @ A)
    assert "inv(A)^T" in capsys.readouterr().out
    assert not ex.check_identifiability(U, V, U, V)
    assert not ex.check_identifiability(U, V, ..., ...)
    s = synthetic_ratings(n_users=80, n_items=100, n_ratings=2400, min_per_user=10, seed=4)
    scores = np.c_[s.item_factors[:, 1], s.item_factors[:, 0]]        # component 0 = the planted comedy axis
    mask = np.ones(100, bool)
    assert ex.check_top_component_genre(scores, s.data.item_genres, mask, 0, "comedy")
    assert not ex.check_top_component_genre(scores, s.data.item_genres, mask, 0, "action")
    assert not ex.check_top_component_genre(scores, s.data.item_genres, mask, 0, "western")
