"""Seeding and device choice: the two things every notebook's setup cell does."""

from __future__ import annotations

import os
import random

import numpy as np


def seed_everything(seed: int = 0) -> np.random.Generator:
    """Seed Python's ``random``, NumPy's legacy global state and torch (CPU and CUDA).

    Returns a fresh ``numpy.random.Generator`` seeded with ``seed``; pass it around
    explicitly instead of using global randomness, so every number has one source.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be an int; got {type(seed).__name__} {seed!r}")
    if seed < 0:
        raise ValueError(f"seed must be >= 0; got {seed}")
    seed = int(seed)
    random.seed(seed)
    np.random.seed(seed % 2**32)
    os.environ["PYTHONHASHSEED"] = str(seed)  # for subprocesses started from here
    try:
        import torch
    except ImportError:  # torch is a dependency, but seeding must not need it
        pass
    else:
        torch.manual_seed(seed)  # also seeds every CUDA device
    return np.random.default_rng(seed)


def pick_device(prefer: str | None = None, verbose: bool = True):
    """Choose where tensors live: CUDA, then Apple's MPS, then the CPU.

    ``prefer`` forces a choice ("cpu", "cuda", "mps"); asking for one that is not
    available raises a ``ValueError`` saying so. Prints one line saying what was
    chosen and why, unless ``verbose`` is False. Returns a ``torch.device``.
    """
    import torch

    from .validation import check_bool

    verbose = check_bool("verbose", verbose, hint="verbose=False chooses without printing")
    if prefer is not None and not isinstance(prefer, str):
        raise TypeError(f"prefer must be None or one of 'cpu', 'cuda', 'mps' (got {prefer!r:.60})")
    cuda_ok = torch.cuda.is_available()
    mps_ok = bool(getattr(torch.backends, "mps", None)) and torch.backends.mps.is_available()
    if prefer is not None:
        prefer = str(prefer).lower()
        available = {"cpu": True, "cuda": cuda_ok, "mps": mps_ok}
        if prefer not in available:
            raise ValueError(f"prefer must be one of 'cpu', 'cuda', 'mps'; got {prefer!r}")
        if not available[prefer]:
            raise ValueError(
                f"device {prefer!r} was requested but is not available on this machine; "
                "call pick_device() without prefer to fall back to the CPU"
            )
        device, why = torch.device(prefer), "requested explicitly"
    elif cuda_ok:
        device = torch.device("cuda")
        why = f"CUDA is available ({torch.cuda.get_device_name(0)})"
    elif mps_ok:
        device, why = torch.device("mps"), "Apple MPS is available, CUDA is not"
    else:
        device, why = torch.device("cpu"), "no CUDA or MPS device found; GPU-only cells will say they are skipped"
    if verbose:
        print(f"device: {device.type} ({why})")
    return device
