import itertools

import numpy as np
import pytest
import torch

from course_utils.broadcasting import explain_broadcast
from course_utils.exercises import matmul_embeddings as ex
from course_utils.similarity import cosine_similarity
from course_utils.widgets import MatmulExplorer, matmul_cell


SIZES = [(), (1,), (3,), (1, 3), (3, 1), (2, 3), (2, 1, 3), (4, 2, 1)]


@pytest.mark.parametrize("a,b", list(itertools.product(SIZES, SIZES)))
def test_explainer_agrees_with_numpy_and_torch(a, b):
    try:
        expected = np.broadcast_shapes(a, b)
    except ValueError:
        expected = None
    report = explain_broadcast(a, b)
    assert report.result == expected
    if expected is not None:
        assert tuple(torch.broadcast_shapes(a, b)) == expected


def test_explainer_flags_the_column_vector_bug_and_not_a_bias_add():
    assert "(n, 1) column" in explain_broadcast((7, 1), (7,)).warning
    assert explain_broadcast((64, 32), (32,)).warning is None
    assert "incompatible" in str(explain_broadcast((2, 3), (3, 2)))
    assert explain_broadcast(np.ones((2, 1)), torch.ones(3)).result == (2, 3)  # arrays and tensors work too


@pytest.mark.parametrize("bad", [(-1, 2), ("3",), (2.5,), None])
def test_explainer_refuses_non_shapes(bad):
    with pytest.raises(ValueError, match="shape"):
        explain_broadcast(bad, (2,))


def test_cosine_similarity():
    assert cosine_similarity([1, 0], [0, 2]) == pytest.approx(0.0)
    assert cosine_similarity([1, 1], [-3, -3]) == pytest.approx(-1.0)
    assert cosine_similarity(np.eye(3), np.eye(3)).shape == (3, 3)
    with pytest.raises(ValueError, match="zero vector"):
        cosine_similarity([0, 0], [1, 2])
    with pytest.raises(ValueError, match="same length"):
        cosine_similarity([1, 2], [1, 2, 3])
    with pytest.raises(ValueError, match="NaN"):
        cosine_similarity([np.nan, 1], [1, 2])


def test_matmul_explorer_follows_the_sliders():
    A, B = np.arange(6).reshape(2, 3), np.arange(12).reshape(3, 4)
    explorer = MatmulExplorer(A, B)
    explorer.i.value, explorer.j.value = 1, 3
    assert explorer.last["value"] == (A @ B)[1, 3]
    assert explorer.boxes[2].get_xy() == (2.5, 0.5)
    assert "= <b>" in explorer.readout.value
    with pytest.raises(ValueError, match="matching k"):
        matmul_cell(A, A, 0, 0)
    with pytest.raises(ValueError, match=r"i must be a whole number in \[0, 1\]"):
        matmul_cell(A, B, 2, 0)


def test_exercise_checkers(capsys):
    assert ex.check_broadcast_answers([(5, 3), (2, 3, 4), None, (8, 7, 6, 5)])
    assert not ex.check_broadcast_answers([..., ..., ..., ...])
    assert "not attempted" in capsys.readouterr().out
    assert not ex.check_broadcast_answers([(5, 3), (2, 3, 4), (4, 3), (8, 7, 6, 5)])

    def good(indices, upstream, V):
        dW = np.zeros((V, upstream.shape[1]))
        np.add.at(dW, indices, upstream)
        return dW

    def overwrite(indices, upstream, V):
        dW = np.zeros((V, upstream.shape[1]))
        dW[indices] = upstream
        return dW

    assert ex.check_embedding_backward(good)
    assert not ex.check_embedding_backward(overwrite)
    assert "np.add.at" in capsys.readouterr().out
