"""Table-driven tests of the exercise checkers of notebooks 05-07: every row is an answer a
learner might give, the verdict it must get and a phrase its feedback must contain, so a
checker that blames the wrong cause (or accepts a wrong answer) fails here."""

import numpy as np
import pytest

from course_utils.exercises import embeddings as ex07
from course_utils.exercises import factorization as ex05
from course_utils.exercises import optimizers as ex06
from course_utils.exercises.optimizers import _adam_reference
from course_utils.ratings import synthetic_ratings


def verdict(capsys, result):
    return result, capsys.readouterr().out


# ----------------------------------------------------------------------------- 05, exercise 1
M, N, K = 6040, 3706, 20
PARAMETER_ROWS = [
    (204_666, True, "(M + N) K + M + N = 204,666"),
    (204_666.0, True, "204,666"),
    (204_667, True, "global mean"),
    (204_666.7, False, "whole number"),
    (194_920, False, "also has one bias per user and one per item"),
    (194_920 + M, False, "one bias vector is missing"),
    (194_920 + N, False, "one bias vector is missing"),
    (M * N, False, "full ratings matrix"),
    (M * N * K, False, "never stores M x N"),
    (300_000, False, "too many"),
    (1_000, False, "too few"),
    ("lots", False, "a number"),
    (..., False, "not attempted yet"),
]


@pytest.mark.parametrize("answer,ok,phrase", PARAMETER_ROWS)
def test_parameter_count_feedback(capsys, answer, ok, phrase):
    result, out = verdict(capsys, ex05.check_parameter_count(M, N, K, answer))
    assert result is ok and phrase in out, out


def _bias(kind):
    def update(items, residual, n_items, lam_bias):
        sums, counts = np.bincount(items, residual, n_items), np.bincount(items, minlength=n_items)
        return {"right": sums / (counts + lam_bias),
                "count only": sums / np.maximum(counts, 1),
                "plus one": sums / (counts + 1.0),
                "sum": sums,
                "sign": -sums / (counts + lam_bias),
                "total": sums / (counts.sum() + lam_bias),
                "no minlength": np.bincount(items, residual) / (np.bincount(items) + lam_bias),
                "nan": sums / counts,
                "none": None}[kind]
    return update


BIAS_ROWS = [
    ("right", True, "count + lam"),
    ("count only", False, "divided by the count alone"),
    ("plus one", False, "use lam_bias, not 1"),
    ("sum", False, "sum of residuals"),
    ("sign", False, "sign is flipped"),
    ("total", False, "its own count"),
    ("no minlength", False, "minlength"),
    ("nan", False, "NaN or inf"),
    ("none", False, "forget `return`"),
]


@pytest.mark.parametrize("kind,ok,phrase", BIAS_ROWS)
def test_item_bias_update_feedback(capsys, kind, ok, phrase):
    with np.errstate(all="ignore"):
        result, out = verdict(capsys, ex05.check_item_bias_update(_bias(kind)))
    assert result is ok and phrase in out, out


# ----------------------------------------------------------------------------- 06, exercise 1
STABLE_LR_ROWS = [
    (2.0, True, "exactly at the edge"),
    (1.99, True, "stable side"),
    (1.981, True, "within 1 %"),
    (2.01, False, "unstable side"),
    (2.5, False, "diverges"),
    (1.97, False, "below the limit"),
    (2 / (1 + 1 / 50), False, "fixed step 2 / (L + mu)"),
    (100.0, False, "flat direction"),
    (1.0, False, "you can go further"),
    (-1.0, False, "positive"),
    ("two", False, "a number"),
    (..., False, "not attempted yet"),
]


@pytest.mark.parametrize("answer,ok,phrase", STABLE_LR_ROWS)
def test_largest_stable_lr_feedback(capsys, answer, ok, phrase):
    result, out = verdict(capsys, ex06.check_largest_stable_lr(50, answer))
    assert result is ok and phrase in out, out


def test_accepted_learning_rates_really_are_stable():
    """Every answer the checker accepts keeps gradient descent bounded on quadratic(50)."""
    from course_utils.optimizers import optimize
    from course_utils.surfaces import quadratic

    for lr in (1.981, 1.99, 2.0):
        assert ex06.check_largest_stable_lr(50, lr)
        assert optimize("gd", quadratic(50).grad, [1.0, 1.0], 5000, lr=lr)["diverged_at"] is None
    assert optimize("gd", quadratic(50).grad, [1.0, 1.0], 5000, lr=2.01)["diverged_at"] is not None


