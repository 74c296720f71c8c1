"""The course's thread policy: how many CPU threads torch may use, set once for everything.

The course's models are small: tensors of a few thousand numbers, where handing work to a
second thread costs more than the work. On a two-core laptop that is also running a browser
and a video call, torch's default (one intra-op thread per core) makes such code 3-20x
slower, because each tiny operation waits for a thread that another process is using.

So the course uses **one torch thread** by default. ``import course_utils`` applies the
policy; ``environment_report()`` prints it. Override it with the environment variable
``COURSE_THREADS`` (a whole number >= 1, or ``all`` for one thread per CPU), set before
JupyterLab or pytest starts, e.g. ``COURSE_THREADS=all make lab``. Benchmarks that want
every core call ``apply_thread_policy("all")`` themselves and say so in their output.
"""

from __future__ import annotations

import numbers
import os

ENV_VAR = "COURSE_THREADS"
DEFAULT_THREADS = 1


def _cpu_count() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS and Windows have no sched_getaffinity
        return max(1, os.cpu_count() or 1)


def _parse_threads(value, label: str) -> int:
    """``value`` (from the argument ``label``, or from ``$COURSE_THREADS`` when None) as a count."""
    source = label if value is not None else ENV_VAR
    if value is None:
        value = os.environ.get(ENV_VAR, "").strip() or DEFAULT_THREADS
    if isinstance(value, str):
        text = value.strip().lower()
        if text == "all":
            return _cpu_count()
        try:
            value = int(text)
        except ValueError:
            raise ValueError(f"{source} must be a whole number >= 1 or 'all' (got {value!r}); "
                             f"for example {ENV_VAR}=1 for the course default") from None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{source} must be a whole number >= 1 or 'all' (got {value!r}); "
                         f"for example {ENV_VAR}=1 for the course default")
    return int(value)


def requested_threads(value=None) -> int:
    """The thread count the policy asks for: ``value`` if given, else ``$COURSE_THREADS``,
    else 1. ``"all"`` means one thread per CPU this process may use."""
    return _parse_threads(value, "value")


def apply_thread_policy(threads=None) -> int:
    """Set torch's intra-op thread count to the policy's value and return it.

    ``threads``: a whole number >= 1, ``"all"``, or None for ``$COURSE_THREADS`` (default 1).
    Safe to call again; it only changes torch's setting (NumPy's BLAS is left alone: the
    course's NumPy work is single-threaded sparse products and many small solves).
    """
    n = _parse_threads(threads, "threads")
    try:
        import torch
    except ImportError:  # torch is a dependency, but the policy must not need it
        return n
    if torch.get_num_threads() != n:
        torch.set_num_threads(n)
    return n


def thread_policy_report() -> dict:
    """What the policy asked for, what torch uses now, and where the number came from."""
    source = f"${ENV_VAR}" if os.environ.get(ENV_VAR, "").strip() else "course default"
    try:
        requested = requested_threads()
    except ValueError:
        requested, source = DEFAULT_THREADS, f"course default; ${ENV_VAR} is not valid and was ignored"
    try:
        import torch

        current = torch.get_num_threads()
    except ImportError:
        current = None
    return {"requested": requested, "torch_threads": current, "source": source, "cpus": _cpu_count()}
