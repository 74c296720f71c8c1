"""course_utils.timing: per-call medians from repeats, with a fake clock (no timing asserts)."""

from __future__ import annotations

import pytest

from course_utils.timing import Timing, time_call


class FakeClock:
    """A clock that only moves when the timed function runs: each call costs `costs[i]` seconds."""

    def __init__(self, costs):
        self.now, self.costs, self.calls = 0.0, list(costs), 0

    def __call__(self):
        return self.now

    def work(self):
        self.now += self.costs[self.calls % len(self.costs)]
        self.calls += 1


def test_median_min_max_are_per_call_milliseconds():
    clock = FakeClock([0.001])                        # every call takes exactly 1 ms
    timing = time_call(clock.work, repeats=3, number=4, warmup=0, clock=clock)
    assert timing == Timing(median_ms=pytest.approx(1.0), min_ms=pytest.approx(1.0), max_ms=pytest.approx(1.0),
                            repeats=3, number=4)
    assert clock.calls == 12


def test_the_median_ignores_one_disturbed_repeat():
    # warm-up call, then repeats of number=1: 2 ms, 2 ms, 50 ms (disturbed), 2 ms, 3 ms
    clock = FakeClock([0.009, 0.002, 0.002, 0.050, 0.002, 0.003])
    timing = time_call(clock.work, repeats=5, warmup=1, clock=clock)
    assert timing.median_ms == pytest.approx(2.0)
    assert timing.min_ms == pytest.approx(2.0) and timing.max_ms == pytest.approx(50.0)
    assert clock.calls == 6                           # the warm-up ran but was not timed
    assert "over 5 repeats" in str(timing)


def test_real_clock_gives_ordered_positive_numbers():
    timing = time_call(lambda: sum(range(100)), repeats=3, number=10)
    assert 0 < timing.min_ms <= timing.median_ms <= timing.max_ms


@pytest.mark.parametrize("kwargs, error, fragment", [
    ({"fn": 3}, TypeError, "fn must be a function"),
    ({"repeats": 0}, ValueError, "repeats must be a whole number >= 1"),
    ({"number": 2.5}, ValueError, "number must be a whole number"),
    ({"number": True}, TypeError, "number must be a whole number"),
    ({"warmup": -1}, ValueError, "warmup must be a whole number >= 0"),
    ({"clock": "perf_counter"}, TypeError, "clock must be a function"),
])
def test_bad_arguments_are_refused_with_the_fix(kwargs, error, fragment):
    args = {"fn": lambda: None} | kwargs
    fn = args.pop("fn")
    with pytest.raises(error, match=fragment):
        time_call(fn, **args)