SPEEDUP_ROWS = [
    (10, True, "the rates' prediction"),
    (10.03, True, "the rates' prediction"),
    (7.5, True, "matches the measured"),
    (7.46, True, "matches the measured"),
    (8.7, False, "between the measurement"),
    (7.0, False, "too low"),
    (10.6, False, "too high"),
    (20, False, "too high"),
    (0.0997, False, "too low"),                 # the ratio of the logs upside down
    (2, False, "too low"),
    (-3, False, "positive"),
    ("ten", False, "a number"),
    (..., False, "not attempted yet"),
]


@pytest.mark.parametrize("prediction,ok,phrase", SPEEDUP_ROWS)
def test_momentum_speedup_feedback(capsys, prediction, ok, phrase):
    result, out = verdict(capsys, ex06.check_momentum_speedup(100, prediction))
    assert result is ok and phrase in out, out


def test_speedup_targets_are_the_rates_and_the_measurement():
    assert ex06.rate_speedup(100) == pytest.approx(10.03, abs=0.01)
    assert ex06.momentum_speedup(100.0) == pytest.approx(7.46, abs=0.01)


def _adam_with(mistake):
    def step(p, g, m, v, t, lr, beta1, beta2, eps):
        return _adam_reference(p, g, m, v, t, lr, beta1, beta2, eps, mistake)
    return step


def _adam_returns_old_state(p, g, m, v, t, lr, beta1, beta2, eps):
    new_p, _, _ = _adam_reference(p, g, m, v, t, lr, beta1, beta2, eps)
    return new_p, m, v


def _adam_swaps_outputs(p, g, m, v, t, lr, beta1, beta2, eps):
    new_p, new_m, new_v = _adam_reference(p, g, m, v, t, lr, beta1, beta2, eps)
    return new_p, new_v, new_m


ADAM_ROWS = [
    (_adam_with(None), True, "identical to torch.optim.Adam"),
    (_adam_with("no bias correction"), False, "no bias correction"),
    (_adam_with("no correction of m"), False, "m is not"),
    (_adam_with("no correction of v"), False, "v is not"),
    (_adam_with("t from 0"), False, "t + 1"),
    (_adam_with("v not squared"), False, "*squared* gradient"),
    (_adam_with("betas swapped"), False, "swapped: m uses beta1"),
    (_adam_with("no square root"), False, "square root"),
    (_adam_with("eps inside the root"), False, "eps goes outside the root"),
    (_adam_with("sign"), False, "wrong way"),
    (_adam_returns_old_state, False, "return the new m and v"),
    (_adam_swaps_outputs, False, "swapped places"),
    (lambda p, g, m, v, t, lr, b1, b2, eps: (p, m), False, "triple (p, m, v)"),
    (lambda p, g, m, v, t, lr, b1, b2, eps: (p - lr * g, m, v), False, "differs from torch.optim.Adam"),
]


@pytest.mark.parametrize("fn,ok,phrase", ADAM_ROWS)
def test_adam_step_feedback_names_the_cause(capsys, fn, ok, phrase):
    result, out = verdict(capsys, ex06.check_adam_step(fn))
    assert result is ok and phrase in out, out


def test_eps_inside_the_root_is_not_called_a_missing_bias_correction(capsys):
    """The old checker blamed every first-step error on the bias correction."""
    ex06.check_adam_step(_adam_with("eps inside the root"))
    assert "bias correction" not in capsys.readouterr().out


# ----------------------------------------------------------------------------- 07
U, V = np.array([[1.0, 0.5], [0.2, -1.0]]), np.array([[0.4, 1.0], [-0.6, 0.2]])
A = np.array([[2.0, 1.0], [0.0, 1.0]])
IDENTIFIABILITY_ROWS = [
    (U @ A, V @ np.linalg.inv(A).T, True, "only up to an invertible map"),
    (U @ A, V @ A, False, "inv(A)^T"),
    (U, V, False, "original factors"),
    (U @ A, V, False, "U V^T changed"),
    (U[:1], V, False, "keep the shapes"),
    (..., ..., False, "not attempted yet"),
]


@pytest.mark.parametrize("new_U,new_V,ok,phrase", IDENTIFIABILITY_ROWS)
def test_identifiability_feedback(capsys, new_U, new_V, ok, phrase):
    result, out = verdict(capsys, ex07.check_identifiability(U, V, new_U, new_V))
    assert result is ok and phrase in out, out


