r"""Timing small computations honestly: repeat, and read the median beside the spread.

One timing of something that takes microseconds is mostly noise: another program, a cache
miss, the garbage collector. ``time_call`` runs ``fn`` ``number`` times in a row, takes the
mean per call, and repeats that ``repeats`` times (with :mod:`timeit`, which also switches
the garbage collector off while it times), after ``warmup`` untimed calls::

    per-call time of repeat r  =  (clock after - clock before) / number      r = 1..repeats
    median_ms, min_ms, max_ms  =  median, fastest, slowest of those, in milliseconds

Read the median. The fastest repeat is the least disturbed one; the gap to the slowest shows
how noisy the machine is. Compare alternatives within the same run, never against numbers
from another day. Speed belongs in notebooks and benchmarks, never in asserts of unit tests.

Used by notebooks 03 (forward vs backward time) and 04 (loops vs ``@``, lookup vs one-hot).
"""

from __future__ import annotations

import statistics
import time
import timeit
from dataclasses import dataclass
from typing import Callable

from .validation import check_callable, check_count


@dataclass(frozen=True)
class Timing:
    """Per-call times in milliseconds over ``repeats`` repeats of ``number`` calls each."""

    median_ms: float
    min_ms: float
    max_ms: float
    repeats: int
    number: int

    def __str__(self) -> str:  # 3.28 ms (2.95-4.10 over 7 repeats)
        return f"{self.median_ms:.3g} ms ({self.min_ms:.3g}-{self.max_ms:.3g} over {self.repeats} repeats)"


def time_call(fn: Callable[[], object], *, repeats: int = 5, number: int = 1, warmup: int = 1,
              clock: Callable[[], float] = time.perf_counter) -> Timing:
    """Time ``fn()`` (no arguments: wrap a call in a ``lambda``): ``warmup`` untimed calls, then
    ``repeats`` timings of ``number`` calls each. Returns a :class:`Timing` of per-call times
    in milliseconds (median, fastest and slowest repeat).

    Choose ``number`` so that one repeat lasts at least a millisecond or so: the clock's own
    resolution and overhead then no longer matter. ``clock`` is the timer (seconds); tests
    pass a fake one.
    """
    check_callable("fn", fn, hint="pass the function itself, e.g. time_call(lambda: A @ B)")
    repeats = check_count("repeats", repeats, minimum=1, hint="at least 3 for a median worth reading, e.g. repeats=5")
    number = check_count("number", number, minimum=1, hint="calls per repeat, e.g. number=100 for a microsecond-fast call")
    warmup = check_count("warmup", warmup, minimum=0, hint="untimed calls first, e.g. warmup=1")
    check_callable("clock", clock, hint="a function returning seconds, like time.perf_counter")
    for _ in range(warmup):
        fn()
    totals = timeit.Timer(fn, timer=clock).repeat(repeat=repeats, number=number)
    per_call_ms = [1e3 * total / number for total in totals]
    return Timing(median_ms=float(statistics.median(per_call_ms)), min_ms=float(min(per_call_ms)),
                  max_ms=float(max(per_call_ms)), repeats=repeats, number=number)
