"""Count what autograd keeps for the backward pass, deterministically (no allocator noise)."""

from __future__ import annotations

from contextlib import contextmanager

import torch


@contextmanager
def saved_tensor_bytes():
    """Inside the block, add up the bytes of every tensor autograd saves for backward.

    Usage::

        with saved_tensor_bytes() as counter:
            loss = model(x).sum()
        counter["bytes"]   # memory the backward pass will need, beyond the parameters' own

    Counted through ``torch.autograd.graph.saved_tensors_hooks``: the number depends only
    on the computation, not on the allocator, so it is the same on every run.
    """
    counter = {"bytes": 0, "tensors": 0}

    def pack(tensor):
        counter["bytes"] += tensor.numel() * tensor.element_size()
        counter["tensors"] += 1
        return tensor

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda tensor: tensor):
        yield counter