@pytest.fixture(scope="module")
def planted():
    return synthetic_ratings(n_users=80, n_items=100, n_ratings=2400, min_per_user=10, seed=4)


@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_component_genre_checker_accepts_either_sign(capsys, planted, sign):
    # component 0 = the planted comedy axis: comedy sits furthest out, with either sign
    scores = sign * np.c_[planted.item_factors[:, 1], planted.item_factors[:, 0]]
    mask = np.ones(100, bool)
    genres = planted.data.item_genres
    result, out = verdict(capsys, ex07.check_top_component_genre(scores, genres, mask, 0, "comedy", min_items=3))
    assert result and "whatever the sign" in out, out
    means = {g: planted.item_factors[:, 1][planted.item_genre == k].mean() for k, g in enumerate(planted.genres)}
    for genre in means:
        if genre != "comedy":
            result, out = verdict(capsys, ex07.check_top_component_genre(scores, genres, mask, 0, genre, min_items=3))
            assert not result and ("not as far" in out or "further from 0" in out), out
    result, out = verdict(capsys, ex07.check_top_component_genre(scores, genres, mask, 0, "western"))
    assert not result and "genres with at least" in out
    result, out = verdict(capsys, ex07.check_top_component_genre(scores, genres, mask, 0, ...))
    assert not result and "not attempted" in out


def test_component_genre_checker_handles_films_with_several_genres(capsys):
    """Real data: a film lists several genres; a genre's films are all that list it."""
    genres = [["Horror"], ["Horror", "Comedy"], ["Comedy"], ["Drama"], ["Drama", "Romance"], ["Romance"]] * 5
    scores = np.array([[3.0], [2.0], [0.5], [-1.0], [-1.5], [-0.5]] * 5)
    mask = np.ones(30, bool)
    result, out = verdict(capsys, ex07.check_top_component_genre(scores, genres, mask, 0, "horror", min_items=5))
    assert result and "Horror" in out and "Drama" in out, out                    # Drama furthest at the other end
    result, out = verdict(capsys, ex07.check_top_component_genre(scores, genres, mask, 0, "Drama", min_items=5))
    assert not result and "other end" in out, out


# balanced demo pair: U^T U = V^T V (built from an SVD), as at a minimum of the penalised objective
P, S, Qt = np.linalg.svd(np.array([[1.0, 0.5], [0.2, -1.0], [0.7, 0.3]]) @ np.array([[0.4, 1.0], [-0.6, 0.2]]).T, full_matrices=False)
U_BAL, V_BAL = P * np.sqrt(S), Qt.T * np.sqrt(S)
THETA = 0.6
PENALTY_ROWS = [
    (np.array([[np.cos(THETA), -np.sin(THETA)], [np.sin(THETA), np.cos(THETA)]]), True, "a rotation"),
    (np.array([[1.0, 0.0], [0.0, -1.0]]), True, "a reflection"),
    (np.array([[2.0, 1.0], [0.0, 1.0]]), False, "the penalty moved"),
    (np.array([[2.0, 0.0], [0.0, 0.5]]), False, "try a rotation"),
    (np.eye(2), False, "identity"),
    (np.array([[1.0, 2.0], [2.0, 4.0]]), False, "not invertible"),
    (np.ones(3), False, "must be 2 x 2"),
    (..., False, "not attempted yet"),
]


@pytest.mark.parametrize("A,ok,phrase", PENALTY_ROWS)
def test_penalty_kept_feedback(capsys, A, ok, phrase):
    np.testing.assert_allclose(U_BAL.T @ U_BAL, V_BAL.T @ V_BAL, atol=1e-12)
    result, out = verdict(capsys, ex07.check_penalty_kept(U_BAL, V_BAL, A))
    assert result is ok and phrase in out, out


def test_penalty_kept_explains_a_non_orthogonal_answer_on_an_unbalanced_pair(capsys):
    """On an unbalanced pair some non-orthogonal A keep the penalty; the checker says why."""
    U, V = np.array([[2.0, 0.0], [0.0, 1.0]]), np.array([[1.0, 0.0], [0.0, 2.0]])    # U^T U != V^T V
    A = np.diag([0.5, 2.0])                                                        # swaps the two scales: penalty kept
    result, out = verdict(capsys, ex07.check_penalty_kept(U, V, A))
    assert result and "unbalanced" in out, out
