"""Exercise checkers for notebook 04 (matmul, broadcasting, embeddings)."""

from __future__ import annotations

import numpy as np
import torch

from ..broadcasting import explain_broadcast
from .feedback import call_learner, correct, not_yet, read_number

BROADCAST_QUESTIONS = [((5, 1), (3,)), ((2, 1, 4), (3, 1)), ((4, 3), (4,)), ((8, 1, 6, 1), (7, 1, 5))]


def check_broadcast_answers(answers) -> bool:
    """Exercise 1: the result shape (a tuple) or None ("error") for each of BROADCAST_QUESTIONS."""
    if not isinstance(answers, (list, tuple)) or len(answers) != len(BROADCAST_QUESTIONS):
        return not_yet(f"give a list of {len(BROADCAST_QUESTIONS)} answers, one per question: a shape tuple or None")
    if any(answer is Ellipsis for answer in answers):
        return not_yet("this exercise is not attempted yet: replace each ... with a shape tuple, or None for an error")
    wrong = []
    for (a, b), answer in zip(BROADCAST_QUESTIONS, answers):
        report = explain_broadcast(a, b)
        if answer is not None:
            try:
                shape = tuple(int(x) for x in answer)
                whole = all(x == s for x, s in zip(answer, shape))
            except (TypeError, ValueError):
                shape, whole = None, False
            if not whole:
                return not_yet(f"each answer must be a tuple of whole numbers like (5, 3), or None; got {answer!r}")
            answer = shape
        if answer != report.result:
            wrong.append(str(report))
    if not wrong:
        return correct("all four shapes right: align from the right, 1s stretch, anything else must match")
    return not_yet(f"{len(wrong)} of {len(BROADCAST_QUESTIONS)} wrong. Here is how the first one goes:\n{wrong[0]}")


def check_embedding_backward(embedding_backward) -> bool:
    """Exercise 2: ``embedding_backward(indices, upstream, vocab_size)`` returns dW (V, d)."""
    indices = np.array([3, 1, 3, 0])
    upstream = np.arange(12, dtype=np.float64).reshape(4, 3) - 5
    ok, dW = call_learner(embedding_backward, indices, upstream, 5)
    if not ok:
        return not_yet(dW)
    try:
        dW = np.asarray(dW.detach().cpu().numpy() if isinstance(dW, torch.Tensor) else dW, dtype=np.float64)
    except (TypeError, ValueError):
        return not_yet(f"return dW as an array of numbers of shape (V, d); got {type(dW).__name__}")
    W = torch.zeros(5, 3, dtype=torch.float64, requires_grad=True)
    W[torch.tensor(indices)].backward(torch.tensor(upstream))
    expected = W.grad.numpy()
    if dW.shape != expected.shape:
        return not_yet(f"dW must have the table's shape (V, d) = {expected.shape}; got {dW.shape}")
    if np.allclose(dW, expected):
        return correct("rows that were looked up get the upstream gradient, summed over repeats; the rest stay 0")
    overwritten = np.zeros_like(expected)
    overwritten[indices] = upstream
    if np.allclose(dW, overwritten):
        return not_yet("row 3 is looked up twice, so its gradient is the *sum* of both upstream rows: use np.add.at, not assignment")
    if np.allclose(dW, upstream.sum(axis=0)[None, :].repeat(5, axis=0)):
        return not_yet("every row got the summed gradient; only the rows that were looked up get gradient, the others stay 0")
    return not_yet("compare with: dW = zeros(V, d); add each upstream row to row indices[k]")


def check_one_hot_memory(n_bytes) -> bool:
    """Exercise 3(b): bytes of the float32 one-hot matrix for a batch of 1,024 users out of 10^9:
    n V 4 = 1,024 x 10^9 x 4 = 4.096e12 bytes (about 4 TB)."""
    ok, n_bytes = read_number(n_bytes)
    if not ok:
        return not_yet(n_bytes)
    entries = 1024 * 10**9
    near = lambda target, rel=0.02: abs(n_bytes - target) <= rel * target
    if near(4 * entries, rel=0.05):                     # 4e12 (1,024 rounded to 1,000) is right too
        return correct(f"{4 * entries:.3e} bytes, about 4 TB (3.7 TiB) for one batch's one-hot matrix, almost all zeros; "
                       "the lookup moves 1,024 rows of d numbers instead")
    if near(entries):
        return not_yet("that is the number of entries, n V; each float32 entry takes 4 bytes")
    if near(8 * entries):
        return not_yet("that is float64 (8 bytes per entry); float32 takes 4")
    if near(4 * 10**9):
        return not_yet("that is one user's one-hot row; the batch has 1,024 rows")
    if any(near(value) for value in (4.096, 4.096e3, 4.096e6, 4 * entries / 2**40, 4 * entries / 2**30)):
        return not_yet("give the answer in bytes, not in TB, GB or TiB")
    if n_bytes <= 0:
        return not_yet(f"a number of bytes is positive; got {n_bytes:g}")
    return not_yet("the one-hot matrix has n x V entries (n = 1,024 users in the batch, V = 10^9), of 4 bytes each")
